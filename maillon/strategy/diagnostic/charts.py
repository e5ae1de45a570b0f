"""Server-side SVG charts of the diagnostic: no JavaScript, no external library.

Every chart is an inline ``<svg role="img">`` named by its ``<title>`` and described by
its ``<desc>`` (through ``aria-labelledby``); pages always show the same numbers in a
table beside it, so nothing is given by the picture alone. Series differ by their line
pattern and a legend, not only by colour."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


@dataclass(frozen=True)
class Series:
    """One line of values (0..100), one per axis, in the order of the axes. A value of
    None is drawn as 0 (a domain without any answer)."""

    name: str
    values: Sequence[float | None]
    dashed: bool = False


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _wrap(label: str, width: int = 20, max_lines: int = 3) -> list[str]:
    """Split a label into lines of about ``width`` characters (the last line takes
    what is left)."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width and len(lines) < max_lines - 1:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines


def _clamp(value: float | None) -> float:
    if value is None:
        return 0.0
    return max(0.0, min(100.0, float(value)))


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
    cx, cy, radius = width / 2, size / 2 + 80, size / 2 - 20

    def point(index: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * index / count
        distance = radius * value / 100
        return cx + distance * math.cos(angle), cy + distance * math.sin(angle)

    parts: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-radar" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        '<g class="chart-grid" aria-hidden="true">',
    ]
    for ring in (25, 50, 75, 100):
        ring_points = " ".join(
            f"{_fmt(x)},{_fmt(y)}" for x, y in (point(i, ring) for i in range(count))
        )
        parts.append(f'<polygon points="{ring_points}" fill="none" stroke="#c8c8c8"/>')
        x, y = point(0, ring)
        parts.append(
            f'<text x="{_fmt(x + 4)}" y="{_fmt(y + 4)}" font-size="11" fill="#595959">{ring}</text>'
        )
    for index, label in enumerate(axes):
        x, y = point(index, 100)
        parts.append(
            f'<line x1="{_fmt(cx)}" y1="{_fmt(cy)}" x2="{_fmt(x)}" y2="{_fmt(y)}" '
            'stroke="#c8c8c8"/>'
        )
        lx, ly = point(index, 112)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        lines = _wrap(label)
        # Above the centre the lines grow upwards, below it downwards.
        if ly < cy - 10:
            first_dy = -15 * (len(lines) - 1)
        elif ly > cy + 10:
            first_dy = 10
        else:
            first_dy = round(-7.5 * (len(lines) - 1)) + 4
        parts.append(
            f'<text x="{_fmt(lx)}" y="{_fmt(ly)}" font-size="13" fill="#1a1a1a" '
            f'text-anchor="{anchor}">'
        )
        for line_index, line in enumerate(lines):
            dy = first_dy if line_index == 0 else 15
            parts.append(f'<tspan x="{_fmt(lx)}" dy="{dy}">{escape(line)}</tspan>')
        parts.append("</text>")
    parts.append("</g>")

    styles = [("#1d4f91", "rgba(29,79,145,0.18)"), ("#8a3b00", "rgba(138,59,0,0.10)")]
    for serie_index, serie in enumerate(series):
        stroke, fill = styles[serie_index % len(styles)]
        values = [_clamp(v) for v in serie.values]
        coords = [point(i, v) for i, v in enumerate(values)]
        dash = ' stroke-dasharray="8 5"' if serie.dashed else ""
        polygon = " ".join(f"{_fmt(x)},{_fmt(y)}" for x, y in coords)
        parts.append(
            f'<g class="chart-series" aria-hidden="true"><polygon points="{polygon}" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="2.5"{dash}/>'
        )
        for x, y in coords:
            marker = (
                f'<rect x="{_fmt(x - 4)}" y="{_fmt(y - 4)}" width="8" height="8" fill="{stroke}"/>'
                if serie.dashed
                else f'<circle cx="{_fmt(x)}" cy="{_fmt(y)}" r="4" fill="{stroke}"/>'
            )
            parts.append(marker)
        parts.append("</g>")

    if len(series) > 1:
        parts.append('<g class="chart-legend" aria-hidden="true">')
        for serie_index, serie in enumerate(series):
            stroke, _fill = styles[serie_index % len(styles)]
            y = 14 + 20 * serie_index
            dash = ' stroke-dasharray="8 5"' if serie.dashed else ""
            parts.append(
                f'<line x1="10" y1="{y}" x2="44" y2="{y}" stroke="{stroke}" '
                f'stroke-width="2.5"{dash}/>'
                f'<text x="52" y="{y + 4}" font-size="13" fill="#1a1a1a">'
                f"{escape(serie.name)}</text>"
            )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


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
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-comparison" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        '<g aria-hidden="true">',
        f'<rect x="{left}" y="8" width="22" height="12" fill="#ffffff" stroke="#595959" '
        'stroke-dasharray="4 3"/>'
        f'<text x="{left + 28}" y="18" font-size="13" fill="#1a1a1a">{escape(before_name)}</text>',
        f'<rect x="{left + 240}" y="8" width="22" height="12" fill="#1d4f91"/>'
        f'<text x="{left + 268}" y="18" font-size="13" fill="#1a1a1a">'
        f"{escape(after_name)}</text>",
    ]
    for index, row in enumerate(rows):
        top = 34 + index * row_height
        parts.append(
            f'<text x="{left}" y="{top + 14}" font-size="13" font-weight="600" fill="#1a1a1a">'
            f"{escape(row.label)}</text>"
        )
        for offset, value, solid in ((20, row.before, False), (40, row.after, True)):
            length = max(bar_width * _clamp(value) / 100, 1)
            style = (
                'fill="#1d4f91"'
                if solid
                else 'fill="#ffffff" stroke="#595959" stroke-dasharray="4 3"'
            )
            parts.append(
                f'<rect x="{left}" y="{top + offset}" width="{_fmt(length)}" '
                f'height="16" {style}/>'
                f'<text x="{_fmt(left + length + 6)}" y="{top + offset + 13}" '
                f'font-size="12" fill="#1a1a1a">{"—" if value is None else _fmt(value)}</text>'
            )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
