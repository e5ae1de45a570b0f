"""Funding indicators published in the metrics registry (see maillon.metrics).

``compute(association, start, end)`` runs inside the association's scope."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Min, Sum
from django.utils.translation import gettext_lazy as _

from maillon.associations.models import Association
from maillon.metrics.registry import Metric, register

from .models import Donation, DonationStatus


def _recorded(association: Association):
    return Donation.objects.filter(association=association, status=DonationStatus.RECORDED)


def donations_total(association: Association, start: datetime.date, end: datetime.date) -> Decimal:
    total = (
        _recorded(association)
        .filter(date__range=(start, end))
        .aggregate(total=Sum("amount"))["total"]
    )
    return total or Decimal("0")


def donors_new(association: Association, start: datetime.date, end: datetime.date) -> int:
    """Donors whose first gift falls in the period."""
    return (
        _recorded(association)
        .values("donor_id")
        .annotate(first=Min("date"))
        .filter(first__range=(start, end))
        .count()
    )


def recurring_donors(association: Association, start: datetime.date, end: datetime.date) -> int:
    """Donors who gave in the period and had already given before it."""
    before = _recorded(association).filter(date__lt=start).values("donor_id")
    return (
        _recorded(association)
        .filter(date__range=(start, end), donor_id__in=before)
        .values("donor_id")
        .distinct()
        .count()
    )


def register_metrics() -> None:
    for metric in (
        Metric(
            code="funding.donations_total",
            label=_("Donations received"),
            unit=_("€"),
            compute=donations_total,
            description=_(
                "Gifts of money, in kind and waived expenses in the period "
                "(cancelled ones left out)."
            ),
        ),
        Metric(
            code="funding.donors_new",
            label=_("New donors"),
            unit=_("donors"),
            compute=donors_new,
            description=_("Donors whose first gift was in the period."),
        ),
        Metric(
            code="funding.recurring_donors",
            label=_("Returning donors"),
            unit=_("donors"),
            compute=recurring_donors,
            description=_("Donors who gave in the period and had already given before."),
        ),
    ):
        register(metric)
