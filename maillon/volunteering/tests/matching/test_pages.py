"""Matching pages: "missions for you" and the back-office list of volunteers for a
mission (with the invitation to apply)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.volunteering.models import (
    Audience,
    MissionInvitation,
    MissionStatus,
)
from maillon.volunteering.tests.factories import ApplicationFactory
from maillon.volunteering.tests.matching.factories import make_mission, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


SUGGESTIONS_URL = "/me/volunteering/suggestions/"


def _matches_url(mission):
    return reverse(
        "volunteering:mission_matches",
        kwargs={"association_slug": mission.association.slug, "mission_id": mission.pk},
    )


def _invite_url(mission):
    return reverse(
        "volunteering:mission_invite",
        kwargs={"association_slug": mission.association.slug, "mission_id": mission.pk},
    )


# --- missions for you -----------------------------------------------------------------------


def test_an_empty_profile_is_asked_to_fill_it_in(client):
    client.force_login(UserFactory())
    response = client.get(SUGGESTIONS_URL)
    assert response.status_code == 200
    assert b"Fill in my profile" in response.content
    assert reverse("volunteer:profile").encode() in response.content


def test_missions_are_ranked_with_their_reasons(client, association, other_association):
    profile = make_profile(
        skills=["welcome", "tutoring"],
        causes=["education"],
        availability=["weekend"],
        postal_code="69003",
        remote_ok=True,
    )
    best = make_mission(
        association,
        title="Tutoring on Saturdays",
        skills=["welcome", "tutoring"],
        cause="education",
        time_slots=["weekend"],
    )
    middle = make_mission(
        other_association,
        title="Welcoming in Saint-Étienne",
        skills=["welcome", "driving"],
        department="42",
        time_slots=["weekday_daytime"],
    )
    remote = make_mission(
        association, title="Remote website", skills=["web"], department="13", is_remote=True
    )
    far = make_mission(association, title="Far away in Paris", skills=["welcome"], department="75")
    client.force_login(profile.user)

    response = client.get(SUGGESTIONS_URL)

    titles = [item["mission"].title for item in response.context["items"]]
    assert titles == [best.title, remote.title, middle.title]
    assert far.title.encode() not in response.content
    body = response.content.decode()
    assert "2 of the 2 skills wanted" in body
    assert "In your department" in body
    assert "You are available: Weekends" in body
    assert "A cause you care about: Education and training" in body
    assert "1 of the 2 skills wanted" in body and "In your region" in body
    assert "Can be done remotely" in body
    assert f"/missions/{best.pk}/?from=search" in body


def test_drafts_members_only_closed_and_past_missions_are_never_suggested(client, association):
    profile = make_profile(skills=["welcome"], postal_code="69001")
    shown = make_mission(association, title="Open mission", skills=["welcome"])
    hidden = [
        make_mission(association, title="Draft", skills=["welcome"], status=MissionStatus.DRAFT),
        make_mission(
            association, title="Members only", skills=["welcome"], audience=Audience.MEMBERS
        ),
        make_mission(association, title="Closed", skills=["welcome"], status=MissionStatus.CLOSED),
        make_mission(
            association,
            title="Past",
            skills=["welcome"],
            start_date=timezone.localdate() - datetime.timedelta(days=3),
        ),
        make_mission(association, title="Adults", skills=["welcome"], minimum_age=18),
    ]
    profile.birth_date = timezone.localdate() - datetime.timedelta(days=16 * 366)
    profile.save()
    client.force_login(profile.user)

    items = client.get(SUGGESTIONS_URL).context["items"]

    assert [i["mission"].pk for i in items] == [shown.pk]
    assert not {m.pk for m in hidden} & {i["mission"].pk for i in items}


def test_missions_of_an_association_without_the_module_are_not_suggested(client, association):
    association.enabled_modules = ["events"]
    association.save()
    profile = make_profile(skills=["welcome"])
    make_mission(association, skills=["welcome"])
    client.force_login(profile.user)
    assert client.get(SUGGESTIONS_URL).context["items"] == []


def test_a_mission_already_applied_to_is_not_suggested_again(client, association):
    profile = make_profile(skills=["welcome"])
    mission = make_mission(association, skills=["welcome"])
    ApplicationFactory(mission=mission, user=profile.user, email=profile.user.email)
    client.force_login(profile.user)
    assert client.get(SUGGESTIONS_URL).context["items"] == []


def _suggestions_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(SUGGESTIONS_URL)
    assert response.status_code == 200
    return len(queries)


def test_the_suggestions_cost_the_same_number_of_queries_with_n_and_2n_missions(
    client, association, other_association
):
    profile = make_profile(skills=["welcome"], causes=["education"], remote_ok=True)
    client.force_login(profile.user)

    def add(n):
        for i in range(n):
            owner = association if i % 2 else other_association
            make_mission(
                owner,
                skills=["welcome", "tutoring"][: 1 + i % 2],
                cause="education" if i % 3 else "food-aid",
                department="69" if i % 2 else "42",
                is_remote=not i % 4,
            )

    add(5)
    first = _suggestions_queries(client)
    add(5)
    second = _suggestions_queries(client)
    assert len(client.get(SUGGESTIONS_URL).context["items"]) == 10
    assert first == second


def test_only_the_most_recent_candidates_are_scored(client, association, monkeypatch):
    from maillon.volunteering.matching import selectors as matching_selectors

    monkeypatch.setattr(matching_selectors, "CANDIDATE_LIMIT", 3)
    profile = make_profile(skills=["welcome"])
    now = timezone.now()
    missions = [
        make_mission(
            association, skills=["welcome"], published_at=now - datetime.timedelta(hours=i)
        )
        for i in range(5)
    ]
    client.force_login(profile.user)
    items = client.get(SUGGESTIONS_URL).context["items"]
    assert {i["mission"].pk for i in items} == {m.pk for m in missions[:3]}


# --- back-office: volunteers for a mission --------------------------------------------------


@pytest.fixture
def manager(association):
    return member_with_account(association, [Role.STAFF])


def test_only_opted_in_volunteers_are_listed_without_their_email(client, association, manager):
    mission = make_mission(association, skills=["welcome", "tutoring"], time_slots=["weekend"])
    visible = make_profile(
        skills=["welcome"],
        availability=["weekend"],
        about="I love helping.",
        visible=True,
        full_name="Camille Durand",
        email="camille@private.example",
        birth_date=datetime.date(1980, 1, 1),
    )
    make_profile(skills=["welcome", "tutoring"], visible=False, full_name="Hidden Person")
    far = make_profile(skills=["welcome"], postal_code="75001", visible=True, full_name="Far Away")
    client.force_login(manager)

    response = client.get(_matches_url(mission))

    assert response.status_code == 200
    body = response.content.decode()
    rows = response.context["rows"]
    assert [r["volunteer"].profile.pk for r in rows] == [visible.pk]
    assert "Camille D." in body
    assert "Durand" not in body
    assert "camille@private.example" not in body
    assert "1980" not in body
    assert "I love helping." in body
    assert "Hidden" not in body and far.user.full_name not in body
    assert "1 of the 2 skills wanted" in body
    assert "Lives in the mission&#x27;s department" in body


def test_under_age_volunteers_are_not_listed(client, association, manager):
    mission = make_mission(association, skills=["welcome"], minimum_age=18)
    young = make_profile(
        skills=["welcome"],
        visible=True,
        birth_date=timezone.localdate() - datetime.timedelta(days=15 * 365),
    )
    unknown = make_profile(skills=["welcome"], visible=True)
    client.force_login(manager)
    rows = client.get(_matches_url(mission)).context["rows"]
    assert [r["volunteer"].profile.pk for r in rows] == [unknown.pk]
    assert young.pk not in [r["volunteer"].profile.pk for r in rows]


def test_inviting_a_volunteer_emails_them_once(
    client, association, manager, django_capture_on_commit_callbacks
):
    mission = make_mission(association, title="Food bank", skills=["welcome"])
    profile = make_profile(
        skills=["welcome"], visible=True, email="vol@private.example", language="en"
    )
    client.force_login(manager)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_invite_url(mission), {"profile": profile.pk})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vol@private.example"]
    assert "Food bank" in message.body
    assert f"/missions/{mission.pk}/?from=other" in message.body
    with scopes_disabled():
        invitation = MissionInvitation.objects.get()
        entry = AuditEntry.objects.get(action="volunteering.mission_invitation_sent")
    assert invitation.mission == mission and invitation.profile == profile
    assert entry.association == association
    assert "vol@private.example" not in str(entry.data) + entry.object_repr

    page = client.get(_matches_url(mission))
    assert "Invited" in page.content.decode()
    assert page.context["rows"][0]["volunteer"].invited

    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(_invite_url(mission), {"profile": profile.pk}, follow=True)
    assert "already been invited" in again.content.decode()
    assert len(mail.outbox) == 1
    with scopes_disabled():
        assert MissionInvitation.objects.count() == 1


def test_a_volunteer_who_is_not_visible_cannot_be_invited(client, association, manager):
    mission = make_mission(association, skills=["welcome"])
    hidden = make_profile(skills=["welcome"], visible=False)
    client.force_login(manager)
    response = client.post(_invite_url(mission), {"profile": hidden.pk}, follow=True)
    assert "can no longer be invited" in response.content.decode()
    for bad in ("", "abc", "999999"):
        assert client.post(_invite_url(mission), {"profile": bad}).status_code == 302
    assert mail.outbox == []
    with scopes_disabled():
        assert not MissionInvitation.objects.exists()


def test_a_draft_mission_cannot_invite(client, association, manager):
    mission = make_mission(association, skills=["welcome"], status=MissionStatus.DRAFT)
    profile = make_profile(skills=["welcome"], visible=True)
    client.force_login(manager)
    page = client.get(_matches_url(mission))
    assert "Invite to apply" not in page.content.decode()
    client.post(_invite_url(mission), {"profile": profile.pk})
    assert mail.outbox == []


def test_members_without_the_permission_get_403(client, association):
    mission = make_mission(association, skills=["welcome"])
    client.force_login(member_with_account(association, [Role.VOLUNTEER]))
    assert client.get(_matches_url(mission)).status_code == 403
    assert client.post(_invite_url(mission), {"profile": 1}).status_code == 403


def test_another_associations_admin_gets_404(client, association, other_admin):
    mission = make_mission(association, skills=["welcome"])
    profile = make_profile(skills=["welcome"], visible=True)
    client.force_login(other_admin)
    # Their own slug with our mission's id, and our slug.
    own_slug = reverse(
        "volunteering:mission_matches",
        kwargs={"association_slug": "club-voisin", "mission_id": mission.pk},
    )
    assert client.get(own_slug).status_code == 404
    assert client.get(_matches_url(mission)).status_code == 404
    invite_own_slug = reverse(
        "volunteering:mission_invite",
        kwargs={"association_slug": "club-voisin", "mission_id": mission.pk},
    )
    assert client.post(invite_own_slug, {"profile": profile.pk}).status_code == 404
    assert client.post(_invite_url(mission), {"profile": profile.pk}).status_code == 404
    assert mail.outbox == []


def test_the_service_refuses_another_associations_mission(
    association, other_association, admin_user
):
    from django.http import Http404

    from maillon.volunteering.matching.services import mission_invitation_send

    mission = make_mission(other_association, skills=["welcome"])
    profile = make_profile(skills=["welcome"], visible=True)
    with scope(association=association), pytest.raises(Http404):
        mission_invitation_send(
            association=association, actor=admin_user, mission=mission, profile=profile
        )


def test_the_matches_page_costs_the_same_with_n_and_2n_volunteers(client, association, manager):
    mission = make_mission(association, skills=["welcome", "tutoring"], cause="education")

    def add(n):
        for i in range(n):
            make_profile(
                skills=["welcome", "tutoring"][: 1 + i % 2],
                causes=["education"] if i % 2 else [],
                visible=True,
                postal_code="69001" if i % 2 else "42000",
            )

    client.force_login(manager)
    add(4)
    with CaptureQueriesContext(connection) as first:
        client.get(_matches_url(mission))
    add(4)
    with CaptureQueriesContext(connection) as second:
        response = client.get(_matches_url(mission))
    assert len(response.context["rows"]) == 8
    assert len(first) == len(second)
