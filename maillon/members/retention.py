"""What the member register keeps no longer (promised on ``/privacy/``)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from maillon.core.retention import RetentionRule

from .models import ImportStatus, Invitation, JoinRequest, MemberImport

IMPORT_CONTENT_DAYS = 7
STALE_RUNNING_IMPORT_HOURS = 6
JOIN_REQUEST_DAYS_AFTER_ANSWER = 365
EXPIRED_INVITATION_DAYS = 90


def _stale_import_message() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("The import did not finish in time; nothing was written. Try again.")


def purge_stale_imports(now: datetime.datetime) -> int:
    """An import whose worker died stays "running" for ever otherwise."""
    return MemberImport.objects.filter(
        status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING],
        created_at__lt=now - timedelta(hours=STALE_RUNNING_IMPORT_HOURS),
    ).update(status=ImportStatus.FAILED, failure_message=_stale_import_message(), finished_at=now)


def purge_import_contents(now: datetime.datetime) -> int:
    """File content of imports not finished within a week: the people stay, the
    uploaded rows go."""
    return (
        MemberImport.objects.filter(created_at__lt=now - timedelta(days=IMPORT_CONTENT_DAYS))
        .exclude(rows=[])
        .update(rows=[], headers=[])
    )


def purge_answered_join_requests(now: datetime.datetime) -> int:
    return JoinRequest.objects.filter(
        decided_at__lt=now - timedelta(days=JOIN_REQUEST_DAYS_AFTER_ANSWER)
    ).delete()[0]


def purge_expired_invitations(now: datetime.datetime) -> int:
    return Invitation.objects.filter(
        accepted_at__isnull=True,
        expires_at__lt=now - timedelta(days=EXPIRED_INVITATION_DAYS),
    ).delete()[0]


RULES = (
    RetentionRule("stale_imports_failed", purge_stale_imports),
    RetentionRule("import_contents_deleted", purge_import_contents),
    RetentionRule("join_requests_deleted", purge_answered_join_requests),
    RetentionRule("invitations_deleted", purge_expired_invitations),
)
