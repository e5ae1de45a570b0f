"""Objects of skills sponsorship for tests: a company with its coordinator, an
accepted company engagement (made directly: its lifecycle is another package's),
and an agreement with its employees' costing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.network.models import (
    AgreementEmployee,
    Company,
    CompanyCoordinator,
    Engagement,
    HelpRequest,
    LentEmployee,
    SponsorshipAgreement,
    TimesheetEntry,
)

SIRENS = ["443061841", "443061858", "443061866", "443061874"]


def company_with_coordinator(name: str, siren: str, *, user=None, slug: str | None = None):
    user = user or UserFactory()
    company, _ = Company.objects.get_or_create(
        siren=siren, defaults={"name": name, "slug": slug or f"c-{siren}"}
    )
    CompanyCoordinator.objects.get_or_create(company=company, user=user)
    return company, user


def employee(company: Company, full_name: str) -> LentEmployee:
    found, _ = LentEmployee.objects.get_or_create(company=company, full_name=full_name)
    return found


def accepted_engagement(association, company: Company, *, title: str = "Refaire notre site"):
    with scopes_disabled():
        help_request = HelpRequest.objects.create(
            association=association,
            title=title,
            need="Le site date de 2012.",
            deliverable="Un site à jour.",
            audiences=["companies"],
        )
        return Engagement.objects.create(
            association=association,
            help_request=help_request,
            kind="company",
            status="accepted",
            company=company,
            accepted_at=timezone.now(),
        )


def agreement_for(
    association,
    company: Company,
    *,
    rows=(),
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    signed: bool = True,
    planned_hours: Decimal = Decimal("100"),
) -> SponsorshipAgreement:
    """``rows``: (employee, hourly cost, planned hours)."""
    today = timezone.localdate()
    engagement = accepted_engagement(association, company)
    with scopes_disabled():
        agreement = SponsorshipAgreement.objects.create(
            association=association,
            engagement=engagement,
            company=company,
            tasks="Refonte du site et formation de deux bénévoles.",
            starts_on=starts_on or datetime.date(today.year, 1, 1),
            ends_on=ends_on or datetime.date(today.year, 12, 31),
            planned_hours=planned_hours,
            association_signatory="Léa Martin, présidente",
            company_signatory="Hervé Noël, DRH",
            association_signed_at=timezone.now() if signed else None,
            company_signed_at=timezone.now() if signed else None,
        )
        for person, hourly_cost, hours in rows:
            AgreementEmployee.objects.create(
                association=association,
                agreement=agreement,
                employee=person,
                hourly_cost=Decimal(hourly_cost),
                planned_hours=Decimal(hours),
            )
    return agreement


def row_of(agreement: SponsorshipAgreement, person: LentEmployee) -> AgreementEmployee:
    with scopes_disabled():
        return AgreementEmployee.objects.get(agreement=agreement, employee=person)


def entry(agreement, person, *, date, hours, status="validated", description="Atelier"):
    with scopes_disabled():
        return TimesheetEntry.objects.create(
            association=agreement.association,
            agreement=agreement,
            agreement_employee=row_of(agreement, person),
            date=date,
            hours=Decimal(hours),
            description=description,
            status=status,
            rejection_reason="Doublon" if status == "rejected" else "",
        )
