"""What events keep no longer (promised on ``/privacy/``)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from maillon.core.retention import RetentionRule

from .models import Registration, RegistrationStatus

UNCONFIRMED_DAYS = 7  # guest registrations never confirmed by email


def purge_unconfirmed_registrations(now: datetime.datetime) -> int:
    return Registration.objects.filter(
        status=RegistrationStatus.PENDING, created_at__lt=now - timedelta(days=UNCONFIRMED_DAYS)
    ).delete()[0]


RULES = (RetentionRule("unconfirmed_registrations_deleted", purge_unconfirmed_registrations),)
