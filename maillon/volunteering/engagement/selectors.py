"""The engagement dashboard and the volunteering indicators: everything is counted
in the database (a fixed number of queries whatever the number of rows).

Definitions (also shown on the dashboard page):

- views: the sum of MissionView.count over the days of the period;
- applications: applications submitted in the period (submitted_at);
- accepted: those of them accepted so far;
- still active after 90 days: of the accepted ones, those accepted (decided_at) at
  least 90 days ago whose volunteer (the application's person) has validated hours
  dated 90 days or more after the acceptance;
- response time: first_response_at − submitted_at of the applications of the period
  that got an answer; response rate: the share of them that got one.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from maillon.associations.models import Association

from ..models import (
    Application,
    ApplicationStatus,
    HoursStatus,
    MissionView,
    Source,
    VolunteerHours,
)

RETENTION_DAYS = 90
ZERO = Decimal(0)


def _tz():
    return timezone.get_current_timezone()


def _aware_bounds(start: datetime.date, end: datetime.date):
    """[start 00:00, day after end 00:00) in the current time zone."""
    tz = _tz()
    low = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    high = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return low, high


def submitted_in(
    association: Association, start: datetime.date, end: datetime.date
) -> QuerySet[Application]:
    low, high = _aware_bounds(start, end)
    return Application.objects.filter(
        association=association, submitted_at__gte=low, submitted_at__lt=high
    )


def accepted_in(
    association: Association, start: datetime.date, end: datetime.date
) -> QuerySet[Application]:
    """Applications accepted (decided_at) in the period: the new volunteers."""
    low, high = _aware_bounds(start, end)
    return Application.objects.filter(
        association=association,
        status=ApplicationStatus.ACCEPTED,
        decided_at__gte=low,
        decided_at__lt=high,
    )


def _retained_q(today: datetime.date) -> tuple[Q, Q]:
    """(eligible, retained) conditions on accepted applications: accepted at least
    90 days before ``today``, and with validated hours 90 days or more after."""
    last_day = today - datetime.timedelta(days=RETENTION_DAYS)
    _low, cutoff = _aware_bounds(last_day, last_day)
    # The acceptance day plus 90 days, compared with the hours' dates (days).
    retention_from = ExpressionWrapper(
        TruncDate(
            ExpressionWrapper(OuterRef("decided_at"), output_field=DateTimeField()),
            tzinfo=_tz(),
        )
        + datetime.timedelta(days=RETENTION_DAYS),
        output_field=DateField(),
    )
    later_hours = VolunteerHours.objects.filter(
        person=OuterRef("person"), status=HoursStatus.VALIDATED, date__gte=retention_from
    )
    eligible = Q(status=ApplicationStatus.ACCEPTED, decided_at__lt=cutoff)
    return eligible, eligible & Q(person__isnull=False) & Q(Exists(later_hours))


@dataclass(frozen=True)
class Funnel:
    views: int
    applications: int
    accepted: int
    eligible: int  # accepted at least 90 days ago
    retained: int
    responded: int

    @property
    def response_rate(self) -> float | None:
        return _percent(self.responded, self.applications)

    @property
    def retention_rate(self) -> float | None:
        return _percent(self.retained, self.eligible)

    @property
    def acceptance_rate(self) -> float | None:
        return _percent(self.accepted, self.applications)

    @property
    def conversion_rate(self) -> float | None:
        return _percent(self.applications, self.views)


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def funnel(
    *,
    association: Association,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
) -> Funnel:
    """Two queries."""
    today = today or timezone.localdate()
    views = MissionView.objects.filter(association=association, day__gte=start, day__lte=end)
    eligible, retained = _retained_q(today)
    totals = submitted_in(association, start, end).aggregate(
        applications=Count("pk"),
        accepted=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED)),
        eligible=Count("pk", filter=eligible),
        retained=Count("pk", filter=retained),
        responded=Count("pk", filter=Q(first_response_at__isnull=False)),
    )
    return Funnel(
        views=views.aggregate(total=Sum("count"))["total"] or 0,
        applications=totals["applications"],
        accepted=totals["accepted"],
        eligible=totals["eligible"],
        retained=totals["retained"],
        responded=totals["responded"],
    )


def retention(
    *,
    association: Association,
    start: datetime.date,
    end: datetime.date,
    today: datetime.date | None = None,
) -> tuple[int, int]:
    """(eligible, retained) among the applications accepted in the period."""
    eligible, retained = _retained_q(today or timezone.localdate())
    totals = accepted_in(association, start, end).aggregate(
        eligible=Count("pk", filter=eligible), retained=Count("pk", filter=retained)
    )
    return totals["eligible"], totals["retained"]


def median_response(
    *, association: Association, start: datetime.date, end: datetime.date
) -> datetime.timedelta | None:
    """Median of first_response_at − submitted_at over the answered applications
    submitted in the period: the middle row(s) read with OFFSET (two queries, on
    PostgreSQL and SQLite alike)."""
    answered = (
        submitted_in(association, start, end)
        .filter(first_response_at__isnull=False)
        .annotate(
            waited=ExpressionWrapper(
                F("first_response_at") - F("submitted_at"), output_field=DurationField()
            )
        )
    )
    count = answered.count()
    if not count:
        return None
    low = (count - 1) // 2
    high = count // 2
    middle = list(
        answered.order_by("waited", "pk").values_list("waited", flat=True)[low : high + 1]
    )
    return sum(middle, datetime.timedelta()) / len(middle)


def response_rate(
    *, association: Association, start: datetime.date, end: datetime.date
) -> float | None:
    totals = submitted_in(association, start, end).aggregate(
        submitted=Count("pk"), responded=Count("pk", filter=Q(first_response_at__isnull=False))
    )
    return _percent(totals["responded"], totals["submitted"])


@dataclass
class SourceRow:
    source: str
    label: str
    views: int = 0
    applications: int = 0
    accepted: int = 0


def by_source(
    *, association: Association, start: datetime.date, end: datetime.date
) -> list[SourceRow]:
    """Where volunteers came from: views, applications and accepted applications by
    source (two queries)."""
    rows = {value: SourceRow(value, str(label)) for value, label in Source.choices}
    for row in (
        submitted_in(association, start, end)
        .order_by()
        .values("source")
        .annotate(
            total=Count("pk"), accepted=Count("pk", filter=Q(status=ApplicationStatus.ACCEPTED))
        )
    ):
        item = rows.setdefault(row["source"], SourceRow(row["source"], row["source"]))
        item.applications, item.accepted = row["total"], row["accepted"]
    for row in (
        MissionView.objects.filter(association=association, day__gte=start, day__lte=end)
        .order_by()
        .values("source")
        .annotate(total=Sum("count"))
    ):
        item = rows.setdefault(row["source"], SourceRow(row["source"], row["source"]))
        item.views = row["total"] or 0
    return sorted(rows.values(), key=lambda r: (-r.accepted, -r.applications, -r.views, r.label))


@dataclass
class MonthRow:
    month: datetime.date
    volunteers: int = 0
    hours: Decimal = field(default=ZERO)


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + datetime.timedelta(days=32)).replace(day=1)
    return months


def activity_by_month(
    *, association: Association, start: datetime.date, end: datetime.date
) -> list[MonthRow]:
    """Active volunteers (distinct people with validated hours) and validated hours,
    month by month, every month of the period listed (one query)."""
    found = {}
    for row in (
        VolunteerHours.objects.filter(
            association=association,
            status=HoursStatus.VALIDATED,
            date__gte=start,
            date__lte=end,
        )
        .annotate(month=TruncMonth("date"))
        .order_by()
        .values("month")
        .annotate(volunteers=Count("person", distinct=True), hours=Sum("hours"))
    ):
        month = row["month"]
        month = month.date() if isinstance(month, datetime.datetime) else month
        found[month] = MonthRow(month, row["volunteers"], row["hours"] or ZERO)
    return [found.get(month, MonthRow(month)) for month in months_between(start, end)]


def active_volunteers(*, association: Association, start: datetime.date, end: datetime.date) -> int:
    return (
        VolunteerHours.objects.filter(
            association=association,
            status=HoursStatus.VALIDATED,
            date__gte=start,
            date__lte=end,
        )
        .values("person")
        .distinct()
        .count()
    )


def validated_hours(
    *, association: Association, start: datetime.date, end: datetime.date
) -> Decimal:
    return (
        VolunteerHours.objects.filter(
            association=association,
            status=HoursStatus.VALIDATED,
            date__gte=start,
            date__lte=end,
        ).aggregate(total=Sum("hours"))["total"]
        or ZERO
    )


@dataclass
class EngagementDashboard:
    start: datetime.date
    end: datetime.date
    funnel: Funnel
    sources: list[SourceRow]
    months: list[MonthRow]
    active_volunteers: int
    hours: Decimal
    median_response: datetime.timedelta | None


def engagement_dashboard(*, association: Association, start: datetime.date, end: datetime.date):
    return EngagementDashboard(
        start=start,
        end=end,
        funnel=funnel(association=association, start=start, end=end),
        sources=by_source(association=association, start=start, end=end),
        months=activity_by_month(association=association, start=start, end=end),
        active_volunteers=active_volunteers(association=association, start=start, end=end),
        hours=validated_hours(association=association, start=start, end=end),
        median_response=median_response(association=association, start=start, end=end),
    )
