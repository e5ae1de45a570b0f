"""What newsletters keep no longer (promised on ``/privacy/``)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from maillon.core.retention import RetentionRule

from .models import Subscriber

UNCONFIRMED_SUBSCRIBER_DAYS = 30


def purge_unconfirmed_subscribers(now: datetime.datetime) -> int:
    return Subscriber.objects.filter(
        consent_at__isnull=True,
        created_at__lt=now - timedelta(days=UNCONFIRMED_SUBSCRIBER_DAYS),
    ).delete()[0]


RULES = (RetentionRule("unconfirmed_subscribers_deleted", purge_unconfirmed_subscribers),)
