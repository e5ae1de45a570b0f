"""Background work of the member import (django-tasks)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.associations.tasks import association_task

from ..models import ImportStatus, MemberImport

logger = logging.getLogger(__name__)


@association_task()
def run_member_import(association: Association, *, import_id: int) -> str:
    """Run a confirmed member import, enqueued in the language of the person who
    confirmed it (the failure message is for them)."""
    from .services import member_import_run

    try:
        result = member_import_run(association=association, import_id=import_id)
    except Exception:
        # member_import_run reports its own failures; this catches what happens around
        # it (connection) so the import never stays "importing" for ever.
        logger.exception("Member import task %s failed", import_id)
        MemberImport.objects.filter(
            association=association,
            pk=import_id,
            status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING],
        ).update(
            status=ImportStatus.FAILED,
            failure_message=_(
                "An unexpected error stopped the import. Nothing was "
                "written; you can check the rows again and retry."
            ),
            finished_at=timezone.now(),
        )
        raise
    return result.status if result is not None else "missing"
