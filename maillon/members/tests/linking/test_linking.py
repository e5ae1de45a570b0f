"""Linking by verified email (issue 10 item 7): a person who signs up or signs in with
a verified address the register holds is offered, once, to link that record; saying
yes links it (audited), saying no is remembered; never without a verified address,
never a record already linked to another account. Guest applications and event
registrations under the same address follow."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.core.models import AuditEntry
from maillon.governance.models import AssemblyStatus, Ballot, Participation
from maillon.governance.polls import services as poll_services
from maillon.governance.tests.factories import convened_assembly
from maillon.members.linking import services
from maillon.members.linking.selectors import my_link_offers
from maillon.members.models import Person, RecordLinkDeclined, Role
from maillon.members.tests.factories import PersonFactory, member_with_account

pytestmark = pytest.mark.django_db

EMAIL = "lea.martin@example.org"


def verified_user(email=EMAIL, verified=True):
    user = UserFactory(email=email)  # its address is verified
    EmailAddress.objects.filter(user=user).update(verified=verified)
    return user


@pytest.fixture
def lea(association, other_association):
    return PersonFactory(
        association=association,
        first_name="Léa",
        last_name="Martin",
        email="Lea.Martin@example.org",
    )


def test_a_member_signs_up_with_the_recorded_email_confirms_and_votes(client, association, lea):
    admin = member_with_account(association, [Role.ADMIN, Role.MEMBER])
    assembly = convened_assembly(association)
    with scopes_disabled():
        assembly.status = AssemblyStatus.OPEN
        assembly.opened_at = timezone.now()
        assembly.save(update_fields=["status", "opened_at"])
    poll = poll_services.poll_create(
        association=association,
        actor=admin,
        assembly=assembly,
        title="Rapport moral",
        kind="yes_no",
    )
    poll = poll_services.poll_open(association=association, actor=admin, poll=poll)

    response = client.post(
        reverse("account_signup"),
        {
            "email": EMAIL,
            "password1": "un-mot-de-passe-solide-42",
            "password2": "un-mot-de-passe-solide-42",
        },
    )
    assert response.status_code == 302
    user = EmailAddress.objects.get(email__iexact=EMAIL).user
    assert my_link_offers(user=user) == []  # not verified yet: nothing offered
    link = re.search(r"https?://[^\s]+/accounts/confirm-email/[^\s]+", mail.outbox[-1].body).group(
        0
    )
    path = link.split("://", 1)[1].split("/", 1)[1]
    response = client.post("/" + path)
    assert response.status_code == 302
    assert response["Location"] == reverse("links:offers")

    page = client.get(reverse("links:offers")).content.decode()
    assert "L’association Les Amis du Quartier vous a inscrit·e avec cette adresse" in page
    assert "Léa Martin" in page

    response = client.post(
        reverse("links:offers"), {"association": association.slug, "answer": "yes"}
    )
    assembly_url = reverse("governance:assembly", args=[association.slug, assembly.pk])
    assert response["Location"] == assembly_url  # lands on the assembly in session
    again = client.post(
        reverse("links:offers"), {"association": association.slug, "answer": "yes"}
    )  # a double click: on to the same place, nothing more
    assert again["Location"] == assembly_url
    with scopes_disabled():
        lea.refresh_from_db()
        assert lea.user == user
        entry = assembly.roll.get(person=lea)
        assert AuditEntry.objects.filter(
            action="members.record_linked", object_id=str(lea.pk)
        ).exists()
    assert client.get(assembly_url).status_code == 200

    vote_url = reverse("governance:poll_vote", args=[association.slug, poll.pk])
    page = client.get(reverse("governance:poll_detail", args=[association.slug, poll.pk]))
    key = re.search(r'name="idempotency_key" value="(\w+)"', page.content.decode()).group(1)
    client.post(vote_url, {"idempotency_key": key, f"e{entry.pk}-answer": "yes"})
    with scopes_disabled():
        assert Participation.objects.filter(poll=poll, entry=entry).exists()
        assert Ballot.objects.filter(poll=poll).count() == 1
    # Offered once: nothing is offered any more.
    assert my_link_offers(user=user) == []


def test_nothing_is_offered_without_a_verified_address(association, lea):
    user = verified_user(verified=False)
    assert my_link_offers(user=user) == []
    with pytest.raises(services.NoLinkOffer):
        services.my_records_link(user=user, association=association)
    with scopes_disabled():
        lea.refresh_from_db()
    assert lea.user is None


def test_a_record_linked_to_another_account_is_not_offered(association, lea):
    other = UserFactory(email="someone.else@example.org")
    with scopes_disabled():
        lea.user = other
        lea.save(update_fields=["user"])
    assert my_link_offers(user=verified_user()) == []


def test_a_left_or_anonymised_record_is_not_offered(association, lea):
    with scopes_disabled():
        Person.objects.filter(pk=lea.pk).update(anonymised_at=timezone.now())
    assert my_link_offers(user=verified_user()) == []


def test_declining_is_remembered(client, association, lea):
    user = verified_user()
    client.force_login(user)
    assert [o.association for o in my_link_offers(user=user)] == [association]
    response = client.post(
        reverse("links:offers"), {"association": association.slug, "answer": "no"}
    )
    assert response.status_code == 302
    assert my_link_offers(user=user) == []
    with scopes_disabled():
        assert RecordLinkDeclined.objects.filter(user=user, association=association).exists()
        lea.refresh_from_db()
        assert AuditEntry.objects.filter(action="members.record_link_declined").exists()
    assert lea.user is None
    # The person's data export says so (and the account's erasure takes it away).
    data = client.get(reverse("me:data_export")).json()
    assert [d["association"] for d in data["declined_record_links"]] == [association.name]
    # Signing in again goes straight to the personal space.
    assert "Est-ce vous" not in client.get(reverse("me:home")).content.decode()


def test_a_user_cannot_link_an_association_that_offers_them_nothing(
    client, association, other_association, lea
):
    PersonFactory(association=other_association, email="nobody@example.org")
    user = verified_user()
    client.force_login(user)
    response = client.post(
        reverse("links:offers"), {"association": other_association.slug, "answer": "yes"}
    )
    assert response.status_code == 404
    with pytest.raises(services.NoLinkOffer):
        services.my_records_link(user=user, association=other_association)


def test_a_shared_address_asks_which_person(client, association, lea):
    sister = PersonFactory(
        association=association, first_name="Zoé", last_name="Martin", email=EMAIL
    )
    user = verified_user()
    client.force_login(user)
    page = client.get(reverse("links:offers")).content.decode()
    assert "Plusieurs personnes du registre partagent cette adresse" in page
    response = client.post(
        reverse("links:offers"), {"association": association.slug, "answer": "yes"}, follow=True
    )
    assert "Choisissez quelle personne du registre vous êtes." in response.content.decode()
    client.post(
        reverse("links:offers"),
        {"association": association.slug, "answer": "yes", "person": sister.pk},
    )
    with scopes_disabled():
        sister.refresh_from_db()
        lea.refresh_from_db()
    assert sister.user == user and lea.user is None


def test_the_personal_space_shows_the_offer(client, association, lea):
    user = verified_user()
    client.force_login(user)
    page = client.get(reverse("me:home")).content.decode()
    assert "L’association Les Amis du Quartier vous a inscrit·e avec cette adresse" in page


def test_signing_in_with_a_verified_address_offers_the_record_first(client, association, lea):
    verified_user()  # password "correct horse battery" (the factory's)
    response = client.post(
        reverse("account_login"), {"login": EMAIL, "password": "correct horse battery"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("links:offers")


def test_signing_in_without_anything_to_link_goes_to_the_personal_space(client, association):
    verified_user()
    response = client.post(
        reverse("account_login"), {"login": EMAIL, "password": "correct horse battery"}
    )
    assert response["Location"] == reverse("me:home")
