"""Reads of donations."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404

from maillon.associations.models import Association

from ..models import Donation, DonationStatus


def donation_list(
    *,
    association: Association,
    year: int | None = None,
    donor_id: int | None = None,
    campaign_id: int | None = None,
    status: str = "",
) -> QuerySet[Donation]:
    donations = Donation.objects.filter(association=association).select_related(
        "donor", "campaign", "receipt"
    )
    if year:
        donations = donations.filter(date__year=year)
    if donor_id:
        donations = donations.filter(donor_id=donor_id)
    if campaign_id:
        donations = donations.filter(campaign_id=campaign_id)
    if status:
        donations = donations.filter(status=status)
    return donations.order_by("-date", "-pk")


def donation_get(*, association: Association, donation_id: Any) -> Donation:
    """Access helper: a donation of ``association`` or 404."""
    donation = (
        Donation.objects.filter(association=association, pk=donation_id)
        .select_related("donor", "campaign", "receipt")
        .first()
    )
    if donation is None:
        raise Http404
    return donation


def donation_for_payment(
    *, association: Association, provider: str, payment_id: str
) -> Donation | None:
    return Donation.objects.filter(
        association=association, provider=provider, provider_payment_id=payment_id
    ).first()


def total_recorded(donations: QuerySet[Donation]) -> Any:
    return (
        donations.filter(status=DonationStatus.RECORDED).aggregate(total=Sum("amount"))["total"]
        or 0
    )
