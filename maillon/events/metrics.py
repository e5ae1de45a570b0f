"""Indicators the events module publishes in the metrics registry. Each one looks at
the events that took place in the period (published, not cancelled, started on a
day of the period — in the association's time zone — and already started).
``metrics.registry.measure`` runs them inside the association's scope."""

from __future__ import annotations

import datetime
import zoneinfo

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.metrics.registry import Metric, register

from .models import Event, EventStatus, Registration, RegistrationStatus


def _bounds(association, start: datetime.date, end: datetime.date):
    tz = zoneinfo.ZoneInfo(association.time_zone or "Europe/Paris")
    lower = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    upper = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return lower, min(upper, timezone.now())


def _held(association, start, end):
    lower, upper = _bounds(association, start, end)
    return Event.objects.filter(
        association=association,
        status=EventStatus.PUBLISHED,
        starts_at__gte=lower,
        starts_at__lt=upper,
    )


def _totals(association, start, end) -> dict:
    return Registration.objects.filter(
        event__in=_held(association, start, end), status=RegistrationStatus.CONFIRMED
    ).aggregate(
        registrations=Count("id"),
        attendance=Count("id", filter=Q(checked_in_at__isnull=False)),
    )


def events_held(association, start, end):
    return _held(association, start, end).count()


def events_registrations(association, start, end):
    """Confirmed registrations (people who came without a seat included)."""
    return _totals(association, start, end)["registrations"]


def events_attendance(association, start, end):
    return _totals(association, start, end)["attendance"]


def events_attendance_rate(association, start, end):
    totals = _totals(association, start, end)
    if not totals["registrations"]:
        return None
    return round(100 * totals["attendance"] / totals["registrations"], 1)


def register_metrics() -> None:
    register(
        Metric(
            code="events.held",
            label=_("Events held"),
            unit=_("events"),
            compute=events_held,
            description=_("Published events that took place in the period."),
        )
    )
    register(
        Metric(
            code="events.registrations",
            label=_("Registrations for events"),
            unit=_("people"),
            compute=events_registrations,
            description=_("Confirmed registrations for the events held in the period."),
        )
    )
    register(
        Metric(
            code="events.attendance",
            label=_("Attendance at events"),
            unit=_("people"),
            compute=events_attendance,
            description=_("People checked in at the events held in the period."),
        )
    )
    register(
        Metric(
            code="events.attendance_rate",
            label=_("Attendance rate at events"),
            unit="%",
            compute=events_attendance_rate,
            description=_("People checked in out of the confirmed registrations."),
            kind="stock",
        ),
    )
