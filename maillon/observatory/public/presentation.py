"""A published wave, made ready for its pages: cards per group of indicators with
their chart, breakdown tables, the methodology's numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..indicators.engine import BREAKDOWNS
from ..indicators.mapping import load_mapping
from ..models import Wave
from .charts import BarRow, comparison_bars_svg
from .labels import category_label, language, percent, variable_label


@dataclass
class IndicatorRow:
    code: str
    label: str
    suppressed: bool
    n: int
    share: str
    interval: str
    unweighted: str
    national: str
    national_edition: int | None
    national_note: str
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass
class Card:
    code: str
    title: str
    rows: list[IndicatorRow]
    chart: str


def _row(entry: dict[str, Any], lang: str) -> IndicatorRow:
    national = entry.get("national") or {}
    suppressed = bool(entry.get("suppressed"))
    return IndicatorRow(
        code=entry["code"],
        label=entry["label"][lang],
        suppressed=suppressed,
        n=entry.get("n", 0),
        share="—" if suppressed else percent(entry["share"]),
        interval="—"
        if suppressed
        else _("%(low)s to %(high)s")
        % {"low": percent(entry["low"]), "high": percent(entry["high"])},
        unweighted="—" if suppressed else percent(entry["unweighted_share"]),
        national=percent(national["value"]) if national else "—",
        national_edition=national.get("edition") if national else None,
        national_note=(national.get("note") or {}).get(lang, "") if national else "",
        raw=entry,
    )


def wave_cards(wave: Wave) -> list[Card]:
    return indicator_cards(wave.results.get("indicators", []), wave.mapping_version)


def indicator_cards(
    entries: list[dict[str, Any]], mapping_version: int | None = None
) -> list[Card]:
    """Cards of computed indicators (a published wave's, or a network's own), grouped
    as the mapping groups them."""
    lang = language()
    mapping = load_mapping(mapping_version)
    cards = []
    for code, label in mapping.groups:
        rows = [_row(e, lang) for e in entries if e["group"] == code]
        if not rows:
            continue
        chart = comparison_bars_svg(
            rows=[
                BarRow(
                    label=r.label,
                    share=None if r.suppressed else r.raw["share"],
                    low=None if r.suppressed else r.raw["low"],
                    high=None if r.suppressed else r.raw["high"],
                    national=(r.raw.get("national") or {}).get("value"),
                )
                for r in rows
            ],
            title=label[lang],
            description=_(
                "Weighted share of the network’s associations (bar, with its 95 percent "
                "confidence interval) and national figure (diamond); the same figures are in "
                "the table below."
            ),
            chart_id=f"card-{code}",
        )
        cards.append(Card(code=code, title=label[lang], rows=rows, chart=chart))
    return cards


def breakdown_tables(entry: dict[str, Any]) -> list[dict[str, Any]]:
    tables = []
    for variable in BREAKDOWNS:
        cells = entry.get("breakdowns", {}).get(variable, [])
        tables.append(
            {
                "variable": variable,
                "label": variable_label(variable),
                "withheld": not cells,
                "cells": [
                    {
                        "label": category_label(variable, c["category"]),
                        "suppressed": c["suppressed"],
                        "n": c.get("n"),
                        "share": "—" if c["suppressed"] else percent(c["share"]),
                        "interval": ""
                        if c["suppressed"]
                        else _("%(low)s to %(high)s")
                        % {"low": percent(c["low"]), "high": percent(c["high"])},
                    }
                    for c in cells
                ],
            }
        )
    return tables


def methodology(wave: Wave) -> dict[str, Any]:
    weighting = wave.weighting
    margins = wave.margins
    fitted = weighting.get("fitted_margins", {})
    sample = wave.results.get("sample", {})
    variables = []
    for variable in BREAKDOWNS:
        cells = {c["category"]: c for c in sample.get(variable, [])}
        rows = []
        for row in margins.get("rows", []):
            if row["variable"] != variable:
                continue
            cell = cells.get(row["category"], {})
            rows.append(
                {
                    "label": category_label(variable, row["category"]),
                    "share": percent(row["share"], 1),
                    "target": percent(fitted.get(variable, {}).get(row["category"]), 1)
                    if row["category"] in fitted.get(variable, {})
                    else "—",
                    "n": None if cell.get("suppressed") else cell.get("n"),
                    "suppressed": bool(cell.get("suppressed")),
                    "weighted": "—"
                    if cell.get("suppressed") or not cell
                    else percent(cell.get("weighted_share"), 1),
                    "source": row["source"],
                    "placeholder": row["placeholder"],
                }
            )
        variables.append({"variable": variable, "label": variable_label(variable), "rows": rows})
    return {
        "weighting": weighting,
        "margins": margins,
        "variables": variables,
        "changes": weighting.get("margin_changes", []),
        "sample_withheld": {v: not sample.get(v) for v in BREAKDOWNS},
    }
