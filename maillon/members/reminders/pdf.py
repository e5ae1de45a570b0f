"""Fee reminder letters, one page each, for people without an email address: a batch
the association prints and posts (reportlab, fonts of ``maillon.core.pdf``)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer

from maillon.associations.models import Association
from maillon.core.pdf import FONT, FONT_BOLD, register_fonts

from ..models import FeeReminder


def reminder_letters_document(*, association: Association, letters: list[FeeReminder]) -> bytes:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=16, spaceAfter=6)
    bold = ParagraphStyle("bold", parent=body, fontName=FONT_BOLD)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=20 * mm,
        title=_("Membership fee reminders"),
    )
    story: list = []
    for index, letter in enumerate(letters):
        person = letter.person
        if index:
            story.append(PageBreak())
        story.append(Paragraph(escape(association.name), bold))
        story.append(Spacer(1, 18 * mm))
        address = [str(person), person.address, f"{person.postal_code} {person.city}".strip()]
        for line in filter(None, address):
            story.append(Paragraph(escape(line), body))
        story.append(Spacer(1, 14 * mm))
        story.append(Paragraph(escape(_("Hello %(name)s,") % {"name": person.first_name}), body))
        end = formats.date_format(letter.period_end, "DATE_FORMAT")
        if letter.stage == "before":
            text = _(
                "Your membership of %(association)s runs until %(date)s. You can already "
                "renew your membership fee with the association's treasurer."
            )
        else:
            text = _(
                "Your membership of %(association)s ended on %(date)s. To stay a member, "
                "please renew your membership fee with the association's treasurer."
            )
        story.append(Paragraph(escape(text % {"association": association.name, "date": end}), body))
        story.append(Paragraph(escape(_("This is a service message about your membership.")), body))
    document.build(story)
    return buffer.getvalue()
