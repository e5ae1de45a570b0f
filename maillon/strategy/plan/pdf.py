"""The association's strategy document as a PDF (reportlab): the latest completed
diagnostic, the objectives ranked, the action plan and its indicators.

It is a few pages, so it is generated in the request. The fonts are Maillon's
(``maillon.core.pdf``), embedded in the file."""

from __future__ import annotations

import datetime
import io
from xml.sax.saxutils import escape

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from maillon.core.pdf import FONT, FONT_BOLD, register_fonts

from .selectors import StrategyDocument
from .selectors import strategy_document as document_data

BRAND = colors.HexColor("#0b5d59")
PANEL = colors.HexColor("#f4f6f8")
LINE = colors.HexColor("#cfd6de")


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=FONT, fontSize=10, leading=14)
    return {
        "title": ParagraphStyle(
            "title",
            parent=base["Title"],
            fontName=FONT_BOLD,
            fontSize=20,
            leading=24,
            alignment=TA_LEFT,
            textColor=BRAND,
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base["Heading2"],
            fontName=FONT_BOLD,
            fontSize=14,
            leading=18,
            textColor=BRAND,
            spaceBefore=10,
        ),
        "body": body,
        "muted": ParagraphStyle("muted", parent=body, textColor=colors.HexColor("#4b5563")),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=12),
        "head": ParagraphStyle("head", parent=body, fontName=FONT_BOLD, fontSize=9, leading=12),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _date(day: datetime.date | None) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT") if day else "—"


def _number(value) -> str:
    if value is None:
        return "—"
    return formats.number_format(
        value.normalize() if hasattr(value, "normalize") else value, use_l10n=True
    )


def _table(header: list[str], rows: list[list[str]], widths: list[float], styles) -> Table:
    data = [[_p(h, styles["head"]) for h in header]]
    data += [[_p(cell, styles["cell"]) for cell in row] for row in rows]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), PANEL),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _diagnostic_part(data: StrategyDocument, styles, width: float) -> list:
    story = [_p(_("Self-diagnostic"), styles["h2"])]
    summary = data.summary
    if summary is None:
        story.append(
            _p(
                _(
                    "No diagnostic has been completed yet. Take the self-diagnostic to add "
                    "its results and the association's objectives to this document."
                ),
                styles["body"],
            )
        )
        return story
    completed = summary.diagnostic.completed_at
    story.append(
        _p(
            _("Diagnostic completed on %(date)s. Overall level: %(level)s (%(score)s / 100).")
            % {
                "date": _date(completed.date() if completed else None),
                "level": summary.level or "—",
                "score": summary.overall,
            },
            styles["body"],
        )
    )
    if summary.self_rating:
        story.append(
            _p(
                _("The association's own rating: %(rating)s.") % {"rating": summary.self_rating},
                styles["body"],
            )
        )
    if summary.domains:
        story.append(Spacer(1, 3 * mm))
        story.append(
            _table(
                [_("Domain"), _("Score / 100"), _("Level")],
                [[d.title, str(d.score), d.level] for d in summary.domains],
                [width * 0.5, width * 0.2, width * 0.3],
                styles,
            )
        )
    story.append(_p(_("Objectives, most important first"), styles["h2"]))
    if summary.objectives:
        story.append(
            ListFlowable(
                [ListItem(_p(label, styles["body"])) for label in summary.objectives],
                bulletType="1",
                bulletFontName=FONT,
                bulletFontSize=10,
            )
        )
    else:
        story.append(_p(_("The objectives were not ranked."), styles["muted"]))
    return story


def _plan_part(data: StrategyDocument, styles, width: float) -> list:
    story = [_p(_("Action plan"), styles["h2"])]
    if not data.actions:
        story.append(_p(_("No action in the plan yet."), styles["muted"]))
    else:
        rows = []
        for action in data.actions:
            due = _date(action.due_date)
            if action.overdue:
                due = _("%(date)s (overdue)") % {"date": due}
            rows.append(
                [
                    action.title,
                    action.objective_label or "—",
                    action.owner.full_name if action.owner else "—",
                    due,
                    action.get_status_display(),
                ]
            )
        story.append(
            _table(
                [_("Action"), _("Objective served"), _("Owner"), _("Due date"), _("Status")],
                rows,
                [width * 0.34, width * 0.2, width * 0.18, width * 0.14, width * 0.14],
                styles,
            )
        )
    story.append(_p(_("Indicators"), styles["h2"]))
    if not data.indicators:
        story.append(_p(_("No indicator yet."), styles["muted"]))
        return story
    rows = []
    for line in data.indicators:
        indicator, latest = line.indicator, line.latest
        unit = f" {indicator.unit}" if indicator.unit else ""
        latest_text = (
            _("%(value)s on %(date)s")
            % {"value": _number(latest.value) + unit, "date": _date(latest.date)}
            if latest
            else "—"
        )
        target = _number(indicator.target) + unit
        if indicator.target_date:
            target = _("%(value)s by %(date)s") % {
                "value": target,
                "date": _date(indicator.target_date),
            }
        rows.append(
            [
                indicator.name,
                indicator.action.title,
                _number(indicator.baseline) + (unit if indicator.baseline is not None else ""),
                target,
                latest_text,
            ]
        )
    story.append(
        _table(
            [_("Indicator"), _("Action"), _("Baseline"), _("Target"), _("Latest value")],
            rows,
            [width * 0.24, width * 0.26, width * 0.14, width * 0.18, width * 0.18],
            styles,
        )
    )
    return story


def strategy_document(*, association, language: str, today: datetime.date) -> bytes:
    """The PDF, in ``language``."""
    register_fonts()
    with translation.override(language):
        data = document_data(association=association, language=language)
        styles = _styles()
        buffer = io.BytesIO()
        title = _("Digital strategy of %(association)s") % {"association": association.name}
        footer = _("%(association)s · digital strategy · %(date)s · page %(page)s")
        generated = _date(today)

        def on_page(canvas, doc):
            canvas.saveState()
            canvas.setFont(FONT, 8)
            canvas.setFillColor(colors.HexColor("#4b5563"))
            canvas.drawString(
                doc.leftMargin,
                10 * mm,
                footer % {"association": association.name, "date": generated, "page": doc.page},
            )
            canvas.restoreState()

        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=18 * mm,
            bottomMargin=20 * mm,
            title=title,
            author=association.name,
            creator="Maillon",
            lang=language,
            initialFontName=FONT,
        )
        width = doc.width
        story = [
            _p(title, styles["title"]),
            _p(_("Document of %(date)s.") % {"date": generated}, styles["muted"]),
            Spacer(1, 4 * mm),
            *_diagnostic_part(data, styles, width),
            *_plan_part(data, styles, width),
        ]
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()
