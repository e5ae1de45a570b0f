"""Reading member files (CSV and XLSX) as spreadsheet software really writes them,
guessing the columns, and checking every row before anything is written: the pure
parsing engine, without the database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from maillon.members.imports import parsing
from maillon.members.models import Role
from maillon.members.register.exports import export_headers
from maillon.members.tests.imports.files import (
    FRENCH_HEADERS,
    csv_bytes,
    excel_fr_csv,
    member_file_rows,
    person_row,
    xlsx_bytes,
)

TODAY = datetime.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def english():
    """Messages asserted below are the English source strings."""
    with translation.override("en"):
        yield


def read(data: bytes, name: str = "members.csv", max_rows: int = 1000) -> parsing.ParsedTable:
    return parsing.read_table(data, file_name=name, max_rows=max_rows)


def check_all(table, *, existing=(), allowed=(Role.MEMBER, Role.VOLUNTEER), mapping=None):
    validator = parsing.RowValidator(
        headers=table.headers,
        mapping=mapping or table.mapping,
        existing_emails=set(existing),
        allowed_roles=allowed,
        today=TODAY,
    )
    return [validator.check(row["line"], row["cells"]) for row in table.rows]


def messages_of(result) -> list[str]:
    return [f"{e['column']}: {e['message']}" for e in result.errors]


_cell_text = st.text(
    alphabet=st.characters(codec="cp1252", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
)


def test_reads_a_utf8_csv_with_commas():
    table = read(csv_bytes(member_file_rows(2), delimiter=","))
    assert (table.file_format, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
    assert table.headers == FRENCH_HEADERS
    assert table.rows[0]["cells"][:3] == ["Hélène1", "Dupré1", "helene.1@example.org"]
    assert [row["line"] for row in table.rows] == [2, 3]


def test_reads_a_utf8_csv_with_a_byte_order_mark():
    table = read(csv_bytes(member_file_rows(1), bom=True))
    assert table.encoding == "utf-8-sig"
    assert table.headers[0] == "Prénom"  # no stray BOM in the first column name
    assert table.mapping["first_name"] == 0


def test_reads_what_french_excel_writes_cp1252_and_semicolons():
    rows = [
        ["Prénom", "Nom", "Courriel", "Adresse", "Date de naissance", "Montant"],
        ["Hélène", "Lefèvre", "helene@example.org", "3, allée des Œillets", "14/07/1980", "20,50"],
    ]
    data = excel_fr_csv(rows)
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the test file really is Windows-1252
    table = read(data)
    assert (table.encoding, table.delimiter) == ("cp1252", ";")
    assert table.rows[0]["cells"] == rows[1]  # accents, Œ and the comma in the address intact
    [result] = check_all(table)
    assert result.is_valid
    assert result.values["birth_date"] == datetime.date(1980, 7, 14)
    assert result.fee_amount == Decimal("20.50")


def test_bytes_undefined_in_cp1252_fall_back_to_latin1():
    data = "Prénom;Nom\r\nAnne;X".encode("latin-1") + b"\x81"
    assert read(data).encoding == "latin-1"


def test_reads_a_tab_separated_utf16_file_as_excel_unicode_text_writes_it():
    data = "Prénom\tNom\tVille\r\nZoé\tMüller\tSaint-Étienne\r\n"
    table = read(data.encode("utf-16"))
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.rows[0]["cells"] == ["Zoé", "Müller", "Saint-Étienne"]


def test_reads_an_xlsx_workbook_with_date_number_and_boolean_cells():
    data = xlsx_bytes(
        [
            ["Liste des adhérents 2025"],  # a title line above the column names
            ["Prénom", "Nom", "E-mail", "Code postal", "Né(e) le", "Montant", "Newsletter"],
            ["Hélène", "Dupré", "h@example.org", 1000, datetime.datetime(1980, 7, 14), 20.5, True],
            [None, None, None, None, None, None, None],
            ["Jean", "Martin", None, 69001, datetime.date(1975, 1, 2), 15, False],
        ]
    )
    table = read(data, name="adherents.xlsx")
    assert table.file_format == "xlsx"
    assert table.headers[:2] == ["Prénom", "Nom"]
    assert [row["line"] for row in table.rows] == [3, 5]  # the spreadsheet's row numbers
    assert table.rows[0]["cells"] == [
        "Hélène",
        "Dupré",
        "h@example.org",
        "1000",
        "1980-07-14",
        "20.5",
        "1",
    ]
    first, second = check_all(table)
    assert first.values["postal_code"] == "01000"  # the 0 Excel dropped is back
    assert first.values["birth_date"] == datetime.date(1980, 7, 14)
    assert first.values["consent_newsletter"] is True
    assert first.fee_amount == Decimal("20.5")
    assert second.values["consent_newsletter"] is False


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"\xef\xbb\xbf\r\n  \r\n", "empty"),
        (b";;;\r\n;;\r\n", "empty"),
        (csv_bytes([FRENCH_HEADERS]), "no_rows"),
        (csv_bytes([FRENCH_HEADERS, ["", "", ""]]), "no_rows"),
        (csv_bytes([["Couleur", "Taille"], ["bleu", "XL"]]), "no_columns"),
        (b"\x00\x01\x02\x03binary\x00", "unreadable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "xls"),
        (b"PK\x03\x04not really a zip", "unreadable"),
        (b'Pr\xc3\xa9nom;Nom\r\n"Anne;Martin\r\nBob;Morane\r\n', "unreadable"),
        (b'Pr\xc3\xa9nom;Nom\r\n"Anne;Martin\r\n' + b"x" * 200_000, "unreadable"),
    ],
    ids=[
        "empty",
        "blank-lines",
        "only-separators",
        "header-only",
        "header-and-empty-row",
        "unknown-columns",
        "binary",
        "old-xls",
        "broken-zip",
        "unclosed-quote",
        "unclosed-quote-huge-cell",
    ],
)
def test_unusable_files_get_a_clear_error(data, code):
    with pytest.raises(ValidationError) as raised:
        read(data)
    assert raised.value.code == code
    assert raised.value.messages[0].endswith(".")


def test_an_empty_xlsx_sheet_is_an_empty_file():
    with pytest.raises(ValidationError) as raised:
        read(xlsx_bytes([]), name="vide.xlsx")
    assert raised.value.code == "empty"


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused():
    with pytest.raises(ValidationError) as raised:
        read(b"Nom;Prenom\r\nA;B", name="members.xlsx")
    assert "Excel workbook" in raised.value.messages[0]


def test_too_many_rows_are_refused_before_anything_is_stored():
    with pytest.raises(ValidationError) as raised:
        read(csv_bytes(member_file_rows(6)), max_rows=5)
    assert raised.value.code == "too_many_rows"
    assert "6 rows" in raised.value.messages[0]


@pytest.mark.parametrize(
    ("header", "target"),
    [
        ("Prénom", "first_name"),
        ("PRENOM", "first_name"),
        ("First name", "first_name"),
        ("Nom", "last_name"),
        ("Nom de famille", "last_name"),
        ("Surname", "last_name"),
        ("Courriel", "email"),
        ("E-mail", "email"),
        ("Mail", "email"),
        ("Adresse e-mail", "email"),
        ("Email du membre", "email"),
        ("Téléphone", "phone"),
        ("Tél.", "phone"),
        ("Portable", "phone"),
        ("Adresse", "address"),
        ("Code postal", "postal_code"),
        ("CP", "postal_code"),
        ("Ville", "city"),
        ("Commune", "city"),
        ("Date de naissance", "birth_date"),
        ("Né(e) le", "birth_date"),
        ("Date d'adhésion", "joined_on"),
        ("Date d’adhésion", "joined_on"),
        ("Membre depuis", "joined_on"),
        ("Rôle(s)", "roles"),
        ("Fonction", "roles"),
        ("Cotisation payée", "fee_paid"),
        ("À jour de cotisation", "fee_paid"),
        ("Montant", "fee_amount"),
        ("Newsletter", "consent_newsletter"),
        ("Annuaire", "consent_directory"),
        ("Remarques", "notes"),
    ],
)
def test_suggests_the_field_from_french_and_english_column_names(header, target):
    assert parsing.suggest_mapping(["Colonne inconnue", header]) == {target: 1}


def test_each_field_is_suggested_once_and_unknown_columns_are_ignored():
    mapping = parsing.suggest_mapping(["Nom", "Prénom", "Nom", "Pointure", "Mail", "Courriel"])
    assert mapping == {"last_name": 0, "first_name": 1, "email": 4}


def test_a_file_exported_by_maillon_is_recognised_when_imported_again():
    mapping = parsing.suggest_mapping(export_headers())
    assert set(mapping) == set(parsing.TARGET_FIELDS) - {"fee_amount", "notes"}


def test_a_mapping_without_names_or_with_a_column_used_twice_is_refused():
    headers = ["Prénom", "Nom", "Mail"]
    with pytest.raises(ValidationError, match="first name and the last name"):
        parsing.clean_mapping({"first_name": 0, "email": 2}, headers=headers)
    with pytest.raises(ValidationError, match="chosen for both"):
        parsing.clean_mapping({"first_name": 0, "last_name": 0}, headers=headers)
    with pytest.raises(ValidationError):
        parsing.clean_mapping({"first_name": 0, "last_name": 7}, headers=headers)
    with pytest.raises(ValidationError):
        parsing.clean_mapping({"first_name": 0, "last_name": 1, "password": 2}, headers=headers)


def test_every_row_error_names_its_column():
    rows = [
        FRENCH_HEADERS,
        person_row(1),
        person_row(2, **{"Courriel": "pas-un-email@", "Prénom": ""}),
        person_row(3, **{"Date de naissance": "31/02/1980"}),
        person_row(4, **{"Date d'adhésion": "2020/13/45", "Newsletter": "peut-être"}),
        person_row(5, **{"Montant": "vingt euros", "Cotisation payée": "oui"}),
        person_row(6, **{"Courriel": "HELENE.1@example.org"}),  # same as row 2, other case
        person_row(
            7,
            **{
                "Prénom": "Hélène1",
                "Nom": "DUPRÉ1",
                "Courriel": "",
                "Date de naissance": person_row(1)[7],
            },
        ),  # same person as row 2
        person_row(8, **{"Courriel": "deja@example.org"}),
        person_row(9, **{"Date de naissance": "01/01/2099"}),
        person_row(10, **{"Code postal": "69001-LYON-CEDEX"}),
    ]
    results = check_all(read(csv_bytes(rows)), existing={"deja@example.org"})
    assert results[0].is_valid
    assert messages_of(results[1]) == [
        "Prénom: Required: this cell is empty.",
        "Courriel: Not a valid email address.",
    ]
    assert messages_of(results[2]) == [  # 31/02/1980: the day does not exist
        "Date de naissance: This date does not exist (31/02/1980): check the day and the month."
    ]
    assert [e["column"] for e in results[3].errors] == ["Date d'adhésion", "Newsletter"]
    assert messages_of(results[4]) == ["Montant: Not a valid amount: write it like 20 or 20,50."]
    assert messages_of(results[5]) == ["Courriel: Same email address as row 2."]
    assert messages_of(results[6]) == [
        "Nom: Same first name, last name and date of birth as row 2."
    ]
    assert messages_of(results[7]) == [
        "Courriel: A person with this email address is already in the register."
    ]
    assert messages_of(results[8]) == ["Date de naissance: This date is in the future."]
    assert messages_of(results[9]) == ["Code postal: Too long: at most 10 characters."]


def test_a_name_spread_over_several_lines_is_an_error():
    table = read(csv_bytes([["Prénom", "Nom", "Adresse"], ["Anne\nMarie", "B", "1 rue X\nBât. A"]]))
    [result] = check_all(table)
    assert messages_of(result) == ["Prénom: This cell holds several lines; it should hold one."]


def test_a_duplicate_of_a_row_with_errors_is_not_a_duplicate():
    rows = [
        FRENCH_HEADERS,
        person_row(1, **{"Date de naissance": "hier"}),
        person_row(2, **{"Courriel": "helene.1@example.org"}),
    ]
    first, second = check_all(read(csv_bytes(rows)))
    assert not first.is_valid
    assert second.is_valid  # the first will be skipped: the second is the one imported


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/07/1980", datetime.date(1980, 7, 14)),
        ("4/7/1980", datetime.date(1980, 7, 4)),
        ("14-07-1980", datetime.date(1980, 7, 14)),
        ("14.07.1980", datetime.date(1980, 7, 14)),
        ("1980-07-14", datetime.date(1980, 7, 14)),
        ("1980-07-14 00:00:00", datetime.date(1980, 7, 14)),
        ("14/07/1980 00:00", datetime.date(1980, 7, 14)),
        ("14/07/80", None),  # 1980 or 2080? refused rather than guessed
        ("07/14/1980", None),  # American order
        ("29/02/2023", None),
        ("le 14 juillet", None),
    ],
)
def test_dates_in_french_and_iso_forms(text, expected):
    assert parsing.parse_date(text) == expected


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_any_date_written_the_usual_ways_reads_back(day):
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        assert parsing.parse_date(day.strftime(pattern)) == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("oui", True),
        ("Oui", True),
        ("X", True),
        ("1", True),
        ("true", True),
        ("VRAI", True),
        ("yes", True),
        ("non", False),
        ("0", False),
        ("FAUX", False),
        ("false", False),
        ("", False),
    ],
)
def test_yes_no_columns(text, expected):
    table = read(csv_bytes([["Prénom", "Nom", "Annuaire"], ["A", "B", text]]))
    [result] = check_all(table)
    assert result.values["consent_directory"] is expected


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("", ["member"]),
        ("Membre", ["member"]),
        ("Adhérente", ["member"]),
        ("Membre, Bénévole", ["member", "volunteer"]),
        ("membre et bénévole", ["member", "volunteer"]),
        ("Volunteer", ["volunteer"]),
        ("volunteer", ["volunteer"]),
        ("Présidente; Membre du bureau", ["board", "president"]),
        ("Trésorier", ["treasurer"]),
        ("Board member", ["board"]),
    ],
)
def test_roles_in_french_english_or_as_codes(text, roles):
    table = read(csv_bytes([["Prénom", "Nom", "Rôles"], ["A", "B", text]]))
    [result] = check_all(table, allowed=Role.values)
    assert result.errors == []
    assert result.roles == roles


def test_an_unknown_role_or_a_role_the_importer_may_not_give_is_an_error():
    table = read(
        csv_bytes([["Prénom", "Nom", "Rôles"], ["A", "B", "Chef"], ["C", "D", "Président"]])
    )
    unknown, not_allowed = check_all(table, allowed=(Role.MEMBER, Role.VOLUNTEER))
    assert "Unknown role “Chef”" in unknown.errors[0]["message"]
    assert "Member, Volunteer" in unknown.errors[0]["message"]
    assert not_allowed.errors[0]["message"] == (
        "Only someone who manages roles may give the role “President”."
    )


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("20", "20"),
        ("20,50", "20.50"),
        ("20.5", "20.5"),
        ("1 234,50 €", "1234.50"),
        ("€15", "15"),
        ("1.234,50", "1234.50"),
        ("1,234.50", "1234.50"),
    ],
)
def test_amounts_as_french_spreadsheets_write_them(text, amount):
    table = read(csv_bytes([["Prénom", "Nom", "Montant"], ["A", "B", text]]))
    [result] = check_all(table)
    assert result.fee_amount == Decimal(amount)  # an amount without a "paid" column: paid


def test_a_fee_marked_unpaid_records_no_period():
    rows = [["Prénom", "Nom", "Cotisation payée", "Montant"], ["A", "B", "non", "20"]]
    [result] = check_all(read(csv_bytes(rows)))
    assert result.is_valid and result.fee_amount is None


@hypothesis_settings(max_examples=60, deadline=None)
@given(
    notes=st.lists(_cell_text, min_size=1, max_size=5),
    delimiter=st.sampled_from([";", ",", "\t"]),
    encoding=st.sampled_from(["utf-8", "cp1252"]),
    bom=st.booleans(),
)
def test_any_cell_text_survives_the_trip_through_a_csv_file(notes, delimiter, encoding, bom):
    rows = [["Prénom", "Nom", "Notes"]] + [["Anne", "Lefèvre", text] for text in notes]
    table = read(
        csv_bytes(rows, delimiter=delimiter, encoding=encoding, bom=bom and encoding == "utf-8")
    )
    assert table.delimiter == delimiter
    assert [row["cells"][2] for row in table.rows] == [parsing.clean_cell(t) for t in notes]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/1990", "This date does not exist (31/02/1990): check the day and the month."),
        ("29/02/2023", "This date does not exist (29/02/2023): check the day and the month."),
        ("1990-04-31", "This date does not exist (1990-04-31): check the day and the month."),
        ("07/14/1980", "Not a valid date: write it as dd/mm/yyyy, for example 31/12/1980."),
        ("le 14 juillet", "Not a valid date: write it as dd/mm/yyyy, for example 31/12/1980."),
    ],
)
def test_an_impossible_date_says_it_does_not_exist(text, message):
    """Issue 10 item 10: not "the format is wrong" for a well-written impossible day."""
    rows = [FRENCH_HEADERS, person_row(1, **{"Date de naissance": text})]
    (result,) = check_all(read(csv_bytes(rows)))
    assert messages_of(result) == [f"Date de naissance: {message}"]


def test_the_register_is_checked_for_the_same_name_and_birth_date():
    rows = [FRENCH_HEADERS, person_row(1, Courriel="", Nom="DUPRÉ1"), person_row(2, Courriel="")]
    table = read(csv_bytes(rows))
    born = parsing.parse_date(person_row(1)[7])
    validator = parsing.RowValidator(
        headers=table.headers,
        mapping=table.mapping,
        existing_emails=set(),
        allowed_roles={"member"},
        today=TODAY,
        existing_people={parsing.identity_key("Hélène1", "Dupré1", born): "Hélène1 Dupré1"},
    )
    first, second = (validator.check(row["line"], row["cells"]) for row in table.rows)
    assert messages_of(first) == ["Nom: Already in the register: row 2 → Hélène1 Dupré1."]
    assert second.is_valid
