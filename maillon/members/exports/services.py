"""Large exports of the member register, prepared in the background.

A register of a few thousand people is exported in the request (``register/views.py``);
beyond ``MEMBER_EXPORT_SYNC_MAX_ROWS`` the export is asked for here, a task writes the
file into the private storage with its progress, and the page that follows the
progress offers the file once it is ready. The file is deleted after
``members.retention.EXPORT_FILE_HOURS``.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log

from ..models import ExportStatus, MemberExport
from ..permissions import Perm, check_permission
from ..register import exports
from ..register.selectors import person_list
from .selectors import private_storage
from .tasks import build_member_export

logger = logging.getLogger(__name__)

#: The register's filters an export may carry (``MemberFilterForm.filters()``).
FILTER_KEYS = ("search", "role", "up_to_date", "joined_year", "status")


@transaction.atomic
def member_export_request(
    *, association: Association, actor: User, file_format: str, filters: dict[str, Any]
) -> MemberExport:
    """Ask for an export of the register filtered by ``filters``: a task prepares it."""
    check_permission(association=association, actor=actor, permission=Perm.EXPORT_MEMBERS)
    if file_format not in exports.FORMATS:
        raise ValidationError(_("Unknown export format."))
    export = MemberExport(
        association=association,
        requested_by=actor,
        file_format=file_format,
        filters={key: value for key, value in filters.items() if key in FILTER_KEYS and value},
    )
    export.full_clean()
    export.save()
    audit_log(
        association=association,
        actor=actor,
        action="members.export_requested",
        obj=export,
        data={"format": file_format, "filters": export.filters},
    )
    transaction.on_commit(partial(_enqueue, association, export.pk, actor.language))
    return export


def _enqueue(association: Association, export_id: int, language: str) -> None:
    try:
        build_member_export.enqueue(
            association_id=association.pk, language=language, export_id=export_id
        )
    except Exception:
        logger.exception("Could not enqueue member export %s", export_id)
        MemberExport.objects.filter(pk=export_id).update(
            status=ExportStatus.FAILED,
            failure_message=_("The export could not be started. Please ask for it again."),
            finished_at=timezone.now(),
        )


def member_export_build(*, association: Association, export_id: int) -> MemberExport | None:
    """Write the file of a queued export, reporting progress as it goes (each step is
    committed, so the progress page, another connection, sees it move)."""
    with transaction.atomic():
        export = (
            MemberExport.objects.select_for_update()
            .filter(association=association, pk=export_id)
            .first()
        )
        if export is None or export.status != ExportStatus.QUEUED:
            return export  # already built, being built elsewhere, or failed
        people = person_list(association=association, **export.filters)
        export.status = ExportStatus.RUNNING
        export.total_rows = people.count()
        export.processed_rows = 0
        export.save(update_fields=["status", "total_rows", "processed_rows"])
    try:
        path = _write_file(association, export, people)
    except Exception:
        logger.exception("Member export %s failed", export_id)
        export.status = ExportStatus.FAILED
        export.failure_message = _(
            "An unexpected error stopped the export. Please ask for it again."
        )
        export.finished_at = timezone.now()
        export.save(update_fields=["status", "failure_message", "finished_at"])
        return export
    export.status = ExportStatus.DONE
    export.file_path = path
    export.processed_rows = export.total_rows
    export.finished_at = timezone.now()
    export.save(update_fields=["status", "file_path", "processed_rows", "finished_at"])
    return export


def _write_file(association: Association, export: MemberExport, people) -> str:
    """Write the export to a temporary file, then into the private storage under a
    name nobody can guess; its name there."""

    def progress(done: int) -> None:
        MemberExport.objects.filter(pk=export.pk).update(processed_rows=done)

    suffix = f".{export.file_format}"
    handle, temporary = tempfile.mkstemp(suffix=suffix)
    os.close(handle)
    try:
        if export.file_format == "csv":
            with open(temporary, "w", encoding="utf-8", newline="") as text:
                exports.write_csv(people, text, progress=progress)
        else:
            exports.write_xlsx(people, temporary, progress=progress)
        name = f"member-exports/{association.pk}/{secrets.token_urlsafe(24)}{suffix}"
        with open(temporary, "rb") as content:
            return private_storage().save(name, File(content))
    finally:
        os.unlink(temporary)
