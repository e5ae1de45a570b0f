"""What the member register keeps no longer (promised on ``/privacy/``)."""

from __future__ import annotations

import datetime
from datetime import timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from maillon.core.retention import RetentionRule

from .models import ExportStatus, ImportStatus, Invitation, JoinRequest, MemberExport, MemberImport

IMPORT_CONTENT_DAYS = 7
STALE_RUNNING_IMPORT_HOURS = 6
JOIN_REQUEST_DAYS_AFTER_ANSWER = 365
EXPIRED_INVITATION_DAYS = 90
#: A prepared export file (the whole register, with contact details) is deleted
#: this long after it is ready; the record of the export a month later.
EXPORT_FILE_HOURS = 48
EXPORT_RECORD_DAYS = 30
STALE_RUNNING_EXPORT_HOURS = 6


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


def purge_export_files(now: datetime.datetime) -> int:
    """Files of exports ready for more than ``EXPORT_FILE_HOURS``; unfinished exports
    that no worker will finish are marked failed."""
    from .exports.selectors import private_storage

    MemberExport.objects.filter(
        status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        created_at__lt=now - timedelta(hours=STALE_RUNNING_EXPORT_HOURS),
    ).update(status=ExportStatus.FAILED, failure_message=_stale_export_message(), finished_at=now)
    storage = private_storage()
    expired = MemberExport.objects.filter(
        finished_at__lt=now - timedelta(hours=EXPORT_FILE_HOURS)
    ).exclude(file_path="")
    deleted = 0
    for export in expired.only("pk", "file_path"):
        storage.delete(export.file_path)  # no error when it is already gone
        deleted += 1
    expired.update(file_path="")
    MemberExport.objects.filter(created_at__lt=now - timedelta(days=EXPORT_RECORD_DAYS)).delete()
    return deleted


def _stale_export_message() -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("The export did not finish in time. Please ask for it again.")


RULES = (
    RetentionRule("stale_imports_failed", purge_stale_imports),
    RetentionRule("import_contents_deleted", purge_import_contents),
    RetentionRule("join_requests_deleted", purge_answered_join_requests),
    RetentionRule("invitations_deleted", purge_expired_invitations),
    RetentionRule("member_export_files_deleted", purge_export_files),
)
