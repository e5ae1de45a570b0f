"""The receipt as a PDF, drawn from its frozen data: the mentions of the cerfa
n° 11580 model (individuals) or n° 16216 (companies), or a cancellation.

The receipt is a French tax document: it is always printed in French, whatever the
language of who asks. It is drawn with reportlab's canvas (not platypus): a year-end
batch prints thousands of them. Fonts come from ``maillon.core.pdf`` (embedded:
accents and € print everywhere)."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal
from typing import Any

from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from maillon.core.pdf import FONT, FONT_BOLD, register_fonts

from ..models import Cerfa, LegalBasis, Method, Nature, ReceiptKind
from .signature import signature_image
from .words import euros_in_words

RECEIPT_LANGUAGE = "fr"
WIDTH, HEIGHT = A4
LEFT, RIGHT, TOP, BOTTOM = 18 * mm, WIDTH - 18 * mm, HEIGHT - 16 * mm, 18 * mm
BRAND = colors.HexColor("#0b5d59")
RED = colors.HexColor("#b42318")
SIGNATURE_WIDTH, SIGNATURE_HEIGHT = 60 * mm, 22 * mm


def money(value: str | Decimal) -> str:
    return (
        formats.number_format(Decimal(value), decimal_pos=2, use_l10n=True, force_grouping=True)
        + " €"
    )


def day(value: str | None) -> str:
    if not value:
        return "—"
    return formats.date_format(datetime.date.fromisoformat(value), "SHORT_DATE_FORMAT")


class _Page:
    """A cursor down the page, with line wrapping and page breaks."""

    def __init__(self, canvas: Canvas, footer: str):
        self.c, self.y, self.footer = canvas, TOP, footer

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM + 8 * mm:
            self._foot()
            self.c.showPage()
            self.y = TOP

    def _foot(self) -> None:
        self.c.setFont(FONT, 7.5)
        self.c.setFillColor(colors.HexColor("#4b5563"))
        self.c.drawString(LEFT, BOTTOM - 4 * mm, self.footer)
        self.c.setFillColor(colors.black)

    def text(
        self,
        text: str,
        *,
        size: float = 9.5,
        bold: bool = False,
        indent: float = 0,
        color: Any = None,
        gap: float = 1.5,
    ) -> None:
        font = FONT_BOLD if bold else FONT
        leading = size * 1.3
        lines = simpleSplit(text, font, size, RIGHT - LEFT - indent) or [""]
        self.need(leading * len(lines))
        self.c.setFont(font, size)
        if color is not None:
            self.c.setFillColor(color)
        for line in lines:
            self.y -= leading
            self.c.drawString(LEFT + indent, self.y, line)
        self.c.setFillColor(colors.black)
        self.y -= gap

    def heading(self, text: str) -> None:
        self.need(12 * mm)
        self.y -= 3 * mm
        self.c.setFillColor(colors.HexColor("#eef2f4"))
        self.c.rect(LEFT, self.y - 5.2 * mm, RIGHT - LEFT, 6.2 * mm, stroke=0, fill=1)
        self.c.setFillColor(BRAND)
        self.c.setFont(FONT_BOLD, 10.5)
        self.c.drawString(LEFT + 2 * mm, self.y - 3.8 * mm, text)
        self.c.setFillColor(colors.black)
        self.y -= 7.5 * mm

    def box(self, label: str, ticked: bool, *, indent: float = 0) -> None:
        # Vera has no ballot-box glyph: a ticked box prints as [X].
        self.text(("[X] " if ticked else "[  ] ") + label, indent=indent, gap=0.5)

    def boxes(self, options: list[tuple[str, bool]], *, indent: float = 0) -> None:
        """Several short boxes on one line (fewer lines to draw in a year-end batch)."""
        self.text(
            "    ".join(("[X] " if ticked else "[  ] ") + label for label, ticked in options),
            indent=indent,
            gap=0.5,
        )

    def end_page(self) -> None:
        self._foot()
        self.c.showPage()


def receipt_pdf(
    *,
    number: str,
    kind: str,
    cerfa: str,
    data: dict[str, Any],
    cancelled: dict[str, str] | None = None,
) -> bytes:
    """The PDF of a receipt or of a cancellation; ``cancelled`` (number and date of
    the cancellation) stamps a cancelled receipt, which stays readable."""
    register_fonts()
    buffer = io.BytesIO()
    with translation.override(RECEIPT_LANGUAGE):
        canvas = Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
        title = (
            _("Cancellation of a tax receipt")
            if kind == ReceiptKind.CANCELLATION
            else _("Receipt for gifts to bodies of general interest")
        )
        canvas.setTitle(f"{title} n° {number}")
        canvas.setAuthor(data["association"]["name"])
        canvas.setCreator("Maillon")
        draw_receipt(canvas, number=number, kind=kind, cerfa=cerfa, data=data, cancelled=cancelled)
        canvas.save()
    return buffer.getvalue()


def draw_receipt(
    canvas: Canvas,
    *,
    number: str,
    kind: str,
    cerfa: str,
    data: dict[str, Any],
    cancelled: dict[str, str] | None = None,
) -> None:
    """Draw a receipt (or a cancellation) on the next pages of ``canvas`` (a single
    receipt's file, or a batch of letters)."""
    footer = _("%(association)s — receipt n° %(number)s") % {
        "association": data["association"]["name"],
        "number": number,
    }
    page = _Page(canvas, footer)
    if kind == ReceiptKind.CANCELLATION:
        _cancellation(page, number, data)
    else:
        _receipt(page, number, cerfa, data, cancelled)
    page.end_page()


def _title(page: _Page, number: str, cerfa: str) -> None:
    if cerfa == Cerfa.COMPANY:
        page.text(_("Cerfa n° 16216*02"), size=8.5, color=BRAND)
        page.text(
            _(
                "Receipt for gifts and payments made by companies under article 238 bis of the "
                "Code général des impôts"
            ),
            size=13,
            bold=True,
        )
    else:
        page.text(_("Cerfa n° 11580*05"), size=8.5, color=BRAND)
        page.text(_("Receipt for gifts to certain bodies of general interest"), size=13, bold=True)
        page.text(_("Articles 200, 238 bis and 978 of the Code général des impôts"), size=9)
    page.text(_("Receipt serial number: %(number)s") % {"number": number}, bold=True, size=11)


def _beneficiary(page: _Page, data: dict[str, Any]) -> None:
    a = data["association"]
    page.heading(_("Beneficiary of the gifts"))
    page.text(_("Name: %(name)s") % {"name": a["name"]}, bold=True)
    place = " ".join(p for p in (a["postal_code"], a["city"]) if p)
    page.text(
        _("Address: %(address)s")
        % {"address": ", ".join(p for p in (a["address"], place) if p) or "—"}
    )
    ids = []
    if a.get("rna"):
        ids.append(_("RNA: %(number)s") % {"number": a["rna"]})
    if a.get("siren"):
        ids.append(_("SIREN: %(number)s") % {"number": a["siren"]})
    if ids:
        page.text(" · ".join(ids))
    page.text(_("Object: %(object)s") % {"object": a["object"] or "—"})
    basis = data["legal_basis"]
    for value, label in LegalBasis.choices:
        text = str(label)
        if value == LegalBasis.PUBLIC_UTILITY and data.get("recognition_date"):
            text += " " + _("(decree of %(date)s)") % {"date": day(data["recognition_date"])}
        page.box(text, value == basis, indent=3 * mm)


def _donor(page: _Page, data: dict[str, Any], cerfa: str) -> None:
    d = data["donor"]
    place = " ".join(p for p in (d["postal_code"], d["city"]) if p)
    address = ", ".join(p for p in (d["address"], place) if p) or "—"
    if cerfa == Cerfa.COMPANY:
        page.heading(_("Donor company"))
        page.text(_("Company name: %(name)s") % {"name": d["company_name"]}, bold=True)
        page.text(_("SIREN: %(number)s") % {"number": d["siren"] or "—"})
    else:
        page.heading(_("Donor"))
        page.text(
            _("Last name, first names: %(name)s")
            % {"name": f"{d['last_name'].upper()} {d['first_name']}".strip()},
            bold=True,
        )
    page.text(_("Address: %(address)s") % {"address": address})


def _gifts(page: _Page, data: dict[str, Any], cerfa: str) -> None:
    total = Decimal(data["total"])
    page.heading(_("Gifts received"))
    page.text(
        _(
            "The beneficiary acknowledges having received, as gifts and payments giving right "
            "to a tax reduction, the sum of:"
        ),
    )
    page.text(money(total), size=12, bold=True, indent=3 * mm)
    page.text(_("Sum in words: %(words)s") % {"words": euros_in_words(total)}, indent=3 * mm)
    lines = data["lines"]
    if len(lines) == 1:
        page.text(_("Date of the gift: %(date)s") % {"date": day(lines[0]["date"])})
    else:
        page.text(
            _("Dates of the gifts: from %(first)s to %(last)s (detail below)")
            % {"first": day(lines[0]["date"]), "last": day(lines[-1]["date"])}
        )
    law = "238 bis" if cerfa == Cerfa.COMPANY else "200"
    page.text(
        _(
            "The beneficiary certifies on its honour that the gifts and payments it receives "
            "give right to the tax reduction of article %(article)s of the Code général des "
            "impôts."
        )
        % {"article": law},
        bold=True,
    )
    natures = {line["nature"] for line in lines}
    methods = {line["method"] for line in lines}
    page.text(_("Form of the gift:"), bold=True)
    page.boxes(
        [
            (_("Authentic deed"), False),
            (_("Private deed"), False),
            (_("Declaration of a manual gift"), False),
            (_("Other (manual gift)"), True),
        ],
        indent=3 * mm,
    )
    page.text(_("Nature of the gift:"), bold=True)
    page.boxes(
        [
            (_("Cash payment (numéraire)"), Nature.MONEY in natures),
            (_("Listed company shares"), False),
        ],
        indent=3 * mm,
    )
    page.box(
        _("Other: gift in kind, waived expenses (renonciation au remboursement de frais)"),
        bool(natures - {Nature.MONEY}),
        indent=3 * mm,
    )
    if Nature.MONEY in natures:
        page.text(_("For a gift of money, method of payment:"), bold=True)
        page.boxes(
            [
                (_("Cash"), Method.CASH in methods),
                (_("Cheque"), Method.CHEQUE in methods),
                (
                    _("Transfer, direct debit, bank card"),
                    bool(methods & {Method.TRANSFER, Method.CARD, Method.HELLOASSO}),
                ),
            ],
            indent=3 * mm,
        )


def _detail(page: _Page, data: dict[str, Any]) -> None:
    page.heading(_("Detail of the gifts"))
    natures = dict(Nature.choices)
    methods = dict(Method.choices)
    for line in data["lines"]:
        what = str(natures.get(line["nature"], line["nature"]))
        if line["nature"] == Nature.MONEY:
            what += " · " + str(methods.get(line["method"], line["method"]))
        if line["description"]:
            what += " · " + line["description"]
        page.text(f"{day(line['date'])}    {money(line['amount'])}    {what}", size=8.5, gap=0.3)


def _signature(page: _Page, data: dict[str, Any]) -> None:
    a, s = data["association"], data["signatory"]
    image = signature_image(s["signature"]) if s.get("signature") else None
    # The block stays on one page: place, date, image, name.
    page.need(30 * mm + (SIGNATURE_HEIGHT if image is not None else 0))
    page.y -= 4 * mm
    page.text(
        _("Done at %(place)s, on %(date)s.")
        % {"place": a["city"] or a["name"], "date": day(data["issued_on"])}
    )
    if image is not None:
        # Above the signatory's name, within 60 × 22 mm, its proportions kept.
        width, height = image.getSize()
        scale = min(SIGNATURE_WIDTH / width, SIGNATURE_HEIGHT / height)
        page.y -= height * scale + 1 * mm
        page.c.drawImage(
            image, LEFT, page.y, width=width * scale, height=height * scale, mask="auto"
        )
    who = ", ".join(p for p in (s["name"], s["title"]) if p) or "—"
    page.text(_("Signature: %(who)s") % {"who": who}, bold=True)


def _stamp(page: _Page, cancelled: dict[str, str]) -> None:
    c = page.c
    c.saveState()
    c.setFillColor(RED)
    c.setFont(FONT_BOLD, 11)
    c.drawString(
        LEFT,
        TOP + 5 * mm,
        _(
            "CANCELLED on %(date)s by document n° %(number)s — this receipt no longer gives right "
            "to a tax reduction."
        )
        % {"date": day(cancelled["date"]), "number": cancelled["number"]},
    )
    c.restoreState()


def _receipt(
    page: _Page, number: str, cerfa: str, data: dict[str, Any], cancelled: dict[str, str] | None
) -> None:
    if cancelled:
        _stamp(page, cancelled)
    _title(page, number, cerfa)
    if data.get("replaces_number"):
        page.text(
            _("This receipt replaces receipt n° %(number)s, cancelled.")
            % {"number": data["replaces_number"]},
            color=RED,
        )
    _beneficiary(page, data)
    _donor(page, data, cerfa)
    _gifts(page, data, cerfa)
    _signature(page, data)
    # The detail names what a gift in kind was (e.g. the skills sponsorship of a year).
    described = any(line["description"] for line in data["lines"] if line["nature"] != Nature.MONEY)
    if len(data["lines"]) > 1 or described:
        _detail(page, data)


def _cancellation(page: _Page, number: str, data: dict[str, Any]) -> None:
    page.text(_("Cancellation of a tax receipt"), size=13, bold=True)
    page.text(_("Document serial number: %(number)s") % {"number": number}, bold=True, size=11)
    _beneficiary(page, data)
    _donor(page, data, data.get("cerfa", Cerfa.INDIVIDUAL))
    page.heading(_("Cancelled receipt"))
    page.text(
        _(
            "Receipt n° %(number)s issued on %(date)s for %(amount)s is cancelled. It no longer "
            "gives right to a tax reduction and must not be used for one."
        )
        % {
            "number": data["cancelled_number"],
            "date": day(data["cancelled_issued_on"]),
            "amount": money(data["total"]),
        },
        bold=True,
    )
    page.text(_("Reason: %(reason)s") % {"reason": data.get("reason") or "—"})
    if data.get("replacement_number"):
        page.text(
            _("It is replaced by receipt n° %(number)s.") % {"number": data["replacement_number"]}
        )
    _signature(page, data)
