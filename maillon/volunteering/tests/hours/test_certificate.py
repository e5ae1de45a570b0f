"""The volunteer's certificate (attestation de bénévolat)."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scopes_disabled
from pypdf import PdfReader

from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory
from maillon.volunteering.models import Activity, HoursStatus
from maillon.volunteering.tests.factories import MissionFactory
from maillon.volunteering.tests.hours.helpers import (
    add_hours,
    english_messages,  # noqa: F401 (autouse fixture)
    person_of,
    user_with_roles,
    volunteer_without_account,
)

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def volunteer(association):
    user = user_with_roles(
        association,
        [Role.VOLUNTEER],
        first_name="Chloé",
        last_name="Lefèvre-Cœur",
        email="chloe@amis.example",
    )
    return user


def _my_certificate(association, **query):
    return reverse("volunteer:hours_certificate", args=[association.slug]), query


def test_a_volunteer_downloads_their_certificate_with_only_validated_hours(
    client, association, volunteer
):
    PersonFactory(
        association=association, first_name="Éloïse", last_name="Présidente", roles=[Role.PRESIDENT]
    )
    person = person_of(volunteer, association)
    mission = MissionFactory(association=association, title="Accueil « Café des Cœurs »")
    january = datetime.date(THIS_YEAR, 1, 15)
    add_hours(person, day=january, hours="3.5", mission=mission, activity=Activity.FIELD)
    add_hours(person, day=january + datetime.timedelta(days=1), hours="2", activity=Activity.EVENT)
    add_hours(person, day=january, hours="9", status=HoursStatus.PENDING)
    add_hours(person, day=january, hours="8", status=HoursStatus.REJECTED)
    add_hours(person, day=datetime.date(THIS_YEAR - 1, 6, 1), hours="6")  # another year
    client.force_login(volunteer)

    url, query = _my_certificate(association)
    text = _flat(_text(client.get(url, query)))
    assert "Volunteer certificate" in text
    assert "Chloé Lefèvre-Cœur" in text
    assert "Les Amis du Quartier" in text
    assert "Accueil « Café des Cœurs »" in text
    assert "5.5 hours, on 2 days" in text
    assert "Field work with the public" in text and "Events" in text
    assert "Éloïse Présidente" in text  # the signature block

    text = _flat(_text(client.get(url, {"year": THIS_YEAR - 1})))
    assert "6 hours, on 1 day." in text


def test_the_certificate_prints_french_text(client, association, volunteer):
    person = person_of(volunteer, association)
    add_hours(person, hours="2")
    volunteer.language = "fr"
    volunteer.save(update_fields=["language"])
    client.force_login(volunteer)
    url, _query = _my_certificate(association)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    text = _flat(_text(response))
    assert "Chloé Lefèvre-Cœur" in text


def test_a_custom_period_can_be_asked(client, association, volunteer):
    person = person_of(volunteer, association)
    add_hours(person, day=datetime.date(THIS_YEAR - 1, 9, 1), hours="4")
    add_hours(person, day=datetime.date(THIS_YEAR - 1, 11, 1), hours="1")
    client.force_login(volunteer)
    url, _query = _my_certificate(association)
    start, end = f"{THIS_YEAR - 1}-08-01", f"{THIS_YEAR - 1}-09-30"
    text = _flat(_text(client.get(url, {"start": start, "end": end})))
    assert "4 hours" in text


def test_no_validated_hours_means_no_certificate(client, association, volunteer):
    add_hours(person_of(volunteer, association), status=HoursStatus.PENDING)
    client.force_login(volunteer)
    url, _query = _my_certificate(association)
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("volunteer:hours")
    assert b"nothing to certify" in response.content


def test_a_volunteer_cannot_download_someone_elses_certificate(
    client, association, other_association, volunteer
):
    other = volunteer_without_account(association)
    add_hours(other, hours="3")
    client.force_login(volunteer)
    manager_url = reverse("volunteering:hours_certificate", args=[association.slug, other.pk])
    assert client.get(manager_url).status_code == 403
    # Their own link names no person: it can only give their own certificate, and an
    # association where they have no record answers "not found".
    foreign_url = reverse("volunteer:hours_certificate", args=[other_association.slug])
    assert client.get(foreign_url).status_code == 404


def test_a_manager_downloads_anyones_certificate(client, association, other_admin):
    manager = user_with_roles(association, [Role.SECRETARY])
    person = volunteer_without_account(association, first_name="Gaëlle", last_name="Noël")
    add_hours(person, hours="7.25")
    client.force_login(manager)
    url = reverse("volunteering:hours_certificate", args=[association.slug, person.pk])
    text = _flat(_text(client.get(url, {"year": THIS_YEAR})))
    assert "Gaëlle Noël" in text and "7.25 hours" in text
    # Another association's admin: not found, with their slug or this one's.
    client.force_login(other_admin)
    assert client.get(url).status_code == 404
    with scopes_disabled():
        own_slug = other_admin.people.get().association.slug
    own_url = reverse("volunteering:hours_certificate", args=[own_slug, person.pk])
    assert client.get(own_url).status_code == 404


def test_the_my_hours_page_links_to_the_certificate(client, association, volunteer):
    client.force_login(volunteer)
    response = client.get(reverse("volunteering:my_hours", args=[association.slug]))
    assert reverse("volunteer:hours_certificate", args=[association.slug]).encode() in (
        response.content
    )
