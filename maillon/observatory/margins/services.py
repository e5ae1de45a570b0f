"""Writes of the population margins (instance level: no association)."""

from __future__ import annotations

from django.db import transaction

from maillon.core.audit import audit_log

from ..models import Margin, MarginSet
from .loading import MarginsFile


@transaction.atomic
def margin_set_load(*, margins: MarginsFile, actor=None) -> MarginSet:
    """Create or replace the margin set named like ``margins`` from a file."""
    margin_set, _ = MarginSet.objects.update_or_create(
        name=margins.name,
        defaults={"year": margins.year, "source": margins.source, "notes": margins.notes},
    )
    margin_set.margins.all().delete()
    Margin.objects.bulk_create(
        Margin(
            margin_set=margin_set,
            variable=row.variable,
            category=row.category,
            share=row.share,
            source=row.source[:300],
            placeholder=row.placeholder,
        )
        for row in margins.rows
    )
    audit_log(
        association=None,
        actor=actor,
        action="observatory.margins_loaded",
        obj=margin_set,
        is_staff_action=True,
    )
    return margin_set
