"""Inviting a person from their page, and the page the email link opens."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.members.models import Invitation, Person
from maillon.members.roles.selectors import my_roles
from maillon.members.tests.factories import InvitationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(admin_user):
    """The administrator reads the back-office in English (the strings asserted below)
    and has a name no other person of these tests has (factories draw random names)."""
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    with scopes_disabled():
        Person.objects.filter(user=admin_user).update(first_name="Ada", last_name="Zadmin")


def members_url(association, name="list", **kwargs):
    return reverse(f"members:{name}", kwargs={"association_slug": association.slug, **kwargs})


def flash(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_inviting_a_person_emails_a_link_that_links_their_account(
    admin_client, association, django_capture_on_commit_callbacks
):
    person = PersonFactory(association=association, email="", first_name="Zoé")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            members_url(association, "invite", person_id=person.pk), {"email": "zoe@example.org"}
        )
    assert response.status_code == 302
    assert mail.outbox[0].to == ["zoe@example.org"]
    link = re.search(r"https?://\S+/invitations/\S+/", mail.outbox[0].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]

    zoe = UserFactory(email="zoe@example.org", language="en")
    client = Client()
    client.force_login(zoe)
    page = client.get(f"/{path}")
    assert page.status_code == 200
    assert "Accept the invitation" in page.content.decode()
    accepted = client.post(f"/{path}")

    assert accepted["Location"] == reverse(
        "backoffice:dashboard", kwargs={"association_slug": association.slug}
    )
    person.refresh_from_db()
    assert person.user == zoe
    assert client.get(accepted["Location"]).status_code == 200


def test_an_invitation_link_asks_to_sign_in_first(client, association):
    invitation = InvitationFactory(person__association=association)
    response = client.get(reverse("invitations:accept", args=[invitation.token]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_an_expired_invitation_link_is_refused(client, association):
    invitation = InvitationFactory(
        person__association=association, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    user = UserFactory(language="en")
    client.force_login(user)
    url = reverse("invitations:accept", args=[invitation.token])

    assert "has expired" in client.get(url).content.decode()
    response = client.post(url)

    assert response["Location"] == reverse("me:home")
    assert my_roles(association=association, user=user) == frozenset()


def test_an_unknown_invitation_token_is_not_found(client, db):
    client.force_login(UserFactory())
    assert client.get(reverse("invitations:accept", args=["nope"])).status_code == 404


def test_an_invitation_to_a_person_without_email_needs_an_address(admin_client, association):
    person = PersonFactory(association=association, email="")
    response = admin_client.post(
        members_url(association, "invite", person_id=person.pk), {"email": ""}
    )
    assert flash(response) == ["Enter a valid email address."]
    with scope(association=association):
        assert not Invitation.objects.exists()
