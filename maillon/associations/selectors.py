from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from maillon.core.text import fold

from .models import Association, Statutes


def association_by_slug(slug: str) -> Association | None:
    return (
        Association.objects.select_related("department__region", "sector").filter(slug=slug).first()
    )


def public_association_get(slug: str) -> Association:
    association = association_by_slug(slug)
    if association is None or not association.is_listed:
        raise Http404
    return association


def association_directory(
    *, search: str = "", sector: str = "", department: str = ""
) -> QuerySet[Association]:
    """Published directory: only associations that chose to be listed."""
    qs = Association.objects.filter(is_listed=True).select_related("sector", "department")
    if search:
        for word in fold(search).split()[:5]:
            qs = qs.filter(search_text__contains=word)
    if sector:
        qs = qs.filter(sector__code=sector)
    if department:
        qs = qs.filter(department__code=department)
    return qs.order_by("name", "id")


def statutes_of(association: Association) -> Statutes:
    return Statutes.objects.get(association=association)
