"""A guest volunteer (applications, hours, certificate) and a guest of an event reach
what they did once their account's verified address is linked (issue 10 item 7)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.events.tests.factories import make_event, make_registration
from maillon.members.linking.selectors import my_link_offers
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.volunteering.applications.services import application_accept
from maillon.volunteering.models import HoursStatus, VolunteerHours
from maillon.volunteering.tests.factories import ApplicationFactory, MissionFactory

pytestmark = pytest.mark.django_db

EMAIL = "camille.guest@example.org"


def test_a_guest_volunteer_reaches_applications_hours_and_certificate(
    client, association, other_association
):
    admin = member_with_account(association, [Role.ADMIN, Role.MEMBER])
    mission = MissionFactory(association=association, title="Maraude du jeudi")
    application = ApplicationFactory(
        mission=mission, first_name="Camille", last_name="Invitée", email=EMAIL.upper()
    )
    with scope(association=association):
        application = application_accept(
            association=association, actor=admin, application=application
        )
        VolunteerHours.objects.create(
            association=association,
            person=application.person,
            mission=mission,
            date=timezone.localdate() - datetime.timedelta(days=3),
            hours=3,
            activity="field",
            status=HoursStatus.VALIDATED,
            logged_by=admin,
        )
    # Elsewhere, the same address made a guest application too: offered separately.
    ApplicationFactory(mission=MissionFactory(association=other_association), email=EMAIL)

    user = UserFactory(email=EMAIL)
    client.force_login(user)
    page = client.get(reverse("links:offers")).content.decode()
    assert "1 candidature à une mission" in page
    assert page.count('name="answer" value="yes"') == 2

    response = client.post(
        reverse("links:offers"), {"association": association.slug, "answer": "yes"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        application.refresh_from_db()
        assert application.user == user and application.person.user == user
    assert "Maraude du jeudi" in client.get(reverse("volunteer:applications")).content.decode()
    hours_page = client.get(reverse("volunteer:hours")).content.decode()
    assert association.name in hours_page
    certificate = client.get(reverse("volunteer:hours_certificate", args=[association.slug]))
    assert certificate.status_code == 200
    # The other association's application is still only offered, not linked.
    assert [o.association for o in my_link_offers(user=user)] == [other_association]


def test_a_guest_of_an_event_finds_the_registration_in_my_events(client, association):
    event = make_event(association, title="Fête de quartier")
    make_registration(event, email=EMAIL)
    user = UserFactory(email=EMAIL)
    client.force_login(user)
    assert "1 inscription à un événement" in client.get(reverse("links:offers")).content.decode()
    client.post(reverse("links:offers"), {"association": association.slug, "answer": "yes"})
    assert "Fête de quartier" in client.get(reverse("public_events:mine")).content.decode()


def test_an_event_the_account_already_attends_keeps_one_registration(client, association):
    event = make_event(association)
    user = UserFactory(email=EMAIL)
    make_registration(event, email="", user=user)
    make_registration(event, email=EMAIL, first_name="Doublon")
    client.force_login(user)
    client.post(reverse("links:offers"), {"association": association.slug, "answer": "yes"})
    with scopes_disabled():
        assert event.registrations.filter(user=user).count() == 1
