"""The volunteer's certificate (attestation de bénévolat) as a PDF (reportlab): the
association, the volunteer, the period, the missions and activities, the validated
hours, and a signature block for the president.

One page, generated in the request, in the fonts of ``maillon.core.pdf`` (embedded,
so French accents, « », œ and € print on every reader)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from maillon.core.pdf import FONT, FONT_BOLD, register_fonts

from .selectors import CertificateData

BRAND = colors.HexColor("#0b5d59")
LINE = colors.HexColor("#cfd6de")
PANEL = colors.HexColor("#f4f6f8")

Styles = dict[str, ParagraphStyle]


def _styles() -> Styles:
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=16, spaceAfter=4)
    return {
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=18, leading=24, textColor=BRAND, spaceAfter=10
        ),
        "body": body,
        "muted": ParagraphStyle(
            "muted", parent=body, fontSize=9, leading=12, textColor=colors.HexColor("#4b5563")
        ),
        "bold": ParagraphStyle("bold", parent=body, fontName=FONT_BOLD),
        "cell": ParagraphStyle("cell", parent=body, fontSize=10, leading=13, spaceAfter=0),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _date(day: datetime.date) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def _hours(value: Decimal | float) -> str:
    return formats.number_format(value.normalize() if isinstance(value, Decimal) else value)


def certificate_document(*, data: CertificateData, language: str) -> bytes:
    """The certificate's PDF, in ``language``."""
    register_fonts()
    association = data.association
    buffer = io.BytesIO()
    with translation.override(language):
        styles = _styles()
        title = _("Volunteer certificate")
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=22 * mm,
            rightMargin=22 * mm,
            topMargin=20 * mm,
            bottomMargin=20 * mm,
            title=f"{title} — {data.person}",
            author=association.name,
            creator="Maillon",
            lang=language,
            initialFontName=FONT,
        )
        story = [
            *_header(association, styles),
            Spacer(1, 10 * mm),
            _p(title, styles["title"]),
            *_statement(data, styles),
            *_missions_and_activities(data, styles),
            *_closing(data, styles),
        ]
        doc.build(story)
    return buffer.getvalue()


def _header(association: Any, styles: Styles) -> list[Flowable]:
    """The association: name, place, identifiers and contact address."""
    place = " ".join(part for part in (association.postal_code, association.city) if part)
    header = [_p(association.name, styles["bold"])]
    if place:
        header.append(_p(place, styles["muted"]))
    identifiers = []
    if association.rna:
        identifiers.append(_("RNA: %(number)s") % {"number": association.rna})
    if association.siren:
        identifiers.append(_("SIREN: %(number)s") % {"number": association.siren})
    if identifiers:
        header.append(_p(" · ".join(identifiers), styles["muted"]))
    if association.contact_email:
        header.append(_p(association.contact_email, styles["muted"]))
    return header


def _statement(data: CertificateData, styles: Styles) -> list[Flowable]:
    """What the association certifies: the volunteer, the period, the hours."""
    period = _("from %(start)s to %(end)s") % {
        "start": _date(data.start),
        "end": _date(data.end),
    }
    statement = [
        _p(
            _(
                "%(association)s certifies that %(name)s gave their time to the "
                "association as a volunteer, %(period)s."
            )
            % {"association": data.association.name, "name": data.person, "period": period},
            styles["body"],
        ),
        _p(
            ngettext(
                "Validated volunteer hours over the period: %(hours)s hours, on %(days)s day.",
                "Validated volunteer hours over the period: %(hours)s hours, on %(days)s days.",
                data.days,
            )
            % {"hours": _hours(data.hours), "days": data.days},
            styles["bold"],
        ),
    ]
    if data.first_day and data.last_day:
        statement.append(
            _p(
                _("First day: %(first)s; last day: %(last)s.")
                % {"first": _date(data.first_day), "last": _date(data.last_day)},
                styles["body"],
            )
        )
    return statement


def _missions_and_activities(data: CertificateData, styles: Styles) -> list[Flowable]:
    parts: list[Flowable] = []
    if data.missions:
        parts += [
            Spacer(1, 3 * mm),
            _p(_("Missions"), styles["bold"]),
            *[_p(f"• {mission}", styles["body"]) for mission in data.missions],
        ]
    if data.by_activity:
        rows = [[_p(_("Activity"), styles["bold"]), _p(_("Hours"), styles["bold"])]]
        rows += [
            [_p(row["label"], styles["cell"]), _p(_hours(row["hours"]), styles["cell"])]
            for row in data.by_activity
        ]
        table = Table(rows, colWidths=[120 * mm, 40 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, 0), PANEL),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ]
            )
        )
        parts += [Spacer(1, 3 * mm), _p(_("Activities"), styles["bold"]), table]
    return parts


def _closing(data: CertificateData, styles: Styles) -> list[Flowable]:
    """The note on validated hours, the place and date, and the president's block."""
    association = data.association
    signature = Table(
        [
            [_p(_("For the association, the president"), styles["bold"])],
            [_p(data.signatory or "—", styles["body"])],
            [_p(_("Signature:"), styles["muted"])],
            [Spacer(1, 22 * mm)],
        ],
        colWidths=[80 * mm],
        hAlign="RIGHT",
    )
    signature.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.5, LINE)]))
    return [
        Spacer(1, 6 * mm),
        _p(
            _(
                "Only the hours validated by the association are counted. This "
                "certificate is given to the person concerned to serve as they see fit."
            ),
            styles["muted"],
        ),
        Spacer(1, 8 * mm),
        _p(
            _("Done at %(place)s, on %(date)s.")
            % {"place": association.city or association.name, "date": _date(timezone.localdate())},
            styles["body"],
        ),
        Spacer(1, 6 * mm),
        signature,
    ]
