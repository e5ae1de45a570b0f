"""What a wave publishes: weights (the pure engine), indicators, sample tables."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..indicators.engine import BREAKDOWNS, Unit, compute_indicators, sample_table
from ..indicators.mapping import load_mapping
from ..models import Snapshot, Wave
from ..weighting import WeightingInputError, rake
from ..weighting.adapt import fit_margins

# Trimming bounds of the weights (relative to mean 1), shown on the methodology page.
# No lower bound: an over-represented group (large associations) must be able to
# weigh little; the upper bound keeps a few answers from carrying a figure.
MIN_WEIGHT: float | None = None
MAX_WEIGHT = 10.0
WEIGHT_BATCH = 2000


def weight_snapshots(
    rows: list[tuple[str, list[str]]], shares: dict[str, dict[str, float]]
) -> tuple[dict[str, float], dict[str, Any]]:
    fitted, changes = fit_margins(rows, BREAKDOWNS, shares)
    try:
        result = rake(rows, BREAKDOWNS, fitted, min_weight=MIN_WEIGHT, max_weight=MAX_WEIGHT)
    except WeightingInputError as error:
        raise ValidationError(
            _("The wave cannot be weighted: %(error)s") % {"error": error}
        ) from error
    report = {
        "n": len(rows),
        "effective_sample_size": result.effective_sample_size,
        "design_effect": result.design_effect,
        "converged": result.converged,
        "iterations": result.iterations,
        "max_margin_error": result.max_margin_error,
        "trimmed": result.trimmed,
        "bounds": [MIN_WEIGHT, MAX_WEIGHT],
        "margin_changes": changes,
        "fitted_margins": fitted,
    }
    return result.weights, report


def _store_weights(weights: dict[str, float]) -> None:
    """Write the weights with one ``UPDATE ... FROM (VALUES ...)`` per batch (an
    ``UPDATE`` per row, or ``bulk_update``'s CASE, takes far longer at 10,000 rows;
    PostgreSQL and SQLite ≥ 3.33 both accept this form)."""
    table = connection.ops.quote_name(Snapshot._meta.db_table)
    items = list(weights.items())
    with connection.cursor() as cursor:
        for start in range(0, len(items), WEIGHT_BATCH):
            batch = items[start : start + WEIGHT_BATCH]
            cast = "CAST(%s AS double precision)" if connection.vendor == "postgresql" else "%s"
            values = ", ".join([f"(%s, {cast})"] * len(batch))
            cursor.execute(
                f"UPDATE {table} SET weight = v.column2 FROM (VALUES {values}) AS v "  # noqa: S608
                f"WHERE {table}.id = v.column1",
                [p for pair in batch for p in pair],
            )


def _unweighted(rows: list[tuple[str, list[str]]]) -> tuple[dict[str, float], dict[str, Any]]:
    """Weight 1 for every snapshot; the observed categories stand for the margins."""
    observed = {
        variable: dict.fromkeys(sorted({r[1][i] for r in rows}), 0.0)
        for i, variable in enumerate(BREAKDOWNS)
    }
    report = {
        "n": len(rows),
        "effective_sample_size": float(len(rows)),
        "design_effect": 1.0,
        "converged": True,
        "iterations": 0,
        "max_margin_error": 0.0,
        "trimmed": 0,
        "bounds": [None, None],
        "margin_changes": [],
        "fitted_margins": observed,
        "weighted": False,
    }
    return {row[0]: 1.0 for row in rows}, report


def publication_results(
    *, wave: Wave, margins: dict[str, Any] | None, min_cell: int
) -> dict[str, Any]:
    mapping = load_mapping()
    snapshots = list(
        Snapshot.objects.filter(wave=wave, questionnaire_version=mapping.questionnaire_version)
        .only("id", "size_band", "sector", "region", "answers")
        .order_by("id")
    )
    if len(snapshots) < min_cell:
        raise ValidationError(
            ngettext(
                "Too few diagnostics to publish: %(n)s, at least %(k)s needed.",
                "Too few diagnostics to publish: %(n)s, at least %(k)s needed.",
                len(snapshots),
            )
            % {"n": len(snapshots), "k": min_cell}
        )
    rows = [(s.id, [s.size_band, s.sector, s.region]) for s in snapshots]
    if margins is None:  # a network wave without margins of its own: unweighted
        weights, report = _unweighted(rows)
    else:
        weights, report = weight_snapshots(rows, margins["shares"])
    _store_weights(weights)
    units = [
        Unit(
            {"size_band": s.size_band, "sector": s.sector, "region": s.region},
            s.answers,
            weights[s.id],
        )
        for s in snapshots
    ]
    categories = {v: list(report["fitted_margins"][v]) for v in BREAKDOWNS}
    return {
        "weighting": report,
        "mapping_version": mapping.version,
        "indicators": compute_indicators(
            units, mapping, year=wave.year, min_cell=min_cell, categories=categories
        ),
        "sample": {v: sample_table(units, v, categories[v], min_cell) for v in BREAKDOWNS},
        "questionnaire_version": mapping.questionnaire_version,
    }
