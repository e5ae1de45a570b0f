"""Indicators of pooled resources and help requests in the metrics registry
(registered by the network app's config). ``network.help_response_hours`` is in
``help/engagements/metrics.py``; ``network.sponsored_hours`` is computed by
``help/sponsorship``."""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from maillon.metrics.registry import Metric, get, register

from ..help.models import HelpRequest
from ..help.sponsorship.selectors import sponsored_hours
from .models import Booking, BookingStatus, SharedResource


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _end_of(day: datetime.date) -> datetime.datetime:
    return _start_of(day + datetime.timedelta(days=1))


def resources_shared(association, start, end):
    """Resources in the catalogue at the end of the period."""
    return SharedResource.objects.filter(
        association=association, is_published=True, created_at__lt=_end_of(end)
    ).count()


def bookings(association, start, end):
    """Loans starting in the period, lent or borrowed (not declined nor cancelled)."""
    with scopes_disabled():  # the borrowed ones live in the lenders' scopes
        return (
            Booking.objects.filter(Q(association=association) | Q(borrower=association))
            .filter(starts_at__gte=_start_of(start), starts_at__lt=_end_of(end))
            .exclude(status__in=[BookingStatus.DECLINED, BookingStatus.CANCELLED])
            .count()
        )


def help_requests(association, start, end):
    return HelpRequest.objects.filter(
        association=association,
        created_at__gte=_start_of(start),
        created_at__lt=_end_of(end),
    ).count()


def register_pooling_metrics() -> None:
    metrics = [
        Metric(
            code="network.resources_shared",
            label=_("Resources shared with other associations"),
            unit=_("resources"),
            compute=resources_shared,
            kind="stock",
            description=_("Rooms, equipment, vehicles and skill slots in the catalogue."),
        ),
        Metric(
            code="network.bookings",
            label=_("Loans between associations"),
            unit=_("loans"),
            compute=bookings,
            description=_("Bookings starting in the period, lent or borrowed."),
        ),
        Metric(
            code="network.help_requests",
            label=_("Help requests"),
            unit=_("requests"),
            compute=help_requests,
            description=_("Requests for skilled help written in the period."),
        ),
        Metric(
            code="network.sponsored_hours",
            label=_("Hours of skills sponsorship received"),
            unit=_("hours"),
            compute=sponsored_hours,
            description=_(
                "Hours that companies’ employees gave the association under a skills "
                "sponsorship agreement, validated by the association."
            ),
        ),
    ]
    for metric in metrics:
        if get(metric.code) is None:
            register(metric)
