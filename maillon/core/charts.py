"""SVG primitives shared by the server-side charts (diagnostic radar, indicator lines,
engagement bars, observatory cards): no JavaScript, no library.

Every chart is an inline ``<svg role="img">`` named by its ``<title>`` and described
by its ``<desc>`` (through ``aria-labelledby``); pages show the same numbers in a
table beside it, so nothing is given by the picture alone."""

from __future__ import annotations

import math

from django.utils import formats
from django.utils.html import escape

# Colours of the stylesheet's palette (contrast checked against white).
BRAND = "#0b5d59"
GRID = "#e5e9ee"
TEXT = "#1a1a1a"
MUTED = "#4b5563"


def svg_number(number: float) -> str:
    """A coordinate or length in SVG: one decimal at most, no trailing zero."""
    return f"{number:.1f}".rstrip("0").rstrip(".")


def value_text(value: float) -> str:
    """A value written on a chart, in the active language's number format
    (``3,5`` in French)."""
    return formats.number_format(round(value, 1) if value % 1 else int(value), use_l10n=True)


def svg_open(
    *,
    chart_id: str,
    width: int | float,
    height: int | float,
    title: str,
    description: str,
    css_class: str = "chart",
    responsive: bool = True,
) -> list[str]:
    """The opening of a chart: the ``<svg>`` element named by its title and
    description, then a group hidden from assistive technologies (the numbers are in
    the table beside the chart). Close with ``svg_close()``."""
    # Its natural width at most, narrower on a small screen (svg.chart in maillon.css:
    # no style attribute, which the Content-Security-Policy forbids).
    size = f'width="{svg_number(width)}" height="{svg_number(height)}" ' if responsive else ""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" {size}'
        f'viewBox="0 0 {svg_number(width)} {svg_number(height)}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
        '<g aria-hidden="true">',
    ]


def svg_close() -> str:
    return "</g></svg>"


def nice_step(span: float, count: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) such that ``count`` steps
    cover ``span``."""
    if span <= 0:
        return 1.0
    raw = span / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def wrap_label(label: str, width: int = 20, max_lines: int = 3) -> list[str]:
    """Split a label into lines of about ``width`` characters (the last line takes
    what is left)."""
    lines: list[str] = []
    line = ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width and len(lines) < max_lines - 1:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines
