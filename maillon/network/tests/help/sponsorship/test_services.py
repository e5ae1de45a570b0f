"""Agreements, costing, time sheets and the yearly total, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry
from maillon.metrics.registry import measure
from maillon.network.help.sponsorship import caps, selectors, services
from maillon.network.models import SponsorshipAgreement, TimesheetEntry

from .factories import accepted_engagement, agreement_for, entry, row_of

pytestmark = pytest.mark.django_db
D = datetime.date


def test_either_side_drafts_the_agreement_of_an_accepted_engagement(
    association, admin_user, company, coordinator
):
    engagement = accepted_engagement(association, company)
    terms = {
        "tasks": "Refonte du site",
        "starts_on": D(2026, 2, 1),
        "ends_on": D(2026, 6, 30),
        "planned_hours": Decimal("60"),
    }
    agreement = services.agreement_draft(
        association=association, actor=coordinator, engagement=engagement, company=company, **terms
    )
    assert agreement.drafted_by_company and agreement.company == company
    with pytest.raises(ValidationError):  # one agreement per engagement
        services.agreement_draft(
            association=association, actor=admin_user, engagement=engagement, **terms
        )
    # The association sees it, in its scope.
    assert selectors.agreements(association=association) == [agreement]
    with scopes_disabled():
        assert AuditEntry.objects.filter(action="network.sponsorship_drafted").count() == 1


def test_an_offer_not_accepted_gets_no_agreement(association, admin_user, company):
    engagement = accepted_engagement(association, company)
    with scopes_disabled():
        engagement.status = "offered"
        engagement.save()
    with pytest.raises(ValidationError):
        services.agreement_draft(
            association=association,
            actor=admin_user,
            engagement=engagement,
            tasks="…",
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 2, 1),
            planned_hours=Decimal(10),
        )


def test_a_company_outside_the_engagement_cannot_act_on_it(association, company, outsider_company):
    engagement = accepted_engagement(association, company)
    stranger = outsider_company.coordinators.get().user
    with pytest.raises(Http404):
        services.agreement_draft(
            association=association,
            actor=stranger,
            engagement=engagement,
            company=outsider_company,
            tasks="…",
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 2, 1),
            planned_hours=Decimal(10),
        )
    with pytest.raises(PermissionDenied):  # a coordinator of another company
        services.agreement_draft(
            association=association,
            actor=stranger,
            engagement=engagement,
            company=company,
            tasks="…",
            starts_on=D(2026, 1, 1),
            ends_on=D(2026, 2, 1),
            planned_hours=Decimal(10),
        )


def test_the_company_costs_its_employees_and_both_sides_sign(
    association, admin_user, company, coordinator, camille
):
    agreement = agreement_for(association, company, signed=False)
    with pytest.raises(ValidationError, match="salariés"):
        services.agreement_sign(association=association, actor=admin_user, agreement=agreement)
    with pytest.raises(PermissionDenied):  # the association does not state the cost
        services.agreement_employee_set(
            association=association,
            actor=admin_user,
            agreement=agreement,
            company=None,
            employee=camille,
            hourly_cost=Decimal("52.40"),
            planned_hours=Decimal("40"),
        )
    services.agreement_employee_set(
        association=association,
        actor=coordinator,
        agreement=agreement,
        company=company,
        employee=camille,
        hourly_cost=Decimal("52.40"),
        planned_hours=Decimal("40"),
    )
    services.agreement_sign(association=association, actor=admin_user, agreement=agreement)
    # A change of the figures clears the signature given.
    services.agreement_employee_set(
        association=association,
        actor=coordinator,
        agreement=agreement,
        company=company,
        employee=camille,
        hourly_cost=Decimal("55"),
        planned_hours=Decimal("40"),
    )
    agreement.refresh_from_db()
    assert agreement.association_signed_at is None
    services.agreement_sign(association=association, actor=admin_user, agreement=agreement)
    services.agreement_sign(
        association=association, actor=coordinator, agreement=agreement, company=company
    )
    agreement.refresh_from_db()
    assert agreement.is_signed
    with pytest.raises(ValidationError, match="signé"):
        services.agreement_update(
            association=association, actor=admin_user, agreement=agreement, tasks="Autre chose"
        )


def test_the_plan_shows_the_cap_and_whether_planned_hours_exceed_it(
    association, company, camille, bruno
):
    agreement = agreement_for(
        association,
        company,
        rows=[(camille, "100", "1500"), (bruno, "45.50", "10")],
        starts_on=D(2026, 1, 1),
        ends_on=D(2026, 12, 31),
    )
    plans = {p.row.employee.full_name: p for p in selectors.employee_plans(agreement)}
    camille_2026 = plans["Camille Durand"].years[0]
    assert camille_2026.pass_amount == Decimal("48060")
    assert camille_2026.cap == Decimal("144180")
    assert camille_2026.cost == Decimal("150000.00") and plans["Camille Durand"].exceeds_cap
    assert not plans["Bruno Lefèvre"].exceeds_cap


def test_a_plan_in_a_year_without_pass_says_so(association, company, camille):
    agreement = agreement_for(
        association,
        company,
        rows=[(camille, "50", "100")],
        starts_on=D(2026, 11, 1),
        ends_on=D(2031, 1, 31),
    )
    (plan,) = selectors.employee_plans(agreement)
    assert plan.missing_years == [2027, 2028, 2029, 2030, 2031]


# --- time sheets ------------------------------------------------------------------------------


@pytest.fixture
def signed(association, company, camille):
    return agreement_for(
        association,
        company,
        rows=[(camille, "52.40", "120")],
        starts_on=D(2026, 1, 15),
        ends_on=D(2026, 11, 30),
    )


def _enter(agreement, coordinator, company, person, **fields):
    return services.timesheet_enter(
        association=agreement.association,
        actor=coordinator,
        company=company,
        row=row_of(agreement, person),
        **{"date": D(2026, 3, 10), "hours": "3.5", "description": "Atelier", **fields},
    )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"hours": "-2"}, "more than zero"),
        ({"hours": "0"}, "more than zero"),
        ({"hours": "25"}, "24 hours"),
        ({"hours": "1.1"}, "quarters"),
        ({"date": D(2026, 1, 14)}, "runs from"),
        ({"date": D(2026, 12, 1)}, "runs from"),
        ({"description": "  "}, "what was done"),
    ],
)
def test_time_outside_the_rules_is_refused_with_a_clear_message(
    signed, coordinator, company, camille, fields, message
):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _enter(signed, coordinator, company, camille, **fields)
    assert message in " ".join(refused.value.messages)


def test_a_day_never_holds_more_than_24_hours(signed, coordinator, company, camille):
    _enter(signed, coordinator, company, camille, hours="20")
    with pytest.raises(ValidationError, match="24"):
        _enter(signed, coordinator, company, camille, hours="5")
    _enter(signed, coordinator, company, camille, hours="4")


def test_no_time_before_both_signatures(association, company, coordinator, camille):
    agreement = agreement_for(association, company, rows=[(camille, "50", "10")], signed=False)
    with pytest.raises(ValidationError, match="signée"):
        _enter(agreement, coordinator, company, camille)


def test_the_association_validates_or_rejects_with_a_reason(
    signed, admin_user, coordinator, company, camille
):
    first = _enter(signed, coordinator, company, camille)
    second = _enter(signed, coordinator, company, camille, date=D(2026, 3, 11))
    with pytest.raises(PermissionDenied):  # the company does not validate its own time
        services.timesheet_decide(
            association=signed.association, actor=coordinator, entry=first, validate=True
        )
    services.timesheet_decide(
        association=signed.association, actor=admin_user, entry=first, validate=True
    )
    with pytest.raises(ValidationError, match="déjà"):
        services.timesheet_decide(
            association=signed.association, actor=admin_user, entry=first, validate=False
        )
    with pytest.raises(ValidationError):
        services.timesheet_decide(
            association=signed.association, actor=admin_user, entry=second, validate=False
        )
    services.timesheet_decide(
        association=signed.association,
        actor=admin_user,
        entry=second,
        validate=False,
        reason="Déjà compté le 10",
    )
    with scopes_disabled():
        assert TimesheetEntry.objects.get(pk=second.pk).rejection_reason == "Déjà compté le 10"


# --- the yearly total -------------------------------------------------------------------------


def test_the_yearly_total_counts_validated_hours_only_each_employee_capped(
    association, company, camille, bruno
):
    agreement = agreement_for(
        association, company, rows=[(camille, "100", "1600"), (bruno, "45.50", "20")]
    )
    for day in range(75):  # 75 × 20 h = 1,500 h at 100 €: 150,000 € > 144,180 €
        entry(agreement, camille, date=D(2026, 1, 1) + datetime.timedelta(days=day), hours="20")
    entry(agreement, bruno, date=D(2026, 5, 4), hours="6")
    entry(agreement, bruno, date=D(2026, 5, 5), hours="4")
    entry(agreement, bruno, date=D(2026, 5, 6), hours="8", status="submitted")
    entry(agreement, bruno, date=D(2026, 5, 7), hours="8", status="rejected")
    entry(agreement, bruno, date=D(2025, 12, 7), hours="3")  # another year
    total = selectors.yearly_total(association=association, company=company, year=2026)
    assert total.hours == Decimal("1510")
    assert total.cost == Decimal("150455.00")
    assert total.valued == Decimal("144180") + Decimal("455.00")
    capped = {e.name: e.capped for e in total.employees}
    assert capped == {"Bruno Lefèvre": False, "Camille Durand": True}
    # Both sides read the same figure.
    (seen_by_company,) = selectors.yearly_totals_for_company_across_associations(
        company=company, year=2026
    )
    assert seen_by_company.valued == total.valued
    assert seen_by_company.association == association


def test_the_yearly_total_of_a_year_without_pass_is_refused_clearly(association, company):
    with pytest.raises(caps.PassYearMissing):
        selectors.yearly_total(association=association, company=company, year=2023)


def test_the_metric_counts_validated_hours(association, company, camille):
    agreement = agreement_for(association, company, rows=[(camille, "50", "100")])
    entry(agreement, camille, date=D(2026, 4, 1), hours="3.5")
    entry(agreement, camille, date=D(2026, 4, 2), hours="2", status="submitted")
    value = measure(
        "network.sponsored_hours",
        association=association,
        start=D(2026, 1, 1),
        end=D(2026, 12, 31),
    )
    assert value == Decimal("3.5")


def test_agreements_stay_in_the_association_scope(association, other_association, company):
    agreement_for(association, company)
    assert selectors.agreements(association=other_association) == []
    with scopes_disabled():
        assert SponsorshipAgreement.objects.filter(association=other_association).count() == 0
