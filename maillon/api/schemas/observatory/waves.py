"""Schemas of the observatory's public, read-only API."""

from __future__ import annotations

from datetime import datetime

from ninja import Field, Schema


class WeightingOut(Schema):
    n: int = Field(description="Diagnostics in the wave.")
    effective_sample_size: float = Field(description="Kish: (Σw)² / Σw².")
    design_effect: float = Field(description="n / effective sample size.")
    converged: bool
    iterations: int
    max_margin_error: float
    trimmed: int


class WaveOut(Schema):
    year: int
    published_at: datetime | None
    questionnaire_version: int | None
    mapping_version: int | None
    min_cell: int | None = Field(description="k: a figure needs this many associations.")
    weighting: WeightingOut


class CellOut(Schema):
    category: str
    suppressed: bool
    n: int | None = None
    share: float | None = None
    low: float | None = None
    high: float | None = None


class NationalOut(Schema):
    edition: int
    value: float
    n: int | None = None
    note: dict[str, str]
    source: str


class IndicatorOut(Schema):
    code: str
    group: str
    label: dict[str, str]
    suppressed: bool
    n: int
    share: float | None = Field(None, description="Weighted share, 0 to 1.")
    low: float | None = Field(None, description="95 % Wilson interval, low bound.")
    high: float | None = None
    unweighted_share: float | None = None
    national: NationalOut | None = None
    breakdowns: dict[str, list[CellOut]] = Field(
        description="By size_band, sector and region; suppressed cells carry no figure; "
        "a withheld table is an empty list."
    )


class WaveDetailOut(WaveOut):
    indicators: list[IndicatorOut]
