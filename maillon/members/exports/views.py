"""Pages of a large member export: its progress, then the file."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from maillon.core.tenancy import association_required

from ..models import ExportStatus
from ..permissions import Perm
from .selectors import member_export_get, private_storage

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@association_required(Perm.EXPORT_MEMBERS)
@require_safe
def progress(request, association_slug, export_id):
    export = member_export_get(association=request.association, export_id=export_id)
    context = {
        "export": export,
        "is_running": export.status in (ExportStatus.QUEUED, ExportStatus.RUNNING),
        "is_ready": export.status == ExportStatus.DONE and bool(export.file_path),
    }
    template = (
        "members/partials/export_progress.html" if request.htmx else "members/export_progress.html"
    )
    return render(request, template, context)


@association_required(Perm.EXPORT_MEMBERS)
@require_safe
def download(request, association_slug, export_id):
    export = member_export_get(association=request.association, export_id=export_id)
    storage = private_storage()
    if export.status != ExportStatus.DONE or not export.file_path:
        raise Http404
    try:
        handle = storage.open(export.file_path, "rb")
    except FileNotFoundError:
        raise Http404 from None
    stamp = timezone.localtime(export.finished_at or export.created_at).date().isoformat()
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{request.association.slug}-members-{stamp}.{export.file_format}",
        content_type=CONTENT_TYPES[export.file_format],
    )
