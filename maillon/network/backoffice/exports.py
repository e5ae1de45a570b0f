"""The member table as CSV or XLSX: the directory card, then the consented values
(an empty cell where the association shares nothing)."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from .indicators import COLUMNS
from .selectors import MemberRow


def _header() -> list[str]:
    return [
        _("Association"),
        _("City"),
        _("Department"),
        _("Employees"),
        _("Sector"),
        *[str(c.label) for c in COLUMNS],
    ]


def _lines(rows: list[MemberRow]) -> Iterator[list]:
    today = timezone.localdate()
    for row in rows:
        a = row.association
        line = [
            a.name,
            a.city,
            a.department.code if a.department_id else "",
            a.get_size_band_display(),
            str(a.sector) if a.sector_id else "",
        ]
        for _column, value, _shared in row.cells(today):
            if isinstance(value, datetime.date):
                value = value.isoformat()
            line.append("" if value is None else value)
        yield line


def _table(rows: list[MemberRow]) -> tuple[list[str], list[list]]:
    return _header(), list(_lines(rows))


class _Echo:
    """A file that hands back what is written to it (``csv.writer`` into a stream)."""

    def write(self, value: str) -> str:
        return value


def member_table_csv(rows: list[MemberRow], filename: str) -> StreamingHttpResponse:
    """Streamed a line at a time: the first bytes leave before the last line is
    written, and the whole file is never held in memory twice."""
    writer = csv.writer(_Echo(), delimiter=";")

    def stream() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(_header())
        for line in _lines(rows):
            yield writer.writerow([str(v) for v in line])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def member_table_xlsx(rows: list[MemberRow], filename: str) -> HttpResponse:
    from openpyxl import Workbook

    header, lines = _table(rows)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Members")[:31])
    sheet.append(header)
    for line in lines:
        sheet.append([float(v) if hasattr(v, "as_tuple") else v for v in line])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response
