"""What volunteering keeps no longer (promised on ``/privacy/``)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.db.models import Q

from maillon.core.retention import RetentionRule

from .models import Application, ApplicationStatus

UNCONFIRMED_DAYS = 7  # guest applications never confirmed by email
ENDED_APPLICATION_DAYS = 730  # declined or withdrawn applications, after the decision


def purge_unconfirmed_applications(now: datetime.datetime) -> int:
    return Application.objects.filter(
        submitted_at__isnull=True, created_at__lt=now - timedelta(days=UNCONFIRMED_DAYS)
    ).delete()[0]


def purge_ended_applications(now: datetime.datetime) -> int:
    ended = now - timedelta(days=ENDED_APPLICATION_DAYS)
    return Application.objects.filter(
        Q(decided_at__lt=ended) | Q(decided_at__isnull=True, updated_at__lt=ended),
        status__in=[ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN],
    ).delete()[0]


RULES = (
    RetentionRule("unconfirmed_applications_deleted", purge_unconfirmed_applications),
    RetentionRule("ended_applications_deleted", purge_ended_applications),
)
