"""Receipt numbers under concurrent issuing, on PostgreSQL (SQLite serialises writers,
so the race cannot happen there): 8 treasurers' clicks at once get consecutive
numbers, with no gap and no duplicate, even when a ninth transaction takes a number
and rolls back."""

import threading

import pytest
from django.db import connection, connections, transaction
from django_scopes import scopes_disabled

from maillon.funding.models import Receipt
from maillon.funding.receipts.services import receipt_issue

from .factories import DonationFactory, DonorFactory, eligible

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL (set DATABASE_URL): SQLite has no concurrent writers",
    ),
]


class RolledBack(Exception):
    pass


def _race(calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            outcomes[i] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is what the test reads
            outcomes[i] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_eight_receipts_at_once_are_numbered_without_gap_or_duplicate(association, treasurer):
    eligible(association)
    gifts = [DonationFactory(donor=DonorFactory(association=association)) for _ in range(9)]

    def issue(gift):
        return receipt_issue(association=association, actor=treasurer, donation=gift)

    def issue_then_fail(gift):
        with transaction.atomic():
            issue(gift)
            raise RolledBack

    calls = [lambda g=g: issue(g) for g in gifts[:8]] + [lambda: issue_then_fail(gifts[8])]
    outcomes = _race(calls)

    assert all(isinstance(o, Receipt) for o in outcomes[:8]), outcomes
    assert isinstance(outcomes[8], RolledBack)
    with scopes_disabled():
        sequences = sorted(
            Receipt.objects.filter(association=association).values_list("sequence", flat=True)
        )
    assert sequences == list(range(1, 9))
    assert sorted(o.sequence for o in outcomes[:8]) == list(range(1, 9))
