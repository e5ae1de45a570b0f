"""Reading and checking a member file (CSV or XLSX) before anything is written.

A pure engine: bytes in, a decoded table and per-row errors out. It never touches
the database (it reads the person model's field lengths and the role names, nothing
more); the services (``imports.services``) give it what it needs from there (emails
already in the register, roles the actor may give).

Every problem with the file as a whole raises ``ValidationError`` with a message a
secretary can act on; problems with single rows are collected per row so the
preview can show all of them at once.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy

from maillon.core.dates import is_impossible_date

from ..models import Person, Role

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_COLUMNS = 100
# A title line ("Adhérents 2024") may sit above the column names: look this far down.
HEADER_SEARCH_ROWS = 10
# Excel's own limit; a workbook claiming more rows is not a member list.
MAX_SHEET_ROWS = 1_048_576

CSV = "csv"
XLSX = "xlsx"

TARGET_FIELDS: dict[str, Any] = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("Email"),
    "phone": gettext_lazy("Phone"),
    "address": gettext_lazy("Postal address"),
    "postal_code": gettext_lazy("Postal code"),
    "city": gettext_lazy("City"),
    "birth_date": gettext_lazy("Date of birth"),
    "joined_on": gettext_lazy("Joined on"),
    "roles": gettext_lazy("Roles"),
    "fee_paid": gettext_lazy("Fee paid for this year"),
    "fee_amount": gettext_lazy("Fee amount"),
    "consent_newsletter": gettext_lazy("Newsletter consent"),
    "consent_directory": gettext_lazy("Directory consent"),
    "notes": gettext_lazy("Notes"),
}
REQUIRED_FIELDS = ("first_name", "last_name")
TEXT_FIELDS = ("first_name", "last_name", "phone", "address", "postal_code", "city", "notes")
TOO_LONG = ngettext_lazy(
    "Too long: at most %(max)s character.", "Too long: at most %(max)s characters.", "max"
)
SINGLE_LINE_FIELDS = ("first_name", "last_name", "email", "phone", "postal_code", "city")
DATE_FIELDS = ("birth_date", "joined_on")
YES_NO_FIELDS = ("fee_paid", "consent_newsletter", "consent_directory")

# Column names people actually use, in French and English. Compared after
# ``normalise_label`` (case, accents and punctuation do not matter).
# fmt: off
HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "first_name": ("prénom", "prénoms", "first name", "firstname", "given name", "forename"),
    "last_name": (
        "nom", "nom de famille", "nom d'usage", "nom de naissance", "last name", "lastname",
        "surname", "family name",
    ),
    "email": (
        "courriel", "e-mail", "email", "mail", "mél", "adresse mail", "adresse e-mail",
        "adresse email", "adresse électronique", "adresse courriel", "email address",
        "e-mail address",
    ),
    "phone": (
        "téléphone", "tél", "tel", "portable", "mobile", "numéro de téléphone",
        "n° de téléphone", "téléphone portable", "téléphone mobile", "phone", "phone number",
        "telephone", "mobile phone",
    ),
    "address": (
        "adresse", "adresse postale", "rue", "voie", "address", "postal address", "street",
        "street address",
    ),
    "postal_code": ("code postal", "cp", "postal code", "zip", "zip code", "postcode"),
    "city": ("ville", "commune", "localité", "city", "town"),
    "birth_date": (
        "date de naissance", "naissance", "né le", "né(e) le", "date of birth", "birth date",
        "birthdate", "dob",
    ),
    "joined_on": (
        "date d'adhésion", "adhésion", "date adhésion", "date d'inscription", "inscription",
        "date d'entrée", "adhérent depuis", "membre depuis", "joined on", "joined",
        "member since", "date joined", "membership date",
    ),
    "roles": (
        "rôle", "rôles", "rôle(s)", "fonction", "fonctions", "qualité", "role", "roles",
        "role(s)",
    ),
    "fee_paid": (
        "cotisation payée", "cotisation réglée", "cotisation à jour", "à jour de cotisation",
        "cotisation payée cette année", "payé", "fee paid", "paid", "fee up to date",
        "membership fee paid",
    ),
    "fee_amount": (
        "montant", "montant de la cotisation", "montant cotisation", "montant payé",
        "amount", "fee amount", "fee",
    ),
    "consent_newsletter": (
        "newsletter", "lettre d'information", "lettre d'info", "infolettre",
        "accepte la newsletter", "consentement newsletter", "newsletter consent",
        "newsletter opt-in",
    ),
    "consent_directory": (
        "annuaire", "accepte l'annuaire", "consentement annuaire", "figure dans l'annuaire",
        "directory", "directory consent", "members directory",
    ),
    "notes": (
        "notes", "note", "remarque", "remarques", "commentaire", "commentaires",
        "observations", "comments", "comment",
    ),
}
# fmt: on
# Extra labels, translated like the rest of the interface, so a file exported by
# Maillon itself (in any language) is recognised when imported again.
_TRANSLATED_HEADER_ALIASES: dict[str, tuple[Any, ...]] = {
    "fee_paid": (gettext_lazy("Fee up to date"),),
    "consent_newsletter": (gettext_lazy("Newsletter"),),
    "consent_directory": (gettext_lazy("Directory"),),
}

# Role names found in French registers. "Administrateur" is left out on purpose: in
# a French association it usually means a board member, not the Maillon role
# "Administrator"; guessing wrong would hand out the keys of the back-office.
# fmt: off
ROLE_SYNONYMS: dict[str, tuple[str, ...]] = {
    Role.MEMBER: ("membre", "adhérent", "adhérente", "adhérent(e)", "membre actif"),
    Role.VOLUNTEER: ("bénévole",),
    Role.BOARD: (
        "membre du bureau", "membre du ca", "membre du conseil d'administration",
        "conseil d'administration", "vice-président", "vice-présidente",
    ),
    Role.PRESIDENT: ("président", "présidente", "co-président", "co-présidente"),
    Role.TREASURER: ("trésorier", "trésorière"),
    Role.SECRETARY: ("secrétaire",),
    Role.STAFF: ("salarié", "salariée", "permanent", "permanente", "employé", "employée"),
}
# fmt: on
_ROLE_SEPARATORS = re.compile(r"\s*(?:[,;/|+\n]|\bet\b|\band\b)\s*", re.IGNORECASE)

YES_WORDS = frozenset({"oui", "o", "yes", "y", "x", "1", "true", "vrai", "ok", "✓", "✔"})
NO_WORDS = frozenset({"non", "n", "no", "0", "false", "faux", "-"})

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_YMD = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_AMOUNT = re.compile(r"^\d+(?:\.\d{1,2})?$")
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other Office 97 files)
_ZIP_MAGIC = b"PK\x03\x04"
# Cells our own export protects against formula injection start with an apostrophe.
_PROTECTED_CELL = re.compile(r"^'(?=[=+\-@])")


# --- Reading the file -------------------------------------------------------------------


@dataclass
class ParsedTable:
    """The decoded table: what is stored on the import and shown in the preview."""

    file_format: str
    encoding: str
    delimiter: str
    headers: list[str]
    # One dict per non-empty data row: its row number in the spreadsheet ("line",
    # the header being row 1 when it is the first line) and its cells as text.
    rows: list[dict]
    mapping: dict[str, int]


def file_error(message: str, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def read_table(data: bytes, *, file_name: str = "", max_rows: int) -> ParsedTable:
    """Decode an uploaded file into headers and rows, or raise ``ValidationError``."""
    if len(data) > MAX_FILE_BYTES:
        raise file_too_large_error()
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise file_error(_("The file is empty."), "empty")
    file_format = detect_format(data, file_name=file_name)
    if file_format == XLSX:
        encoding, delimiter = "", ""
        records = _read_xlsx(data, max_rows=max_rows)
    else:
        text, encoding = decode_text(data)
        if "\x00" in text:
            raise file_error(
                _(
                    "This file does not look like a CSV or Excel file. Save it as CSV or .xlsx "
                    "from your spreadsheet software and try again."
                ),
                "unreadable",
            )
        delimiter = detect_delimiter(text)
        records = _read_csv(text, delimiter=delimiter)
    return _build_table(
        records,
        file_format=file_format,
        encoding=encoding,
        delimiter=delimiter,
        max_rows=max_rows,
    )


def file_too_large_error() -> ValidationError:
    return file_error(
        _("The file is larger than %(size)s MB. Split it into several files.")
        % {"size": MAX_FILE_BYTES // (1024 * 1024)},
        "too_large",
    )


def detect_format(data: bytes, *, file_name: str = "") -> str:
    """``xlsx`` for an Excel workbook (a zip file), ``csv`` for anything textual."""
    name = file_name.lower()
    # By content, not by name: some tools save tab-separated text as ".xls".
    if data.startswith(_OLE2_MAGIC):
        raise file_error(
            _(
                "Old Excel files (.xls) cannot be read. Open the file in your spreadsheet "
                "software and save it as .xlsx or CSV."
            ),
            "xls",
        )
    if data.startswith(_ZIP_MAGIC):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
                mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
        except (zipfile.BadZipFile, OSError, KeyError):
            raise _unreadable_workbook() from None
        if "xl/workbook.xml" in names:
            return XLSX
        if b"opendocument" in mimetype:
            raise file_error(
                _(
                    "OpenDocument spreadsheets (.ods) cannot be read yet. Save the file as "
                    ".xlsx or CSV and try again."
                ),
                "ods",
            )
        raise _unreadable_workbook()
    if name.endswith((".xlsx", ".xlsm")):
        raise _unreadable_workbook()
    return CSV


def _unreadable_workbook() -> ValidationError:
    return file_error(
        _(
            "This file could not be read as an Excel workbook. Save it again as .xlsx or CSV "
            "and try again."
        ),
        "unreadable",
    )


def decode_text(data: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 with or without BOM, UTF-16 (Excel's "Unicode text"),
    else Windows-1252, which is what French spreadsheet software writes by default."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass  # a BOM followed by something else: fall through to cp1252
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise file_error(
                _("The file could not be decoded. Save it as CSV UTF-8 and try again."),
                "unreadable",
            ) from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 decodes everything.
        return data.decode("latin-1"), "latin-1"


def detect_delimiter(text: str) -> str:
    """The separator of a CSV text: ``;`` (French spreadsheets), ``,`` or tab."""
    lines = [line for line in text.splitlines()[: HEADER_SEARCH_ROWS * 3] if line.strip()]
    lines = lines[: HEADER_SEARCH_ROWS + 5]
    if not lines:
        return ","
    best, best_score = "", (0.0, 0)
    for delimiter in (";", ",", "\t"):
        widths = [_width(line, delimiter) for line in lines]
        # Column count of the widest of the first lines (the header may sit under a
        # title line), and how many lines agree with it.
        width = max(widths)
        if width < 2:
            continue
        agreement = sum(1 for w in widths if w == width) / len(widths)
        score = (round(agreement, 1), width)
        if score > best_score:
            best, best_score = delimiter, score
    if best:
        return best
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=";,\t|").delimiter
    except csv.Error:
        return ","  # a single column


def _width(line: str, delimiter: str) -> int:
    try:
        return len(next(csv.reader([line], delimiter=delimiter)))
    except csv.Error:
        return 0


def _read_csv(text: str, *, delimiter: str) -> list[list]:
    # strict: a quotation mark left open is an error, not rows silently merged into one.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records = []
    try:
        for record in reader:
            records.append(record)
    except csv.Error:
        raise file_error(
            _(
                "Row %(line)s of the file could not be read (a quotation mark may be "
                "missing). Correct it and try again."
            )
            % {"line": len(records) + 1},
            "unreadable",
        ) from None
    return records


def _read_xlsx(data: bytes, *, max_rows: int) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for damaged files
        raise _unreadable_workbook() from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise file_error(_("The file is empty."), "empty")
        records: list[list] = []
        filled = 0
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            record = [cell_text(value) for value in values]
            records.append(record)
            if any(record):
                filled += 1
                # Stop early: a huge sheet must not be read to the end to be refused.
                if filled > max_rows + HEADER_SEARCH_ROWS + 1:
                    break
            if len(records) >= MAX_SHEET_ROWS:
                break
        return records
    except ValidationError:
        raise
    except Exception:
        raise _unreadable_workbook() from None
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """A spreadsheet cell as text: dates as yyyy-mm-dd, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def clean_cell(value: str) -> str:
    value = value.replace("\xa0", " ").replace("\u202f", " ").strip()
    return _PROTECTED_CELL.sub("", value)


def _build_table(
    records: Iterable[list], *, file_format: str, encoding: str, delimiter: str, max_rows: int
) -> ParsedTable:
    records = [[clean_cell(str(cell)) for cell in record[:MAX_COLUMNS]] for record in records]
    filled = [i for i, record in enumerate(records) if any(record)]
    if not filled:
        raise file_error(_("The file is empty."), "empty")
    header_index, mapping = _locate_header(records, filled)
    if header_index is None:
        raise file_error(
            _(
                "No column of this file was recognised. The first row must hold column names "
                "such as First name, Last name, Email. Download the example file to see the "
                "expected columns."
            ),
            "no_columns",
        )
    headers = records[header_index]
    while headers and not headers[-1]:
        headers = headers[:-1]
    width = len(headers)
    rows = []
    for index in filled:
        if index <= header_index:
            continue
        cells = records[index][:width]
        if not any(cells):
            continue  # only filled in columns without a name
        cells += [""] * (width - len(cells))
        rows.append({"line": index + 1, "cells": cells})
    if not rows:
        raise file_error(_("The file has column names but no member rows."), "no_rows")
    if len(rows) > max_rows:
        raise file_error(
            ngettext(
                "The file has %(count)s rows; the most that can be imported at once is "
                "%(max)s row. Split it into several files.",
                "The file has %(count)s rows; the most that can be imported at once is "
                "%(max)s rows. Split it into several files.",
                max_rows,
            )
            % {"count": len(rows), "max": max_rows},
            "too_many_rows",
        )
    return ParsedTable(
        file_format=file_format,
        encoding=encoding,
        delimiter=delimiter,
        headers=headers,
        rows=rows,
        mapping=mapping,
    )


def _locate_header(records: list[list], filled: list[int]) -> tuple[int | None, dict]:
    """The row holding the column names: among the first filled rows, the one where
    the most names are recognised (the first one on a tie)."""
    best_index: int | None = None
    best_mapping: dict[str, int] = {}
    for index in filled[:HEADER_SEARCH_ROWS]:
        mapping = suggest_mapping(records[index])
        if len(mapping) > len(best_mapping):
            best_index, best_mapping = index, mapping
    return best_index, best_mapping


# --- Column mapping --------------------------------------------------------------------


def normalise_label(text: str | Promise) -> str:
    """Lower case, no accents, words separated by single spaces."""
    return re.sub(r"[^a-z0-9]+", " ", _strip_accents(str(text)).lower()).strip()


def _strip_accents(text: str) -> str:
    # Only the accents go: "d’adhésion" keeps its apostrophe as a word break.
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for target, names in HEADER_SYNONYMS.items():
        for name in names:
            lookup.setdefault(normalise_label(name), target)
    for language in (translation.get_language(), "en", "fr"):
        with translation.override(language):
            for target, label in TARGET_FIELDS.items():
                lookup.setdefault(normalise_label(label), target)
            for target, labels in _TRANSLATED_HEADER_ALIASES.items():
                for label in labels:
                    lookup.setdefault(normalise_label(label), target)
    return lookup


def suggest_mapping(headers: list[str]) -> dict[str, int]:
    """{target field: column index} guessed from the column names. Exact names first;
    then names that contain a known name ("Email du membre"). Each field once."""
    lookup = _header_lookup()
    mapping: dict[str, int] = {}
    normalised = [normalise_label(h) for h in headers]
    for index, name in enumerate(normalised):
        target = lookup.get(name)
        if name and target and target not in mapping:
            mapping[target] = index
    # Longer names first, so "adresse mail" wins over "adresse".
    known = sorted((n for n in lookup if len(n) >= 4), key=len, reverse=True)
    for index, name in enumerate(normalised):
        if not name or index in mapping.values():
            continue
        padded = f" {name} "
        for candidate in known:
            if f" {candidate} " in padded and lookup[candidate] not in mapping:
                mapping[lookup[candidate]] = index
                break
    return mapping


def column_label(headers: list[str], index: int) -> str:
    if 0 <= index < len(headers) and headers[index]:
        return headers[index]
    return _("Column %(number)s") % {"number": index + 1}


def clean_mapping(mapping: dict, *, headers: list[str]) -> dict[str, int]:
    """Check a mapping chosen by the user; raise ``ValidationError`` when it cannot
    work (unknown field, column out of range, a column used twice, names missing)."""
    cleaned: dict[str, int] = {}
    used: dict[int, str] = {}
    for target, index in (mapping or {}).items():
        if target not in TARGET_FIELDS:
            raise ValidationError(_("Unknown field: %(field)s.") % {"field": target})
        try:
            index = int(index)
        except (TypeError, ValueError):
            raise ValidationError(_("Choose a column of the file.")) from None
        if not 0 <= index < len(headers):
            raise ValidationError(_("Choose a column of the file."))
        if index in used:
            raise ValidationError(
                _("The column “%(column)s” is chosen for both “%(first)s” and “%(second)s”.")
                % {
                    "column": column_label(headers, index),
                    "first": TARGET_FIELDS[used[index]],
                    "second": TARGET_FIELDS[target],
                }
            )
        used[index] = target
        cleaned[target] = index
    if any(f not in cleaned for f in REQUIRED_FIELDS):
        raise ValidationError(
            _("Choose the columns holding the first name and the last name: both are required."),
            code="required",
        )
    return cleaned


# --- Checking the rows -------------------------------------------------------------------


@dataclass
class RowCheck:
    """One row after checking: the values to write, or what is wrong with it."""

    line: int
    values: dict[str, Any] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    fee_amount: Decimal | None = None  # set when a fee was paid this year
    errors: list[dict[str, str]] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors


class _CellError(Exception):
    def __init__(self, message: str):
        self.message = message


def emails_in(rows: Iterable[dict], mapping: dict[str, int]) -> set[str]:
    """Lower-cased emails of the rows, to look up which are already in the register."""
    index = mapping.get("email")
    if index is None:
        return set()
    return {
        clean_cell(row["cells"][index]).lower()
        for row in rows
        if index < len(row["cells"]) and clean_cell(row["cells"][index])
    }


def birth_dates_in(rows: Iterable[dict], mapping: dict[str, int]) -> set[datetime.date]:
    """Dates of birth of the rows, to look up people already in the register."""
    index = mapping.get("birth_date")
    if index is None:
        return set()
    found = set()
    for row in rows:
        if index < len(row["cells"]):
            parsed = parse_date(clean_cell(row["cells"][index]))
            if parsed is not None:
                found.add(parsed)
    return found


def identity_key(first_name: str, last_name: str, birth_date: datetime.date) -> tuple:
    """Who a row is when it has no email: first name, last name, date of birth (case
    and accents aside)."""
    return (normalise_label(first_name), normalise_label(last_name), birth_date)


class RowValidator:
    """Checks rows one by one, remembering what it has seen so duplicates inside the
    file are caught. Only rows without other errors count as "seen": a duplicate of a
    row that will be skipped anyway is not a duplicate."""

    def __init__(
        self,
        *,
        headers: list[str],
        mapping: dict[str, int],
        existing_emails: set[str],
        allowed_roles: Iterable[str],
        today: datetime.date,
        existing_people: dict[tuple, str] | None = None,
    ):
        self.headers = headers
        self.mapping = mapping
        self.existing_emails = existing_emails
        # identity_key -> the name of the person of the register it matches.
        self.existing_people = existing_people or {}
        self.allowed_roles = frozenset(allowed_roles)
        self.today = today
        self.seen_emails: dict[str, int] = {}
        self.seen_people: dict[tuple, int] = {}
        self.role_lookup = _role_lookup()
        self.yes_words = YES_WORDS | {_fold(_("yes"))}
        self.no_words = NO_WORDS | {_fold(_("no"))}
        self.max_lengths = {f: _max_length(f) for f in TEXT_FIELDS}
        self.max_lengths["email"] = _max_length("email")
        self.max_lengths.pop("notes")

    def check(self, line: int, cells: list[str]) -> RowCheck:
        result = RowCheck(line=line)
        raw = {
            target: clean_cell(cells[index]) if index < len(cells) else ""
            for target, index in self.mapping.items()
        }

        def fail(target: str, message: str) -> None:
            result.errors.append(
                {"column": column_label(self.headers, self.mapping[target]), "message": message}
            )

        for target in TEXT_FIELDS + ("email",):
            if target not in raw:
                continue
            value = raw[target]
            if target == "postal_code" and re.fullmatch(r"\d{4}", value):
                value = "0" + value  # spreadsheets drop the 0 of 01000 Bourg-en-Bresse
            limit = self.max_lengths.get(target)
            if target in REQUIRED_FIELDS and not value:
                fail(target, _("Required: this cell is empty."))
            elif target in SINGLE_LINE_FIELDS and ("\n" in value or "\r" in value):
                fail(target, _("This cell holds several lines; it should hold one."))
            elif limit and len(value) > limit:
                fail(target, str(TOO_LONG % {"max": limit}))
            elif target == "email" and value:
                try:
                    validate_email(value)
                except ValidationError:
                    fail(target, _("Not a valid email address."))
            result.values[target] = value

        for target in DATE_FIELDS:
            if raw.get(target):
                try:
                    result.values[target] = self._date(target, raw[target])
                except _CellError as error:
                    fail(target, error.message)
        if "joined_on" not in result.values or result.values["joined_on"] is None:
            result.values["joined_on"] = self.today

        flags: dict[str, bool | None] = {}
        for target in YES_NO_FIELDS:
            if target in raw:
                try:
                    flags[target] = self._yes_no(raw[target])
                except _CellError as error:
                    fail(target, error.message)
        result.values["consent_newsletter"] = bool(flags.get("consent_newsletter"))
        result.values["consent_directory"] = bool(flags.get("consent_directory"))

        amount = None
        if raw.get("fee_amount"):
            try:
                amount = parse_amount(raw["fee_amount"])
            except _CellError as error:
                fail("fee_amount", error.message)
        if flags.get("fee_paid") or ("fee_paid" not in raw and amount):
            result.fee_amount = amount or Decimal("0")

        if "roles" in raw:
            try:
                result.roles = self._roles(raw["roles"])
            except _CellError as error:
                fail("roles", error.message)
        if not result.roles:
            result.roles = [str(Role.MEMBER)]

        if not result.errors:
            self._check_duplicates(result, fail)
        if result.errors:
            result.values, result.roles, result.fee_amount = {}, [], None
        return result

    def _check_duplicates(self, result: RowCheck, fail) -> None:
        email = result.values.get("email", "").lower()
        if email:
            if email in self.existing_emails:
                fail("email", _("A person with this email address is already in the register."))
            elif email in self.seen_emails:
                fail(
                    "email",
                    _("Same email address as row %(line)s.") % {"line": self.seen_emails[email]},
                )
        birth_date = result.values.get("birth_date")
        identity = None
        if birth_date:
            identity = identity_key(
                result.values["first_name"], result.values["last_name"], birth_date
            )
            if identity in self.existing_people and not result.errors:
                fail(
                    "last_name",
                    _("Already in the register: row %(line)s → %(person)s.")
                    % {"line": result.line, "person": self.existing_people[identity]},
                )
            elif identity in self.seen_people:
                fail(
                    "last_name",
                    _("Same first name, last name and date of birth as row %(line)s.")
                    % {"line": self.seen_people[identity]},
                )
        if not result.errors:
            if email:
                self.seen_emails[email] = result.line
            if identity:
                self.seen_people[identity] = result.line

    def _date(self, target: str, value: str) -> datetime.date:
        parsed = parse_date(value)
        if parsed is None and is_impossible_date(value):
            raise _CellError(
                _("This date does not exist (%(value)s): check the day and the month.")
                % {"value": value}
            )
        if parsed is None:
            raise _CellError(_("Not a valid date: write it as dd/mm/yyyy, for example 31/12/1980."))
        if parsed.year < 1900:
            raise _CellError(_("This date is before 1900."))
        if parsed > self.today:
            raise _CellError(_("This date is in the future."))
        return parsed

    def _yes_no(self, value: str) -> bool | None:
        folded = _fold(value)
        if not folded:
            return None
        if folded in self.yes_words:
            return True
        if folded in self.no_words:
            return False
        raise _CellError(
            _("Not understood: write yes or no (also accepted: oui/non, x, 1/0, true/false).")
        )

    def _roles(self, value: str) -> list[str]:
        roles: set[str] = set()
        for part in _ROLE_SEPARATORS.split(value):
            if not part.strip():
                continue
            role = self.role_lookup.get(normalise_label(part))
            if role is None:
                raise _CellError(
                    _("Unknown role “%(role)s”. Known roles: %(roles)s.")
                    % {"role": part.strip(), "roles": ", ".join(str(r.label) for r in Role)}
                )
            if role not in self.allowed_roles:
                raise _CellError(
                    _("Only someone who manages roles may give the role “%(role)s”.")
                    % {"role": Role(role).label}
                )
            roles.add(role)
        return sorted(roles)


def _max_length(field_name: str) -> int | None:
    return getattr(Person._meta.get_field(field_name), "max_length", None)


def _fold(value: str) -> str:
    return _strip_accents(value.strip().lower())


def _role_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for role, names in ROLE_SYNONYMS.items():
        for name in names:
            lookup[normalise_label(name)] = str(role)
    for language in (translation.get_language(), "en", "fr"):
        with translation.override(language):
            for role in Role:
                lookup.setdefault(normalise_label(role.label), str(role))
    for role in Role:
        lookup[normalise_label(role.value)] = str(role)
    return lookup


def parse_date(value: str) -> datetime.date | None:
    """dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy or yyyy-mm-dd (Excel date cells arrive in
    the last form). Two-digit years are refused: 01/02/24 could be 1924 or 2024."""
    value = value.strip()
    match = _DMY.match(value)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _YMD.match(value)
        if not match:
            return None
        year, month, day = (int(g) for g in match.groups())
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def parse_amount(value: str) -> Decimal:
    """20, 20,50, 20.50, 1 234,50 €, €20."""
    text = re.sub(r"\s|€|eur(?:os?)?", "", value, flags=re.IGNORECASE)
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    else:
        text = text.replace(",", ".")
    if not _AMOUNT.match(text):
        raise _CellError(_("Not a valid amount: write it like 20 or 20,50."))
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise _CellError(_("Not a valid amount: write it like 20 or 20,50.")) from None
    if amount >= Decimal("10000000"):
        raise _CellError(_("This amount is too large."))
    return amount


def rows_with_errors_summary(lines: list[int], limit: int = 20) -> str:
    """Row numbers for the confirmation text: "3, 5, 9" or "3, 5, 9 and 12 more"."""
    shown = ", ".join(str(n) for n in lines[:limit])
    rest = len(lines) - limit
    if rest <= 0:
        return shown
    return ngettext("%(lines)s and %(count)s more", "%(lines)s and %(count)s more", rest) % {
        "lines": shown,
        "count": rest,
    }


# --- Example file -----------------------------------------------------------------------


def example_rows() -> list[list[str]]:
    """The example file offered for download: the expected columns, two people."""
    yes, no = _("yes"), _("no")
    # fmt: off
    return [
        [str(label) for label in TARGET_FIELDS.values()],
        [
            "Hélène", "Martin", "helene.martin@example.org", "06 12 34 56 78",
            "12 rue des Lilas", "69001", "Lyon", "14/07/1980", "01/09/2023",
            str(Role.MEMBER.label), yes, "20,00", yes, no, "",
        ],
        [
            "Karim", "Benali", "", "04 78 00 00 00", "3 place Bellecour", "69002", "Lyon",
            "02/03/1975", "15/01/2024",
            f"{Role.MEMBER.label}, {Role.VOLUNTEER.label}", no, "", no, yes,
            _("No email: letters by post."),
        ],
    ]
    # fmt: on
