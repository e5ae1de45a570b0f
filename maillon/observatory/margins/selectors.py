"""Reads of the population margins."""

from __future__ import annotations

from typing import Any

from ..models import Margin, MarginSet


def margin_set_default() -> MarginSet | None:
    return MarginSet.objects.order_by("-year", "name").first()


def margins_frozen(margin_set: MarginSet) -> dict[str, Any]:
    """What a published wave keeps of its margins: shares, sources, placeholders."""
    rows = list(Margin.objects.filter(margin_set=margin_set).order_by("variable", "id"))
    shares: dict[str, dict[str, float]] = {}
    for row in rows:
        shares.setdefault(row.variable, {})[row.category] = row.share
    return {
        "name": margin_set.name,
        "year": margin_set.year,
        "source": margin_set.source,
        "notes": margin_set.notes,
        "shares": shares,
        "rows": [
            {
                "variable": r.variable,
                "category": r.category,
                "share": r.share,
                "source": r.source,
                "placeholder": r.placeholder,
            }
            for r in rows
        ],
    }
