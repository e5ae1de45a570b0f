"""Mission alerts: digests of new matching missions for the volunteers who asked for
them, daily or weekly, with an unsubscribe link that works without signing in."""

from __future__ import annotations

import datetime
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone, translation

from maillon.volunteering.matching.services import mission_alerts_send_due
from maillon.volunteering.matching.tasks import send_mission_alerts
from maillon.volunteering.models import Audience, MissionStatus, VolunteerProfile
from maillon.volunteering.tests.matching.factories import make_mission, make_profile

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def now():
    return timezone.now()


def _subscriber(**kwargs):
    defaults = {
        "skills": ["welcome", "tutoring"],
        "causes": ["education"],
        "availability": ["weekend"],
        "alerts": True,
        "frequency": "daily",
        "email": "alice@example.org",
    }
    return make_profile(**{**defaults, **kwargs})


def _set_last_alert(profile, when):
    VolunteerProfile.objects.filter(pk=profile.pk).update(last_alert_at=when)


def test_a_digest_lists_the_new_matching_missions(association, now):
    profile = _subscriber()
    _set_last_alert(profile, now - 2 * DAY)
    good = make_mission(
        association,
        title="Tutoring on Saturdays",
        skills=["tutoring"],
        cause="education",
        time_slots=["weekend"],
        published_at=now - DAY,
    )
    make_mission(
        association,
        title="Older mission",
        skills=["tutoring"],
        cause="education",
        published_at=now - 3 * DAY,
    )
    make_mission(
        association,
        title="Poor match",
        skills=["accounting"],
        department="42",
        time_slots=["weekday_daytime"],
        published_at=now - DAY,
    )
    make_mission(
        association,
        title="Draft",
        skills=["tutoring"],
        status=MissionStatus.DRAFT,
        published_at=now - DAY,
    )
    make_mission(
        association,
        title="Members only",
        skills=["tutoring"],
        audience=Audience.MEMBERS,
        published_at=now - DAY,
    )

    result = mission_alerts_send_due(now=now)

    assert (result.checked, result.sent) == (1, 1)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "1 new mission for you"
    assert "Tutoring on Saturdays" in message.body
    assert "Les Amis du Quartier" in message.body
    assert "A cause you care about: Education and training" in message.body
    for absent in ("Older mission", "Poor match", "Draft", "Members only"):
        assert absent not in message.body
    assert f"/missions/{good.pk}/?from=alert" in message.body
    links = re.findall(r"https?://\S+/missions/\d+/\S*", message.body)
    assert links and all(link.endswith("?from=alert") for link in links)
    stop_url = f"/me/volunteering/alerts/stop/{profile.alert_token}/"
    assert stop_url in message.body
    assert message.extra_headers["List-Unsubscribe"].endswith(f"{stop_url}>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    profile.refresh_from_db()
    assert profile.last_alert_at == now


def test_running_twice_sends_once(association, now):
    _set_last_alert(_subscriber(), now - 2 * DAY)
    make_mission(association, skills=["tutoring"], cause="education", published_at=now - DAY)

    assert mission_alerts_send_due(now=now).sent == 1
    assert mission_alerts_send_due(now=now).sent == 0
    assert mission_alerts_send_due(now=now + datetime.timedelta(hours=1)).sent == 0
    assert len(mail.outbox) == 1


def test_the_next_digest_has_only_what_was_published_since(association, now):
    profile = _subscriber()
    _set_last_alert(profile, now - 2 * DAY)
    make_mission(
        association, title="First", skills=["tutoring"], cause="education", published_at=now - DAY
    )
    mission_alerts_send_due(now=now)
    make_mission(
        association,
        title="Second",
        skills=["tutoring"],
        cause="education",
        published_at=now + datetime.timedelta(hours=3),
    )

    mission_alerts_send_due(now=now + DAY)

    assert len(mail.outbox) == 2
    assert "Second" in mail.outbox[1].body and "First" not in mail.outbox[1].body


def test_nothing_is_sent_when_nothing_matches(association, now):
    profile = _subscriber()
    make_mission(association, skills=["accounting"], department="13", published_at=now)
    result = mission_alerts_send_due(now=now)
    assert (result.checked, result.sent) == (1, 0)
    assert mail.outbox == []
    profile.refresh_from_db()
    assert profile.last_alert_at == now  # checked: the next check starts from here


def test_weekly_volunteers_get_theirs_once_seven_days_have_passed(association, now):
    weekly = _subscriber(frequency="weekly")
    _set_last_alert(weekly, now - 3 * DAY)
    make_mission(association, skills=["tutoring"], cause="education", published_at=now - DAY)

    assert mission_alerts_send_due(now=now).checked == 0
    assert mail.outbox == []

    later = now + 4 * DAY - datetime.timedelta(minutes=30)  # 7 days minus the cron's drift
    assert mission_alerts_send_due(now=later).sent == 1
    assert len(mail.outbox) == 1


def test_a_daily_volunteer_is_checked_every_day(association, now):
    profile = _subscriber(frequency="daily")
    _set_last_alert(profile, now - DAY + datetime.timedelta(minutes=20))
    make_mission(association, skills=["tutoring"], cause="education", published_at=now)
    assert mission_alerts_send_due(now=now).sent == 1


def test_a_first_alert_covers_the_last_period(association, now):
    _subscriber(frequency="daily")
    make_mission(
        association, title="Yesterday", skills=["tutoring"], cause="education", published_at=now
    )
    make_mission(
        association,
        title="Last week",
        skills=["tutoring"],
        cause="education",
        published_at=now - 3 * DAY,
    )
    mission_alerts_send_due(now=now)
    assert "Yesterday" in mail.outbox[0].body and "Last week" not in mail.outbox[0].body


def test_nothing_is_sent_to_volunteers_who_did_not_opt_in(association, now):
    _subscriber(alerts=False)
    make_mission(association, skills=["tutoring"], cause="education", published_at=now)
    assert mission_alerts_send_due(now=now).checked == 0
    assert mail.outbox == []


def test_an_under_age_volunteer_gets_no_adult_mission(association, now):
    _subscriber(birth_date=timezone.localdate() - datetime.timedelta(days=15 * 365))
    make_mission(
        association, skills=["tutoring"], cause="education", minimum_age=18, published_at=now
    )
    assert mission_alerts_send_due(now=now).sent == 0


def test_the_alert_is_in_the_volunteers_language(association, now):
    _subscriber(language="fr")
    make_mission(association, skills=["tutoring"], cause="education", published_at=now)
    mission_alerts_send_due(now=now)
    # The cause's label comes from the reference list, in the volunteer's language.
    assert "Éducation et formation" in mail.outbox[0].body
    assert "Education and training" not in mail.outbox[0].body


def test_the_command_and_the_task(association, now):
    _subscriber()
    make_mission(association, skills=["tutoring"], cause="education", published_at=now)
    out = StringIO()
    call_command("send_mission_alerts", stdout=out)
    assert "sent: 1" in out.getvalue()
    assert len(mail.outbox) == 1

    _subscriber(email="bob@example.org")
    result = send_mission_alerts.enqueue()
    assert result.return_value == {"checked": 1, "sent": 1}
    assert mail.outbox[1].to == ["bob@example.org"]


def test_a_failing_email_gives_the_period_back(association, now, monkeypatch):
    from maillon.volunteering.matching import services as matching_services

    profile = _subscriber()
    make_mission(association, skills=["tutoring"], cause="education", published_at=now)

    def broken(*args, **kwargs):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(matching_services, "_send_alert_email", broken)
    assert mission_alerts_send_due(now=now).sent == 0
    profile.refresh_from_db()
    assert profile.last_alert_at is None
    monkeypatch.undo()
    assert mission_alerts_send_due(now=now).sent == 1


# --- unsubscribing --------------------------------------------------------------------------


def test_the_unsubscribe_link_works_without_signing_in(client):
    profile = _subscriber()
    url = f"/me/volunteering/alerts/stop/{profile.alert_token}/"

    page = client.get(url)
    assert page.status_code == 200
    assert b"Stop the alerts" in page.content
    profile.refresh_from_db()
    assert profile.alerts_enabled  # a GET (a link preview) changes nothing

    response = client.post(url)
    assert response.status_code == 200
    profile.refresh_from_db()
    assert not profile.alerts_enabled
    assert profile.visible_to_associations is False  # nothing else changed

    again = client.get(url)
    assert b"already off" in again.content


def test_one_click_unsubscribe_needs_no_csrf_token(association, now):
    from django.test import Client

    profile = _subscriber()
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"/me/volunteering/alerts/stop/{profile.alert_token}/",
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    profile.refresh_from_db()
    assert not profile.alerts_enabled
    make_mission(association, skills=["tutoring"], cause="education", published_at=now)
    assert mission_alerts_send_due(now=now).checked == 0


def test_an_unknown_token_is_404(client):
    _subscriber()
    assert client.get("/me/volunteering/alerts/stop/nope/").status_code == 404
    assert client.post("/me/volunteering/alerts/stop/nope/").status_code == 404
