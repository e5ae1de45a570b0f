"""Volunteering indicators published in the metrics registry (see maillon.metrics).

Each ``compute(association, start, end)`` counts over [start, end] (dates,
inclusive), inside the association's scope (``registry.measure`` opens it); the
definitions are those of the engagement dashboard (``engagement/selectors.py``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.metrics.registry import Metric, register

from .engagement import selectors as engagement
from .hours.selectors import valued_amount


def new_volunteers(association: Association, start: datetime.date, end: datetime.date) -> int:
    return engagement.accepted_in(association, start, end).count()


def active_volunteers(association: Association, start: datetime.date, end: datetime.date) -> int:
    return engagement.active_volunteers(association=association, start=start, end=end)


def hours(association: Association, start: datetime.date, end: datetime.date) -> Decimal:
    return engagement.validated_hours(association=association, start=start, end=end)


def valuation(association: Association, start: datetime.date, end: datetime.date) -> Decimal:
    return valued_amount(association=association, start=start, end=end)


def _validated_hours_many(association_ids, start, end):
    from .models import HoursStatus, VolunteerHours

    with scopes_disabled():
        rows = (
            VolunteerHours.objects.filter(
                association_id__in=association_ids,
                status=HoursStatus.VALIDATED,
                date__gte=start,
                date__lte=end,
            )
            .values("association_id")
            .annotate(people=Count("person", distinct=True), total=Sum("hours"))
        )
        return {row["association_id"]: row for row in rows}


def active_volunteers_many(association_ids, start, end):
    rows = _validated_hours_many(association_ids, start, end)
    return {pk: rows[pk]["people"] if pk in rows else 0 for pk in association_ids}


def hours_many(association_ids, start, end):
    rows = _validated_hours_many(association_ids, start, end)
    return {pk: rows[pk]["total"] if pk in rows else Decimal(0) for pk in association_ids}


def active_volunteers_and_hours_many(association_ids, start, end):
    """Both figures from the same rows, in one query (``Metric.batch``)."""
    rows = _validated_hours_many(association_ids, start, end)
    return {
        "volunteering.active_volunteers": {
            pk: rows[pk]["people"] if pk in rows else 0 for pk in association_ids
        },
        "volunteering.hours": {
            pk: rows[pk]["total"] if pk in rows else Decimal(0) for pk in association_ids
        },
    }


def applications(association: Association, start: datetime.date, end: datetime.date) -> int:
    return engagement.submitted_in(association, start, end).count()


def response_rate(
    association: Association, start: datetime.date, end: datetime.date
) -> float | None:
    return engagement.response_rate(association=association, start=start, end=end)


def median_response_hours(
    association: Association, start: datetime.date, end: datetime.date
) -> float | None:
    median = engagement.median_response(association=association, start=start, end=end)
    return None if median is None else round(median.total_seconds() / 3600, 1)


def retention_90_days(
    association: Association, start: datetime.date, end: datetime.date
) -> float | None:
    eligible, retained = engagement.retention(association=association, start=start, end=end)
    return round(100 * retained / eligible, 1) if eligible else None


def register_metrics() -> None:
    for metric in (
        Metric(
            code="volunteering.new_volunteers",
            label=_("New volunteers (applications accepted)"),
            unit=_("people"),
            compute=new_volunteers,
            description=_("Applications to a mission accepted in the period."),
        ),
        Metric(
            code="volunteering.active_volunteers",
            label=_("Active volunteers"),
            unit=_("people"),
            compute=active_volunteers,
            compute_many=active_volunteers_many,
            batch=active_volunteers_and_hours_many,
            description=_("Different people with validated volunteer hours in the period."),
        ),
        Metric(
            code="volunteering.hours",
            label=_("Volunteer hours"),
            unit=_("hours"),
            compute=hours,
            compute_many=hours_many,
            batch=active_volunteers_and_hours_many,
            description=_("Validated volunteer hours dated in the period."),
        ),
        Metric(
            code="volunteering.valuation",
            label=_("Valuation of volunteer time"),
            unit="€",
            compute=valuation,
            description=_("Validated hours of the period × the hourly rate of their year."),
        ),
        Metric(
            code="volunteering.applications",
            label=_("Applications to missions"),
            unit=_("applications"),
            compute=applications,
            description=_("Applications submitted in the period."),
        ),
        Metric(
            code="volunteering.response_rate",
            label=_("Applications answered"),
            unit="%",
            compute=response_rate,
            kind="stock",
            description=_("Share of the applications submitted in the period that got an answer."),
        ),
        Metric(
            code="volunteering.median_response_hours",
            label=_("Median time to answer an application"),
            unit=_("hours"),
            compute=median_response_hours,
            kind="stock",
            lower_is_better=True,
            description=_(
                "Median time between an application and the association's first answer, "
                "for the applications of the period that got one."
            ),
        ),
        Metric(
            code="volunteering.retention_90_days",
            label=_("Volunteers still active after 90 days"),
            unit="%",
            compute=retention_90_days,
            kind="stock",
            description=_(
                "Of the applications accepted in the period at least 90 days ago, the share "
                "whose volunteer has validated hours 90 days or more after acceptance."
            ),
        ),
    ):
        register(metric)
