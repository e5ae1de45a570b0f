"""Reads of tax receipts, their settings and the yearly batches."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import storages
from django.db.models import Count, QuerySet, Sum
from django.http import Http404

from maillon.associations.models import Association

from ..models import (
    Donation,
    DonationStatus,
    FundingSettings,
    Receipt,
    ReceiptBatch,
    ReceiptKind,
    ReceiptStatus,
)


def private_storage():
    """Receipts' PDFs: never served by URL, read through a view that checks who asks."""
    return storages["private"]


def funding_settings(*, association: Association) -> FundingSettings:
    """The association's settings (unsaved defaults until the treasurer saves them)."""
    found = FundingSettings.objects.filter(association=association).first()
    return found or FundingSettings(association=association)


def receipt_list(*, association: Association, year: int | None = None) -> QuerySet[Receipt]:
    receipts = Receipt.objects.filter(association=association).select_related("donor", "cancels")
    if year:
        receipts = receipts.filter(year=year)
    return receipts.order_by("-year", "-sequence")


def receipt_get(*, association: Association, receipt_id: Any) -> Receipt:
    """Access helper: a receipt of ``association`` or 404."""
    receipt = (
        Receipt.objects.filter(association=association, pk=receipt_id)
        .select_related("donor", "cancels", "replaces")
        .first()
    )
    if receipt is None:
        raise Http404
    return receipt


def receipt_cancellation(receipt: Receipt) -> Receipt | None:
    return Receipt.objects.filter(association_id=receipt.association_id, cancels=receipt).first()


def yearly_summary(*, association: Association) -> list[dict[str, Any]]:
    """Per year of the gifts: how many receipts were issued and their total, cancelled
    ones apart. The tax rules (article 222 bis of the CGI) ask for the gifts received
    in a year that gave rise to receipts, and the number of receipts issued for them:
    a receipt issued in January for December's gifts counts in December's year."""
    rows = (
        Receipt.objects.filter(association=association, kind=ReceiptKind.RECEIPT)
        .values("gift_year", "status")
        .annotate(count=Count("pk"), total=Sum("total"))
        .order_by("-gift_year", "status")
    )
    years: dict[int, dict[str, Any]] = {}
    for row in rows:
        year = years.setdefault(
            row["gift_year"],
            {"year": row["gift_year"], "valid": 0, "valid_total": 0, "cancelled": 0},
        )
        if row["status"] == ReceiptStatus.VALID:
            year["valid"], year["valid_total"] = row["count"], row["total"]
        else:
            year["cancelled"] = row["count"]
    return list(years.values())


def donations_to_receipt(*, association: Association, gift_year: int) -> QuerySet[Donation]:
    return Donation.objects.filter(
        association=association,
        date__year=gift_year,
        status=DonationStatus.RECORDED,
        receipt__isnull=True,
    )


def batch_get(*, association: Association, batch_id: Any) -> ReceiptBatch:
    batch = ReceiptBatch.objects.filter(association=association, pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


def my_receipts(*, user) -> list[Receipt]:
    """The receipts of the signed-in person across associations: donors linked to
    their member record, or bearing their (verified) account email."""
    from django.db.models import Q
    from django_scopes import scopes_disabled

    mine = Q(donor__person__user=user)
    if user.email:
        mine |= Q(donor__email__iexact=user.email)
    with scopes_disabled():
        return list(
            Receipt.objects.filter(mine)
            .select_related("association", "donor")
            .order_by("-issued_at", "-pk")[:200]
        )


def my_receipt_get(*, user, receipt_id: Any) -> Receipt:
    for receipt in my_receipts(user=user):
        if str(receipt.pk) == str(receipt_id):
            return receipt
    raise Http404


def receipts_to_print(*, association: Association):
    """Receipts of donors without email not yet printed as a letter, in number order."""
    return (
        Receipt.objects.filter(association=association, letter_printed_at=None, donor__email="")
        .select_related("donor")
        .order_by("year", "sequence")
    )


def receipts_to_email(*, association: Association):
    """Receipts of donors with an email that were never emailed."""
    return Receipt.objects.filter(association=association, emailed_at=None).exclude(donor__email="")
