"""What a wave publishes: weights (the pure engine), indicators, sample tables."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..indicators.engine import BREAKDOWNS, Unit, compute_indicators, sample_table
from ..indicators.mapping import load_mapping
from ..models import Snapshot, Wave
from ..weighting import WeightingInputError, rake
from ..weighting.adapt import fit_margins

# Trimming bounds of the weights (relative to mean 1), shown on the methodology page.
MIN_WEIGHT = 0.1
MAX_WEIGHT = 10.0


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


def publication_results(*, wave: Wave, margins: dict[str, Any], min_cell: int) -> dict[str, Any]:
    mapping = load_mapping()
    snapshots = list(
        Snapshot.objects.filter(wave=wave, questionnaire_version=mapping.questionnaire_version)
        .values_list("id", "size_band", "sector", "region", "answers")
        .order_by("id")
    )
    if len(snapshots) < min_cell:
        raise ValidationError(
            _("Too few diagnostics to publish (%(n)s; at least %(k)s are needed).")
            % {"n": len(snapshots), "k": min_cell}
        )
    rows = [(sid, [size, sector, region]) for sid, size, sector, region, _a in snapshots]
    weights, report = weight_snapshots(rows, margins["shares"])
    Snapshot.objects.bulk_update(
        [Snapshot(id=sid, weight=weights[sid]) for sid, *_rest in snapshots],
        ["weight"],
        batch_size=2000,
    )
    units = [
        Unit({"size_band": size, "sector": sector, "region": region}, answers, weights[sid])
        for sid, size, sector, region, answers in snapshots
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
