"""manage.py seed_demo: the whole demo, built through the services, once."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django_scopes import scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.communication.models import Newsletter, Post
from maillon.core.models import AuditEntry
from maillon.demo.builders.associations import ASSOCIATIONS, account_emails
from maillon.demo.builders.common import DEMO_PASSWORD
from maillon.demo.builders.mobilisation import MOBILISATION_DEMOS
from maillon.demo.builders.network import NETWORKS
from maillon.events.models import Event, Registration
from maillon.governance.models import Assembly, Ballot, Minutes, Proposal, Proxy
from maillon.members.models import JoinRequest, MembershipPeriod, Person
from maillon.strategy.models import Action, Diagnostic, Indicator, Measurement
from maillon.taxonomy.models import Sector
from maillon.volunteering.models import Application, Mission, VolunteerHours

# A real run commits after each part (the convocation task runs then): so does the test.
pytestmark = pytest.mark.django_db(transaction=True)

MAIN_MODELS = (
    User, Association, Person, MembershipPeriod, JoinRequest, AuditEntry, Diagnostic, Action,
    Indicator, Measurement, Assembly, Proxy, Ballot, Minutes, Proposal, Mission, Application,
    VolunteerHours, Event, Registration, Post, Newsletter,
)  # fmt: skip


def seed_demo() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out, no_color=True)
    return out.getvalue()


def counts() -> dict[str, int]:
    with scopes_disabled():
        return {model.__name__: model.objects.count() for model in MAIN_MODELS}


def test_seed_demo_builds_the_demo_once_and_prints_the_logins():
    first = seed_demo()

    for spec in ASSOCIATIONS:
        people = 1 + len(spec.people) + spec.generated_members
        assert f"+ {spec.slug}: {people} people" in first
    assert first.count("diagnostic completed, 2 actions adopted, 2 indicators") == 2
    assert "held 120 days ago" in first and "minutes approved" in first
    assert "a proposal with 3 supports" in first
    assert "gifts, a public campaign, last year's tax receipts" in first
    for slug in MOBILISATION_DEMOS:
        assert f"+ {slug}: mobilisation (" in first
    logins = first.split("Demo logins", 1)[1]
    for email in ["admin@demo.maillon.test", *account_emails()]:
        assert f"  {email} " in logins
    assert "membre@amis-croix-rousse.test" in logins
    assert "amis-croix-rousse: member | nuits-de-la-chouette: volunteer" in logins
    assert not mail.outbox  # demo addresses are not real mailboxes

    built = counts()
    # The networks bring member associations of their own beside the five demos.
    network_members = {m.slug for n in NETWORKS for m in n.members if m.name}
    assert built["Association"] == len(ASSOCIATIONS) + len(network_members)
    assert "+ practice sheets: 30 written and shared" in first
    assert built["Assembly"] == 2 and built["Minutes"] == 1 and built["Ballot"] > 0
    assert all(built[name] for name in built), built
    user = User.objects.get(email="presidente@amis-croix-rousse.test")
    assert user.check_password(DEMO_PASSWORD)

    second = seed_demo()

    assert counts() == built
    assert second.count("already there, left unchanged") == len(ASSOCIATIONS) + 2 + len(NETWORKS)
    assert "0 missions, 0 hour entries, 0 events, 0 news items added" in second
    assert "donations kept as they are" in second
    assert second.split("Demo logins", 1)[1] == logins


def test_seed_demo_needs_the_reference_data():
    Sector.objects.all().delete()
    with pytest.raises(CommandError, match="migrate"):
        seed_demo()
