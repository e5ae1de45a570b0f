"""Reads of the large member exports: the access helper (404 outside the association)
and the recent ones."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import storages
from django.http import Http404

from maillon.associations.models import Association

from ..models import MemberExport


def private_storage():
    """Where export files are kept: never served by URL, read through a view."""
    return storages["private"]


def member_export_get(*, association: Association, export_id: Any) -> MemberExport:
    """Access helper: an export of ``association`` or 404, whatever exists elsewhere."""
    try:
        export_id = int(export_id)
    except (TypeError, ValueError):
        raise Http404 from None
    export = (
        MemberExport.objects.filter(association=association, pk=export_id)
        .select_related("requested_by")
        .first()
    )
    if export is None:
        raise Http404
    return export
