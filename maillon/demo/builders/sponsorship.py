"""Skills sponsorship in the demo: on the demo company's offer to the grocery (made
and accepted by the engagements step, which runs before this one), its signed
agreement with the employee's hourly cost, three time sheet entries and one of them
validated. Skipped where the agreement already exists."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.demo.builders.common import DemoRun
from maillon.demo.builders.pooling import BORROWER, _president
from maillon.network.help.sponsorship import services
from maillon.network.models import (
    AgreementEmployee,
    Company,
    Engagement,
    SponsorshipAgreement,
)

DEMO_SIREN = "732829320"


def seed_sponsorship(run: DemoRun) -> None:
    association = Association.objects.filter(slug=BORROWER).first()
    company = Company.objects.filter(siren=DEMO_SIREN).first()
    if association is None or company is None:
        return
    with scopes_disabled():
        if SponsorshipAgreement.objects.filter(association=association).exists():
            run.kept(f"= {BORROWER}: skills sponsorship agreement already there")
            return
        # The company's offer the engagements step made (accepted, work started):
        # the agreement is written on it.
        engagement = (
            Engagement.objects.filter(
                association=association,
                kind="company",
                company=company,
                status__in=["accepted", "in_progress"],
            )
            .order_by("id")
            .first()
        )
        employee = engagement.employees.first() if engagement is not None else None
    admin = _president(association)
    coordinator = company.coordinators.first()
    if engagement is None or employee is None or admin is None or coordinator is None:
        return
    coordinator = coordinator.user
    today = run.today
    agreement = services.agreement_draft(
        association=association,
        actor=admin,
        engagement=engagement,
        tasks=(
            "Mettre en place un formulaire d’adhésion et de don en ligne relié au registre, "
            "puis former deux bénévoles à son suivi."
        ),
        starts_on=today - datetime.timedelta(days=60),
        ends_on=today + datetime.timedelta(days=120),
        planned_hours=Decimal("60"),
        association_signatory="La présidente de l’association",
        company_signatory="Directrice des ressources humaines",
    )
    services.agreement_employee_set(
        association=association,
        actor=coordinator,
        agreement=agreement,
        company=company,
        employee=employee,
        hourly_cost=Decimal("52.40"),
        planned_hours=Decimal("60"),
    )
    services.agreement_sign(association=association, actor=admin, agreement=agreement)
    services.agreement_sign(
        association=association, actor=coordinator, agreement=agreement, company=company
    )
    with scopes_disabled():
        row = AgreementEmployee.objects.get(agreement=agreement, employee=employee)
    entries = [
        services.timesheet_enter(
            association=association,
            actor=coordinator,
            company=company,
            row=row,
            date=today - datetime.timedelta(days=days),
            hours=hours,
            description=description,
        )
        for days, hours, description in (
            (50, Decimal("7"), "Recueil des besoins avec l’équipe, choix de l’outil"),
            (43, Decimal("6.5"), "Paramétrage du formulaire d’adhésion"),
            (36, Decimal("4"), "Formation de deux bénévoles"),
        )
    ]
    services.timesheet_decide(association=association, actor=admin, entry=entries[0], validate=True)
    run.added(f"+ {BORROWER}: a skills sponsorship agreement, three time sheets, one validated")
