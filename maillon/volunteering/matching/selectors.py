"""Reads of matching: the facts the pure engine
(:mod:`maillon.volunteering.matching.engine`) compares, the missions suggested to a volunteer
and the volunteers suggested for a mission.

Both lists are pre-filtered in SQL (place, dates, age, opt-ins), cut to a bounded set
of the most recent candidates (CANDIDATE_LIMIT), then scored in Python: the cost of a
page stays the same whatever the size of the network.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.taxonomy.models import Skill

from ..missions.search import public_missions
from ..models import (
    ACTIVE_APPLICATION_STATUSES,
    Application,
    Audience,
    Mission,
    MissionInvitation,
    MissionStatus,
    VolunteerProfile,
)
from ..profiles.selectors import profiles_with_facts
from . import engine
from .engine import Match, MissionFacts, VolunteerFacts

if TYPE_CHECKING:
    from maillon.accounts.models import User

# Candidates scored in Python for one page or one alert, most recent first.
CANDIDATE_LIMIT = 500
SUGGESTIONS_SHOWN = 30
MATCHES_SHOWN = 50


# --- facts the engine compares ------------------------------------------------------------


def volunteer_facts(profile: VolunteerProfile, *, today: datetime.date) -> VolunteerFacts:
    department = profile.department
    return VolunteerFacts(
        skills=frozenset(s.code for s in profile.skills.all()),
        causes=frozenset(c.code for c in profile.causes.all()),
        availability=frozenset(profile.availability or ()),
        department=department.code if department else None,
        region=department.region.code if department else None,
        remote_ok=profile.remote_ok,
        age=engine.age_on(profile.birth_date, today),
    )


def mission_facts(mission: Mission) -> MissionFacts:
    department = mission.department
    return MissionFacts(
        skills=frozenset(s.code for s in mission.skills.all()),
        cause=mission.cause.code if mission.cause else None,
        time_slots=frozenset(mission.time_slots or ()),
        department=department.code if department else None,
        region=department.region.code if department else None,
        is_remote=mission.is_remote,
        minimum_age=mission.minimum_age,
        start_date=mission.start_date,
        end_date=mission.end_date,
    )


def display_name(user: User) -> str:
    """First name and the initial of the last name: what an association sees of a
    volunteer who made their profile visible (never the email address)."""
    words = (user.full_name or "").split()
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return f"{words[0]} {words[-1][0].upper()}."


# --- missions for a volunteer ---------------------------------------------------------------


def mission_public_url(mission: Mission, *, source: str) -> str:
    """The public page of ``mission``, marked with where the visitor comes from."""
    try:
        path = reverse("missions:detail", kwargs={"mission_id": mission.pk})
    except NoReverseMatch:  # the public pages are not mounted (a trimmed URL conf)
        path = f"/missions/{mission.pk}/"
    return f"{path}?from={source}"


def _not_over(today: datetime.date) -> Q:
    return Q(end_date__gte=today) | Q(end_date__isnull=True) & (
        Q(start_date__isnull=True) | Q(start_date__gte=today)
    )


def _old_enough(age: int | None) -> Q:
    if age is None:
        return Q()
    return Q(minimum_age__isnull=True) | Q(minimum_age__lte=age)


def public_candidate_missions(
    facts: VolunteerFacts,
    profile: VolunteerProfile,
    *,
    today: datetime.date,
    published_after: datetime.datetime | None = None,
    published_until: datetime.datetime | None = None,
) -> list[Mission]:
    """Published public missions near the volunteer (same region, which covers the
    department) or remote, not over, open to their age, that they have not applied to:
    the CANDIDATE_LIMIT most recent. Runs without a scope (missions of the whole
    network), with a constant number of queries."""
    place = Q(is_remote=True)
    if profile.department is not None:
        place |= Q(department__region_id=profile.department.region_id)
    with scopes_disabled():
        applied = Application.objects.filter(
            mission=OuterRef("pk"), user=profile.user_id, status__in=ACTIVE_APPLICATION_STATUSES
        )
        qs = (
            public_missions()
            .select_related("department__region")
            .filter(place, _not_over(today), _old_enough(facts.age))
            .filter(~Exists(applied))
        )
        if published_after is not None:
            qs = qs.filter(published_at__gt=published_after)
        if published_until is not None:
            qs = qs.filter(published_at__lte=published_until)
        return list(qs.order_by("-published_at", "-id")[:CANDIDATE_LIMIT])


@dataclass(frozen=True)
class SuggestedMission:
    mission: Mission
    match: Match

    @property
    def url(self) -> str:
        return mission_public_url(self.mission, source="search")


def _timestamp(moment: datetime.datetime | None) -> float:
    return moment.timestamp() if moment else 0.0


def rank_missions(
    profile: VolunteerProfile, missions: list[Mission], *, today: datetime.date
) -> list[SuggestedMission]:
    facts = volunteer_facts(profile, today=today)
    ranked = []
    for mission in missions:
        match = engine.score(facts, mission_facts(mission), today=today)
        if match.suggested:
            ranked.append(SuggestedMission(mission, match))
    # Best score first; between equals, the most recent.
    ranked.sort(key=lambda s: (-s.match.score, -_timestamp(s.mission.published_at), -s.mission.pk))
    return ranked


def missions_for_volunteer(
    profile: VolunteerProfile, *, limit: int = SUGGESTIONS_SHOWN
) -> list[SuggestedMission]:
    """The missions suggested to the volunteer, best first, with their reasons."""
    today = timezone.localdate()
    facts = volunteer_facts(profile, today=today)
    return rank_missions(
        profile, public_candidate_missions(facts, profile, today=today), today=today
    )[:limit]


# --- volunteers for a mission (back-office) -------------------------------------------------


@dataclass(frozen=True)
class SuggestedVolunteer:
    profile: VolunteerProfile
    match: Match
    invited: bool
    applied: bool

    @property
    def name(self) -> str:
        return display_name(self.profile.user)


def _born_on_or_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def volunteers_for_mission(
    *, association: Association, mission: Mission, limit: int = MATCHES_SHOWN
) -> list[SuggestedVolunteer]:
    """Volunteers who let associations find their profile, ranked for ``mission``:
    near it (same region) or able to help remotely when it is remote, old enough
    (or age not given). Runs inside the association's scope."""
    today = timezone.localdate()
    facts = mission_facts(mission)
    qs = profiles_with_facts().filter(visible_to_associations=True, user__is_active=True)
    if mission.department is not None:
        place = Q(department__region_id=mission.department.region_id)
        if mission.is_remote:
            place |= Q(remote_ok=True)
        qs = qs.filter(place)
    elif mission.is_remote:
        qs = qs.filter(remote_ok=True)
    if mission.minimum_age:
        latest_birth = _born_on_or_before(today, mission.minimum_age)
        qs = qs.filter(Q(birth_date__isnull=True) | Q(birth_date__lte=latest_birth))
    profiles = list(qs.order_by("-updated_at", "-id")[:CANDIDATE_LIMIT])

    ids = [p.pk for p in profiles]
    invited = set(
        MissionInvitation.objects.filter(mission=mission, profile__in=ids).values_list(
            "profile_id", flat=True
        )
    )
    applied_users = set(
        Application.objects.filter(
            mission=mission, user__in=[p.user_id for p in profiles]
        ).values_list("user_id", flat=True)
    )
    ranked = []
    for profile in profiles:
        match = engine.score(volunteer_facts(profile, today=today), facts, today=today)
        if not match.blocked:
            ranked.append(
                SuggestedVolunteer(
                    profile=profile,
                    match=match,
                    invited=profile.pk in invited,
                    applied=profile.user_id in applied_users,
                )
            )
    ranked.sort(key=lambda s: (-s.match.score, -s.profile.updated_at.timestamp(), -s.profile.pk))
    return ranked[:limit]


def invitable_profile(*, profile_id) -> VolunteerProfile | None:
    """A profile an association may invite: visible, of an active account."""
    try:
        profile_id = int(profile_id)
    except (TypeError, ValueError):
        return None
    return (
        VolunteerProfile.objects.select_related("user", "department__region")
        .filter(pk=profile_id, visible_to_associations=True, user__is_active=True)
        .first()
    )


def mission_is_invitable(mission: Mission) -> bool:
    return mission.status == MissionStatus.PUBLISHED and mission.audience == Audience.PUBLIC


def mission_for_matching(*, association: Association, mission_id: int) -> Mission:
    """A mission of ``association`` with what matching reads, or 404."""
    mission = (
        Mission.objects.filter(association=association, pk=mission_id)
        .select_related("association", "department__region", "cause")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("position", "code")))
        .first()
    )
    if mission is None:
        raise Http404
    return mission
