"""Member files as spreadsheet software writes them, built in memory for the tests,
and an import prepared from one."""

from __future__ import annotations

import csv
import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile

from maillon.members.imports import services
from maillon.members.models import MemberImport

FRENCH_HEADERS = [
    "Prénom",
    "Nom",
    "Courriel",
    "Téléphone",
    "Adresse",
    "Code postal",
    "Ville",
    "Date de naissance",
    "Date d'adhésion",
    "Rôle(s)",
    "Cotisation payée",
    "Montant",
    "Newsletter",
]


def csv_bytes(
    rows: list[list], *, delimiter: str = ";", encoding: str = "utf-8", bom: bool = False
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def excel_fr_csv(rows: list[list]) -> bytes:
    """What "CSV (séparateur : point-virgule)" of a French Excel writes: cp1252, ";"."""
    return csv_bytes(rows, delimiter=";", encoding="cp1252")


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def uploaded(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def person_row(n: int, **overrides) -> list:
    """One valid row under FRENCH_HEADERS; ``n`` makes names and emails unique."""
    row = {
        "Prénom": f"Hélène{n}",
        "Nom": f"Dupré{n}",
        "Courriel": f"helene.{n}@example.org",
        "Téléphone": "06 12 34 56 78",
        "Adresse": f"{n} rue de la République",
        "Code postal": "69001",
        "Ville": "Lyon",
        "Date de naissance": (
            datetime.date(1950, 1, 1) + datetime.timedelta(days=n % 20000)
        ).strftime("%d/%m/%Y"),
        "Date d'adhésion": "15/09/2020",
        "Rôle(s)": "Membre",
        "Cotisation payée": "oui" if n % 2 else "non",
        "Montant": "20,00" if n % 2 else "",
        "Newsletter": "x" if n % 3 == 0 else "",
    }
    row.update(overrides)
    return [row[h] for h in FRENCH_HEADERS]


def member_file_rows(count: int) -> list[list]:
    return [FRENCH_HEADERS] + [person_row(n) for n in range(1, count + 1)]


def prepared_import(association, actor, data: bytes, name: str = "members.csv") -> MemberImport:
    """Upload and check with the suggested mapping, as the preview page shows it."""
    member_import = services.member_import_upload(
        association=association, actor=actor, uploaded_file=uploaded(name, data)
    )
    return services.member_import_set_mapping(
        association=association,
        actor=actor,
        member_import=member_import,
        mapping=member_import.mapping,
    )
