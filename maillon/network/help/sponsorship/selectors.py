"""Reads of skills sponsorship. The association reads its own agreements in its
scope; a company's coordinators read the agreements of their company through the
``*_for_company`` selectors, which look across associations for that company only
(anything else answers 404)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.core import signing
from django.db.models import Q, Sum
from django.http import Http404
from django_scopes import scope, scopes_disabled

from maillon.associations.models import Association

from ..models import Company, Engagement, EngagementKind, EngagementStatus
from . import caps
from .models import AgreementEmployee, SponsorshipAgreement, TimesheetEntry, TimesheetStatus

#: Engagements a written agreement may be drafted for.
AGREEABLE = (EngagementStatus.ACCEPTED, EngagementStatus.IN_PROGRESS)
LINK_SALT = "maillon.sponsorship.timesheet-link"
LIST_LIMIT = 200


def _agreements():
    return SponsorshipAgreement.objects.select_related(
        "association", "company", "engagement__help_request"
    )


# --- the association's side -------------------------------------------------------------------


def agreements(*, association: Association) -> list[SponsorshipAgreement]:
    with scope(association=association):
        return list(_agreements().filter(association=association)[:LIST_LIMIT])


def agreement_get(*, association: Association, agreement_id: int) -> SponsorshipAgreement:
    with scope(association=association):
        found = _agreements().filter(association=association, pk=agreement_id).first()
    if found is None:
        raise Http404
    return found


def engagements_awaiting_agreement(*, association: Association) -> list[Engagement]:
    """Accepted company engagements of the association with no agreement yet."""
    with scope(association=association):
        return list(
            Engagement.objects.filter(
                association=association,
                kind=EngagementKind.COMPANY,
                status__in=AGREEABLE,
                sponsorship_agreement__isnull=True,
            ).select_related("company", "help_request")[:LIST_LIMIT]
        )


def engagement_for_agreement(*, association: Association, engagement_id: int) -> Engagement:
    """An accepted company engagement of the association (404 otherwise)."""
    with scope(association=association):
        found = (
            Engagement.objects.filter(
                association=association,
                pk=engagement_id,
                kind=EngagementKind.COMPANY,
                status__in=AGREEABLE,
            )
            .select_related("company", "help_request", "association")
            .first()
        )
    if found is None:
        raise Http404
    return found


def agreement_of_engagement(engagement: Engagement) -> SponsorshipAgreement | None:
    """The agreement written on ``engagement``, if any (read by both sides' engagement
    pages, which already checked who may see the engagement)."""
    with scope(association=engagement.association_id):
        return SponsorshipAgreement.objects.filter(engagement=engagement).first()


# --- the company's side (across associations, for this company only) -------------------------


def agreements_for_company_across_associations(*, company: Company) -> list[SponsorshipAgreement]:
    with scopes_disabled():
        return list(_agreements().filter(company=company)[:LIST_LIMIT])


def agreement_get_for_company_across_associations(
    *, company: Company, agreement_id: int
) -> SponsorshipAgreement:
    with scopes_disabled():
        found = _agreements().filter(company=company, pk=agreement_id).first()
    if found is None:
        raise Http404
    return found


def engagements_awaiting_agreement_for_company_across_associations(
    *, company: Company
) -> list[Engagement]:
    with scopes_disabled():
        return list(
            Engagement.objects.filter(
                company=company,
                kind=EngagementKind.COMPANY,
                status__in=AGREEABLE,
                sponsorship_agreement__isnull=True,
            ).select_related("association", "help_request")[:LIST_LIMIT]
        )


def engagement_for_agreement_for_company_across_associations(
    *, company: Company, engagement_id: int
) -> Engagement:
    with scopes_disabled():
        found = (
            Engagement.objects.filter(
                company=company,
                pk=engagement_id,
                kind=EngagementKind.COMPANY,
                status__in=AGREEABLE,
            )
            .select_related("company", "help_request", "association")
            .first()
        )
    if found is None:
        raise Http404
    return found


# --- one agreement: its employees under the cap, its time sheet --------------------------------


@dataclass
class YearPlan:
    year: int
    hours: Decimal
    cost: Decimal
    cap: Decimal | None  # None: the PASS of the year is not known
    pass_amount: Decimal | None

    @property
    def exceeds_cap(self) -> bool:
        return self.cap is not None and self.cost > self.cap


@dataclass
class EmployeePlan:
    row: AgreementEmployee
    years: list[YearPlan]
    validated_hours: Decimal = Decimal(0)
    submitted_hours: Decimal = Decimal(0)
    link_token: str = ""

    @property
    def planned_cost(self) -> Decimal:
        return caps.cost(self.row.planned_hours, self.row.hourly_cost)

    @property
    def exceeds_cap(self) -> bool:
        return any(y.exceeds_cap for y in self.years)

    @property
    def missing_years(self) -> list[int]:
        return [y.year for y in self.years if y.cap is None]


def year_plans(agreement: SponsorshipAgreement, row: AgreementEmployee) -> list[YearPlan]:
    """The employee's planned hours spread over the calendar years of the agreement,
    each with its cost and the year's cap (3 × PASS)."""
    plans = []
    shares = caps.planned_hours_per_year(
        start=agreement.starts_on, end=agreement.ends_on, hours=row.planned_hours
    )
    for year, hours in shares.items():
        try:
            pass_amount = caps.pass_for(year)
        except caps.PassYearMissing:
            pass_amount = None
        plans.append(
            YearPlan(
                year=year,
                hours=hours,
                cost=caps.cost(hours, row.hourly_cost),
                cap=caps.CAP_MULTIPLE * pass_amount if pass_amount is not None else None,
                pass_amount=pass_amount,
            )
        )
    return plans


def employee_plans(agreement: SponsorshipAgreement) -> list[EmployeePlan]:
    with scope(association=agreement.association_id):
        rows = list(
            AgreementEmployee.objects.filter(agreement=agreement).select_related("employee")
        )
        sums = {
            (r["agreement_employee_id"], r["status"]): r["total"]
            for r in TimesheetEntry.objects.filter(agreement=agreement)
            .values("agreement_employee_id", "status")
            .annotate(total=Sum("hours"))
        }
    return [
        EmployeePlan(
            row=row,
            years=year_plans(agreement, row),
            validated_hours=sums.get((row.pk, TimesheetStatus.VALIDATED), Decimal(0)),
            submitted_hours=sums.get((row.pk, TimesheetStatus.SUBMITTED), Decimal(0)),
            link_token=employee_link_token(row),
        )
        for row in rows
    ]


def timesheet_of(agreement: SponsorshipAgreement) -> list[TimesheetEntry]:
    with scope(association=agreement.association_id):
        return list(
            TimesheetEntry.objects.filter(agreement=agreement).select_related(
                "agreement_employee__employee"
            )[:LIST_LIMIT]
        )


def agreement_employee_get(
    *, agreement: SponsorshipAgreement, row_id: int | None = None, employee_id: int | None = None
) -> AgreementEmployee:
    """An employee row of ``agreement``, by its id or by the lent employee's (404)."""
    wanted = Q(pk=row_id) if row_id is not None else Q(employee_id=employee_id)
    with scope(association=agreement.association_id):
        found = (
            AgreementEmployee.objects.filter(agreement=agreement)
            .filter(wanted)
            .select_related("employee")
            .first()
        )
    if found is None:
        raise Http404
    return found


def timesheet_entry_get(*, association: Association, entry_id: int) -> TimesheetEntry:
    with scope(association=association):
        found = (
            TimesheetEntry.objects.filter(association=association, pk=entry_id)
            .select_related("agreement__company", "agreement_employee__employee")
            .first()
        )
    if found is None:
        raise Http404
    return found


# --- lists of entries (pages and API) -------------------------------------------------------------


def timesheet_entries(
    *, association: Association, status: str = "", year: int | None = None
) -> list[TimesheetEntry]:
    with scope(association=association):
        entries = TimesheetEntry.objects.filter(association=association)
        if status:
            entries = entries.filter(status=status)
        if year:
            entries = entries.filter(date__year=year)
        return list(
            entries.select_related("agreement__company", "agreement_employee__employee")[
                :LIST_LIMIT
            ]
        )


def timesheet_entries_for_company_across_associations(
    *, company: Company, status: str = "", year: int | None = None
) -> list[TimesheetEntry]:
    with scopes_disabled():
        entries = TimesheetEntry.objects.filter(agreement__company=company)
        if status:
            entries = entries.filter(status=status)
        if year:
            entries = entries.filter(date__year=year)
        return list(
            entries.select_related(
                "association", "agreement__company", "agreement_employee__employee"
            )[:LIST_LIMIT]
        )


def timesheet_entry_get_for_company_across_associations(
    *, company: Company, entry_id: int
) -> TimesheetEntry:
    with scopes_disabled():
        found = (
            TimesheetEntry.objects.filter(agreement__company=company, pk=entry_id)
            .select_related("association", "agreement__company", "agreement_employee__employee")
            .first()
        )
    if found is None:
        raise Http404
    return found


# --- the yearly total, valued at cost under the cap ---------------------------------------------


@dataclass
class EmployeeYear:
    employee_id: int
    name: str
    hours: Decimal
    cost: Decimal
    valued: Decimal
    capped: bool


@dataclass
class SponsorshipYear:
    """A company's skills sponsorship of one association in one year: validated
    hours valued at cost, each employee capped at 3 × PASS."""

    association: Association
    company: Company
    year: int
    pass_amount: Decimal
    cap: Decimal
    hours: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    valued: Decimal = Decimal(0)
    employees: list[EmployeeYear] = field(default_factory=list)


def _yearly_across_associations(rows, year: int) -> list[SponsorshipYear]:
    """``rows``: validated hours summed by (association, company, employee, hourly
    cost). Raises ``caps.PassYearMissing`` when the year's PASS is not known."""
    pass_amount = caps.pass_for(year)
    grouped: dict[tuple[int, int], list[dict]] = defaultdict(list)
    for row in rows:
        grouped[(row["association_id"], row["agreement__company_id"])].append(row)
    if not grouped:
        return []
    with scopes_disabled():
        associations = Association.objects.in_bulk({a for a, _c in grouped})
        companies = Company.objects.in_bulk({c for _a, c in grouped})
    found = []
    for (association_id, company_id), lines in grouped.items():
        names = {line["agreement_employee__employee_id"]: line["name"] for line in lines}
        total, per_employee = caps.capped_total(
            year=year,
            lines=[
                (
                    line["agreement_employee__employee_id"],
                    line["total_hours"],
                    line["agreement_employee__hourly_cost"],
                )
                for line in lines
            ],
        )
        summary = SponsorshipYear(
            association=associations[association_id],
            company=companies[company_id],
            year=year,
            pass_amount=pass_amount,
            cap=caps.CAP_MULTIPLE * pass_amount,
            valued=total,
        )
        for employee_id, capped in sorted(per_employee.items(), key=lambda i: names[i[0]]):
            summary.hours += capped.hours
            summary.cost += capped.cost
            summary.employees.append(
                EmployeeYear(
                    employee_id=cast(int, employee_id),
                    name=names[employee_id],
                    hours=capped.hours,
                    cost=capped.cost,
                    valued=capped.valued,
                    capped=capped.exceeds_cap,
                )
            )
        found.append(summary)
    found.sort(key=lambda s: (s.company.name, s.association.name))
    return found


def _validated_rows(entries, year: int):
    return (
        entries.filter(status=TimesheetStatus.VALIDATED, date__year=year)
        .values(
            "association_id",
            "agreement__company_id",
            "agreement_employee__employee_id",
            "agreement_employee__hourly_cost",
        )
        .annotate(total_hours=Sum("hours"))
        .order_by()
    )


def _with_names(rows) -> list[dict]:
    from ..models import LentEmployee

    rows = list(rows)
    names = dict(
        LentEmployee.objects.filter(
            pk__in={r["agreement_employee__employee_id"] for r in rows}
        ).values_list("pk", "full_name")
    )
    for row in rows:
        row["name"] = names.get(row["agreement_employee__employee_id"], "")
    return rows


def yearly_totals(*, association: Association, year: int) -> list[SponsorshipYear]:
    """Each company's skills sponsorship of ``association`` in ``year``."""
    with scope(association=association):
        rows = _with_names(
            _validated_rows(TimesheetEntry.objects.filter(association=association), year)
        )
    return _yearly_across_associations(rows, year)


def yearly_total(*, association: Association, company: Company, year: int) -> SponsorshipYear:
    """One company's: the figure its cerfa 16216 receipt certifies."""
    with scope(association=association):
        rows = _with_names(
            _validated_rows(
                TimesheetEntry.objects.filter(association=association, agreement__company=company),
                year,
            )
        )
    found = _yearly_across_associations(rows, year)
    if found:
        return found[0]
    pass_amount = caps.pass_for(year)
    return SponsorshipYear(
        association=association,
        company=company,
        year=year,
        pass_amount=pass_amount,
        cap=caps.CAP_MULTIPLE * pass_amount,
    )


def yearly_totals_for_company_across_associations(
    *, company: Company, year: int
) -> list[SponsorshipYear]:
    """The company's skills sponsorship of each association in ``year``."""
    with scopes_disabled():
        rows = _with_names(
            _validated_rows(TimesheetEntry.objects.filter(agreement__company=company), year)
        )
    return _yearly_across_associations(rows, year)


def sponsorship_companies(*, association: Association) -> list[Company]:
    """Companies with an agreement with the association."""
    with scope(association=association):
        ids = set(
            SponsorshipAgreement.objects.filter(association=association).values_list(
                "company_id", flat=True
            )
        )
    return list(Company.objects.filter(pk__in=ids).order_by("name"))


def sponsored_hours(association: Association, start: datetime.date, end: datetime.date):
    """Validated hours of skills sponsorship received in the period (metric)."""
    with scope(association=association):
        total = TimesheetEntry.objects.filter(
            association=association,
            status=TimesheetStatus.VALIDATED,
            date__gte=start,
            date__lte=end,
        ).aggregate(total=Sum("hours"))["total"]
    return total or Decimal(0)


# --- the employee's signed link -----------------------------------------------------------------


def employee_link_token(row: AgreementEmployee) -> str:
    return signing.dumps({"a": row.association_id, "r": row.pk, "k": row.link_key}, salt=LINK_SALT)


def agreement_employee_for_token(token: str) -> AgreementEmployee:
    """The employee row a link names, while its key is current (404 otherwise)."""
    try:
        payload = signing.loads(token, salt=LINK_SALT)
    except signing.BadSignature:
        raise Http404 from None
    if not isinstance(payload, dict):
        raise Http404
    association_id, row_id, key = payload.get("a"), payload.get("r"), payload.get("k")
    if not isinstance(association_id, int) or not isinstance(row_id, int) or not key:
        raise Http404
    with scopes_disabled():
        found = (
            AgreementEmployee.objects.filter(
                association_id=association_id, pk=row_id, link_key=str(key)
            )
            .select_related("employee", "agreement__company", "agreement__association")
            .first()
        )
    if found is None:
        raise Http404
    return found
