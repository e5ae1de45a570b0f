"""Server-side SVG charts of the diagnostic (the radar of its scores, the comparison
of two diagnostics), drawn with the primitives of ``maillon.core.charts``.

Pages always show the same numbers in a table beside the chart, so nothing is given
by the picture alone. Series differ by their line pattern and a legend, not only by
colour."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from maillon.core.charts import TEXT, svg_close, svg_number, svg_open, wrap_label

# The diagnostic's own palette (rings and outlines a little darker than core.charts.GRID,
# so the radar reads on paper too).
RING = "#c8c8c8"
RING_LABEL = "#595959"
AFTER = "#1d4f91"
SERIES_STYLES = (("#1d4f91", "rgba(29,79,145,0.18)"), ("#8a3b00", "rgba(138,59,0,0.10)"))


@dataclass(frozen=True)
class Series:
    """One line of values (0..100), one per axis, in the order of the axes. A value of
    None is drawn as 0 (a domain without any answer)."""

    name: str
    values: Sequence[float | None]
    dashed: bool = False


def _clamp(value: float | None) -> float:
    if value is None:
        return 0.0
    return max(0.0, min(100.0, float(value)))


@dataclass(frozen=True)
class _Radar:
    """Where the radar's axes are: ``count`` axes around (cx, cy)."""

    count: int
    cx: float
    cy: float
    radius: float

    def point(self, index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / self.count
        distance = self.radius * value / 100
        return self.cx + distance * math.cos(angle), self.cy + distance * math.sin(angle)

    def polygon(self, values: Sequence[float]) -> str:
        return " ".join(
            f"{svg_number(x)},{svg_number(y)}"
            for x, y in (self.point(i, v) for i, v in enumerate(values))
        )


def radar_svg(
    *,
    axes: Sequence[str],
    series: Sequence[Series],
    title: str,
    description: str,
    chart_id: str = "radar",
    size: int = 520,
) -> SafeString:
    """A radar (spider) chart of scores 0..100 on ``axes``."""
    count = len(axes)
    if count < 3 or not series:
        return mark_safe("")
    margin = 150
    # Room above and below for labels of up to three lines at the top and bottom axes.
    width, height = size + 2 * margin, size + 160
    radar = _Radar(count=count, cx=width / 2, cy=size / 2 + 80, radius=size / 2 - 20)
    parts = svg_open(
        chart_id=chart_id,
        width=width,
        height=height,
        title=title,
        description=description,
        css_class="chart chart-radar",
        responsive=False,
    )
    parts += _radar_grid(radar, axes)
    for index, serie in enumerate(series):
        parts += _radar_series(radar, serie, SERIES_STYLES[index % len(SERIES_STYLES)])
    if len(series) > 1:
        parts += _radar_legend(series)
    parts.append(svg_close())
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def _radar_grid(radar: _Radar, axes: Sequence[str]) -> list[str]:
    """Rings at 25, 50, 75 and 100 with their value, one spoke and label per axis."""
    parts = ['<g class="chart-grid">']
    for ring in (25, 50, 75, 100):
        parts.append(
            f'<polygon points="{radar.polygon([ring] * radar.count)}" fill="none" stroke="{RING}"/>'
        )
        x, y = radar.point(0, ring)
        parts.append(
            f'<text x="{svg_number(x + 4)}" y="{svg_number(y + 4)}" font-size="11" '
            f'fill="{RING_LABEL}">{ring}</text>'
        )
    for index, label in enumerate(axes):
        x, y = radar.point(index, 100)
        parts.append(
            f'<line x1="{svg_number(radar.cx)}" y1="{svg_number(radar.cy)}" '
            f'x2="{svg_number(x)}" y2="{svg_number(y)}" stroke="{RING}"/>'
        )
        parts += _radar_label(radar, index, label)
    parts.append("</g>")
    return parts


def _radar_label(radar: _Radar, index: int, label: str) -> list[str]:
    """An axis's name just beyond its end, wrapped on up to three lines."""
    lx, ly = radar.point(index, 112)
    cx, cy = radar.cx, radar.cy
    anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
    lines = wrap_label(label)
    # Above the centre the lines grow upwards, below it downwards.
    if ly < cy - 10:
        first_dy = -15 * (len(lines) - 1)
    elif ly > cy + 10:
        first_dy = 10
    else:
        first_dy = round(-7.5 * (len(lines) - 1)) + 4
    parts = [
        f'<text x="{svg_number(lx)}" y="{svg_number(ly)}" font-size="13" fill="{TEXT}" '
        f'text-anchor="{anchor}">'
    ]
    for line_index, line in enumerate(lines):
        dy = first_dy if line_index == 0 else 15
        parts.append(f'<tspan x="{svg_number(lx)}" dy="{dy}">{escape(line)}</tspan>')
    parts.append("</text>")
    return parts


def _radar_series(radar: _Radar, serie: Series, style: tuple[str, str]) -> list[str]:
    """A series' polygon and its markers: squares for a dashed series, dots otherwise."""
    stroke, fill = style
    values = [_clamp(v) for v in serie.values]
    dash = ' stroke-dasharray="8 5"' if serie.dashed else ""
    parts = [
        f'<g class="chart-series"><polygon points="{radar.polygon(values)}" '
        f'fill="{fill}" stroke="{stroke}" stroke-width="2.5"{dash}/>'
    ]
    for x, y in (radar.point(i, v) for i, v in enumerate(values)):
        parts.append(
            f'<rect x="{svg_number(x - 4)}" y="{svg_number(y - 4)}" width="8" height="8" '
            f'fill="{stroke}"/>'
            if serie.dashed
            else f'<circle cx="{svg_number(x)}" cy="{svg_number(y)}" r="4" fill="{stroke}"/>'
        )
    parts.append("</g>")
    return parts


def _radar_legend(series: Sequence[Series]) -> list[str]:
    parts = ['<g class="chart-legend">']
    for index, serie in enumerate(series):
        stroke, _fill = SERIES_STYLES[index % len(SERIES_STYLES)]
        y = 14 + 20 * index
        dash = ' stroke-dasharray="8 5"' if serie.dashed else ""
        parts.append(
            f'<line x1="10" y1="{y}" x2="44" y2="{y}" stroke="{stroke}" '
            f'stroke-width="2.5"{dash}/>'
            f'<text x="52" y="{y + 4}" font-size="13" fill="{TEXT}">'
            f"{escape(serie.name)}</text>"
        )
    parts.append("</g>")
    return parts


@dataclass(frozen=True)
class ComparedRow:
    label: str
    before: float | None
    after: float | None


def comparison_svg(
    *,
    rows: Sequence[ComparedRow],
    before_name: str,
    after_name: str,
    title: str,
    description: str,
    chart_id: str = "comparison",
) -> SafeString:
    """Horizontal bars, two per domain under its name (before: dashed outline, after:
    solid), with the value written at the end of each bar."""
    if not rows:
        return mark_safe("")
    left, bar_width, row_height = 10, 480, 66
    width = left + bar_width + 50
    height = 40 + row_height * len(rows)
    parts = svg_open(
        chart_id=chart_id,
        width=width,
        height=height,
        title=title,
        description=description,
        css_class="chart chart-comparison",
        responsive=False,
    )
    parts += [
        f'<rect x="{left}" y="8" width="22" height="12" fill="#ffffff" stroke="{RING_LABEL}" '
        'stroke-dasharray="4 3"/>'
        f'<text x="{left + 28}" y="18" font-size="13" fill="{TEXT}">{escape(before_name)}</text>',
        f'<rect x="{left + 240}" y="8" width="22" height="12" fill="{AFTER}"/>'
        f'<text x="{left + 268}" y="18" font-size="13" fill="{TEXT}">'
        f"{escape(after_name)}</text>",
    ]
    for index, row in enumerate(rows):
        top = 34 + index * row_height
        parts.append(
            f'<text x="{left}" y="{top + 14}" font-size="13" font-weight="600" fill="{TEXT}">'
            f"{escape(row.label)}</text>"
        )
        for offset, value, solid in ((20, row.before, False), (40, row.after, True)):
            length = max(bar_width * _clamp(value) / 100, 1)
            style = (
                f'fill="{AFTER}"'
                if solid
                else f'fill="#ffffff" stroke="{RING_LABEL}" stroke-dasharray="4 3"'
            )
            parts.append(
                f'<rect x="{left}" y="{top + offset}" width="{svg_number(length)}" '
                f'height="16" {style}/>'
                f'<text x="{svg_number(left + length + 6)}" y="{top + offset + 13}" '
                f'font-size="12" fill="{TEXT}">{"—" if value is None else svg_number(value)}</text>'
            )
    parts.append(svg_close())
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
