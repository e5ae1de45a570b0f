"""Server-side SVG charts of the engagement dashboard: no JavaScript, no library.

Built on the primitives of ``maillon.core.charts``: every chart is an inline
``<svg role="img">`` named by its ``<title>`` and described by its ``<desc>``; the
page shows the same numbers in a table right after it, so nothing is given by the
picture alone."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from maillon.core.charts import (
    BRAND,
    GRID,
    MUTED,
    TEXT,
    nice_step,
    svg_close,
    svg_number,
    svg_open,
    value_text,
)

TICKS = 4


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


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
    parts = svg_open(
        chart_id=chart_id, width=width, height=height, title=title, description=description
    )
    for index, bar in enumerate(bars):
        top = 8 + index * row_height
        length = max(bar_width * bar.value / top_value, 1)
        parts.append(
            f'<text x="{left}" y="{top + 12}" font-size="13" fill="{TEXT}">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{left}" y="{top + 17}" width="{svg_number(length)}" height="18" '
            f'fill="{BRAND}"/>'
            f'<text x="{svg_number(left + length + 6)}" y="{top + 31}" font-size="12" '
            f'fill="{TEXT}">{escape(value_text(bar.value))}</text>'
        )
    parts.append(svg_close())
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
    step = nice_step(top_value, TICKS)
    if whole_numbers:
        step = max(1, round(step))
    scale_top = step * TICKS
    parts = svg_open(
        chart_id=chart_id, width=width, height=height, title=title, description=description
    )
    for tick in range(TICKS + 1):
        value = step * tick
        y = bottom - plot_height * value / scale_top
        parts.append(
            f'<line x1="{left}" x2="{left + plot_width}" y1="{svg_number(y)}" '
            f'y2="{svg_number(y)}" stroke="{GRID}"/>'
            f'<text x="{left - 6}" y="{svg_number(y + 4)}" font-size="11" text-anchor="end" '
            f'fill="{MUTED}">{escape(value_text(value))}</text>'
        )
    for index, column in enumerate(columns):
        x = left + index * slot + 8
        bar_height = plot_height * column.value / scale_top
        parts.append(
            f'<rect x="{x}" y="{svg_number(bottom - bar_height)}" width="{slot - 16}" '
            f'height="{svg_number(bar_height)}" fill="{BRAND}"/>'
            f'<text x="{x + (slot - 16) / 2}" y="{bottom + 16}" font-size="11" '
            f'text-anchor="middle" fill="{MUTED}">{escape(column.label)}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_width}" y1="{bottom}" y2="{bottom}" stroke="{MUTED}"/>'
    )
    parts.append(svg_close())
    return mark_safe("".join(parts))  # noqa: S308 — every text above is escaped
