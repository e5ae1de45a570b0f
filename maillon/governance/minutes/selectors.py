"""Reads of the minutes' pages: the assembly named in the URL (404 outside the
association) and its minutes."""

from __future__ import annotations

from typing import Any

from django.http import Http404

from maillon.associations.models import Association

from ..models import Assembly, Minutes


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def assembly_for_minutes_get(*, association: Association, assembly_id: int | str) -> Assembly:
    """Access helper: an assembly of ``association`` or 404."""
    assembly = (
        Assembly.objects.filter(association=association, pk=_as_id(assembly_id))
        .select_related("association", "association__statutes")
        .first()
    )
    if assembly is None:
        raise Http404
    return assembly


def minutes_of(*, assembly: Assembly) -> Minutes | None:
    return Minutes.objects.filter(assembly=assembly).first()
