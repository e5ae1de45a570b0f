"""Fitting the population margins to a wave's sample before raking. Pure.

Two cases the raw contract refuses, handled openly (and reported on the methodology
page): a unit with no known category (``unknown``) keeps its sample share and the
known categories share the rest; a category with no unit in the sample is dropped and
the others are rescaled."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

UNKNOWN = "unknown"


def fit_margins(
    units: Sequence[tuple[str, Sequence[str]]],
    variables: Sequence[str],
    margins: Mapping[str, Mapping[str, float]],
) -> tuple[dict[str, dict[str, float]], list[dict[str, Any]]]:
    """Margins the engine accepts for ``units``, and what was changed."""
    fitted: dict[str, dict[str, float]] = {}
    changes: list[dict[str, Any]] = []
    n = len(units)
    for position, variable in enumerate(variables):
        targets = dict(margins.get(variable, {}))
        counts = Counter(categories[position] for _, categories in units)
        unknown = sum(c for category, c in counts.items() if category not in targets)
        dropped = [c for c in targets if counts.get(c, 0) == 0]
        for category in dropped:
            changes.append({"variable": variable, "category": category, "change": "dropped"})
            del targets[category]
        known_total = sum(targets.values())
        unknown_share = unknown / n if n else 0.0
        result = {
            category: share / known_total * (1 - unknown_share) if known_total > 0 else 0.0
            for category, share in targets.items()
        }
        if unknown:
            result[UNKNOWN] = unknown_share
            changes.append(
                {
                    "variable": variable,
                    "category": UNKNOWN,
                    "change": "kept",
                    "share": unknown_share,
                }
            )
        fitted[variable] = result
    return fitted, changes


def known_or_unknown(value: Any, known: Mapping[str, float]) -> str:
    text = str(value) if value not in (None, "") else UNKNOWN
    return text if text in known else UNKNOWN
