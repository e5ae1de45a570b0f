"""The minutes of an assembly as a PDF (reportlab), with a signature block for the
president and the secretary of the session.

The signature block is kept on one page with the names. One or two pages,
generated in the request, in the fonts of every PDF
(``maillon.core.pdf``)."""

from __future__ import annotations

import io
import zoneinfo
from xml.sax.saxutils import escape

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from maillon.core.pdf import FONT, FONT_BOLD, register_fonts

from ..formatting import french_spaces
from ..models import Minutes

BRAND = colors.HexColor("#0b5d59")


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=2)
    return {
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=BRAND, spaceAfter=8
        ),
        "body": body,
        "muted": ParagraphStyle("muted", parent=body, textColor=colors.HexColor("#4b5563")),
        "bold": ParagraphStyle("bold", parent=body, fontName=FONT_BOLD),
    }


def _p(text: str, style) -> Paragraph:
    # Keep the editor's line breaks and leading spaces; French typography keeps
    # a sign such as ":" on the line of the word before it.
    html = escape(french_spaces(text)).replace("  ", "&nbsp;&nbsp;")
    return Paragraph(html, style)


def minutes_document(*, minutes: Minutes, language: str) -> bytes:
    """The PDF of ``minutes``, in ``language`` (for the headings it adds)."""
    register_fonts()
    assembly = minutes.assembly
    association = assembly.association
    buffer = io.BytesIO()
    with translation.override(language):
        styles = _styles()
        title = _("Minutes — %(title)s") % {"title": assembly.title}
        footer = _("%(association)s · minutes · page %(page)s")

        def on_page(canvas, doc):
            canvas.saveState()
            canvas.setFont(FONT, 8)
            canvas.setFillColor(colors.HexColor("#4b5563"))
            canvas.drawString(
                doc.leftMargin,
                10 * mm,
                footer % {"association": association.name, "page": doc.page},
            )
            canvas.restoreState()

        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=20 * mm,
            rightMargin=20 * mm,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=title,
            author=association.name,
            creator="Maillon",
            lang=language,
            initialFontName=FONT,
        )
        story = [_p(association.name, styles["muted"]), _p(title, styles["title"])]
        for line in minutes.body.splitlines():
            story.append(_p(line, styles["body"]) if line.strip() else Spacer(1, 3 * mm))
        if minutes.approved_at:
            approved = timezone.localtime(
                minutes.approved_at, zoneinfo.ZoneInfo(association.time_zone)
            )
            story += [
                Spacer(1, 4 * mm),
                _p(
                    _("Minutes approved on %(date)s.")
                    % {"date": formats.date_format(approved, "DATE_FORMAT")},
                    styles["muted"],
                ),
            ]
        signatures = Table(
            [
                [
                    _p(_("The president of the session"), styles["bold"]),
                    _p(_("The secretary of the session"), styles["bold"]),
                ],
                [
                    _p(minutes.president_name or "—", styles["body"]),
                    _p(minutes.secretary_name or "—", styles["body"]),
                ],
                [_p(_("Signature:"), styles["muted"]), _p(_("Signature:"), styles["muted"])],
            ],
            colWidths=[doc.width / 2, doc.width / 2],
            rowHeights=[None, None, 25 * mm],
            hAlign="LEFT",
        )
        signatures.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        # Headings, names and the room to sign never part: the whole block goes to
        # the next page when it does not fit at the bottom of this one.
        story += [Spacer(1, 10 * mm), KeepTogether([signatures])]
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
