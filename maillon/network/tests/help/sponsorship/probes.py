"""Isolation-walk probes and permission-matrix routes of skills sponsorship
(``/a/<slug>/sponsorship/`` and the time sheets API), added to the network module's
lists by ``maillon/network/tests/probes.py``.

Each association under test gets, on first use, a witness company (coordinated by
the association's administrator when there is one, so that the company API paths
reach the attacker's own company), an accepted engagement of that company waiting
for its agreement, and a signed agreement with one employee and one entry waiting
for validation."""

from __future__ import annotations

import datetime
from decimal import Decimal


def _siren_for(association) -> str:
    from stdnum import luhn

    base = f"{7100000 + association.pk:08d}"
    return base + luhn.calc_check_digit(base)


def witness(association, coordinator=None) -> dict:
    from django.utils import timezone
    from django_scopes import scopes_disabled

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

    siren = _siren_for(association)
    with scopes_disabled():
        company, _ = Company.objects.get_or_create(
            siren=siren,
            defaults={"name": f"Mécène de {association.name}", "slug": f"mecene-{siren}"},
        )
        if coordinator is not None:
            CompanyCoordinator.objects.get_or_create(company=company, user=coordinator)
        person, _ = LentEmployee.objects.get_or_create(company=company, full_name="Salariée témoin")
        found = SponsorshipAgreement.objects.filter(association=association).first()
        if found is None:
            help_request = HelpRequest.objects.create(
                association=association,
                title="Demande mécénat témoin",
                need="…",
                deliverable="…",
                audiences=["companies"],
            )
            engagements = [
                Engagement.objects.create(
                    association=association,
                    help_request=help_request,
                    kind="company",
                    status="accepted",
                    company=company,
                )
                for _ in range(2)
            ]
            year = timezone.localdate().year
            found = SponsorshipAgreement.objects.create(
                association=association,
                engagement=engagements[0],
                company=company,
                tasks="Mission témoin",
                starts_on=datetime.date(year, 1, 1),
                ends_on=datetime.date(year, 12, 31),
                planned_hours=Decimal("10"),
                association_signatory="Présidente",
                company_signatory="DRH",
                association_signed_at=timezone.now(),
                company_signed_at=timezone.now(),
            )
            row = AgreementEmployee.objects.create(
                association=association,
                agreement=found,
                employee=person,
                hourly_cost=Decimal("40"),
                planned_hours=Decimal("10"),
            )
            TimesheetEntry.objects.create(
                association=association,
                agreement=found,
                agreement_employee=row,
                date=datetime.date(year, 1, 2),
                hours=Decimal("2"),
                description="Atelier témoin",
            )
        engagement = (
            Engagement.objects.filter(
                association=association, kind="company", sponsorship_agreement__isnull=True
            )
            .order_by("pk")
            .first()
        )
        entry = (
            TimesheetEntry.objects.filter(association=association, status="submitted")
            .order_by("pk")
            .first()
        )
        if entry is None:  # decided by an earlier probe: one more waiting
            row = AgreementEmployee.objects.filter(agreement=found).first()
            entry = TimesheetEntry.objects.create(
                association=association,
                agreement=found,
                agreement_employee=row,
                date=found.starts_on,
                hours=Decimal("1"),
                description="Atelier témoin",
            )
    return {
        "company": company,
        "company_slug": company.slug,
        "employee": person.pk,
        "agreement": found.pk,
        "engagement": engagement.pk if engagement else None,
        "entry": entry.pk,
    }


TERMS = {
    "tasks": "Mission pirate",
    "starts_on": "2026-01-01",
    "ends_on": "2026-12-31",
    "planned_hours": "5",
}


def isolation_probes(Probe) -> dict:
    def of(w):
        return witness(w.association, w.admin)

    agreement = lambda w: {"agreement_id": of(w)["agreement"]}  # noqa: E731
    engagement = lambda w: {"engagement_id": of(w)["engagement"]}  # noqa: E731
    entry = lambda w: {"entry_id": of(w)["entry"]}  # noqa: E731
    company = lambda w: {"company_slug": of(w)["company_slug"]}  # noqa: E731
    year = datetime.date.today().year

    def time_entry(w) -> dict:
        found = of(w)
        return {
            "agreement": found["agreement"],
            "employee": found["employee"],
            "date": f"{year}-01-03",
            "hours": "1.5",
            "description": "Atelier",
        }

    return {
        "sponsorship:overview": Probe(),
        "sponsorship:create": Probe(ids=engagement, methods=("GET", "POST"), data=lambda w: TERMS),
        "sponsorship:detail": Probe(ids=agreement),
        "sponsorship:edit": Probe(ids=agreement, methods=("GET",)),
        "sponsorship:sign": Probe(ids=agreement, methods=("POST",)),
        "sponsorship:pdf": Probe(ids=agreement),
        "sponsorship:decide": Probe(
            ids=entry, methods=("POST",), data=lambda w: {"decision": "validate"}
        ),
        "sponsorship:receipt": Probe(
            methods=("POST",),
            data=lambda w: {"company": of(w)["company"].pk, "year": str(year)},
        ),
        "associations/{slug}/timesheets": Probe(),
        "associations/{slug}/timesheets/{entry_id}/validate": Probe(ids=entry, methods=("POST",)),
        "associations/{slug}/timesheets/{entry_id}/reject": Probe(
            ids=entry, methods=("POST",), data=lambda w: {"reason": "Doublon"}
        ),
        "companies/{company_slug}/timesheets": Probe(
            ids=company, methods=("GET", "POST"), data=time_entry
        ),
    }


def matrix_routes(Route) -> dict:
    def url(name, key=None, param=None):
        def build(t):
            kwargs = {param: witness(t.association)[key]} if key else {}
            return t.url(name, **kwargs)

        return build

    year = datetime.date.today().year
    return {
        "sponsorship:overview": Route(url("sponsorship:overview")),
        "sponsorship:create": Route(url("sponsorship:create", "engagement", "engagement_id")),
        "sponsorship:detail": Route(url("sponsorship:detail", "agreement", "agreement_id")),
        "sponsorship:edit": Route(url("sponsorship:edit", "agreement", "agreement_id")),
        "sponsorship:sign": Route(url("sponsorship:sign", "agreement", "agreement_id"), "POST"),
        "sponsorship:pdf": Route(url("sponsorship:pdf", "agreement", "agreement_id")),
        "sponsorship:decide": Route(
            url("sponsorship:decide", "entry", "entry_id"),
            "POST",
            lambda t: {"decision": "validate"},
        ),
        "sponsorship:receipt": Route(
            url("sponsorship:receipt"),
            "POST",
            lambda t: {"company": witness(t.association)["company"].pk, "year": str(year)},
        ),
    }
