"""Writes of the company space: a company is registered by a signed-in person, who
becomes its coordinator; the coordinator lists the employees it lends."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify

from ..models import Company, CompanyCoordinator, LentEmployee
from .selectors import is_company_coordinator


def _unique_slug(name: str) -> str:
    base = slugify(name)[:70] or "entreprise"
    if base == "new":
        base = "entreprise-new"
    slug, n = base, 1
    while Company.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def company_register(
    *, actor: Any, name: str, siren: str, department=None, description: str = ""
) -> Company:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    company = Company(
        name=name,
        slug=_unique_slug(name),
        siren=siren.replace(" ", ""),
        department=department,
        description=description,
    )
    company.full_clean()
    company.save()
    CompanyCoordinator.objects.create(company=company, user=actor)
    return company


def _coordinator(company: Company, actor: Any) -> None:
    if not is_company_coordinator(company=company, user=actor):
        raise PermissionDenied


@transaction.atomic
def employee_add(
    *,
    company: Company,
    actor: Any,
    full_name: str,
    job_title: str = "",
    skills=(),
    remote_ok: bool = True,
    available_until=None,
) -> LentEmployee:
    _coordinator(company, actor)
    employee = LentEmployee(
        company=company,
        full_name=full_name,
        job_title=job_title,
        remote_ok=remote_ok,
        available_until=available_until,
    )
    employee.full_clean()
    employee.save()
    employee.skills.set(skills)
    return employee


@transaction.atomic
def employee_withdraw(*, company: Company, actor: Any, employee: LentEmployee) -> LentEmployee:
    _coordinator(company, actor)
    if employee.company_id != company.pk:
        raise PermissionDenied
    employee.is_active = False
    employee.save(update_fields=["is_active", "updated_at"])
    return employee
