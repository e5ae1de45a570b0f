"""Reads of donors."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404

from maillon.associations.models import Association

from ..models import DonationStatus, Donor

RECORDED = Q(donations__status=DonationStatus.RECORDED)


def donor_list(*, association: Association, search: str = "") -> QuerySet[Donor]:
    donors = Donor.objects.filter(association=association).annotate(
        gifts=Count("donations", filter=RECORDED),
        given=Sum("donations__amount", filter=RECORDED),
        last_gift=Max("donations__date", filter=RECORDED),
    )
    if search:
        donors = donors.filter(
            Q(last_name__icontains=search)
            | Q(first_name__icontains=search)
            | Q(company_name__icontains=search)
            | Q(email__icontains=search)
        )
    return donors.order_by("last_name", "first_name", "company_name", "pk")


def donor_get(*, association: Association, donor_id: Any) -> Donor:
    """Access helper: a donor of ``association`` or 404."""
    donor = Donor.objects.filter(association=association, pk=donor_id).first()
    if donor is None:
        raise Http404
    return donor


def donor_choices(*, association: Association) -> QuerySet[Donor]:
    return Donor.objects.filter(association=association, anonymised_at__isnull=True).order_by(
        "last_name", "first_name", "company_name"
    )


def donor_by_email(*, association: Association, email: str) -> Donor | None:
    if not email:
        return None
    return Donor.objects.filter(association=association, email__iexact=email).order_by("pk").first()
