"""Help requests and helpers as the facts of volunteering's pure matching engine, and
the engine's reasons as sentences for a help request.

A help request is a piece of work with a deadline: ``MissionFacts.deadline`` times it
(see the engine's docstring). Remote or "remote or on site" counts as remote. Only
what the engine compares is read: a volunteer's cause, time slots or age never show.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.volunteering.matching import engine, reasons
from maillon.volunteering.matching.engine import Match, MissionFacts, VolunteerFacts
from maillon.volunteering.matching.selectors import volunteer_facts as profile_facts

from ..models import HelpFormat, HelpRequest, LentEmployee

__all__ = [
    "ASSOCIATION_SIDE",
    "HELPER_SIDE",
    "employee_facts",
    "profile_facts",
    "reason_texts",
    "request_facts",
    "staff_facts",
    "suits",
]

#: Who reads the reasons: the asking association (about a helper) or the helper
#: (a volunteer, a company's coordinator, about a request).
ASSOCIATION_SIDE = "association"
HELPER_SIDE = "helper"


def _place(department) -> tuple[str | None, str | None]:
    if department is None:
        return None, None
    return department.code, department.region.code


def request_facts(help_request: HelpRequest, association: Association) -> MissionFacts:
    """``help_request.skills`` should be prefetched; ``association`` is the asking one,
    its department selected with its region."""
    department, region = _place(association.department)
    return MissionFacts(
        skills=frozenset(s.code for s in help_request.skills.all()),
        department=department,
        region=region,
        is_remote=help_request.format in (HelpFormat.REMOTE, HelpFormat.EITHER),
        deadline=help_request.deadline,
    )


def employee_facts(employee: LentEmployee) -> VolunteerFacts:
    """A lent employee, placed at their company; ``skills`` prefetched."""
    department, region = _place(employee.company.department)
    return VolunteerFacts(
        skills=frozenset(s.code for s in employee.skills.all()),
        department=department,
        region=region,
        remote_ok=employee.remote_ok,
        available_until=employee.available_until,
    )


def staff_facts(territory: Iterable, association: Association) -> VolunteerFacts:
    """The team of a network whose territory is ``territory`` (departments with their
    region): placed in the association's department when the territory covers it, in
    its region when it covers a department of that region. A network's team supports
    its member associations at a distance as a matter of course."""
    department = association.department
    codes = {d.code for d in territory}
    regions = {d.region.code for d in territory}
    if department is not None and department.code in codes:
        return VolunteerFacts(
            department=department.code, region=department.region.code, remote_ok=True
        )
    if department is not None and department.region.code in regions:
        return VolunteerFacts(region=department.region.code, remote_ok=True)
    return VolunteerFacts(remote_ok=True)


def suits(match: Match, facts: MissionFacts) -> bool:
    """The pair is worth suggesting: the engine suggests it, the helper has at least
    one of the skills wanted (when some are), and on-site work is near them."""
    if not match.suggested:
        return False
    if facts.skills and not match.parts.get("skills"):
        return False
    return facts.is_remote or bool(match.parts.get("place"))


def _help_wording(reason: engine.Reason, side: str) -> str | None:
    """The reasons worded for a help request where the engine's texts speak of a
    mission: the place, for the association; a request without deadline, for both."""
    if reason.code == engine.FLEXIBLE_SCHEDULE:
        return _("No deadline")
    if side != ASSOCIATION_SIDE:
        return None
    texts = {
        engine.SAME_DEPARTMENT: lambda: _("In your department"),
        engine.SAME_REGION: lambda: _("In your region"),
        engine.REMOTE: lambda: _("Remote help possible"),
        engine.REMOTE_POSSIBLE: lambda: _(
            "Remote help possible (did not say they can help remotely)"
        ),
        engine.TOO_FAR: lambda: _("Far from you"),
    }
    text = texts.get(reason.code)
    return text() if text is not None else None


def reason_texts(match: Match, *, side: str) -> list[str]:
    """The match's reasons in the active language, for ``side``."""
    texts = []
    for reason in match.reasons:
        text = _help_wording(reason, side)
        if text is None:
            audience = reasons.ASSOCIATION if side == ASSOCIATION_SIDE else reasons.VOLUNTEER
            text = reasons.reason_text(reason, audience=audience)
        texts.append(text)
    return texts
