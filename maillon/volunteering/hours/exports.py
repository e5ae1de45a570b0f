"""Exports of a year's validated volunteer hours (one row per entry) and of their
totals by activity, to CSV or XLSX, for the accounts and the funders.

Text cells go through the member export's guard against formula injection; numbers
are numbers in XLSX and use a decimal comma in CSV (French spreadsheets)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal

from django.utils.translation import gettext as _

from maillon.members.display import display_name
from maillon.members.register.exports import CSV_DELIMITER, safe_cell

from ..models import Activity
from .selectors import Valuation, money


def _csv_number(value) -> str:
    return str(value).replace(".", ",") if isinstance(value, Decimal | float) else value


def entry_headers() -> list[str]:
    return [
        _("Date"),
        _("Last name"),
        _("First name"),
        _("Activity"),
        _("Mission"),
        _("What was done"),
        _("Hours"),
        _("Hourly rate (€)"),
        _("Valuation (€)"),
        _("Validated by"),
        _("Validated on"),
    ]


def entry_rows(entries, rate: Decimal) -> Iterator[list]:
    labels = dict(Activity.choices)
    for entry in entries.iterator(chunk_size=2000):
        yield [
            entry.date.isoformat(),
            entry.person.last_name,
            entry.person.first_name,
            str(labels.get(entry.activity, entry.activity)),
            entry.mission.title if entry.mission else "",
            entry.description,
            entry.hours,
            rate,
            money(entry.hours * rate),
            display_name(entry.validated_by),
            entry.validated_at.date().isoformat() if entry.validated_at else "",
        ]


def activity_headers() -> list[str]:
    return [_("Activity"), _("Volunteers"), _("Hours"), _("Hourly rate (€)"), _("Valuation (€)")]


def activity_rows(valuation: Valuation) -> Iterator[list]:
    rate = valuation.rate.rate
    for row in valuation.by_activity:
        yield [str(row["label"]), row["volunteers"], row["hours"], rate, row["amount"]]
    yield [_("Total"), valuation.volunteers, valuation.hours, rate, valuation.amount]


class _Echo:
    def write(self, value):
        return value


def csv_stream(headers: list[str], rows) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield "\ufeff"  # BOM: spreadsheet software then reads UTF-8 correctly
    yield writer.writerow(headers)
    for row in rows:
        yield writer.writerow([_csv_number(safe_cell(v)) for v in row])


def xlsx_bytes(title: str, headers: list[str], rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
