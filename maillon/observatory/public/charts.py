"""The observatory's cards: one horizontal bar per indicator, the network's weighted
share with its 95 % interval, the national figure as a diamond. Drawn with the
primitives of ``maillon.core.charts``; the same numbers are in the table beside it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from maillon.core.charts import BRAND, GRID, MUTED, TEXT, svg_close, svg_number, svg_open

LABEL_WIDTH = 230
BAR_WIDTH = 360
ROW = 34


@dataclass(frozen=True)
class BarRow:
    label: str
    share: float | None  # None: withheld
    low: float | None = None
    high: float | None = None
    national: float | None = None


def comparison_bars_svg(
    *, rows: Sequence[BarRow], title: str, description: str, chart_id: str
) -> SafeString:
    width = LABEL_WIDTH + BAR_WIDTH + 70
    height = ROW * len(rows) + 30
    parts = svg_open(
        chart_id=chart_id, width=width, height=height, title=title, description=description
    )
    for tick in (0, 25, 50, 75, 100):
        x = LABEL_WIDTH + BAR_WIDTH * tick / 100
        parts.append(
            f'<line x1="{svg_number(x)}" y1="0" x2="{svg_number(x)}" '
            f'y2="{svg_number(height - 20)}" stroke="{GRID}"/>'
            f'<text x="{svg_number(x)}" y="{svg_number(height - 6)}" font-size="11" '
            f'text-anchor="middle" fill="{MUTED}">{tick}</text>'
        )
    for i, row in enumerate(rows):
        y = i * ROW + 6
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{svg_number(y + 15)}" font-size="13" '
            f'text-anchor="end" fill="{TEXT}">{escape(row.label[:34])}</text>'
        )
        if row.share is not None:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{svg_number(y + 4)}" '
                f'width="{svg_number(BAR_WIDTH * row.share)}" height="14" fill="{BRAND}"/>'
            )
        if row.low is not None and row.high is not None:
            x1, x2 = LABEL_WIDTH + BAR_WIDTH * row.low, LABEL_WIDTH + BAR_WIDTH * row.high
            parts.append(
                f'<line x1="{svg_number(x1)}" y1="{svg_number(y + 11)}" x2="{svg_number(x2)}" '
                f'y2="{svg_number(y + 11)}" stroke="{TEXT}" stroke-width="1.5"/>'
            )
        if row.national is not None:
            cx, cy = LABEL_WIDTH + BAR_WIDTH * row.national, y + 11
            parts.append(
                f'<polygon points="{svg_number(cx)},{svg_number(cy - 8)} '
                f"{svg_number(cx + 7)},{svg_number(cy)} {svg_number(cx)},{svg_number(cy + 8)} "
                f'{svg_number(cx - 7)},{svg_number(cy)}" fill="#ffffff" stroke="{TEXT}" '
                f'stroke-width="2"/>'
            )
    parts.append(svg_close())
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@dataclass(frozen=True)
class TrendRow:
    label: str
    shares: Sequence[float | None]  # one per wave, oldest first; None: withheld or absent


def trends_svg(
    *, rows: Sequence[TrendRow], years: Sequence[int], title: str, description: str, chart_id: str
) -> SafeString:
    """One line per indicator: its share in every published wave as a dot on a 0–100
    scale, the oldest wave hollow, the latest filled, joined in wave order (a dumbbell
    when there are two waves). The years are written once, under the chart."""
    width = LABEL_WIDTH + BAR_WIDTH + 70
    legend = 22
    height = ROW * len(rows) + 30 + legend
    parts = svg_open(
        chart_id=chart_id, width=width, height=height, title=title, description=description
    )
    axis_bottom = height - 20 - legend
    for tick in (0, 25, 50, 75, 100):
        x = LABEL_WIDTH + BAR_WIDTH * tick / 100
        parts.append(
            f'<line x1="{svg_number(x)}" y1="0" x2="{svg_number(x)}" '
            f'y2="{svg_number(axis_bottom)}" stroke="{GRID}"/>'
            f'<text x="{svg_number(x)}" y="{svg_number(axis_bottom + 14)}" font-size="11" '
            f'text-anchor="middle" fill="{MUTED}">{tick}</text>'
        )
    last = len(years) - 1
    for i, row in enumerate(rows):
        y = i * ROW + 6
        cy = y + 11
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{svg_number(y + 15)}" font-size="13" '
            f'text-anchor="end" fill="{TEXT}">{escape(row.label[:34])}</text>'
        )
        points = [
            (index, LABEL_WIDTH + BAR_WIDTH * share)
            for index, share in enumerate(row.shares)
            if share is not None
        ]
        if len(points) > 1:
            path = " ".join(f"{svg_number(x)},{svg_number(cy)}" for _index, x in points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{MUTED}" stroke-width="2"/>'
            )
        for index, x in points:
            if index == last:
                parts.append(
                    f'<circle cx="{svg_number(x)}" cy="{svg_number(cy)}" r="6" fill="{BRAND}"/>'
                )
            else:
                radius = 5 if index == 0 else 3
                parts.append(
                    f'<circle cx="{svg_number(x)}" cy="{svg_number(cy)}" r="{radius}" '
                    f'fill="#ffffff" stroke="{MUTED}" stroke-width="2"/>'
                )
    if years:
        y = height - 8
        first_x, last_x = LABEL_WIDTH, LABEL_WIDTH + BAR_WIDTH / 2
        parts.append(
            f'<circle cx="{first_x}" cy="{svg_number(y - 4)}" r="5" fill="#ffffff" '
            f'stroke="{MUTED}" stroke-width="2"/>'
            f'<text x="{first_x + 10}" y="{svg_number(y)}" font-size="12" '
            f'fill="{TEXT}">{years[0]}</text>'
        )
        if last > 0:
            parts.append(
                f'<circle cx="{svg_number(last_x)}" cy="{svg_number(y - 4)}" r="6" '
                f'fill="{BRAND}"/><text x="{svg_number(last_x + 10)}" y="{svg_number(y)}" '
                f'font-size="12" fill="{TEXT}">{years[last]}</text>'
            )
    parts.append(svg_close())
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
