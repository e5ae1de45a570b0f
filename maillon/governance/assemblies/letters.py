"""Printable documents of an assembly (reportlab): the convocation letters for
people without an email address — one page each, with the association's header,
the date, place and agenda, and a proxy slip to cut out — and the attendance sheet
(*feuille de présence*) with a signature column.

Fonts: those of every PDF (``maillon.core.pdf``)."""

from __future__ import annotations

import io
import zoneinfo
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from maillon.core.pdf import FONT, FONT_BOLD, register_fonts

from ..formatting import count

LINE = colors.HexColor("#9aa5b1")


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "header": ParagraphStyle(
            "header", parent=body, fontName=FONT_BOLD, fontSize=13, leading=16
        ),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=15, leading=19),
        "bold": ParagraphStyle("bold", parent=body, fontName=FONT_BOLD),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
    }


def _p(text, style) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def _when(assembly) -> str:
    local = timezone.localtime(
        assembly.starts_at, zoneinfo.ZoneInfo(assembly.association.time_zone)
    )
    return formats.date_format(local, "DATETIME_FORMAT")


def _association_header(association, styles) -> list:
    lines = [association.name]
    address = " ".join(part for part in (association.postal_code, association.city) if part)
    details = [d for d in (address, association.contact_email, association.phone) if d]
    return [
        _p(lines[0], styles["header"]),
        _p(" · ".join(details), styles["small"]),
        Spacer(1, 8 * mm),
    ]


def _render(story, title: str) -> bytes:
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=title,
    )
    doc.build(story)
    return buffer.getvalue()


def poll_secrecy_line(poll) -> str:
    """How a vote is cast, as the convocation announces it."""
    if poll.is_secret:
        return _("%(title)s: secret ballot") % {"title": poll.title}
    return _("%(title)s: open ballot (the published list of ballots names the voters)") % {
        "title": poll.title
    }


def convocation_letters_pdf(*, assembly, entries, agenda, polls=()) -> bytes:
    """One page per person: address block, convocation, agenda, proxy slip."""
    styles = _styles()
    association = assembly.association
    story: list = []
    place = assembly.place or assembly.online_link
    for index, entry in enumerate(entries):
        person = entry.person
        if index:
            story.append(PageBreak())
        story += _association_header(association, styles)
        address = "\n".join(
            part
            for part in (
                str(person),
                person.address,
                " ".join(p for p in (person.postal_code, person.city) if p),
            )
            if part
        )
        story.append(Table([["", _p(address, styles["body"])]], colWidths=[95 * mm, 80 * mm]))
        story.append(Spacer(1, 10 * mm))
        story.append(_p(assembly.title, styles["title"]))
        story.append(Spacer(1, 4 * mm))
        story.append(
            _p(
                _(
                    "Dear %(name)s, you are invited to the %(kind)s of %(association)s, "
                    "on %(date)s, at: %(place)s."
                )
                % {
                    "name": person,
                    "kind": assembly.get_kind_display().lower(),
                    "association": association.name,
                    "date": _when(assembly),
                    "place": place,
                },
                styles["body"],
            )
        )
        if assembly.description:
            story += [Spacer(1, 3 * mm), _p(assembly.description, styles["body"])]
        story += [Spacer(1, 4 * mm), _p(_("Agenda"), styles["bold"])]
        for item in agenda:
            story.append(_p(f"{item.position}. {item.title}", styles["body"]))
        if polls:
            story += [Spacer(1, 3 * mm), _p(_("Votes"), styles["bold"])]
            story += [_p("– " + poll_secrecy_line(poll), styles["body"]) for poll in polls]
        if entry.may_vote:
            story.append(Spacer(1, 12 * mm))
            story.append(KeepTogether(_proxy_slip(assembly, person, styles)))
    if not story:
        story.append(_p(_("Nobody needs a letter: everyone has an email address."), styles["body"]))
    return _render(story, _("Convocation letters"))


def _proxy_slip(assembly, person, styles) -> list:
    text = _(
        "PROXY. I, the undersigned %(name)s, unable to attend the assembly “%(title)s” "
        "of %(date)s, give my proxy to: ______________________________ (leave empty "
        "for an unnamed proxy) to represent me and vote in my name."
    ) % {"name": person, "title": assembly.title, "date": _when(assembly)}
    sign = _("Date and signature, preceded by “Good for proxy”:")
    table = Table(
        [
            [_p("- " * 60, styles["small"])],
            [_p(text, styles["body"])],
            [_p(sign, styles["body"])],
            [""],
        ],
        colWidths=[174 * mm],
        rowHeights=[None, None, None, 18 * mm],
    )
    table.setStyle(TableStyle([("BOX", (0, 1), (-1, -1), 0.6, LINE)]))
    return [table]


def attendance_sheet_pdf(*, assembly, rows, quorum) -> bytes:
    """The feuille de présence: name, present / represented by whom, signature."""
    styles = _styles()
    association = assembly.association
    story = _association_header(association, styles)
    story.append(_p(_("Attendance sheet – %(title)s") % {"title": assembly.title}, styles["title"]))
    story.append(
        _p(_when(assembly) + " – " + (assembly.place or assembly.online_link), styles["body"])
    )
    story.append(Spacer(1, 5 * mm))
    header = [_("Name"), _("Vote weight"), _("Present / represented by"), _("Signature")]
    data = [[_p(h, styles["bold"]) for h in header]]
    for row in rows:
        if row.is_present:
            status = _("Present")
        elif row.has_proxy and row.proxy_holder_last:
            status = _("Represented by %(name)s") % {
                "name": f"{row.proxy_holder_first} {row.proxy_holder_last}"
            }
        elif row.has_proxy:
            status = _("Unnamed proxy")
        else:
            status = ""
        weight = count(row.weight) if row.may_vote else _("does not vote")
        data.append(
            [
                _p(row.person, styles["cell"]),
                _p(weight, styles["cell"]),
                _p(status, styles["cell"]),
                "",
            ]
        )
    table = Table(
        data, colWidths=[55 * mm, 22 * mm, 55 * mm, 42 * mm], repeatRows=1, rowHeights=None
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, LINE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 1), (-1, -1), 7),
                ("BOTTOMPADDING", (0, 1), (-1, -1), 7),
            ]
        )
    )
    story.append(table)
    if quorum is not None:
        story.append(Spacer(1, 5 * mm))
        story.append(
            _p(
                _(
                    "Present: %(present)s; represented: %(represented)s; quorum required: "
                    "%(required)s."
                )
                % {
                    "present": count(quorum.present),
                    "represented": count(quorum.represented),
                    "required": count(quorum.required),
                },
                styles["body"],
            )
        )
    return _render(story, _("Attendance sheet"))
