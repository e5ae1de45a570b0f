"""Personal data rights (RGPD): a person sees and downloads everything the platform
holds about them, and can erase their account: their member records are anonymised,
not deleted, and no audit entry keeps their name."""

import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.accounts.models import User
from maillon.accounts.services import api_token_create, my_account_erase
from maillon.accounts.tests.factories import UserFactory
from maillon.core.models import AuditEntry
from maillon.members.invitations.services import invitation_accept, invitation_send
from maillon.members.join_requests.services import join_request_submit
from maillon.members.models import Invitation, JoinRequest, MembershipPeriod, Person, Role
from maillon.members.register.services import person_create, person_update
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory

pytestmark = pytest.mark.django_db

SECRETS = ("Apolline", "Dussart", "apolline.dussart@example.org", "06 11 22 33 44", "Rue des Lilas")


@pytest.fixture
def apolline(
    association, other_association, admin_user, other_admin, django_capture_on_commit_callbacks
):
    """A member with a long history: recorded by the secretary, renamed, invited, linked,
    fee paid; also an administrator of a second association where she acted, and a
    pending join request elsewhere."""
    user = UserFactory(
        email="apolline.dussart@example.org", full_name="Apolline Dussart", language="en"
    )
    with scope(association=association):
        person = person_create(
            association=association,
            actor=admin_user,
            first_name="Apoline",
            last_name="Dussart",
            phone="06 11 22 33 44",
            address="3 Rue des Lilas",
            notes="Allergique aux noix",
        )
        person_update(
            association=association, actor=admin_user, person=person, first_name="Apolline"
        )
        invitation = invitation_send(
            association=association, actor=admin_user, person=person, email=user.email
        )
        invitation_accept(invitation=invitation, user=user)
    MembershipPeriodFactory(person=person, note="Chèque d'Apolline Dussart", amount=20)
    # In the second association she is an administrator and acts.
    PersonFactory(
        association=other_association,
        user=user,
        first_name="Apolline",
        last_name="Dussart",
        email=user.email,
        roles=[Role.ADMIN, Role.MEMBER],
    )
    with scope(association=other_association):
        person_create(
            association=other_association, actor=user, first_name="Nouveau", last_name="Membre"
        )
    third = PersonFactory(last_name="Tiers").association
    join_request_submit(
        association=third, user=user, first_name="Apolline", last_name="Dussart", email=user.email
    )
    api_token_create(user=user, name="Mon script")
    return user


def test_my_data_page_and_privacy_register(apolline):
    client = Client()
    client.force_login(apolline)
    page = client.get(reverse("me:data"))
    assert page.status_code == 200
    assert "Les Amis du Quartier" in page.content.decode()
    assert Client().get(reverse("core:privacy")).status_code == 200


def test_my_data_needs_signing_in(db):
    response = Client().get(reverse("me:data_export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_json_export_contains_my_memberships_and_nothing_of_others(
    apolline, association, admin_user
):
    client = Client()
    client.force_login(apolline)

    response = client.get(reverse("me:data_export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="maillon-my-data-')
    data = json.loads(response.content)
    assert data["account"]["email"] == "apolline.dussart@example.org"
    assert data["account"]["api_tokens"] == [
        {
            "name": "Mon script",
            "created_at": data["account"]["api_tokens"][0]["created_at"],
            "revoked": False,
        }
    ]
    memberships = {m["association_slug"]: m for m in data["memberships"]}
    assert set(memberships) == {"amis-du-quartier", "club-voisin"}
    amis = memberships["amis-du-quartier"]
    assert (amis["first_name"], amis["phone"], amis["notes"]) == (
        "Apolline",
        "06 11 22 33 44",
        "Allergique aux noix",
    )
    assert amis["roles"] == ["member"]
    assert amis["membership_periods"][0]["amount"] == "20.00"
    assert memberships["club-voisin"]["roles"] == ["admin", "member"]
    assert [jr["status"] for jr in data["join_requests"]] == ["pending"]
    assert any(a["action"] == "members.person_created" for a in data["actions_in_audit_log"])
    assert admin_user.email not in response.content.decode()


def test_erasure_needs_the_right_email_as_confirmation(apolline):
    client = Client()
    client.force_login(apolline)
    assert client.get(reverse("me:erase")).status_code == 200

    response = client.post(reverse("me:erase"), {"confirm_email": "someone@example.org"})

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert User.objects.filter(pk=apolline.pk).exists()


def test_erasure_deletes_the_account_and_anonymises_every_record(apolline, association):
    client = Client()
    client.force_login(apolline)
    with scopes_disabled():
        person_ids = list(Person.objects.filter(user=apolline).values_list("pk", flat=True))

    response = client.post(reverse("me:erase"), {"confirm_email": "Apolline.Dussart@example.org"})

    assert response["Location"] == reverse("home")
    assert not User.objects.filter(email="apolline.dussart@example.org").exists()
    assert client.get(reverse("me:home")).status_code == 302  # signed out
    with scopes_disabled():
        people = list(Person.objects.filter(pk__in=person_ids))
        assert len(people) == 2  # kept for the associations' legal records
        for person in people:
            assert person.user is None
            assert person.email == "" and person.phone == "" and person.address == ""
            assert "Apolline" not in str(person) and "Dussart" not in str(person)
            assert person.anonymised_at is not None
            assert person.left_on == timezone.localdate()
        period = MembershipPeriod.objects.get(person__in=person_ids)
        assert (period.amount, period.note) == (20, "")
        assert not Invitation.objects.filter(person__in=person_ids).exists()
        assert not JoinRequest.objects.filter(email="apolline.dussart@example.org").exists()
        # Other people are untouched.
        assert Person.objects.filter(first_name="Nouveau", last_name="Membre").exists()


def test_after_erasure_no_audit_entry_keeps_the_persons_name(apolline, association):
    client = Client()
    client.force_login(apolline)
    client.post(reverse("me:erase"), {"confirm_email": apolline.email})

    with scopes_disabled():
        entries = list(AuditEntry.objects.all())
        assert {e.action for e in entries} >= {
            "members.person_created",
            "members.person_updated",
            "members.invitation_sent",
            "members.person_anonymised",
        }
    for entry in entries:
        text = " ".join([entry.actor_label, entry.object_repr, json.dumps(entry.data)])
        for secret in SECRETS + ("Apoline", "Allergique"):
            assert secret not in text, (entry.action, text)


def test_the_audit_page_after_erasure_shows_no_name(apolline, association, admin_client):
    my_account_erase(user=apolline)
    content = admin_client.get(
        reverse("backoffice:audit", kwargs={"association_slug": association.slug})
    ).content.decode()
    assert "members.person_anonymised" in content
    for secret in SECRETS:
        assert secret not in content


def test_the_only_administrator_must_appoint_another_before_erasure(association, admin_user):
    PersonFactory(association=association, first_name="Bastien")
    client = Client()
    client.force_login(admin_user)
    page = client.get(reverse("me:erase")).content.decode()
    assert association.name in page  # warned before trying

    response = client.post(reverse("me:erase"), {"confirm_email": admin_user.email})

    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert User.objects.filter(pk=admin_user.pk).exists()
    with scopes_disabled():
        assert Person.objects.get(user=admin_user).first_name != "—"


def test_a_lone_founder_can_erase_their_account(association, admin_user):
    client = Client()
    client.force_login(admin_user)
    response = client.post(reverse("me:erase"), {"confirm_email": admin_user.email})
    assert response.status_code == 302
    assert not User.objects.filter(pk=admin_user.pk).exists()


def test_the_export_includes_my_volunteering_and_my_events(association, other_association):
    from decimal import Decimal

    from maillon.events.tests.factories import make_event, make_registration
    from maillon.volunteering.models import ApplicationMessage, VolunteerHours, VolunteerProfile
    from maillon.volunteering.tests.factories import ApplicationFactory, MissionFactory

    user = UserFactory(email="sacha@example.org", language="en")
    VolunteerProfile.objects.create(user=user, about="Je bricole", remote_ok=True)
    application = ApplicationFactory(
        mission=MissionFactory(association=association, title="Repair café"),
        user=user,
        email=user.email,
        message="Disponible le samedi",
    )
    with scopes_disabled():
        ApplicationMessage.objects.create(
            association=association, application=application, body="Bienvenue !"
        )
        person = PersonFactory(association=association, user=user)
        VolunteerHours.objects.create(
            association=association,
            person=person,
            date=timezone.localdate(),
            hours=Decimal("2.5"),
            activity="field",
        )
    make_registration(make_event(other_association, title="Fête du quartier"), user=user)
    # Someone else's application is not in my export.
    ApplicationFactory(mission=MissionFactory(association=association), email="autre@example.org")

    client = Client()
    client.force_login(user)
    data = json.loads(client.get(reverse("me:data_export")).content)

    assert data["volunteer_profile"]["about"] == "Je bricole"
    [mine] = data["volunteer_applications"]
    assert (mine["mission"], mine["message"]) == ("Repair café", "Disponible le samedi")
    assert [m["message"] for m in mine["thread"]] == ["Bienvenue !"]
    assert [h["hours"] for h in data["volunteer_hours"]] == ["2.50"]
    assert [r["event"] for r in data["event_registrations"]] == ["Fête du quartier"]
    assert "autre@example.org" not in json.dumps(data)


def test_erasure_anonymises_my_applications_and_registrations(association):
    from maillon.events.models import Registration
    from maillon.events.tests.factories import make_event, make_registration
    from maillon.volunteering.models import Application, ApplicationMessage, VolunteerProfile
    from maillon.volunteering.tests.factories import ApplicationFactory, MissionFactory

    user = UserFactory(email="sacha@example.org", full_name="Sacha Lenoir")
    VolunteerProfile.objects.create(user=user, about="Je bricole")
    application = ApplicationFactory(
        mission=MissionFactory(association=association),
        user=user,
        first_name="Sacha",
        last_name="Lenoir",
        email=user.email,
        phone="06 00 00 00 00",
        message="Disponible le samedi",
    )
    with scopes_disabled():
        ApplicationMessage.objects.create(
            association=association, application=application, body="Merci Sacha"
        )
    make_registration(make_event(association), user=user, first_name="Sacha", email=user.email)

    my_account_erase(user=user)

    with scopes_disabled():
        application.refresh_from_db()
        assert application.user is None
        assert (application.email, application.phone) == ("", "")
        assert "Sacha" not in application.first_name + application.last_name
        assert application.message == ""
        assert application.status == "withdrawn"
        assert ApplicationMessage.objects.get().body == ""
        registration = Registration.objects.get()
        assert (registration.user, registration.email) == (None, "")
        assert "Sacha" not in registration.first_name
        assert not Application.objects.filter(email__icontains="sacha").exists()
    assert not VolunteerProfile.objects.exists()
