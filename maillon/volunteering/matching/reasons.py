"""The reasons of a match as sentences in the active language (the engine itself,
:mod:`maillon.volunteering.matching.engine`, never translates)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, ngettext_lazy

from ..models import TimeSlot
from .engine import (
    AVAILABLE,
    AVAILABLE_BEFORE_DEADLINE,
    AVAILABLE_UNTIL,
    CAUSE,
    FLEXIBLE_SCHEDULE,
    MINIMUM_AGE,
    MISSION_OVER,
    NO_LONGER_AVAILABLE,
    NO_SKILL_NEEDED,
    REMOTE,
    REMOTE_POSSIBLE,
    SAME_DEPARTMENT,
    SAME_REGION,
    SKILLS,
    TOO_FAR,
    UNDER_MINIMUM_AGE,
    Reason,
)

VOLUNTEER = "volunteer"
ASSOCIATION = "association"


# The age texts agree with the age in French ("18 ans", "1 an"); the count is "age".
AGE_OPEN_TO = ngettext_lazy(
    "Open to volunteers aged %(age)s or more", "Open to volunteers aged %(age)s or more", "age"
)
AGE_NOT_GIVEN = ngettext_lazy(
    "Age not given (the mission is open from age %(age)s)",
    "Age not given (the mission is open from age %(age)s)",
    "age",
)


def reason_text(
    reason: Reason,
    *,
    audience: str = VOLUNTEER,
    labels: Mapping[str, str] | None = None,
    slot_labels: Mapping[str, str] | None = None,
) -> str:
    """The reason as a short sentence in the active language, addressed to the
    volunteer (``audience=VOLUNTEER``) or to the association looking for volunteers
    (``ASSOCIATION``: it speaks of the volunteer and shows nothing of their profile
    beyond what matches the mission). ``labels`` names causes by code; ``slot_labels``
    names time slots (default: the TimeSlot labels)."""
    labels = labels or {}
    if slot_labels is None:
        slot_labels = {value: str(label) for value, label in TimeSlot.choices}
    params: dict[str, Any] = reason.kwargs

    def skills() -> str:
        return (
            ngettext(
                "%(matched)s of the %(wanted)s skill wanted",
                "%(matched)s of the %(wanted)s skills wanted",
                params["wanted"],
            )
            % params
        )

    def slots() -> str:
        return " · ".join(str(slot_labels.get(s, s)) for s in params["slots"])

    def cause() -> str:
        return str(labels.get(params["cause"], params["cause"]))

    def until() -> str:
        return formats.date_format(params["until"], "SHORT_DATE_FORMAT")

    common: dict[str, Callable[[], str]] = {
        SKILLS: skills,
        NO_SKILL_NEEDED: lambda: _("No particular skill needed"),
        FLEXIBLE_SCHEDULE: lambda: _("Flexible schedule"),
        MISSION_OVER: lambda: _("This mission is over"),
        AVAILABLE_BEFORE_DEADLINE: lambda: _("Available before the deadline"),
        AVAILABLE_UNTIL: lambda: (
            _("Available until %(day)s, before the deadline") % {"day": until()}
        ),
        NO_LONGER_AVAILABLE: lambda: _("No longer available"),
    }
    for_volunteer: dict[str, Callable[[], str]] = {
        SAME_DEPARTMENT: lambda: _("In your department"),
        SAME_REGION: lambda: _("In your region"),
        REMOTE: lambda: _("Can be done remotely"),
        REMOTE_POSSIBLE: lambda: _("Can be done remotely (you did not say you can help remotely)"),
        AVAILABLE: lambda: _("You are available: %(slots)s") % {"slots": slots()},
        CAUSE: lambda: _("A cause you care about: %(cause)s") % {"cause": cause()},
        MINIMUM_AGE: lambda: (
            ngettext("From %(age)s year old", "From %(age)s years old", params["age"]) % params
        ),
        TOO_FAR: lambda: _("Far from you and not remote"),
        UNDER_MINIMUM_AGE: lambda: str(AGE_OPEN_TO % params),
    }
    for_association: dict[str, Callable[[], str]] = {
        SAME_DEPARTMENT: lambda: _("Lives in the mission's department"),
        SAME_REGION: lambda: _("Lives in the mission's region"),
        REMOTE: lambda: _("Can help remotely"),
        REMOTE_POSSIBLE: lambda: _(
            "Remote mission (the volunteer did not say they can help remotely)"
        ),
        AVAILABLE: lambda: _("Available: %(slots)s") % {"slots": slots()},
        CAUSE: lambda: _("Cares about the mission's cause"),
        MINIMUM_AGE: lambda: str(AGE_NOT_GIVEN % params),
        TOO_FAR: lambda: _("Far from the mission"),
        UNDER_MINIMUM_AGE: lambda: _("Younger than the mission's minimum age"),
    }
    texts = {**common, **(for_association if audience == ASSOCIATION else for_volunteer)}
    text = texts.get(reason.code)
    return text() if text is not None else reason.code
