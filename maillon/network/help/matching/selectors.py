"""Reads of matching: the helpers suggested for a help request (the asking
association's side), the open requests that suit a company's employees and those that
suit a skills volunteer (the helpers' side).

Candidates are pre-filtered in SQL (opt-ins, availability, at least one skill wanted,
place for on-site work), cut to a bounded set (CANDIDATE_LIMIT), then scored in Python
by the pure engine: the number of queries of a page does not grow with the rows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.network.models import NetworkRole
from maillon.network.selectors import networks_of
from maillon.taxonomy.models import Department, Skill
from maillon.volunteering.matching.engine import Match, MissionFacts, score
from maillon.volunteering.matching.selectors import display_name
from maillon.volunteering.models import VolunteerProfile
from maillon.volunteering.profiles.selectors import profiles_with_facts

from ..models import (
    Company,
    EngagementKind,
    HelpAudience,
    HelpRequest,
    LentEmployee,
)
from ..selectors import public_open_help_requests
from . import adapter

CANDIDATE_LIMIT = 500
HELPERS_SHOWN = 30
REQUESTS_SHOWN = 30
REQUESTS_PER_EMPLOYEE = 10
ABOUT_SHOWN = 300

# The order of the kinds between equal scores, and of the sections.
KIND_ORDER: dict[str, int] = {
    EngagementKind.VOLUNTEER: 0,
    EngagementKind.COMPANY: 1,
    EngagementKind.NETWORK: 2,
}
AUDIENCE_OF_KIND: dict[str, str] = {
    EngagementKind.VOLUNTEER: HelpAudience.VOLUNTEERS,
    EngagementKind.COMPANY: HelpAudience.COMPANIES,
    EngagementKind.NETWORK: HelpAudience.NETWORKS,
}


def _ordered_skills() -> Prefetch:
    return Prefetch("skills", queryset=Skill.objects.order_by("position", "code"))


# --- helpers for a request (the association's side) ------------------------------------


@dataclass(frozen=True)
class SuggestedHelper:
    """One helper as the asking association sees it: only what the helper (or their
    company, or their network) agreed to show."""

    kind: str  # an EngagementKind value
    helper_id: int  # the volunteer profile, lent employee or network role
    name: str
    detail: str  # where they are, their job and company, their role in the network
    match: Match
    reasons: tuple[str, ...]
    skills: tuple[Skill, ...] = ()  # the skills wanted that they have
    about: str = ""
    company: Company | None = None
    network_slug: str = ""

    @property
    def score(self) -> int:
        return self.match.score

    @property
    def kind_label(self) -> str:
        return str(EngagementKind(self.kind).label)


def _with_any_skill(through, owner_field: str, skill_ids: set[int]) -> Exists:
    return Exists(through.objects.filter(**{owner_field: OuterRef("pk")}, skill_id__in=skill_ids))


def _near(association: Association, facts: MissionFacts, *, department_path: str, remote_q: Q):
    """Where a helper must be for the request: in the association's region, or able to
    help remotely when the request may be done remotely."""
    department = association.department
    if department is not None:
        place = Q(**{f"{department_path}__region_id": department.region_id})
        if facts.is_remote:
            place |= remote_q
        return place
    return remote_q if facts.is_remote else Q()


def _wanted(help_request: HelpRequest, skills) -> tuple[Skill, ...]:
    wanted = {s.pk for s in help_request.skills.all()}
    return tuple(s for s in skills if s.pk in wanted)


def _volunteers(
    association: Association, help_request: HelpRequest, facts: MissionFacts, today
) -> list[SuggestedHelper]:
    """Skills volunteers who let associations find their profile (the opt-in of
    their volunteer profile), of an active account."""
    skill_ids = {s.pk for s in help_request.skills.all()}
    qs = profiles_with_facts().filter(visible_to_associations=True, user__is_active=True)
    if skill_ids:
        qs = qs.filter(
            _with_any_skill(VolunteerProfile.skills.through, "volunteerprofile_id", skill_ids)
        )
    qs = qs.filter(
        _near(association, facts, department_path="department", remote_q=Q(remote_ok=True))
    )
    found = []
    for profile in qs.order_by("-updated_at", "-id")[:CANDIDATE_LIMIT]:
        match = score(adapter.profile_facts(profile, today=today), facts, today=today)
        if not adapter.suits(match, facts):
            continue
        department = profile.department
        found.append(
            SuggestedHelper(
                kind=EngagementKind.VOLUNTEER,
                helper_id=profile.pk,
                name=display_name(profile.user) or _("A volunteer"),
                detail=f"{department.name} ({department.code})" if department else "",
                match=match,
                reasons=tuple(adapter.reason_texts(match, side=adapter.ASSOCIATION_SIDE)),
                skills=_wanted(help_request, profile.skills.all()),
                about=_shortened(profile.about),
            )
        )
    return found


def _shortened(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= ABOUT_SHOWN else text[: ABOUT_SHOWN - 1].rstrip() + "…"


def _available_employees(today) -> Q:
    return Q(is_active=True) & (Q(available_until__isnull=True) | Q(available_until__gte=today))


def _employees_qs():
    return LentEmployee.objects.select_related("company__department__region").prefetch_related(
        _ordered_skills()
    )


def _employees(
    association: Association, help_request: HelpRequest, facts: MissionFacts, today
) -> list[SuggestedHelper]:
    """Employees lent at present by companies, still available today."""
    skill_ids = {s.pk for s in help_request.skills.all()}
    qs = _employees_qs().filter(_available_employees(today))
    if skill_ids:
        qs = qs.filter(_with_any_skill(LentEmployee.skills.through, "lentemployee_id", skill_ids))
    qs = qs.filter(
        _near(
            association,
            facts,
            department_path="company__department",
            remote_q=Q(remote_ok=True),
        )
    )
    found = []
    for employee in qs.order_by("-updated_at", "-id")[:CANDIDATE_LIMIT]:
        match = score(adapter.employee_facts(employee), facts, today=today)
        if not adapter.suits(match, facts):
            continue
        job = employee.job_title
        found.append(
            SuggestedHelper(
                kind=EngagementKind.COMPANY,
                helper_id=employee.pk,
                name=_first_name_and_initial(employee.full_name),
                detail=f"{job} · {employee.company.name}" if job else employee.company.name,
                match=match,
                reasons=tuple(adapter.reason_texts(match, side=adapter.ASSOCIATION_SIDE)),
                skills=_wanted(help_request, employee.skills.all()),
                company=employee.company,
            )
        )
    return found


def _first_name_and_initial(full_name: str) -> str:
    # The employee did not write their card themselves: as for volunteers, the
    # association sees a first name and an initial until an engagement begins.
    words = full_name.split()
    if len(words) < 2:
        return full_name.strip()
    return f"{words[0]} {words[-1][0].upper()}."


def _network_staff(
    association: Association, help_request: HelpRequest, facts: MissionFacts, today
) -> list[SuggestedHelper]:
    """The teams of the association's active networks."""
    networks = networks_of(association)
    if not networks:
        return []
    roles = (
        NetworkRole.objects.filter(network__in=networks, user__is_active=True)
        .select_related("user", "network")
        .prefetch_related(
            Prefetch("network__departments", queryset=Department.objects.select_related("region"))
        )
        .order_by("network__name", "role", "id")[:CANDIDATE_LIMIT]
    )
    found = []
    for role in roles:
        network = role.network
        match = score(
            adapter.staff_facts(network.departments.all(), association), facts, today=today
        )
        if match.blocked:
            continue
        team = _("%(role)s · %(network)s") % {
            "role": role.get_role_display(),
            "network": network.name,
        }
        found.append(
            SuggestedHelper(
                kind=EngagementKind.NETWORK,
                helper_id=role.pk,
                name=display_name(role.user) or role.get_role_display(),
                detail=team,
                match=match,
                reasons=(
                    _("In the team of your network %(network)s") % {"network": network.name},
                    *adapter.reason_texts(match, side=adapter.ASSOCIATION_SIDE),
                ),
                network_slug=network.slug,
            )
        )
    return found


@dataclass(frozen=True)
class HelperSuggestions:
    help_request: HelpRequest
    helpers: list[SuggestedHelper] = field(default_factory=list)
    # The kinds of helper the request was asked of (EngagementKind values).
    kinds: tuple[str, ...] = ()

    def of_kind(self, kind: str) -> list[SuggestedHelper]:
        return [h for h in self.helpers if h.kind == kind]


def helpers_for_request(
    *, association: Association, help_request: HelpRequest, limit: int = HELPERS_SHOWN
) -> HelperSuggestions:
    """The helpers suggested for ``association``'s ``help_request``, best first, of the
    kinds the request was asked of only. ``help_request.skills`` prefetched (as
    ``help_request_get`` does). A closed request suggests nobody."""
    audiences = set(help_request.audiences or [])
    kinds = tuple(k for k in KIND_ORDER if AUDIENCE_OF_KIND[k] in audiences)
    if help_request.status != "open":
        return HelperSuggestions(help_request=help_request, kinds=kinds)
    today = timezone.localdate()
    facts = adapter.request_facts(help_request, association)
    readers: dict[str, Any] = {
        EngagementKind.VOLUNTEER: _volunteers,
        EngagementKind.COMPANY: _employees,
        EngagementKind.NETWORK: _network_staff,
    }
    helpers = [h for kind in kinds for h in readers[kind](association, help_request, facts, today)]
    helpers.sort(key=lambda h: (-h.score, KIND_ORDER[h.kind], h.name, h.helper_id))
    return HelperSuggestions(help_request=help_request, helpers=helpers[:limit], kinds=kinds)


# --- requests for helpers (the helpers' side) -------------------------------------------


@dataclass(frozen=True)
class SuitingRequest:
    help_request: HelpRequest
    match: Match
    reasons: tuple[str, ...]
    skills: tuple[Skill, ...] = ()  # the skills wanted that the helper has

    @property
    def score(self) -> int:
        return self.match.score


def _rank(found: list[SuitingRequest], limit: int) -> list[SuitingRequest]:
    # Best first; between equals, the nearest deadline.
    found.sort(
        key=lambda s: (-s.score, s.help_request.deadline or datetime.date.max, s.help_request.pk)
    )
    return found[:limit]


def _suiting(helper_facts, help_requests: list[HelpRequest], skills, today) -> list[SuitingRequest]:
    found = []
    for help_request in help_requests:
        facts = adapter.request_facts(help_request, help_request.association)
        match = score(helper_facts, facts, today=today)
        if adapter.suits(match, facts):
            found.append(
                SuitingRequest(
                    help_request=help_request,
                    match=match,
                    reasons=tuple(adapter.reason_texts(match, side=adapter.HELPER_SIDE)),
                    skills=_wanted(help_request, skills),
                )
            )
    return found


@dataclass(frozen=True)
class EmployeeRequests:
    employee: LentEmployee
    requests: list[SuitingRequest]


def requests_for_company(
    *, company: Company, limit: int = REQUESTS_PER_EMPLOYEE
) -> list[EmployeeRequests]:
    """For each employee the company lends at present (and still available), the open
    requests asked of companies that suit them, best first, with the reasons."""
    today = timezone.localdate()
    employees = list(
        _employees_qs()
        .filter(_available_employees(today), company=company)
        .order_by("full_name", "id")
    )
    if not employees:
        return []
    open_requests = public_open_help_requests(audience=HelpAudience.COMPANIES)
    return [
        EmployeeRequests(
            employee=employee,
            requests=_rank(
                _suiting(
                    adapter.employee_facts(employee), open_requests, employee.skills.all(), today
                ),
                limit,
            ),
        )
        for employee in employees
    ]


def requests_for_volunteer(
    *, profile: VolunteerProfile, limit: int = REQUESTS_SHOWN
) -> list[SuitingRequest]:
    """The open requests asked of skills volunteers that suit ``profile`` (the
    signed-in person's own, ``profiles_with_facts``), best first."""
    today = timezone.localdate()
    open_requests = public_open_help_requests(audience=HelpAudience.VOLUNTEERS)
    return _rank(
        _suiting(
            adapter.profile_facts(profile, today=today),
            open_requests,
            profile.skills.all(),
            today,
        ),
        limit,
    )
