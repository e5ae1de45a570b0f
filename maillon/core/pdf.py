"""One font set-up for every PDF Maillon writes (minutes, convocation letters,
certificates, the strategy document, receipts, agreements).

The text is set in the Bitstream Vera fonts shipped with reportlab and embedded in
the file, so French accents, « », œ and € print on every reader."""

from __future__ import annotations

from pathlib import Path

import reportlab
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT = "MaillonVera"
FONT_BOLD = "MaillonVera-Bold"
_FONT_DIR = Path(reportlab.__file__).resolve().parent / "fonts"


def register_fonts() -> None:
    """Register ``FONT`` and ``FONT_BOLD`` (once per process)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(_FONT_DIR / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(_FONT_DIR / "VeraBd.ttf")))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


# --- two-party agreements (the loan agreement, the skills sponsorship agreement) --------


def a4_document_bytes(story: list, *, title: str, author: str, language: str) -> bytes:
    """``story`` laid out on A4 with the agreements' margins and metadata, as bytes."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=author,
        creator="Maillon",
        lang=language,
        initialFontName=FONT,
    )
    doc.build(story)
    return buffer.getvalue()


def boxed_columns(left: list, right: list, *, column_width: float, line_color):
    """Two blocks side by side, each in its own box (the parties' signature blocks)."""
    from reportlab.platypus import Table, TableStyle

    table = Table([[left, right]], colWidths=[column_width, column_width])
    table.setStyle(
        TableStyle(
            [("BOX", (0, 0), (0, 0), 0.5, line_color), ("BOX", (1, 0), (1, 0), 0.5, line_color)]
        )
    )
    return table
