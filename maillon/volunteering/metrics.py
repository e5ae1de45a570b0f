"""Volunteering indicators published in the metrics registry (see maillon.metrics).

Each ``compute(association, start, end)`` counts over [start, end] (dates,
inclusive); the definitions are those of the engagement dashboard
(engagement_selectors)."""

from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from maillon.metrics.registry import Metric, register


def new_volunteers(association, start, end):
    from .engagement.selectors import accepted_in

    with scopes_disabled():
        return accepted_in(association, start, end).count()


def active_volunteers(association, start, end):
    from .engagement import selectors as engagement_selectors

    with scopes_disabled():
        return engagement_selectors.active_volunteers(association=association, start=start, end=end)


def hours(association, start, end):
    from .engagement.selectors import validated_hours

    with scopes_disabled():
        return validated_hours(association=association, start=start, end=end)


def valuation(association, start, end):
    from .hours.selectors import valued_amount

    with scopes_disabled():
        return valued_amount(association=association, start=start, end=end)


def applications(association, start, end):
    from .engagement.selectors import submitted_in

    with scopes_disabled():
        return submitted_in(association, start, end).count()


def response_rate(association, start, end):
    from .engagement import selectors as engagement_selectors

    with scopes_disabled():
        return engagement_selectors.response_rate(association=association, start=start, end=end)


def median_response_hours(association, start, end):
    from .engagement.selectors import median_response

    with scopes_disabled():
        median = median_response(association=association, start=start, end=end)
    return None if median is None else round(median.total_seconds() / 3600, 1)


def retention_90_days(association, start, end):
    from .engagement.selectors import retention

    with scopes_disabled():
        eligible, retained = retention(association=association, start=start, end=end)
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
            description=_("Different people with validated volunteer hours in the period."),
        ),
        Metric(
            code="volunteering.hours",
            label=_("Volunteer hours"),
            unit=_("hours"),
            compute=hours,
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
