"""Reads of the company space, and the matching of lent employees with help
requests through the pure engine of volunteering (``matching.engine.score``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.volunteering.matching.engine import MissionFacts, VolunteerFacts, score
from maillon.volunteering.matching.reasons import ASSOCIATION, reason_text

from ..models import Company, CompanyCoordinator, HelpFormat, HelpRequest, LentEmployee
from ..selectors import public_open_help_requests


def company_by_slug(slug: str) -> Company | None:
    return Company.objects.filter(slug=slug).select_related("department__region").first()


def is_company_coordinator(*, company: Company, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return CompanyCoordinator.objects.filter(company=company, user=user).exists()


def my_companies(*, user) -> list[Company]:
    return list(Company.objects.filter(coordinators__user=user).order_by("name"))


def company_employees(*, company: Company) -> list[LentEmployee]:
    return list(
        LentEmployee.objects.filter(company=company)
        .prefetch_related("skills")
        .order_by("full_name")
    )


def employee_get(*, company: Company, employee_id: int) -> LentEmployee:
    found = LentEmployee.objects.filter(company=company, pk=employee_id).first()
    if found is None:
        raise Http404
    return found


def _request_facts(help_request: HelpRequest) -> MissionFacts:
    department = help_request.association.department
    return MissionFacts(
        skills=frozenset(s.code for s in help_request.skills.all()),
        department=department.code if department else None,
        region=department.region.code if department else None,
        is_remote=help_request.format in (HelpFormat.REMOTE, HelpFormat.EITHER),
        end_date=help_request.deadline,
    )


def _employee_facts(employee: LentEmployee, company: Company) -> VolunteerFacts:
    return VolunteerFacts(
        skills=frozenset(s.code for s in employee.skills.all()),
        department=company.department.code if company.department else None,
        region=company.department.region.code if company.department else None,
        remote_ok=employee.remote_ok,
    )


@dataclass(frozen=True)
class HelperMatch:
    help_request: HelpRequest
    employee: LentEmployee
    score: int
    reasons: list[str]


def matches_for_company(*, company: Company, limit: int = 30) -> list[HelperMatch]:
    """Open requests asked of companies, each with the company's best-suited
    employee and the reasons ("3 of the 4 skills wanted", "Remote", "available
    before the deadline")."""
    today = timezone.localdate()
    employees = [e for e in company_employees(company=company) if e.is_active]
    found = []
    for help_request in public_open_help_requests(audience="companies"):
        facts = _request_facts(help_request)
        best = None
        for employee in employees:
            match = score(_employee_facts(employee, company), facts, today=today)
            if match.suggested and (best is None or match.score > best[1].score):
                best = (employee, match)
        if best is None:
            continue
        employee, match = best
        reasons = [reason_text(r, audience=ASSOCIATION) for r in match.reasons]
        if help_request.deadline and (
            employee.available_until is None or employee.available_until >= help_request.deadline
        ):
            reasons.append(_("Available before the deadline"))
        found.append(HelperMatch(help_request, employee, match.score, reasons))
    found.sort(key=lambda m: (-m.score, m.help_request.pk))
    return found[:limit]
