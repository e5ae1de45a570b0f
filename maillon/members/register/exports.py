"""Export of the (filtered) member register to CSV or XLSX: streamed in the request
for a small register (``csv_stream``, ``xlsx_bytes``), written to a file by the
background export (``write_csv``, ``write_xlsx``, see ``members/exports/``)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from typing import IO

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ..models import Role

CSV_DELIMITER = ";"  # what French spreadsheet software expects
FORMATS = ("csv", "xlsx")
#: The background export reports its progress every so many rows.
PROGRESS_EVERY = 1000

Progress = Callable[[int], None]


def export_headers() -> list[str]:
    return [
        _("First name"),
        _("Last name"),
        _("Email"),
        _("Phone"),
        _("Postal address"),
        _("Postal code"),
        _("City"),
        _("Date of birth"),
        _("Joined on"),
        _("Left on"),
        _("Roles"),
        _("Fee up to date"),
        _("Newsletter consent"),
        _("Directory consent"),
    ]


def export_rows(people: QuerySet) -> Iterator[list]:
    role_labels = dict(Role.choices)
    yes, no = _("yes"), _("no")
    for p in people.iterator(chunk_size=2000):
        yield [
            p.first_name,
            p.last_name,
            p.email,
            p.phone,
            p.address,
            p.postal_code,
            p.city,
            p.birth_date.isoformat() if p.birth_date else "",
            p.joined_on.isoformat() if p.joined_on else "",
            p.left_on.isoformat() if p.left_on else "",
            ", ".join(str(role_labels.get(ra.role, ra.role)) for ra in p.role_assignments.all()),
            yes if p.is_up_to_date else no,
            yes if p.consent_newsletter else no,
            yes if p.consent_directory else no,
        ]


class _Echo:
    def write(self, value):
        return value


def safe_cell(value):
    # Cells starting with these characters are run as formulas by spreadsheets.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_stream(people: QuerySet) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER)
    yield "\ufeff"  # BOM: spreadsheet software then reads UTF-8 correctly
    yield writer.writerow(export_headers())
    for row in export_rows(people):
        yield writer.writerow([safe_cell(v) for v in row])


def xlsx_bytes(people: QuerySet) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Members"))
    sheet.append(export_headers())
    for row in export_rows(people):
        sheet.append([safe_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _counted(rows: Iterator[list], progress: Progress | None) -> Iterator[list]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    if progress is not None:
        progress(done)


def write_csv(people: QuerySet, handle: IO[str], *, progress: Progress | None = None) -> None:
    """The CSV of ``people`` into a text file opened with ``newline=""``."""
    writer = csv.writer(handle, delimiter=CSV_DELIMITER)
    handle.write("\ufeff")
    writer.writerow(export_headers())
    for row in _counted(export_rows(people), progress):
        writer.writerow([safe_cell(v) for v in row])


def write_xlsx(people: QuerySet, path: str, *, progress: Progress | None = None) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Members"))
    sheet.append(export_headers())
    for row in _counted(export_rows(people), progress):
        sheet.append([safe_cell(v) for v in row])
    workbook.save(path)
