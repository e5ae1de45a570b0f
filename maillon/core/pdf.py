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
