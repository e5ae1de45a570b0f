"""The skills sponsorship agreement (convention de mécénat de compétences) as a PDF
(reportlab): the two parties, the tasks, the schedule, each lent employee with the
hourly cost the company states, the hours planned and the yearly cap of 3 × PASS,
and a signature block for each side. Fonts from ``maillon.core.pdf``."""

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

from .models import SponsorshipAgreement
from .selectors import EmployeePlan, employee_plans

BRAND = colors.HexColor("#0b5d59")
LINE = colors.HexColor("#cfd6de")


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, spaceAfter=3)
    return {
        "title": ParagraphStyle(
            "title", fontName=FONT_BOLD, fontSize=16, leading=21, textColor=BRAND, spaceAfter=6
        ),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=11.5, spaceBefore=6),
        "body": body,
        "bold": ParagraphStyle("bold", parent=body, fontName=FONT_BOLD),
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
        "muted": ParagraphStyle(
            "muted", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#4b5563")
        ),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)).replace("\n", "<br/>"), style)


def money(value: Decimal) -> str:
    amount = formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    return _("%(amount)s €") % {"amount": amount}


def hours_text(value: Decimal) -> str:
    return _("%(hours)s h") % {"hours": formats.number_format(value, 1, use_l10n=True)}


def _day(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _parties(agreement: SponsorshipAgreement, styles) -> Table:
    association, company = agreement.association, agreement.company
    place = " ".join(p for p in (association.postal_code, association.city) if p)
    left = [
        _p(_("The beneficiary association"), styles["bold"]),
        _p(association.name, styles["body"]),
    ]
    if place:
        left.append(_p(place, styles["muted"]))
    if association.rna:
        left.append(_p(_("RNA: %(number)s") % {"number": association.rna}, styles["muted"]))
    if agreement.association_signatory:
        left.append(
            _p(
                _("Represented by %(name)s") % {"name": agreement.association_signatory},
                styles["body"],
            )
        )
    right = [
        _p(_("The sponsoring company"), styles["bold"]),
        _p(company.name, styles["body"]),
        _p(_("SIREN: %(number)s") % {"number": company.siren}, styles["muted"]),
    ]
    if agreement.company_signatory:
        right.append(
            _p(_("Represented by %(name)s") % {"name": agreement.company_signatory}, styles["body"])
        )
    table = Table([[left, right]], colWidths=[84 * mm, 84 * mm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _employees(plans: list[EmployeePlan], styles) -> list:
    header = [
        _p(_("Employee"), styles["bold"]),
        _p(_("Hourly cost (salary + charges)"), styles["bold"]),
        _p(_("Planned hours"), styles["bold"]),
        _p(_("Planned cost"), styles["bold"]),
        _p(_("Yearly cap (3 × PASS)"), styles["bold"]),
    ]
    rows = [header]
    notes = []
    for plan in plans:
        employee = plan.row.employee
        name = employee.full_name + (f"\n{employee.job_title}" if employee.job_title else "")
        cap_lines = []
        for year in plan.years:
            if year.cap is None:
                cap_lines.append(_("%(year)s: PASS not known") % {"year": year.year})
                continue
            line = _("%(year)s: %(cap)s (PASS %(pass)s)") % {
                "year": year.year,
                "cap": money(year.cap),
                "pass": money(year.pass_amount or Decimal(0)),
            }
            cap_lines.append(line)
            if year.exceeds_cap:
                notes.append(
                    _(
                        "%(name)s: the cost planned in %(year)s (%(cost)s) exceeds the cap; "
                        "only %(cap)s is valued for that year."
                    )
                    % {
                        "name": employee.full_name,
                        "year": year.year,
                        "cost": money(year.cost),
                        "cap": money(year.cap),
                    }
                )
        rows.append(
            [
                _p(name, styles["small"]),
                _p(money(plan.row.hourly_cost), styles["small"]),
                _p(hours_text(plan.row.planned_hours), styles["small"]),
                _p(money(plan.planned_cost), styles["small"]),
                _p("\n".join(cap_lines), styles["small"]),
            ]
        )
    table = Table(rows, colWidths=[40 * mm, 30 * mm, 24 * mm, 28 * mm, 46 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef4f3")),
            ]
        )
    )
    return [table, *[_p(note, styles["bold"]) for note in notes]]


def _signatures(agreement: SponsorshipAgreement, styles) -> Table:
    def block(title: str, party: str, signatory: str, signed_at) -> list:
        lines = [_p(title, styles["bold"]), _p(party, styles["body"])]
        if signatory:
            lines.append(_p(signatory, styles["body"]))
        if signed_at:
            lines.append(
                _p(
                    _("Marked signed in Maillon on %(day)s")
                    % {"day": _day(timezone.localtime(signed_at))},
                    styles["muted"],
                )
            )
        lines += [_p(_("Date and signature:"), styles["muted"]), Spacer(1, 22 * mm)]
        return lines

    return boxed_columns(
        block(
            _("For the association"),
            agreement.association.name,
            agreement.association_signatory,
            agreement.association_signed_at,
        ),
        block(
            _("For the company"),
            agreement.company.name,
            agreement.company_signatory,
            agreement.company_signed_at,
        ),
        column_width=84 * mm,
        line_color=LINE,
    )


def agreement_pdf(*, agreement: SponsorshipAgreement, language: str) -> bytes:
    register_fonts()
    plans = employee_plans(agreement)
    with translation.override(language):
        styles = _styles()
        title = _("Skills sponsorship agreement")
        schedule = _("From %(start)s to %(end)s, %(duration)s planned in all.") % {
            "start": _day(agreement.starts_on),
            "end": _day(agreement.ends_on),
            "duration": hours_text(agreement.planned_hours),
        }
        story = [
            _p(title, styles["title"]),
            _p(
                _("Mécénat de compétences — article 238 bis of the Code général des impôts"),
                styles["muted"],
            ),
            _p(
                _("Agreement no. %(number)s · help request: %(request)s")
                % {"number": agreement.pk, "request": agreement.engagement.help_request.title},
                styles["muted"],
            ),
            Spacer(1, 4 * mm),
            _parties(agreement, styles),
            Spacer(1, 3 * mm),
            _p(_("1. Tasks"), styles["h2"]),
            _p(agreement.tasks, styles["body"]),
            _p(_("2. Schedule"), styles["h2"]),
            _p(schedule, styles["body"]),
            _p(_("3. Employees lent and costing"), styles["h2"]),
            *_employees(plans, styles),
            Spacer(1, 2 * mm),
            _p(
                _(
                    "The company lends these employees during their working time and keeps "
                    "paying them. Their time is valued at cost (salary and employer charges, "
                    "as the company states it); for each employee, the value kept in a "
                    "calendar year is capped at three times the yearly social-security "
                    "ceiling (PASS) of that year."
                ),
                styles["body"],
            ),
            _p(_("4. Time sheets"), styles["h2"]),
            _p(
                _(
                    "The time given is entered in time sheets (employee, date, hours, what "
                    "was done). The association validates or rejects each entry; only "
                    "validated hours are valued. After each calendar year, the association "
                    "issues the company a tax receipt (cerfa n° 16216) for the value of the "
                    "validated time."
                ),
                styles["body"],
            ),
            Spacer(1, 5 * mm),
            _signatures(agreement, styles),
        ]
        return a4_document_bytes(
            story,
            title=f"{title} — {agreement.company.name} — {agreement.association.name}",
            author=agreement.association.name,
            language=language,
        )
