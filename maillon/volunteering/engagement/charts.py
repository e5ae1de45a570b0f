"""Server-side SVG charts of the engagement dashboard: no JavaScript, no library.

As in the strategy module's charts, every chart is an inline ``<svg role="img">``
named by its ``<title>`` and described by its ``<desc>``; the page shows the same
numbers in a table right after it, so nothing is given by the picture alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#0b5d59"
GRID = "#e5e9ee"
TEXT = "#1a1a1a"
MUTED = "#4b5563"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


def _fmt(number: float) -> str:
    return f"{number:.1f}".rstrip("0").rstrip(".")


def _value_text(value: float) -> str:
    return formats.number_format(round(value, 1) if value % 1 else int(value), use_l10n=True)


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="100%" '
        f'style="max-width: {width}px; height: auto" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        '<g aria-hidden="true">',
    ]


def horizontal_bars_svg(
    *, bars: Sequence[Bar], title: str, description: str, chart_id: str
) -> SafeString:
    """One horizontal bar per row, its label above it and its value at its end
    (the funnel, the sources)."""
    if not bars:
        return mark_safe("")
    left, bar_width, row_height = 8, 460, 44
    width, height = left + bar_width + 80, 10 + row_height * len(bars)
    top_value = max((b.value for b in bars), default=0) or 1
    parts = _open(chart_id, width, height, title, description)
    for index, bar in enumerate(bars):
        top = 8 + index * row_height
        length = max(bar_width * bar.value / top_value, 1)
        parts.append(
            f'<text x="{left}" y="{top + 12}" font-size="13" fill="{TEXT}">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{left}" y="{top + 17}" width="{_fmt(length)}" height="18" fill="{BAR}"/>'
            f'<text x="{_fmt(left + length + 6)}" y="{top + 31}" font-size="12" '
            f'fill="{TEXT}">{escape(_value_text(bar.value))}</text>'
        )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def columns_svg(
    *,
    columns: Sequence[Bar],
    title: str,
    description: str,
    chart_id: str,
    whole_numbers: bool = False,
) -> SafeString:
    """Vertical columns, one per month, with value gridlines (hours, volunteers);
    ``whole_numbers`` for counts of people (no 0.5 person on the axis)."""
    if not columns:
        return mark_safe("")
    left, right, top, bottom_margin = 48, 12, 12, 40
    slot = 44
    plot_width = slot * len(columns)
    width, height = left + plot_width + right, 240
    bottom = height - bottom_margin
    plot_height = bottom - top
    top_value = max((c.value for c in columns), default=0)
    step = _nice_step(top_value)
    if whole_numbers:
        step = max(1, round(step))
    scale_top = step * 4
    parts = _open(chart_id, width, height, title, description)
    for tick in range(5):
        value = step * tick
        y = bottom - plot_height * value / scale_top
        parts.append(
            f'<line x1="{left}" x2="{left + plot_width}" y1="{_fmt(y)}" y2="{_fmt(y)}" '
            f'stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{_fmt(y + 4)}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{escape(_value_text(value))}</text>'
        )
    for index, column in enumerate(columns):
        x = left + index * slot + 8
        bar_height = plot_height * column.value / scale_top
        parts.append(
            f'<rect x="{x}" y="{_fmt(bottom - bar_height)}" width="{slot - 16}" '
            f'height="{_fmt(bar_height)}" fill="{BAR}"/>'
            f'<text x="{x + (slot - 16) / 2}" y="{bottom + 16}" font-size="11" '
            f'text-anchor="middle" fill="{MUTED}">{escape(column.label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_width}" y1="{bottom}" y2="{bottom}" stroke="{MUTED}"/>'
    )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped


def _nice_step(top_value: float) -> float:
    """A round step such that four steps cover ``top_value``."""
    if top_value <= 0:
        return 1
    raw = top_value / 4
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 0.25
    for factor in (1, 2, 2.5, 5, 10):
        if magnitude * factor >= raw:
            return magnitude * factor
    return magnitude * 10
