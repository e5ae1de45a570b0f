"""What the diagnostic keeps no longer (promised on ``/privacy/``)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from maillon.core.retention import RetentionRule

from .models import AnonymousDiagnostic

ANONYMOUS_DIAGNOSTIC_IDLE_DAYS = 180


def purge_idle_anonymous_diagnostics(now: datetime.datetime) -> int:
    return AnonymousDiagnostic.objects.filter(
        updated_at__lt=now - timedelta(days=ANONYMOUS_DIAGNOSTIC_IDLE_DAYS)
    ).delete()[0]


RULES = (RetentionRule("anonymous_diagnostics_deleted", purge_idle_anonymous_diagnostics),)
