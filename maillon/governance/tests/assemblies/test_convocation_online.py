"""The convocation says how to vote online (issue 10 item 8): the link to the ballot,
and, for a member without an account, how to create one with this very address; after
signing up and linking the record, the member lands on the assembly in session."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.governance.assemblies import services
from maillon.governance.models import AssemblyMode, AssemblyStatus
from maillon.governance.polls import services as poll_services
from maillon.governance.tests.factories import AgendaItemFactory, AssemblyFactory
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory

pytestmark = pytest.mark.django_db


def _convene(association, actor, mode=AssemblyMode.HYBRID):
    assembly = AssemblyFactory(
        association=association, mode=mode, starts_at=timezone.now() + datetime.timedelta(days=30)
    )
    AgendaItemFactory(assembly=assembly, position=1, title="Rapport moral")
    mail.outbox.clear()
    with scope(association=association), TestCase.captureOnCommitCallbacks(execute=True):
        services.assembly_convene(association=association, actor=actor, assembly=assembly)
    return assembly


def test_a_member_without_account_is_told_to_create_one_with_this_address(
    client, association, other_association, admin_user
):
    lea = PersonFactory(
        association=association, first_name="Léa", last_name="Sanscompte", email="lea@example.org"
    )
    MembershipPeriodFactory(person=lea)
    assembly = _convene(association, admin_user)
    to_lea = next(m for m in mail.outbox if m.to == ["lea@example.org"]).body
    to_admin = next(m for m in mail.outbox if m.to == [admin_user.email]).body
    ballot = reverse("governance:assembly_ballot", args=[association.slug, assembly.pk])
    assert ballot in to_lea and ballot in to_admin  # the vote link, for everybody
    assert "lea@example.org" in to_lea and "/accounts/signup/?next=" in to_lea
    assert "/accounts/signup/" not in to_admin  # has an account already

    # Lea follows the link: signs up with that address, confirms it, links her record.
    with scopes_disabled():
        assembly.status = AssemblyStatus.OPEN
        assembly.opened_at = timezone.now()
        assembly.save(update_fields=["status", "opened_at"])
    with scope(association=association):
        poll = poll_services.poll_create(
            association=association,
            actor=admin_user,
            assembly=assembly,
            title="Rapport moral",
            kind="yes_no",
        )
        poll = poll_services.poll_open(association=association, actor=admin_user, poll=poll)
    signup = re.search(r"http://\S+/accounts/signup/\?next=\S+", to_lea).group(0)
    signup_path = signup.split("://", 1)[1].split("/", 1)[1]
    password = "un-mot-de-passe-solide-42"
    response = client.post(
        "/" + signup_path,
        {"email": "lea@example.org", "password1": password, "password2": password},
    )
    assert response.status_code == 302
    confirm = re.search(r"http://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    response = client.post("/" + confirm.split("://", 1)[1].split("/", 1)[1])
    offers_page = unquote(response["Location"])
    assert offers_page.startswith(reverse("links:offers"))
    page = client.get(response["Location"]).content.decode()
    assert 'name="next" value="' + ballot in page
    response = client.post(
        reverse("links:offers"), {"association": association.slug, "answer": "yes", "next": ballot}
    )
    assert response["Location"] == ballot
    response = client.get(ballot)
    assert response["Location"].startswith(
        reverse("governance:poll_detail", args=[association.slug, poll.pk])
    )
