"""The volunteer profile: the page where a volunteer fills it in, and its export."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.volunteering.models import MissionInvitation, VolunteerProfile
from maillon.volunteering.profiles.selectors import my_volunteer_profile_export
from maillon.volunteering.tests.matching.factories import make_mission, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


PROFILE_URL = "/me/volunteering/profile/"
SUGGESTIONS_URL = "/me/volunteering/suggestions/"


def test_the_urls_have_their_names():
    assert reverse("volunteer:profile") == PROFILE_URL
    assert reverse("volunteer:suggestions") == SUGGESTIONS_URL
    assert reverse("volunteer:alerts_stop", kwargs={"token": "abc"}) == (
        "/me/volunteering/alerts/stop/abc/"
    )


def test_the_profile_page_needs_an_account(client):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_volunteer_fills_in_their_profile(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(PROFILE_URL)
    assert page.status_code == 200
    # The opt-ins are explained in plain words.
    assert b"They never see your email address" in page.content
    assert b"Each email has a link to stop the alerts" in page.content

    response = client.post(
        PROFILE_URL,
        {
            "skills": _skill_ids("welcome", "tutoring"),
            "causes": _cause_ids("education"),
            "availability": ["weekend"],
            "postal_code": " 69 003 ",
            "remote_ok": "on",
            "birth_date": "1990-04-02",
            "about": "  Retired teacher.  ",
            "visible_to_associations": "on",
            "alerts_enabled": "on",
            "alert_frequency": "daily",
        },
    )
    assert response.status_code == 302
    profile = VolunteerProfile.objects.get(user=user)
    assert profile.postal_code == "69003"
    assert profile.department.code == "69"
    assert sorted(s.code for s in profile.skills.all()) == ["tutoring", "welcome"]
    assert [c.code for c in profile.causes.all()] == ["education"]
    assert profile.availability == ["weekend"]
    assert profile.remote_ok and profile.visible_to_associations and profile.alerts_enabled
    assert profile.alert_frequency == "daily"
    assert profile.birth_date == datetime.date(1990, 4, 2)
    assert profile.about == "Retired teacher."

    # The page shows what was saved; unticking an opt-in turns it off.
    page = client.get(PROFILE_URL)
    assert b'value="69003"' in page.content
    client.post(PROFILE_URL, {"postal_code": "69003", "alert_frequency": "daily"})
    profile.refresh_from_db()
    assert not profile.visible_to_associations and not profile.alerts_enabled
    assert profile.skills.count() == 0


def test_the_opt_ins_are_off_by_default(client):
    user = UserFactory()
    client.force_login(user)
    client.post(PROFILE_URL, {"postal_code": "75011", "alert_frequency": "weekly"})
    profile = VolunteerProfile.objects.get(user=user)
    assert profile.department.code == "75"
    assert not profile.visible_to_associations
    assert not profile.alerts_enabled


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"postal_code": "6900"}, "postal_code", "five digits"),
        ({"postal_code": "98000"}, "postal_code", "no French department"),
        ({"birth_date": "2999-01-01"}, "birth_date", "in the future"),
        ({"birth_date": "not a date"}, "birth_date", "valid date"),
        ({"availability": ["sunday"]}, "availability", "valid choice"),
        ({"alert_frequency": "hourly"}, "alert_frequency", "valid choice"),
        ({"about": "x" * 2001}, "about", "at most 2000"),
    ],
)
def test_bad_input_gets_a_form_error(client, data, field, message):
    user = UserFactory()
    client.force_login(user)
    response = client.post(PROFILE_URL, {"alert_frequency": "weekly", **data})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not VolunteerProfile.objects.filter(user=user).exists()


def _skill_ids(*codes):
    from maillon.taxonomy.models import Skill

    return [s.pk for s in Skill.objects.filter(code__in=codes)]


def _cause_ids(*codes):
    from maillon.taxonomy.models import Cause

    return [c.pk for c in Cause.objects.filter(code__in=codes)]


def test_the_profile_can_be_exported(association):
    user = UserFactory()
    assert my_volunteer_profile_export(user=user) is None
    profile = make_profile(user, skills=["welcome"], about="Hello", visible=True)
    mission = make_mission(association, title="Food bank", skills=["welcome"])
    with scopes_disabled():
        MissionInvitation.objects.create(association=association, mission=mission, profile=profile)
    data = my_volunteer_profile_export(user=user)
    assert data["skills"] == ["welcome"] and data["about"] == "Hello"
    assert data["department"] == "69"
    assert data["invitations"][0]["mission"] == "Food bank"
