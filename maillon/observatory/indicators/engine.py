"""Weighted indicators of a wave, with their intervals, national figures and the
pre-declared breakdowns (size band, sector, region), suppression applied. Pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..weighting.intervals import wilson_interval
from .disclosure import suppressed_cells
from .mapping import IndicatorMapping, evaluate

BREAKDOWNS = ("size_band", "sector", "region")


@dataclass(frozen=True)
class Unit:
    profile: Mapping[str, str]
    answers: Mapping[str, Any]
    weight: float = 1.0


def weighted_share(values: Sequence[tuple[bool, float]]) -> dict[str, float | int]:
    """Share of ``(holds, weight)`` pairs: weighted and plain, Kish's effective size
    and the Wilson 95 % interval on it."""
    total = squares = yes = 0.0
    count_yes = 0
    for held, w in values:
        total += w
        squares += w * w
        if held:
            yes += w
            count_yes += 1
    share = yes / total if total > 0 else 0.0
    effective = total * total / squares if squares > 0 else 0.0
    low, high = wilson_interval(share, effective)
    return {
        "n": len(values),
        "share": share,
        "unweighted_share": count_yes / len(values) if values else 0.0,
        "effective_n": effective,
        "low": low,
        "high": high,
    }


def _cells(
    values: Sequence[tuple[str, bool, float]], categories: Sequence[str], k: int
) -> list[dict[str, Any]]:
    grouped: dict[str, list[tuple[bool, float]]] = {c: [] for c in categories}
    for category, held, weight in values:
        grouped.setdefault(category, []).append((held, weight))
    counts = {c: len(v) for c, v in grouped.items()}
    hidden = suppressed_cells(counts, k)
    if hidden == set(counts):
        return []  # every cell hidden: the table is withheld, not even its categories
    cells = []
    for category, pairs in grouped.items():
        if category in hidden:
            cells.append({"category": category, "suppressed": True})
        else:
            cells.append({"category": category, "suppressed": False, **weighted_share(pairs)})
    return cells


def compute_indicators(
    units: Sequence[Unit],
    mapping: IndicatorMapping,
    *,
    year: int,
    min_cell: int,
    categories: Mapping[str, Sequence[str]],
) -> list[dict[str, Any]]:
    """One entry per indicator of ``mapping``; a figure on fewer than ``min_cell``
    associations is withheld (``"suppressed": True``)."""
    results = []
    for indicator in mapping.indicators:
        rows = []
        for unit in units:
            held = evaluate(indicator.rule, unit.answers)
            if held is not None:
                rows.append((unit, held))
        overall = weighted_share([(held, unit.weight) for unit, held in rows])
        suppressed = len(rows) < min_cell
        national = indicator.nearest_national(year)
        entry: dict[str, Any] = {
            "code": indicator.code,
            "group": indicator.group,
            "label": indicator.label,
            "suppressed": suppressed,
            **({"n": len(rows)} if suppressed else overall),
            "national": None
            if national is None
            else {
                "edition": national.edition,
                "value": national.value,
                "n": national.n,
                "note": national.note,
                "source": mapping.source_label,
            },
            "breakdowns": {},
        }
        if not suppressed:
            for variable in BREAKDOWNS:
                entry["breakdowns"][variable] = _cells(
                    [(unit.profile[variable], held, unit.weight) for unit, held in rows],
                    categories.get(variable, ()),
                    min_cell,
                )
        results.append(entry)
    return results


def sample_table(
    units: Sequence[Unit], variable: str, categories: Sequence[str], min_cell: int
) -> list[dict[str, Any]]:
    """The sample's composition by ``variable``, suppression applied: the count and
    the weighted share of each category."""
    counts: dict[str, int] = dict.fromkeys(categories, 0)
    weights: dict[str, float] = dict.fromkeys(categories, 0.0)
    for unit in units:
        category = unit.profile[variable]
        counts[category] = counts.get(category, 0) + 1
        weights[category] = weights.get(category, 0.0) + unit.weight
    total_weight = sum(weights.values()) or 1.0
    hidden = suppressed_cells(counts, min_cell)
    if hidden == set(counts):
        return []
    return [
        {"category": c, "suppressed": True}
        if c in hidden
        else {
            "category": c,
            "suppressed": False,
            "n": n,
            "weighted_share": weights[c] / total_weight,
        }
        for c, n in counts.items()
    ]
