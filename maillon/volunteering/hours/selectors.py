"""Reads of volunteer hours: lists, the valuation of a year, certificates and the
volunteer's own overview across associations. Only validated hours are valued."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear, TruncMonth
from django.http import Http404
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.associations.models import Association
from maillon.members.models import Person, Role

from ..models import (
    Activity,
    HoursStatus,
    Mission,
    VolunteerHours,
    VolunteeringSettings,
    YearlyHourlyRate,
)

if TYPE_CHECKING:
    from maillon.accounts.models import User

CENT = Decimal("0.01")
ZERO = Decimal(0)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- settings and rates ---------------------------------------------------------------


def volunteering_settings_get(*, association: Association) -> VolunteeringSettings:
    """The association's settings, or the defaults (unsaved) when it has none yet."""
    settings = VolunteeringSettings.objects.filter(association=association).first()
    return settings or VolunteeringSettings(association=association)


@dataclass(frozen=True)
class YearRate:
    year: int
    rate: Decimal
    # True: the year has a rate of its own (YearlyHourlyRate); False: the default.
    is_locked: bool


def rates_by_year(*, association: Association) -> tuple[dict[int, Decimal], Decimal]:
    """({year: locked rate}, default rate): two queries, whatever the years asked."""
    locked = dict(
        YearlyHourlyRate.objects.filter(association=association).values_list("year", "hourly_rate")
    )
    return locked, volunteering_settings_get(association=association).hourly_rate


def hourly_rate_for_year(*, association: Association, year: int) -> YearRate:
    locked, default = rates_by_year(association=association)
    if year in locked:
        return YearRate(year, locked[year], True)
    return YearRate(year, default, False)


def yearly_rates(*, association: Association) -> list[YearlyHourlyRate]:
    return list(YearlyHourlyRate.objects.filter(association=association).order_by("-year"))


def yearly_rate_get(*, association: Association, rate_id: int) -> YearlyHourlyRate:
    rate = YearlyHourlyRate.objects.filter(association=association, pk=rate_id).first()
    if rate is None:
        raise Http404
    return rate


# --- lists ----------------------------------------------------------------------------


def _month_bounds(month: str) -> tuple[datetime.date, datetime.date] | None:
    try:
        year, number = (int(part) for part in month.split("-"))
        start = datetime.date(year, number, 1)
    except (TypeError, ValueError):
        return None
    end = (start + datetime.timedelta(days=32)).replace(day=1)
    return start, end


def hours_list(
    *,
    association: Association,
    status: str = "",
    person_id: int | None = None,
    month: str = "",
    activity: str = "",
) -> QuerySet[VolunteerHours]:
    """The association's hours, newest first, with their person and mission."""
    qs = VolunteerHours.objects.filter(association=association)
    if status:
        qs = qs.filter(status=status)
    if person_id:
        qs = qs.filter(person_id=person_id)
    if month and (bounds := _month_bounds(month)):
        qs = qs.filter(date__gte=bounds[0], date__lt=bounds[1])
    if activity:
        qs = qs.filter(activity=activity)
    return qs.select_related("person", "mission").order_by("-date", "-id")


def hours_totals(qs: QuerySet[VolunteerHours]) -> dict:
    """Hours of a (filtered) list, by status, in one query."""
    totals = qs.order_by().aggregate(
        validated=Sum("hours", filter=Q(status=HoursStatus.VALIDATED)),
        pending=Sum("hours", filter=Q(status=HoursStatus.PENDING)),
        pending_count=Count("pk", filter=Q(status=HoursStatus.PENDING)),
    )
    return {
        "validated": totals["validated"] or ZERO,
        "pending": totals["pending"] or ZERO,
        "pending_count": totals["pending_count"],
    }


def hours_get(*, association: Association, hours_id: int) -> VolunteerHours:
    entry = (
        VolunteerHours.objects.filter(association=association, pk=hours_id)
        .select_related("person", "mission")
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def own_hours_get(
    *, association: Association, person: Person | None, hours_id: int
) -> VolunteerHours:
    """One of the volunteer's own entries; anyone else's is "not found"."""
    entry = hours_get(association=association, hours_id=hours_id)
    if person is None or entry.person_id != person.pk:
        raise Http404
    return entry


def mission_choices(*, association: Association) -> QuerySet[Mission]:
    return Mission.objects.filter(association=association).order_by("title")


def people_for_hours(*, association: Association) -> QuerySet[Person]:
    """The current people of the register, for a manager recording someone's hours."""
    return Person.objects.filter(association=association, left_on__isnull=True).order_by(
        "last_name", "first_name", "id"
    )


def people_with_hours(*, association: Association) -> QuerySet[Person]:
    """Everyone who has hours in the association (the list's filter)."""
    return (
        Person.objects.filter(association=association, volunteer_hours__isnull=False)
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


# --- valuation --------------------------------------------------------------------------


@dataclass
class Valuation:
    year: int
    rate: YearRate
    hours: Decimal
    amount: Decimal
    entries: int
    volunteers: int
    by_activity: list[dict] = field(default_factory=list)
    by_month: list[dict] = field(default_factory=list)


def _validated(association: Association, start: datetime.date, end: datetime.date) -> QuerySet:
    return VolunteerHours.objects.filter(
        association=association, status=HoursStatus.VALIDATED, date__gte=start, date__lte=end
    )


def valuation_for_year(*, association: Association, year: int) -> Valuation:
    """Validated hours of ``year``, valued at the year's rate: five queries."""
    rate = hourly_rate_for_year(association=association, year=year)
    qs = _validated(association, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    totals = qs.aggregate(
        hours=Sum("hours"), entries=Count("pk"), volunteers=Count("person", distinct=True)
    )
    hours = totals["hours"] or ZERO
    labels = dict(Activity.choices)
    by_activity = [
        {
            "activity": row["activity"],
            "label": labels.get(row["activity"], row["activity"]),
            "hours": row["hours"],
            "volunteers": row["volunteers"],
            "amount": money(row["hours"] * rate.rate),
        }
        for row in qs.order_by()
        .values("activity")
        .annotate(hours=Sum("hours"), volunteers=Count("person", distinct=True))
        .order_by("-hours", "activity")
    ]
    months = {
        _as_date(row["month"]).month: row
        for row in qs.order_by()
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(hours=Sum("hours"), volunteers=Count("person", distinct=True))
    }
    by_month = []
    for number in range(1, 13):
        row = months.get(number)
        month_hours = row["hours"] if row else ZERO
        by_month.append(
            {
                "month": datetime.date(year, number, 1),
                "hours": month_hours,
                "volunteers": row["volunteers"] if row else 0,
                "amount": money(month_hours * rate.rate),
            }
        )
    return Valuation(
        year=year,
        rate=rate,
        hours=hours,
        amount=money(hours * rate.rate),
        entries=totals["entries"],
        volunteers=totals["volunteers"],
        by_activity=by_activity,
        by_month=by_month,
    )


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def valuation_years(*, association: Association) -> list[int]:
    """Years that have hours, and the current year, newest first."""
    years = set(
        VolunteerHours.objects.filter(association=association)
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)


def valued_amount(*, association: Association, start: datetime.date, end: datetime.date) -> Decimal:
    """Valuation (€) of the validated hours dated in [start, end], each year at its
    own rate (a period may span two years)."""
    locked, default = rates_by_year(association=association)
    per_year = (
        _validated(association, start, end)
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values("year")
        .annotate(hours=Sum("hours"))
    )
    total = ZERO
    for row in per_year:
        total += row["hours"] * locked.get(row["year"], default)
    return money(total)


def validated_entries_for_year(*, association: Association, year: int) -> QuerySet[VolunteerHours]:
    """The rows of the year's export: validated entries, oldest first."""
    return (
        _validated(association, datetime.date(year, 1, 1), datetime.date(year, 12, 31))
        .select_related("person", "mission", "validated_by")
        .order_by("date", "person__last_name", "person__first_name", "id")
    )


# --- certificate ---------------------------------------------------------------------------


@dataclass
class CertificateData:
    association: Association
    person: Person
    start: datetime.date
    end: datetime.date
    hours: Decimal
    days: int
    first_day: datetime.date | None
    last_day: datetime.date | None
    by_activity: list[dict]
    missions: list[str]
    signatory: str


def certificate_data(
    *, association: Association, person: Person, start: datetime.date, end: datetime.date
) -> CertificateData:
    """What the volunteer's certificate says: only validated hours of the period (in
    the association's scope: the volunteer's own page, /me/, runs with none)."""
    with scope(association=association):
        qs = _validated(association, start, end).filter(person=person)
        totals = qs.aggregate(
            hours=Sum("hours"),
            first=Min("date"),
            last=Max("date"),
            days=Count("date", distinct=True),
        )
        labels = dict(Activity.choices)
        by_activity = [
            {"label": labels.get(row["activity"], row["activity"]), "hours": row["hours"]}
            for row in qs.order_by()
            .values("activity")
            .annotate(hours=Sum("hours"))
            .order_by("-hours", "activity")
        ]
        missions = list(
            Mission.objects.filter(hours__in=qs)
            .distinct()
            .order_by("title")
            .values_list("title", flat=True)
        )
        president = (
            Person.objects.filter(
                association=association,
                left_on__isnull=True,
                role_assignments__role=Role.PRESIDENT,
            )
            .order_by("pk")
            .first()
        )
    return CertificateData(
        association=association,
        person=person,
        start=start,
        end=end,
        hours=totals["hours"] or ZERO,
        days=totals["days"],
        first_day=totals["first"],
        last_day=totals["last"],
        by_activity=by_activity,
        missions=missions,
        signatory=str(president) if president else "",
    )


# --- the volunteer's own space, across their associations (/me/, no scope) --------------


@dataclass
class AssociationHours:
    association: Association
    person: Person
    validated: Decimal
    pending: Decimal
    validated_this_year: Decimal
    entries: list = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def my_hours_overview(*, user: User, recent: int = 200) -> list[AssociationHours]:
    """The signed-in user's hours in each association where they have a record:
    totals, years with validated hours and the latest entries. Four queries."""
    this_year = timezone.localdate().year
    with scopes_disabled():
        people = list(
            Person.objects.filter(user=user)
            .select_related("association")
            .order_by("association__name")
        )
        if not people:
            return []
        by_person = {p.pk: AssociationHours(p.association, p, ZERO, ZERO, ZERO) for p in people}
        mine = VolunteerHours.objects.filter(person__in=list(by_person))
        totals = (
            mine.order_by()
            .values("person")
            .annotate(
                validated=Sum("hours", filter=Q(status=HoursStatus.VALIDATED)),
                pending=Sum("hours", filter=Q(status=HoursStatus.PENDING)),
                this_year=Sum(
                    "hours", filter=Q(status=HoursStatus.VALIDATED, date__year=this_year)
                ),
            )
        )
        for row in totals:
            item = by_person[row["person"]]
            item.validated = row["validated"] or ZERO
            item.pending = row["pending"] or ZERO
            item.validated_this_year = row["this_year"] or ZERO
        years = (
            mine.filter(status=HoursStatus.VALIDATED)
            .annotate(year=ExtractYear("date"))
            .order_by()
            .values_list("person", "year")
            .distinct()
        )
        for person_id, year in years:
            by_person[person_id].years.append(year)
        for entry in mine.select_related("mission").order_by("-date", "-id")[:recent]:
            by_person[entry.person_id].entries.append(entry)
    for item in by_person.values():
        item.years.sort(reverse=True)
    return list(by_person.values())


def my_person_in(*, user: User, slug: str) -> Person:
    """The user's record in the association ``slug`` (for their certificate), or 404."""
    with scopes_disabled():
        person = (
            Person.objects.filter(user=user, association__slug=slug)
            .select_related("association")
            .first()
        )
    if person is None:
        raise Http404
    return person
