"""The network calendar, campaigns and the iCal feeds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from maillon.accounts.tests.factories import UserFactory
from maillon.associations.tests.factories import AssociationFactory
from maillon.events import services
from maillon.events.models import Campaign, EventStatus
from maillon.events.selectors import feed_token_of

from .factories import make_event, make_registration

pytestmark = pytest.mark.django_db


def _titles(response) -> set[str]:
    calendar = Calendar.from_ical(response.content)
    return {str(e["summary"]).split(" – ")[0] for e in calendar.walk("VEVENT")}


def _events(response):
    return {
        str(e["summary"]).split(" – ")[0]: e
        for e in Calendar.from_ical(response.content).walk("VEVENT")
    }


@pytest.fixture
def campaign():
    today = timezone.localdate()
    return Campaign.objects.create(
        title="Semaine de l'engagement",
        slug="semaine",
        starts_on=today,
        ends_on=today + datetime.timedelta(days=30),
    )


# --- calendar ---------------------------------------------------------------------------------


def test_calendar_shows_upcoming_public_published_events_only(client, association):
    make_event(association, title="Visible")
    make_event(association, title="Brouillon", status=EventStatus.DRAFT)
    make_event(association, title="Interne", audience="members")
    make_event(association, title="Passé", days=-3)
    make_event(association, title="Annulé", status=EventStatus.CANCELLED)
    off = AssociationFactory(enabled_modules=["members"])
    make_event(off, title="Module éteint")
    content = client.get(reverse("public_events:calendar")).content.decode()
    assert "Visible" in content
    for hidden in ("Brouillon", "Interne", "Passé", "Annulé", "Module éteint"):
        assert hidden not in content, hidden


def test_calendar_filters(client, association, other_association, campaign):
    make_event(association, title="Lyon présentiel", postal_code="69001")
    make_event(other_association, title="Marseille", postal_code="13001", campaign=campaign)
    make_event(
        association,
        title="Visio",
        address="",
        postal_code="",
        city="",
        online_url="https://visio.example.org",
        days=40,
    )
    url = reverse("public_events:calendar")

    def shown(**params):
        content = client.get(url, params).content.decode()
        return {t for t in ("Lyon présentiel", "Marseille", "Visio") if t in content}

    assert shown() == {"Lyon présentiel", "Marseille", "Visio"}
    assert shown(department="13") == {"Marseille"}
    assert shown(association=association.slug) == {"Lyon présentiel", "Visio"}
    assert shown(campaign="semaine") == {"Marseille"}
    assert shown(online="online") == {"Visio"}
    assert shown(online="in_person") == {"Lyon présentiel", "Marseille"}
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert shown(start=later) == {"Visio"}
    soon = (timezone.localdate() + datetime.timedelta(days=10)).isoformat()
    assert shown(end=soon) == {"Lyon présentiel", "Marseille"}
    # A bad filter is a form error, not a 500.
    assert client.get(url, {"start": "yesterday"}).status_code == 200


def _calendar_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("public_events:calendar")).status_code == 200
    return len(queries)


def test_calendar_query_count_does_not_grow(client, association, campaign):
    def add(n):
        for i in range(n):
            other = AssociationFactory()
            make_event(other, title=f"E{i}", campaign=campaign, capacity=10)
            make_event(association, title=f"F{i}", online_url="https://v.example")

    add(3)
    client.get(reverse("public_events:calendar"))  # warm-up (sessions, content types)
    n = _calendar_queries(client)
    add(3)
    assert _calendar_queries(client) == n


def test_campaign_page_groups_by_department(client, association, other_association, campaign):
    make_event(association, title="À Lyon", postal_code="69001", campaign=campaign)
    make_event(other_association, title="À Marseille", postal_code="13001", campaign=campaign)
    make_event(association, title="Hors campagne")
    content = client.get(reverse("public_events:campaign", args=["semaine"])).content.decode()
    assert "À Lyon" in content and "À Marseille" in content and "Hors campagne" not in content
    assert content.index("13 –") < content.index("69 –")
    response = client.get(reverse("public_events:campaign_ics", args=["semaine"]))
    assert _titles(response) == {"À Lyon", "À Marseille"}
    assert client.get(reverse("public_events:campaign", args=["nope"])).status_code == 404


# --- iCal feeds -------------------------------------------------------------------------------


def test_association_feed(client, association, other_association):
    event = make_event(association, title="Atelier")
    make_event(association, title="Annulé", status=EventStatus.CANCELLED)
    make_event(association, title="Interne", audience="members")
    make_event(association, title="Brouillon", status=EventStatus.DRAFT)
    make_event(other_association, title="Ailleurs")
    response = client.get(reverse("public_events:association_ics", args=[association.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response)
    assert set(events) == {"Atelier", "Annulé"}
    atelier = events["Atelier"]
    assert str(atelier["uid"]).startswith(f"event-{event.pk}@")
    assert atelier["dtstamp"]
    assert atelier["dtstart"].dt.tzinfo.key == "Europe/Paris"
    assert atelier["dtstart"].dt == event.starts_at.replace(microsecond=0)
    assert str(events["Annulé"]["status"]) == "CANCELLED"
    assert b"BEGIN:VTIMEZONE" in response.content and b"TZID:Europe/Paris" in response.content
    # The UID is stable from one download to the next.
    again = _events(client.get(reverse("public_events:association_ics", args=[association.slug])))
    assert again["Atelier"]["uid"] == atelier["uid"]


def test_network_feed_has_every_associations_public_events(client, association, other_association):
    make_event(association, title="Un")
    make_event(other_association, title="Deux")
    make_event(association, title="Interne", audience="members")
    assert _titles(client.get(reverse("public_events:network_ics"))) == {"Un", "Deux"}


def test_personal_feed_shows_only_the_users_events(client, association, other_association):
    user, neighbour = UserFactory(), UserFactory()
    mine_here = make_event(association, title="Le mien ici")
    mine_there = make_event(other_association, title="Le mien là-bas", audience="members")
    make_event(association, title="Pas le mien")
    cancelled = make_event(association, title="Annulé mais inscrit")
    make_registration(mine_here, user=user, email=user.email)
    make_registration(mine_there, user=user, email=user.email)
    make_registration(cancelled, user=user, email=user.email)
    gone = make_event(association, title="Désinscrit")
    make_registration(gone, user=user, email=user.email, status="cancelled", holds_seat=False)
    make_registration(mine_here, user=neighbour, email=neighbour.email)
    cancelled.status = EventStatus.CANCELLED
    cancelled.save()

    token = feed_token_of(user=user).token
    response = client.get(reverse("public_events:my_ics", args=[token]))  # no sign-in
    events = _events(response)
    assert set(events) == {"Le mien ici", "Le mien là-bas", "Annulé mais inscrit"}
    assert str(events["Annulé mais inscrit"]["status"]) == "CANCELLED"
    neighbours = _titles(
        client.get(reverse("public_events:my_ics", args=[feed_token_of(user=neighbour).token]))
    )
    assert neighbours == {"Le mien ici"}
    assert client.get(reverse("public_events:my_ics", args=["forged-token"])).status_code == 404

    # A renewed address replaces the old one.
    services.feed_token_renew(user=user)
    assert client.get(reverse("public_events:my_ics", args=[token])).status_code == 404


def test_feeds_of_unknown_or_module_off_associations_are_404(client):
    off = AssociationFactory(enabled_modules=["members"])
    assert client.get(reverse("public_events:association_ics", args=[off.slug])).status_code == 404
    assert client.get(reverse("public_events:association_ics", args=["nope"])).status_code == 404
