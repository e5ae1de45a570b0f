"""The donor's signed link to download their receipt, without an account."""

from __future__ import annotations

from django.core import signing
from django_scopes import scopes_disabled

from ..models import Receipt

SALT = "maillon.funding.receipt"
LINK_DAYS = 400  # a receipt of the year is downloaded until the next tax return


def receipt_token(receipt: Receipt) -> str:
    return signing.dumps({"a": receipt.association_id, "r": receipt.pk}, salt=SALT, compress=True)


def receipt_for_token(token: str) -> Receipt | None:
    """The receipt a signed link names, or None for a forged or expired link."""
    try:
        value = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 86400)
    except signing.BadSignature:
        return None
    with scopes_disabled():
        return (
            Receipt.objects.filter(association_id=value.get("a"), pk=value.get("r"))
            .select_related("association")
            .first()
        )
