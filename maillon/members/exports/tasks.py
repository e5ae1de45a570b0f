"""Background work of the large member exports (django-tasks)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.associations.tasks import association_task

from ..models import ExportStatus, MemberExport

logger = logging.getLogger(__name__)


@association_task()
def build_member_export(association: Association, *, export_id: int) -> str:
    """Write the file of a requested export, in the language of the person who asked
    for it (the column headers are for them)."""
    from .services import member_export_build

    try:
        export = member_export_build(association=association, export_id=export_id)
    except Exception:
        # member_export_build reports its own failures; this catches what happens
        # around it (connection) so the export never stays "preparing" for ever.
        logger.exception("Member export task %s failed", export_id)
        MemberExport.objects.filter(
            association=association,
            pk=export_id,
            status__in=[ExportStatus.QUEUED, ExportStatus.RUNNING],
        ).update(
            status=ExportStatus.FAILED,
            failure_message=_("An unexpected error stopped the export. Please ask for it again."),
            finished_at=timezone.now(),
        )
        raise
    return export.status if export is not None else "missing"
