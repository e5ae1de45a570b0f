"""Matching volunteers and missions: a pure engine (no database, no Django model).

:func:`score` compares what a volunteer told us (:class:`VolunteerFacts`) with what a
mission asks (:class:`MissionFacts`) and returns a :class:`Match`: a score from 0 to 100
and the structured reasons behind it. ``reasons.reason_text`` (next to this module)
turns a reason into a sentence in the active language; the engine itself never
translates.

Weights (they add up to 100)
----------------------------

========  ======  =====================================================================
part      points  how they are earned
========  ======  =====================================================================
skills    40      40 × (skills wanted that the volunteer has) / (skills wanted);
                  a mission that wants no particular skill gives half (20).
place     30      the best of: same department 30; remote mission and the volunteer
                  can help remotely 30; same region 20; remote mission although the
                  volunteer did not say they can help remotely 10; otherwise 0 (another
                  region and not remote).
time      15      a flexible mission (no time slot) 15; otherwise
                  15 × (mission's time slots the volunteer is available for) /
                  (mission's time slots). A volunteer who gave no availability earns
                  nothing here except on flexible missions.
cause     15      the mission's cause is one the volunteer cares about.
========  ======  =====================================================================

A piece of work with a **deadline** (``MissionFacts.deadline``: a help request of the
network module) is timed by the deadline instead of time slots: a helper available
until the deadline or with no end to their availability
(``VolunteerFacts.available_until``) earns the 15 time points; one whose availability
ends before it earns 15 × (days available) / (days left until the deadline); one
whose availability has already ended is blocked. Without a deadline nothing changes.

The total is rounded to an integer. Blocking rules set the score to 0 and the match
is never suggested: the volunteer is younger than the mission's minimum age (an
unknown age does not block: the date of birth is optional; the minimum age is then
shown as a reason), or the mission is over. Every part only grows when the volunteer
and the mission share more (one more matching skill, one more common time slot...),
so the score does too; the property tests check it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

SKILLS_WEIGHT = 40
PLACE_WEIGHT = 30
TIME_WEIGHT = 15
CAUSE_WEIGHT = 15

# Share of the skills weight for a mission that wants no particular skill.
NO_SKILL_NEEDED_SHARE = 0.5
# Place points, as shares of the place weight.
SAME_DEPARTMENT_SHARE = 1.0
REMOTE_SHARE = 1.0
SAME_REGION_SHARE = 2 / 3
REMOTE_NOT_ASKED_SHARE = 1 / 3


@dataclass(frozen=True)
class VolunteerFacts:
    skills: frozenset[str] = frozenset()
    causes: frozenset[str] = frozenset()
    availability: frozenset[str] = frozenset()  # TimeSlot codes
    department: str | None = None  # department code, e.g. "69"
    region: str | None = None  # region INSEE code, e.g. "84"
    remote_ok: bool = False
    age: int | None = None  # None: not given
    # Last day the helper can give time (a lent employee); None: no end given.
    available_until: datetime.date | None = None


@dataclass(frozen=True)
class MissionFacts:
    skills: frozenset[str] = frozenset()
    cause: str | None = None
    time_slots: frozenset[str] = frozenset()  # TimeSlot codes; empty: flexible
    department: str | None = None
    region: str | None = None
    is_remote: bool = False
    minimum_age: int | None = None
    start_date: datetime.date | None = None
    end_date: datetime.date | None = None
    # Work to deliver by this day (a help request); None: timed by ``time_slots``.
    deadline: datetime.date | None = None


# Reason codes. A reason is "positive" (it earned points), "info" (worth knowing, no
# points) or "blocking" (the mission is not suggested).
SKILLS = "skills"  # params: matched, wanted
NO_SKILL_NEEDED = "no_skill_needed"
SAME_DEPARTMENT = "same_department"
SAME_REGION = "same_region"
REMOTE = "remote"
REMOTE_POSSIBLE = "remote_possible"  # remote mission, the volunteer did not ask for remote
AVAILABLE = "available"  # params: slots (the common time slots)
FLEXIBLE_SCHEDULE = "flexible_schedule"
CAUSE = "cause"  # params: cause
MINIMUM_AGE = "minimum_age"  # info, age unknown; params: age
TOO_FAR = "too_far"  # info: place earns nothing
UNDER_MINIMUM_AGE = "under_minimum_age"  # blocking; params: age
MISSION_OVER = "mission_over"  # blocking
# Work with a deadline (see the module docstring).
AVAILABLE_BEFORE_DEADLINE = "available_before_deadline"
AVAILABLE_UNTIL = "available_until"  # params: until (a date before the deadline)
NO_LONGER_AVAILABLE = "no_longer_available"  # blocking

BLOCKING = frozenset({UNDER_MINIMUM_AGE, MISSION_OVER, NO_LONGER_AVAILABLE})
INFO = frozenset({MINIMUM_AGE, TOO_FAR})


@dataclass(frozen=True)
class Reason:
    code: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def kwargs(self) -> dict[str, object]:
        return dict(self.params)

    @property
    def is_blocking(self) -> bool:
        return self.code in BLOCKING


@dataclass(frozen=True)
class Match:
    score: int
    # Points of each part before rounding: {"skills": 30.0, "place": 30.0, ...}.
    parts: Mapping[str, float] = field(default_factory=dict)
    reasons: tuple[Reason, ...] = ()

    @property
    def blocked(self) -> bool:
        return any(r.is_blocking for r in self.reasons)

    @property
    def suggested(self) -> bool:
        return not self.blocked and self.score > 0


def is_over(mission: MissionFacts, today: datetime.date) -> bool:
    """A mission is over once its last day (or its only date) has passed."""
    last_day = mission.end_date or mission.start_date or mission.deadline
    return last_day is not None and last_day < today


def _skills(volunteer: VolunteerFacts, mission: MissionFacts) -> tuple[float, list[Reason]]:
    if not mission.skills:
        return SKILLS_WEIGHT * NO_SKILL_NEEDED_SHARE, [Reason(NO_SKILL_NEEDED)]
    matched = len(mission.skills & volunteer.skills)
    wanted = len(mission.skills)
    if not matched:
        return 0.0, []
    reason = Reason(SKILLS, (("matched", matched), ("wanted", wanted)))
    return SKILLS_WEIGHT * matched / wanted, [reason]


def _place(volunteer: VolunteerFacts, mission: MissionFacts) -> tuple[float, list[Reason]]:
    options: list[tuple[float, str]] = []
    if mission.department and mission.department == volunteer.department:
        options.append((SAME_DEPARTMENT_SHARE, SAME_DEPARTMENT))
    if mission.is_remote and volunteer.remote_ok:
        options.append((REMOTE_SHARE, REMOTE))
    if mission.region and mission.region == volunteer.region:
        options.append((SAME_REGION_SHARE, SAME_REGION))
    if mission.is_remote:
        options.append((REMOTE_NOT_ASKED_SHARE, REMOTE_POSSIBLE))
    if not options:
        return 0.0, [Reason(TOO_FAR)]
    # The first of the best options: same department before remote, in that order.
    share, code = max(options, key=lambda option: option[0])
    return PLACE_WEIGHT * share, [Reason(code)]


def _by_deadline(
    volunteer: VolunteerFacts, deadline: datetime.date, today: datetime.date
) -> tuple[float, list[Reason]]:
    until = volunteer.available_until
    if until is None or until >= deadline:
        return float(TIME_WEIGHT), [Reason(AVAILABLE_BEFORE_DEADLINE)]
    # Days counted inclusively: available today only is one day out of the days left.
    days_left = (deadline - today).days + 1
    days_available = (until - today).days + 1
    if days_left <= 0 or days_available <= 0:  # over, or no longer available: blocked
        return 0.0, []
    reason = Reason(AVAILABLE_UNTIL, (("until", until),))
    return TIME_WEIGHT * days_available / days_left, [reason]


def _time(
    volunteer: VolunteerFacts, mission: MissionFacts, today: datetime.date
) -> tuple[float, list[Reason]]:
    if mission.deadline is not None:
        return _by_deadline(volunteer, mission.deadline, today)
    if not mission.time_slots:
        return float(TIME_WEIGHT), [Reason(FLEXIBLE_SCHEDULE)]
    common = mission.time_slots & volunteer.availability
    if not common:
        return 0.0, []
    reason = Reason(AVAILABLE, (("slots", tuple(sorted(common))),))
    return TIME_WEIGHT * len(common) / len(mission.time_slots), [reason]


def _cause(volunteer: VolunteerFacts, mission: MissionFacts) -> tuple[float, list[Reason]]:
    if mission.cause and mission.cause in volunteer.causes:
        return float(CAUSE_WEIGHT), [Reason(CAUSE, (("cause", mission.cause),))]
    return 0.0, []


def score(volunteer: VolunteerFacts, mission: MissionFacts, *, today: datetime.date) -> Match:
    """How well ``mission`` suits ``volunteer`` on ``today`` (see the module docstring)."""
    blocking: list[Reason] = []
    info: list[Reason] = []
    if mission.minimum_age is not None and mission.minimum_age > 0:
        if volunteer.age is None:
            info.append(Reason(MINIMUM_AGE, (("age", mission.minimum_age),)))
        elif volunteer.age < mission.minimum_age:
            blocking.append(Reason(UNDER_MINIMUM_AGE, (("age", mission.minimum_age),)))
    if is_over(mission, today):
        blocking.append(Reason(MISSION_OVER))
    if volunteer.available_until is not None and volunteer.available_until < today:
        blocking.append(Reason(NO_LONGER_AVAILABLE))

    parts: dict[str, float] = {}
    positive: list[tuple[float, Reason]] = []
    for name, part in (
        ("skills", _skills),
        ("place", _place),
        ("time", lambda v, m: _time(v, m, today)),
        ("cause", _cause),
    ):
        points, reasons = part(volunteer, mission)
        parts[name] = points
        for reason in reasons:
            if reason.code in INFO:
                info.append(reason)
            else:
                positive.append((points, reason))

    if blocking:
        return Match(score=0, parts=parts, reasons=tuple(blocking + info))
    total = round(sum(parts.values()))
    # The reasons that weigh most come first (a stable sort keeps the parts' order).
    ordered = [reason for _points, reason in sorted(positive, key=lambda p: -p[0])]
    return Match(score=max(0, min(100, total)), parts=parts, reasons=tuple(ordered + info))


def age_on(birth_date: datetime.date | None, today: datetime.date) -> int | None:
    """Age in whole years on ``today`` (None when the date of birth is not known)."""
    if birth_date is None:
        return None
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
