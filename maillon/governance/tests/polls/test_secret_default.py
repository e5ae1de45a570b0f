"""Secret ballot by default as the statutes say (issue 10, item 4): resolutions follow
the statutes' setting, elections are secret, and the convocation says which votes
are secret."""

import io

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django_scopes import scopes_disabled
from pypdf import PdfReader

from maillon.associations.models import Statutes
from maillon.governance.assemblies import services as assembly_services
from maillon.governance.models import AssemblyStatus, Poll, PollKind
from maillon.governance.polls import services as poll_services
from maillon.governance.tests.factories import AgendaItemFactory, AssemblyFactory
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account

pytestmark = pytest.mark.django_db


def statutes(association, **values):
    with scopes_disabled():
        Statutes.objects.filter(association=association).update(**values)


@pytest.fixture
def admin(association, other_association):
    return member_with_account(association, [Role.ADMIN, Role.MEMBER])


def create(association, admin, assembly, kind, options=(), **kwargs):
    return poll_services.poll_create(
        association=association,
        actor=admin,
        assembly=assembly,
        title=f"Vote {kind}",
        kind=kind,
        options=list(options),
        **kwargs,
    )


@pytest.mark.parametrize("secret_resolutions", [True, False])
def test_the_default_follows_the_statutes_and_elections_are_secret(
    association, admin, secret_resolutions
):
    statutes(association, resolutions_secret_ballot=secret_resolutions)
    assembly = AssemblyFactory(association=association)
    resolution = create(association, admin, assembly, PollKind.YES_NO)
    choice = create(association, admin, assembly, PollKind.SINGLE, ["Lyon", "Nice"])
    election = create(association, admin, assembly, PollKind.ELECTION, ["A", "B", "C"], seats=2)
    ranked = create(association, admin, assembly, PollKind.RANKED, ["A", "B", "C"])
    assert resolution.is_secret is secret_resolutions
    assert choice.is_secret is secret_resolutions
    assert election.is_secret and ranked.is_secret
    # Asked for explicitly, the assembly's decision wins.
    assert create(association, admin, assembly, PollKind.YES_NO, is_secret=True).is_secret
    assert not create(
        association, admin, assembly, PollKind.ELECTION, ["A", "B"], is_secret=False
    ).is_secret


def test_the_poll_form_starts_from_the_statutes(association, admin, client):
    statutes(association, resolutions_secret_ballot=False)
    assembly = AssemblyFactory(association=association)
    client.force_login(admin)
    path = reverse("governance:poll_create", args=[association.slug, assembly.pk])
    page = client.get(path).content.decode()
    assert "open ballot for resolutions, secret ballot for elections" in page
    data = {"title": "Rapport moral", "kind": "yes_no", "seats": 1, "min_choices": 0}
    data.update({"majority_rule": "simple", "is_secret": ""})
    assert client.post(path, data).status_code == 302
    data.update({"title": "Conseil", "kind": "election", "options": "A\nB\nC", "seats": 2})
    assert client.post(path, data).status_code == 302
    data.update({"title": "Comptes", "kind": "yes_no", "options": "", "seats": 1})
    data["is_secret"] = "secret"
    assert client.post(path, data).status_code == 302
    with scopes_disabled():
        secret = dict(Poll.objects.values_list("title", "is_secret"))
    assert secret == {"Rapport moral": False, "Conseil": True, "Comptes": True}


def test_the_convocation_says_which_votes_are_secret(association, admin, client, in_scope):
    statutes(association, resolutions_secret_ballot=False)
    PersonFactory(association=association, email="lea@example.org")
    PersonFactory(association=association, email="", address="3 rue Haute")
    assembly = AssemblyFactory(association=association, status=AssemblyStatus.DRAFT)
    item = AgendaItemFactory(assembly=assembly, position=1, title="Rapport moral")
    create(association, admin, assembly, PollKind.YES_NO, agenda_item=item)
    create(association, admin, assembly, PollKind.ELECTION, ["A", "B", "C"], seats=2)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assembly_services.assembly_convene(association=association, actor=admin, assembly=assembly)
    body = next(m for m in mail.outbox if m.to == ["lea@example.org"]).body
    assert "Vote yes_no: open ballot" in body
    assert "Vote election: secret ballot" in body
    # The letter for members without email says the same.
    client.force_login(admin)
    pdf = client.get(reverse("governance:assembly_letters", args=[association.slug, assembly.pk]))
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Vote election: secret ballot" in text
