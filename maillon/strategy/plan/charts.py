"""Geometry of the evaluation's line chart: an indicator's measurements over time,
with its baseline and its target as horizontal lines.

This module computes coordinates (with the round steps of ``maillon.core.charts``);
the template ``strategy/partials/evaluation_chart.html`` draws the SVG (with its
``<title>``) and the page shows the same numbers in a table, for people who cannot
see it."""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from maillon.core.charts import nice_step

WIDTH = 640
HEIGHT = 260
MARGIN_LEFT = 64
MARGIN_RIGHT = 56
MARGIN_TOP = 16
MARGIN_BOTTOM = 40
MAX_DATE_LABELS = 6


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    date: datetime.date
    value: Decimal


@dataclass(frozen=True)
class Tick:
    position: float
    value: object  # a number on the value axis, a date on the time axis


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: list[ChartPoint]
    value_ticks: list[Tick]
    date_ticks: list[Tick]
    target_y: float
    baseline_y: float | None = None
    target_date_x: float | None = None
    polyline: str = field(default="")

    @property
    def has_points(self) -> bool:
        return bool(self.points)

    # Where the labels go: value labels left of the axis, dates under it, the names
    # of the target and baseline lines just above them.
    @property
    def value_label_x(self) -> float:
        return self.left - 6

    @property
    def date_label_y(self) -> float:
        return self.bottom + 18

    @property
    def target_label_y(self) -> float:
        return self.target_y - 6

    @property
    def baseline_label_y(self) -> float | None:
        return None if self.baseline_y is None else self.baseline_y - 6


def _value_range(values: Sequence[float]) -> tuple[float, float, float]:
    low, high = min(values), max(values)
    # Counts and shares start at zero: a bar of 40 against 44 must not look tenfold.
    if low >= 0:
        low = 0.0
    if high == low:
        high = low + 1
    step = nice_step(high - low, 4)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def line_chart(
    *,
    measurements: Sequence[tuple[datetime.date, Decimal]],
    target: Decimal,
    baseline: Decimal | None = None,
    target_date: datetime.date | None = None,
) -> LineChart:
    """Coordinates of the chart of ``measurements`` ((date, value), any order)."""
    measurements = sorted(measurements, key=lambda m: m[0])
    left, right = MARGIN_LEFT, WIDTH - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM

    values = [float(v) for _d, v in measurements] + [float(target)]
    if baseline is not None:
        values.append(float(baseline))
    low, high, step = _value_range(values)

    def y_of(value: float) -> float:
        return round(bottom - (value - low) / (high - low) * (bottom - top), 1)

    dates = [d for d, _v in measurements]
    if target_date is not None:
        dates.append(target_date)
    if dates:
        first, last = min(dates), max(dates)
    else:
        first = last = datetime.date.today()
    if first == last:
        first, last = first - datetime.timedelta(days=15), last + datetime.timedelta(days=15)
    span_days = (last - first).days

    def x_of(day: datetime.date) -> float:
        return round(left + (day - first).days / span_days * (right - left), 1)

    points = [ChartPoint(x_of(d), y_of(float(v)), d, v) for d, v in measurements]
    value_ticks = []
    tick = low
    while tick <= high + step / 2:
        value_ticks.append(Tick(y_of(tick), round(tick, 6)))
        tick += step
    labelled = [d for d, _v in measurements]
    if len(labelled) > MAX_DATE_LABELS:
        every = math.ceil(len(labelled) / MAX_DATE_LABELS)
        labelled = labelled[::every]
    date_ticks = [Tick(x_of(d), d) for d in labelled]
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        points=points,
        value_ticks=value_ticks,
        date_ticks=date_ticks,
        target_y=y_of(float(target)),
        baseline_y=None if baseline is None else y_of(float(baseline)),
        target_date_x=None if target_date is None else x_of(target_date),
        polyline=" ".join(f"{p.x},{p.y}" for p in points),
    )
