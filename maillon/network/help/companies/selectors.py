"""Reads of the company space. The requests that suit its employees are read by
``maillon.network.help.matching.selectors.requests_for_company``."""

from __future__ import annotations

from django.core.validators import slug_re
from django.http import Http404

from ..models import Company, CompanyCoordinator, LentEmployee


def company_by_slug(slug: str) -> Company | None:
    """None for anything that is not a slug (a NUL byte would be a database error)."""
    if not isinstance(slug, str) or not slug_re.match(slug):
        return None
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
