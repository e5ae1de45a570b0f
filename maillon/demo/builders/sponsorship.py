"""Skills sponsorship in the demo: the demo company's offer on the grocery's help
request, accepted (made directly here while the engagement flows are being built),
its signed agreement with the employee's hourly cost, three time sheet entries and
one of them validated. Skipped where the agreement already exists."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.demo.builders.common import DemoRun
from maillon.demo.builders.pooling import BORROWER, _president
from maillon.network.help.sponsorship import services
from maillon.network.models import (
    AgreementEmployee,
    Company,
    Engagement,
    HelpRequest,
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
        help_request = HelpRequest.objects.filter(
            association=association, recommendation_code="company_sponsorship"
        ).first()
        employee = company.employees.first()
    admin = _president(association)
    coordinator = company.coordinators.first()
    if help_request is None or employee is None or admin is None or coordinator is None:
        return
    coordinator = coordinator.user
    with scopes_disabled():
        engagement = Engagement.objects.create(
            association=association,
            help_request=help_request,
            kind="company",
            status="accepted",
            company=company,
            offered_by=coordinator,
            message="Camille peut consacrer une journée par semaine à votre projet.",
            hours_offered=Decimal("60"),
            offered_at=timezone.now() - datetime.timedelta(days=75),
            accepted_at=timezone.now() - datetime.timedelta(days=70),
        )
        engagement.employees.add(employee)
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
