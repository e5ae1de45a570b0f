"""Background tasks of the members module (django-tasks)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled
from django_tasks import task

from .models import ImportStatus, MemberImport

logger = logging.getLogger(__name__)


@task()
def run_member_import(import_id: int) -> str:
    """Run a confirmed member import inside its association's scope, in the language
    of the person who confirmed it (the failure message is for them)."""
    with scopes_disabled():
        member_import = (
            MemberImport.objects.filter(pk=import_id)
            .select_related("association", "confirmed_by")
            .defer("rows", "errors", "headers", "mapping")
            .first()
        )
    if member_import is None:
        return "missing"
    language = getattr(member_import.confirmed_by, "language", "") or settings.LANGUAGE_CODE
    from .import_services import member_import_run

    try:
        with scope(association=member_import.association), translation.override(language):
            result = member_import_run(import_id=import_id)
    except Exception:
        # member_import_run reports its own failures; this catches what happens around
        # it (scope, connection) so the import never stays "importing" for ever.
        logger.exception("Member import task %s failed", import_id)
        with scopes_disabled(), translation.override(language):
            MemberImport.objects.filter(
                pk=import_id, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
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
