"""Receipt numbers: consecutive per association and year, with no gap and no
duplicate, even when several people (or a background task) issue receipts at once.

The year's counter row is locked (``SELECT ... FOR UPDATE``) inside the caller's
transaction: a second issuer waits for the first to commit, then reads the number it
left. A rolled-back transaction gives its numbers back with it, so no gap appears.
The unique constraint on (association, year, sequence) is the last guard."""

from __future__ import annotations

from django.db import transaction

from maillon.associations.models import Association

from ..models import ReceiptCounter


def format_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


def take_numbers(*, association: Association, year: int, count: int = 1) -> list[int]:
    """Reserve ``count`` consecutive sequence numbers of ``year``; must run inside a
    transaction that also writes the receipts."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("take_numbers() must run inside the transaction that issues.")
    # Make sure the row exists without racing another first issuer of the year.
    ReceiptCounter.objects.bulk_create(
        [ReceiptCounter(association=association, year=year)], ignore_conflicts=True
    )
    counter = ReceiptCounter.objects.select_for_update().get(association=association, year=year)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return list(range(first, first + count))
