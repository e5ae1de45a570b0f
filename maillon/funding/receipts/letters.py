"""The printable batch of letters for donors without email: for each receipt, a
covering letter (the association's address, the donor's in the window of a DL
envelope) followed by the receipt itself, all in one PDF. French like the receipt."""

from __future__ import annotations

import io
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from maillon.associations.models import Association
from maillon.core.pdf import FONT, FONT_BOLD, register_fonts

from ..models import Receipt, ReceiptKind, ReceiptStatus
from .pdf import RECEIPT_LANGUAGE, draw_receipt

WIDTH, HEIGHT = A4
LEFT = 20 * mm
WINDOW_X, WINDOW_Y = 110 * mm, HEIGHT - 50 * mm  # DL envelope window, right


def cancelled_stamp(receipt: Receipt) -> dict[str, str] | None:
    """What stamps a cancelled receipt: its cancellation's number and date."""
    if receipt.status != ReceiptStatus.CANCELLED:
        return None
    with scope(association=receipt.association_id):
        cancellation = Receipt.objects.filter(
            association_id=receipt.association_id, cancels=receipt
        ).first()
    return {
        "number": cancellation.number if cancellation else "—",
        "date": timezone.localtime(receipt.cancelled_at).date().isoformat()
        if receipt.cancelled_at
        else "",
    }


def letters_pdf(association: Association, receipts: list[Receipt]) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    with translation.override(RECEIPT_LANGUAGE):
        canvas = Canvas(buffer, pagesize=A4, pageCompression=1, invariant=1)
        canvas.setTitle(_("Tax receipts to post"))
        canvas.setAuthor(association.name)
        canvas.setCreator("Maillon")
        for receipt in receipts:
            _cover(canvas, receipt)
            draw_receipt(
                canvas,
                number=receipt.number,
                kind=receipt.kind,
                cerfa=receipt.cerfa,
                data=receipt.data,
                cancelled=cancelled_stamp(receipt),
            )
        canvas.save()
    return buffer.getvalue()


def _lines(canvas: Canvas, x: float, y: float, lines: list[str], *, size: float = 10) -> float:
    for line in lines:
        if line:
            canvas.drawString(x, y, line)
        y -= size * 1.35
    return y


def _address(part: dict[str, Any], name: str) -> list[str]:
    town = " ".join(p for p in (part.get("postal_code"), part.get("city")) if p)
    return [name, *(part.get("address") or "").splitlines(), town]


def _donor_name(donor: dict[str, Any]) -> str:
    if donor.get("company_name"):
        return donor["company_name"]
    return " ".join(p for p in (donor.get("first_name"), donor.get("last_name")) if p)


def _cover(canvas: Canvas, receipt: Receipt) -> None:
    data = receipt.data
    association, donor = data["association"], data.get("donor") or {}
    canvas.setFont(FONT_BOLD, 10)
    canvas.drawString(LEFT, HEIGHT - 20 * mm, association["name"])
    canvas.setFont(FONT, 10)
    _lines(canvas, LEFT, HEIGHT - 25 * mm, _address(association, "")[1:])
    _lines(canvas, WINDOW_X, WINDOW_Y, _address(donor, _donor_name(donor)))
    today = formats.date_format(timezone.localdate(), "DATE_FORMAT")
    y = _lines(canvas, WINDOW_X, WINDOW_Y - 35 * mm, [today])
    y -= 12 * mm
    if receipt.kind == ReceiptKind.CANCELLATION:
        body = _(
            "Please find enclosed the cancellation of the tax receipt n° %(number)s that we "
            "issued to you. Keep it with your tax papers."
        ) % {"number": data.get("cancelled_number", "")}
    else:
        body = _(
            "Thank you for your support. Please find enclosed your tax receipt n° %(number)s: "
            "keep it, it justifies the tax reduction for your gifts."
        ) % {"number": receipt.number}
    paragraphs = [_("Dear donor,"), body, _("With our warm thanks,"), association["name"]]
    for paragraph in paragraphs:
        lines = simpleSplit(paragraph, FONT, 10, WIDTH - 2 * LEFT)
        y = _lines(canvas, LEFT, y, lines) - 4 * mm
    canvas.showPage()
