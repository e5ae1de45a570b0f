"""What the funding module keeps no longer (promised on ``/privacy/``).

Tax receipts and the gifts they certify are kept: the association must keep the
duplicates of its receipts 6 years (livre des procédures fiscales, L. 102 E), and
its accounting records 10 years. Donors who never gave are removed after 3 years
(prospects, CNIL)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from maillon.core.retention import RetentionRule

from .models import Donor

PROSPECT_DAYS = 3 * 365


def purge_donors_without_gift(now: datetime.datetime) -> int:
    return Donor.objects.filter(
        donations__isnull=True,
        receipts__isnull=True,
        created_at__lt=now - timedelta(days=PROSPECT_DAYS),
    ).delete()[0]


RULES = (RetentionRule("donors_without_gift_deleted", purge_donors_without_gift),)
