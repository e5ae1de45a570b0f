"""The loan agreement (convention de prêt) of a booking as a PDF (reportlab): the
two parties, the item, the period, the deposit, the fee or the value of a free loan,
the insurance asked of the borrower, the condition reports and a signature block for
each party. Fonts from ``maillon.core.pdf``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

from maillon.core.pdf import (
    FONT,
    FONT_BOLD,
    a4_document_bytes,
    boxed_columns,
    register_fonts,
)

from .models import Booking

BRAND = colors.HexColor("#0b5d59")
LINE = colors.HexColor("#cfd6de")


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=15, spaceAfter=4)
    return {
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=17, leading=22, textColor=BRAND, spaceAfter=8
        ),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=12, spaceBefore=6),
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName=FONT_BOLD),
        "muted": ParagraphStyle(
            "muted", parent=body, fontSize=9, leading=12, textColor=colors.HexColor("#4b5563")
        ),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _money(value: Decimal) -> str:
    return _("%(amount)s €") % {"amount": formats.number_format(value, 2, use_l10n=True)}


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _party(association: Any, role: str, styles) -> list:
    place = " ".join(p for p in (association.postal_code, association.city) if p)
    lines = [_p(role, styles["bold"])]
    lines.append(_p(association.name, styles["body"]))
    if place:
        lines.append(_p(place, styles["muted"]))
    if association.rna:
        lines.append(_p(_("RNA: %(number)s") % {"number": association.rna}, styles["muted"]))
    return lines


def _terms(booking: Booking, styles) -> list:
    resource = booking.resource
    rows = [
        (_("Item"), f"{resource.name} ({resource.get_kind_display()})"),
        (
            _("Period"),
            _("from %(start)s to %(end)s")
            % {"start": _when(booking.starts_at), "end": _when(booking.ends_at)},
        ),
        (_("Deposit"), _money(resource.deposit) if resource.deposit else _("None")),
    ]
    if resource.is_free:
        value = booking.value_in_kind or resource.value_in_kind
        rows.append(
            (_("Fee"), _("Free loan (value in kind: %(value)s)") % {"value": _money(value)})
        )
    else:
        rows.append((_("Fee"), _money(resource.fee)))
    rows.append(
        (
            _("Insurance"),
            _("The borrower certifies that its insurance covers the item during the loan.")
            if resource.insurance_required
            else _("No specific insurance asked; the borrower answers for damage."),
        )
    )
    if resource.place:
        rows.append((_("Place"), resource.place))
    if booking.purpose:
        rows.append((_("Use"), booking.purpose))
    if booking.checkout_condition:
        rows.append((_("Condition when lent"), booking.checkout_condition))
    if booking.checkin_condition:
        rows.append((_("Condition when returned"), booking.checkin_condition))
    table = Table(
        [[_p(label, styles["bold"]), _p(value, styles["body"])] for label, value in rows],
        colWidths=[45 * mm, 120 * mm],
        hAlign="LEFT",
    )
    table.setStyle(
        TableStyle(
            [("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        )
    )
    return [table]


def _signatures(booking: Booking, styles) -> Table:
    def block(title: str, name: str) -> list:
        return [
            _p(title, styles["bold"]),
            _p(name, styles["body"]),
            _p(_("Name, date and signature:"), styles["muted"]),
            Spacer(1, 24 * mm),
        ]

    return boxed_columns(
        block(_("For the lender"), booking.association.name),
        block(_("For the borrower"), booking.borrower.name),
        column_width=82 * mm,
        line_color=LINE,
    )


def loan_agreement_pdf(*, booking: Booking, language: str) -> bytes:
    register_fonts()
    with translation.override(language):
        styles = _styles()
        title = _("Loan agreement")
        parties = Table(
            [
                [
                    _party(booking.association, _("The lender"), styles),
                    _party(booking.borrower, _("The borrower"), styles),
                ]
            ],
            colWidths=[82 * mm, 82 * mm],
        )
        parties.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story = [
            _p(title, styles["title"]),
            _p(_("Booking no. %(number)s") % {"number": booking.pk}, styles["muted"]),
            Spacer(1, 4 * mm),
            parties,
            Spacer(1, 4 * mm),
            _p(_("Terms of the loan"), styles["h2"]),
            *_terms(booking, styles),
            Spacer(1, 4 * mm),
            _p(
                _(
                    "The borrower uses the item with care for the purpose stated, returns it "
                    "on time in the condition it was lent, and informs the lender at once of "
                    "any damage. The deposit is returned once the item is back in the same "
                    "condition."
                ),
                styles["body"],
            ),
            Spacer(1, 6 * mm),
            _signatures(booking, styles),
        ]
        return a4_document_bytes(
            story,
            title=f"{title} — {booking.resource.name}",
            author=booking.association.name,
            language=language,
        )
