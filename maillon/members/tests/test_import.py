"""Importing members from CSV and XLSX files: reading what spreadsheet software
really writes, guessing the columns, showing every row's problems before anything is
written, then importing all the confirmed rows or none, in the request or in the
background with a progress bar."""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from maillon.core.audit import audit_log
from maillon.core.models import AuditEntry
from maillon.core.tenancy import ObjectOutsideAssociation
from maillon.members import import_services, imports
from maillon.members.exports import export_headers
from maillon.members.models import (
    ImportStatus,
    MemberImport,
    MembershipPeriod,
    Person,
    Role,
    RoleAssignment,
)
from maillon.members.tasks import run_member_import
from maillon.members.tests.factories import PersonFactory, member_with_account

from .import_files import (
    FRENCH_HEADERS,
    csv_bytes,
    excel_fr_csv,
    member_file_rows,
    person_row,
    uploaded,
    xlsx_bytes,
)

TODAY = datetime.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def english():
    """Messages asserted below are the English source strings."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin_client(client, admin_user):
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    client.force_login(admin_user)
    return client


def read(data: bytes, name: str = "members.csv", max_rows: int = 1000) -> imports.ParsedTable:
    return imports.read_table(data, file_name=name, max_rows=max_rows)


def check_all(table, *, existing=(), allowed=(Role.MEMBER, Role.VOLUNTEER), mapping=None):
    validator = imports.RowValidator(
        headers=table.headers,
        mapping=mapping or table.mapping,
        existing_emails=set(existing),
        allowed_roles=allowed,
        today=TODAY,
    )
    return [validator.check(row["line"], row["cells"]) for row in table.rows]


def messages_of(result) -> list[str]:
    return [f"{e['column']}: {e['message']}" for e in result.errors]


def people_count(association) -> int:
    with scopes_disabled():
        return Person.objects.filter(association=association).count()


def audit_actions(association) -> list[str]:
    with scopes_disabled():
        return list(
            AuditEntry.objects.filter(association=association).values_list("action", flat=True)
        )


def import_url(association, name, **kwargs) -> str:
    return reverse(f"members:{name}", kwargs={"association_slug": association.slug, **kwargs})


def prepared_import(association, actor, data: bytes, name: str = "members.csv") -> MemberImport:
    """Upload and check with the suggested mapping, as the preview page shows it."""
    member_import = import_services.member_import_upload(
        association=association, actor=actor, uploaded_file=uploaded(name, data)
    )
    return import_services.member_import_set_mapping(
        association=association,
        actor=actor,
        member_import=member_import,
        mapping=member_import.mapping,
    )


# --- reading files ------------------------------------------------------------------------


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


# --- guessing the columns -------------------------------------------------------------------


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
    assert imports.suggest_mapping(["Colonne inconnue", header]) == {target: 1}


def test_each_field_is_suggested_once_and_unknown_columns_are_ignored():
    mapping = imports.suggest_mapping(["Nom", "Prénom", "Nom", "Pointure", "Mail", "Courriel"])
    assert mapping == {"last_name": 0, "first_name": 1, "email": 4}


def test_a_file_exported_by_maillon_is_recognised_when_imported_again():
    mapping = imports.suggest_mapping(export_headers())
    assert set(mapping) == set(imports.TARGET_FIELDS) - {"fee_amount", "notes"}


def test_a_mapping_without_names_or_with_a_column_used_twice_is_refused():
    headers = ["Prénom", "Nom", "Mail"]
    with pytest.raises(ValidationError, match="first name and the last name"):
        imports.clean_mapping({"first_name": 0, "email": 2}, headers=headers)
    with pytest.raises(ValidationError, match="chosen for both"):
        imports.clean_mapping({"first_name": 0, "last_name": 0}, headers=headers)
    with pytest.raises(ValidationError):
        imports.clean_mapping({"first_name": 0, "last_name": 7}, headers=headers)
    with pytest.raises(ValidationError):
        imports.clean_mapping({"first_name": 0, "last_name": 1, "password": 2}, headers=headers)


# --- checking rows ---------------------------------------------------------------------------


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
    assert messages_of(results[2]) == [
        "Date de naissance: Not a valid date: write it as dd/mm/yyyy, for example 31/12/1980."
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
    assert imports.parse_date(text) == expected


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_any_date_written_the_usual_ways_reads_back(day):
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d", "%d.%m.%Y"):
        assert imports.parse_date(day.strftime(pattern)) == day


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


_cell_text = st.text(
    alphabet=st.characters(codec="cp1252", exclude_categories=("Cc", "Cs", "Zs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
)


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
    assert [row["cells"][2] for row in table.rows] == [imports.clean_cell(t) for t in notes]


# --- the services ---------------------------------------------------------------------------


def test_a_small_import_runs_at_once_and_creates_people_roles_and_fees(in_scope, admin_user):
    rows = [FRENCH_HEADERS, person_row(1, **{"Rôle(s)": "Membre, Bénévole"}), person_row(2)]
    member_import = prepared_import(in_scope, admin_user, excel_fr_csv(rows))
    assert (member_import.status, member_import.valid_rows, member_import.errors) == (
        ImportStatus.PREVIEWED,
        2,
        [],
    )
    before = people_count(in_scope)

    member_import = import_services.member_import_confirm(
        association=in_scope, actor=admin_user, member_import=member_import
    )

    assert member_import.status == ImportStatus.DONE
    assert member_import.created_count == 2
    assert people_count(in_scope) == before + 2
    helene = Person.objects.get(email="helene.1@example.org")
    assert (helene.first_name, helene.last_name, helene.city) == ("Hélène1", "Dupré1", "Lyon")
    assert helene.joined_on == datetime.date(2020, 9, 15)
    assert sorted(helene.role_assignments.values_list("role", flat=True)) == ["member", "volunteer"]
    period = MembershipPeriod.objects.get(person=helene)
    year = timezone.localdate().year
    assert (period.start, period.end, period.amount, period.fee_paid) == (
        datetime.date(year, 1, 1),
        datetime.date(year, 12, 31),
        Decimal("20.00"),
        True,
    )
    assert not MembershipPeriod.objects.filter(person__email="helene.2@example.org").exists()
    # The file content is deleted once imported; one audit entry tells what happened.
    assert member_import.rows == []
    entry = AuditEntry.objects.get(action="members.imported")
    assert entry.data == {
        "file_name": "members.csv",
        "created": 2,
        "skipped": 0,
        "total_rows": 2,
        "fees": 1,
    }
    assert entry.actor == admin_user


def test_rows_with_errors_are_skipped_only_when_the_user_agrees(in_scope, admin_user):
    rows = [FRENCH_HEADERS, person_row(1), person_row(2, **{"Courriel": "faux"}), person_row(3)]
    member_import = prepared_import(in_scope, admin_user, csv_bytes(rows))
    assert member_import.valid_rows == 2
    assert [entry["line"] for entry in member_import.errors] == [3]
    before = people_count(in_scope)

    with pytest.raises(ValidationError, match="1 row has errors"):
        import_services.member_import_confirm(
            association=in_scope, actor=admin_user, member_import=member_import
        )
    assert people_count(in_scope) == before

    member_import = import_services.member_import_confirm(
        association=in_scope,
        actor=admin_user,
        member_import=member_import,
        skip_invalid_rows=True,
    )
    assert member_import.status == ImportStatus.DONE
    assert people_count(in_scope) == before + 2
    assert not Person.objects.filter(last_name="Dupré2").exists()
    assert AuditEntry.objects.get(action="members.imported").data["skipped"] == 1


def test_confirming_twice_imports_once(in_scope, admin_user):
    member_import = prepared_import(in_scope, admin_user, csv_bytes(member_file_rows(3)))
    before = people_count(in_scope)
    for _attempt in range(3):
        result = import_services.member_import_confirm(
            association=in_scope, actor=admin_user, member_import=member_import
        )
        assert result.status == ImportStatus.DONE
    assert people_count(in_scope) == before + 3
    assert audit_actions(in_scope).count("members.imported") == 1
    # Running the task again for a finished import does nothing either.
    run_member_import.enqueue(import_id=member_import.pk)
    assert people_count(in_scope) == before + 3


def test_a_row_that_became_a_duplicate_fails_the_whole_import(in_scope, admin_user):
    member_import = prepared_import(in_scope, admin_user, csv_bytes(member_file_rows(3)))
    # Between the preview and the confirmation, someone adds the second person by hand.
    PersonFactory(association=in_scope, email="HELENE.2@EXAMPLE.ORG")
    before = people_count(in_scope)

    member_import = import_services.member_import_confirm(
        association=in_scope, actor=admin_user, member_import=member_import
    )

    assert member_import.status == ImportStatus.FAILED
    assert "Row 3 can no longer be imported" in member_import.failure_message
    assert "already in the register" in member_import.failure_message
    assert people_count(in_scope) == before  # not even rows 2 and 4
    assert "members.imported" not in audit_actions(in_scope)
    member_import.refresh_from_db()
    assert len(member_import.rows) == 3  # kept, so the user can check again

    # Checking again shows the conflict as a row error; skipping it imports the rest.
    member_import = import_services.member_import_set_mapping(
        association=in_scope,
        actor=admin_user,
        member_import=member_import,
        mapping=member_import.mapping,
    )
    assert [entry["line"] for entry in member_import.errors] == [3]
    member_import = import_services.member_import_confirm(
        association=in_scope,
        actor=admin_user,
        member_import=member_import,
        skip_invalid_rows=True,
    )
    assert member_import.status == ImportStatus.DONE
    assert people_count(in_scope) == before + 2


def test_a_failure_while_writing_leaves_the_register_untouched(in_scope, admin_user, monkeypatch):
    member_import = prepared_import(in_scope, admin_user, csv_bytes(member_file_rows(20)))
    counts = (
        people_count(in_scope),
        RoleAssignment.objects.count(),
        MembershipPeriod.objects.count(),
    )

    def failing_audit_log(**kwargs):
        if kwargs["action"] == "members.imported":  # the last write of the transaction
            raise IntegrityError("disk full")
        return audit_log(**kwargs)

    monkeypatch.setattr(import_services, "audit_log", failing_audit_log)
    member_import = import_services.member_import_confirm(
        association=in_scope, actor=admin_user, member_import=member_import
    )

    assert member_import.status == ImportStatus.FAILED
    assert "Nothing was written" in member_import.failure_message
    assert (
        people_count(in_scope),
        RoleAssignment.objects.count(),
        MembershipPeriod.objects.count(),
    ) == counts


def test_only_importers_may_import(in_scope, association):
    treasurer = member_with_account(association, [Role.TREASURER])
    with pytest.raises(PermissionDenied):
        import_services.member_import_upload(
            association=association,
            actor=treasurer,
            uploaded_file=uploaded("m.csv", csv_bytes(member_file_rows(1))),
        )
    assert not MemberImport.objects.exists()


def test_staff_cannot_give_bureau_roles_through_a_file(in_scope, association):
    staff = member_with_account(association, [Role.STAFF])
    rows = [FRENCH_HEADERS, person_row(1, **{"Rôle(s)": "Présidente"}), person_row(2)]
    member_import = prepared_import(association, staff, csv_bytes(rows))
    assert member_import.errors == [
        {
            "line": 2,
            "errors": [
                {
                    "column": "Rôle(s)",
                    "message": "Only someone who manages roles may give the role “President”.",
                }
            ],
        }
    ]


def test_an_import_is_only_handled_in_its_own_association(
    association, admin_user, other_association, other_admin
):
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(member_file_rows(1)))
    with scope(association=other_association), pytest.raises(ObjectOutsideAssociation):
        import_services.member_import_confirm(
            association=other_association, actor=other_admin, member_import=member_import
        )
    with scopes_disabled():
        assert MemberImport.objects.get(pk=member_import.pk).status == ImportStatus.PREVIEWED


def test_too_many_rows_or_too_big_a_file_stores_nothing(in_scope, admin_user, settings):
    settings.MEMBER_IMPORT_MAX_ROWS = 5
    with pytest.raises(ValidationError, match="at most 5 can be imported"):
        import_services.member_import_upload(
            association=in_scope,
            actor=admin_user,
            uploaded_file=uploaded("m.csv", csv_bytes(member_file_rows(6))),
        )
    with pytest.raises(ValidationError, match="larger than 5 MB"):
        import_services.member_import_upload(
            association=in_scope,
            actor=admin_user,
            uploaded_file=uploaded("m.csv", b"Nom;Prenom\r\n" + b"x" * imports.MAX_FILE_BYTES),
        )
    assert not MemberImport.objects.exists()


# --- the pages ------------------------------------------------------------------------------


def test_the_whole_journey_with_an_excel_fr_file(admin_client, association):
    PersonFactory(association=association, email="deja@example.org")
    rows = [
        FRENCH_HEADERS,
        person_row(1),
        person_row(2, **{"Courriel": "helene.2@@example"}),
        person_row(3, **{"Date de naissance": "31/31/1990"}),
        person_row(4, **{"Courriel": "Helene.1@Example.org"}),
        person_row(5, **{"Courriel": "deja@example.org"}),
        person_row(6),
    ]
    data = excel_fr_csv(rows)
    page = admin_client.get(import_url(association, "import_upload"))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()

    response = admin_client.post(
        import_url(association, "import_upload"), {"file": uploaded("adhérents.csv", data)}
    )
    with scopes_disabled():
        member_import = MemberImport.objects.get()
    assert response.status_code == 302
    assert response.url == import_url(association, "import_mapping", import_id=member_import.pk)

    page = admin_client.get(response.url).content.decode()
    assert "Windows-1252" in page and "“;”" in page
    assert '<option value="email" selected>' in page
    assert "First values: helene.1@example.org" in page

    response = admin_client.post(
        import_url(association, "import_mapping", import_id=member_import.pk),
        {f"column_{index}": target for target, index in member_import.mapping.items()},
    )
    assert response.url == import_url(association, "import_preview", import_id=member_import.pk)

    page = admin_client.get(response.url).content.decode()
    assert page.count('class="row-error"') == 4
    assert "Error, not imported:" in page
    assert "Courriel: Not a valid email address." in page
    assert "Date de naissance: Not a valid date" in page
    assert "Courriel: Same email address as row 2." in page
    assert "already in the register" in page
    assert "skip the 4 rows with errors (rows 3, 4, 5, 6)" in page
    all_rows = admin_client.get(response.url + "?show=all").content.decode()
    assert all_rows.count("<tr") == 7 and all_rows.count('class="row-error"') == 4

    before = people_count(association)
    confirm_url = import_url(association, "import_confirm", import_id=member_import.pk)
    response = admin_client.post(confirm_url, {}, follow=True)
    assert "Tick the box" in response.content.decode()
    assert people_count(association) == before

    response = admin_client.post(confirm_url, {"skip_invalid_rows": "on"}, follow=True)
    page = response.content.decode()
    assert "Import finished: 2 people added to the register." in page
    assert "4 rows with errors were skipped." in page
    assert people_count(association) == before + 2
    with scopes_disabled():
        assert Person.objects.get(email="helene.1@example.org").first_name == "Hélène1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf", "The file is empty."),
        (csv_bytes([FRENCH_HEADERS]), "The file has column names but no member rows."),
        (csv_bytes([["a", "b"], ["1", "2"]]), "No column of this file was recognised."),
        (b"%PDF-1.4\x00\x00\x00", "does not look like a CSV or Excel file"),
    ],
)
def test_a_bad_file_shows_the_upload_page_with_its_error(admin_client, association, data, message):
    response = admin_client.post(
        import_url(association, "import_upload"), {"file": uploaded("x.csv", data)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    with scopes_disabled():
        assert not MemberImport.objects.exists()


def test_choosing_a_field_for_two_columns_is_refused(admin_client, association, admin_user):
    with scope(association=association):
        member_import = import_services.member_import_upload(
            association=association,
            actor=admin_user,
            uploaded_file=uploaded("m.csv", csv_bytes(member_file_rows(2))),
        )
    url = import_url(association, "import_mapping", import_id=member_import.pk)
    response = admin_client.post(url, {"column_0": "first_name", "column_1": "first_name"})
    assert response.status_code == 200
    assert "is chosen for several columns" in response.content.decode()
    response = admin_client.post(url, {"column_0": "first_name", "column_2": "email"})
    assert "first name and the last name" in response.content.decode()
    member_import.refresh_from_db()
    assert member_import.status == ImportStatus.UPLOADED


def test_the_example_file_is_recognised_and_all_its_rows_are_valid(admin_client, association):
    response = admin_client.get(import_url(association, "import_template"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = response.content
    assert data.startswith(b"\xef\xbb\xbf")
    table = read(data)
    assert table.delimiter == ";"
    assert set(table.mapping) == set(imports.TARGET_FIELDS)
    assert all(result.is_valid for result in check_all(table))


def test_file_content_is_shown_escaped(admin_client, association, admin_user):
    rows = [["Prénom", "Nom", "<script>alert(1)</script>"], ["<b>Anne</b>", "B", "<img src=x>"]]
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(rows))
    for name in ("import_mapping", "import_preview"):
        page = admin_client.get(
            import_url(association, name, import_id=member_import.pk) + "?show=all"
        ).content.decode()
        assert "<script>alert" not in page and "<b>Anne" not in page and "<img src=x>" not in page
        assert "&lt;b&gt;Anne&lt;/b&gt;" in page


@pytest.mark.slow
def test_ten_thousand_rows_import_in_the_background_with_progress(
    admin_client, association, settings, django_capture_on_commit_callbacks
):
    settings.MEMBER_IMPORT_SYNC_MAX_ROWS = 100
    rows = member_file_rows(10_000)
    rows[5000] = person_row(5000, **{"Courriel": "cassé"})
    data = excel_fr_csv(rows)
    assert len(data) > 1_000_000
    started = time.monotonic()
    before = people_count(association)

    response = admin_client.post(
        import_url(association, "import_upload"), {"file": uploaded("adherents.csv", data)}
    )
    with scopes_disabled():
        member_import = MemberImport.objects.get()
    assert response.url == import_url(association, "import_mapping", import_id=member_import.pk)
    response = admin_client.post(
        response.url,
        {f"column_{index}": target for target, index in member_import.mapping.items()},
    )
    page = admin_client.get(response.url).content.decode()
    assert "skip the 1 row with errors (row 5001)" in page
    assert "runs in the background" in page

    progress_url = import_url(association, "import_progress", import_id=member_import.pk)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client.post(
            import_url(association, "import_confirm", import_id=member_import.pk),
            {"skip_invalid_rows": "on"},
        )
        assert response.url == progress_url
        # Queued, not run in the request: the page polls until the worker is done.
        partial = admin_client.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
        assert 'hx-trigger="every 1s"' in partial and "Waiting for the import" in partial
        assert people_count(association) == before
    assert len(callbacks) == 1  # the task, enqueued once the confirmation was committed

    partial = admin_client.get(progress_url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial  # finished: polling stops
    assert "Import finished: 9999 people added to the register." in partial
    assert people_count(association) == before + 9999
    with scopes_disabled():
        assert RoleAssignment.objects.filter(association=association).count() == 9999 + 2
        assert MembershipPeriod.objects.filter(association=association).count() == 5000
        member_import.refresh_from_db()
        assert (member_import.status, member_import.processed_rows, member_import.rows) == (
            ImportStatus.DONE,
            9999,
            [],
        )
    assert audit_actions(association).count("members.imported") == 1
    assert time.monotonic() - started < 60  # about 10 s on SQLite; generous for slow CI


def test_progress_is_committed_while_checking_and_people_are_written_in_one_transaction(
    transactional_db, association, admin_user, settings
):
    """What the progress page of another connection can see: ``processed_rows`` is
    committed chunk by chunk (outside any transaction) while rows are checked, and
    every person is inserted inside a single transaction afterwards."""
    settings.MEMBER_IMPORT_SYNC_MAX_ROWS = 100
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(member_file_rows(1200)))
        progress, person_inserts = [], []

        def observe(execute, sql, params, many, context):
            if sql.startswith('UPDATE "members_memberimport" SET "processed_rows"'):
                progress.append((connection.in_atomic_block, params[0]))
            elif sql.startswith('INSERT INTO "members_person"'):
                person_inserts.append(connection.in_atomic_block)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(observe):
            # Above MEMBER_IMPORT_SYNC_MAX_ROWS: the task runs once the confirmation is
            # committed (here at once, with the immediate backend of the tests).
            import_services.member_import_confirm(
                association=association, actor=admin_user, member_import=member_import
            )
        member_import.refresh_from_db()
    assert member_import.status == ImportStatus.DONE
    assert progress == [(False, 500), (False, 1000), (False, 1200)]
    assert person_inserts and all(person_inserts)


def test_a_background_import_that_hits_a_conflict_fails_and_writes_nothing(
    admin_client, association, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.MEMBER_IMPORT_SYNC_MAX_ROWS = 2
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(member_file_rows(5)))
    before = people_count(association)
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(import_url(association, "import_confirm", import_id=member_import.pk))
        PersonFactory(association=association, email="helene.4@example.org")
    with scopes_disabled():
        member_import.refresh_from_db()
    assert member_import.status == ImportStatus.FAILED
    assert "Row 5 can no longer be imported" in member_import.failure_message
    assert people_count(association) == before + 1  # only the person added by hand
    page = admin_client.get(
        import_url(association, "import_progress", import_id=member_import.pk)
    ).content.decode()
    assert "The import failed and nothing was written." in page
    assert "Row 5 can no longer be imported" in page


def test_the_progress_page_shows_each_phase(admin_client, association, admin_user):
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(member_file_rows(3)))
    url = import_url(association, "import_progress", import_id=member_import.pk)
    with scopes_disabled():
        MemberImport.objects.filter(pk=member_import.pk).update(
            status=ImportStatus.RUNNING, valid_rows=1000, processed_rows=400
        )
    page = admin_client.get(url).content.decode()
    assert '<meta http-equiv="refresh"' in page  # works without JavaScript too
    assert "<html" in page and 'hx-trigger="every 1s"' in page
    partial = admin_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert 'max="1000" value="400"' in partial
    assert "Checking the rows: 400 of 1000 (40 %)" in partial

    with scopes_disabled():
        MemberImport.objects.filter(pk=member_import.pk).update(processed_rows=1000)
    partial = admin_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "Saving the 1000 people in a single step" in partial
    assert "<progress aria-labelledby" in partial and "value=" not in partial

    with scopes_disabled():
        MemberImport.objects.filter(pk=member_import.pk).update(
            status=ImportStatus.DONE, created_count=1000
        )
    page = admin_client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page and "hx-trigger" not in page
    assert "Import finished: 1000 people added" in page


def test_discarding_an_import_deletes_the_file_content(admin_client, association, admin_user):
    with scope(association=association):
        member_import = prepared_import(association, admin_user, csv_bytes(member_file_rows(3)))
    response = admin_client.post(
        import_url(association, "import_discard", import_id=member_import.pk)
    )
    assert response.url == import_url(association, "import_upload")
    with scopes_disabled():
        assert not MemberImport.objects.exists()
    assert "members.import_discarded" in audit_actions(association)


# --- who may see what -------------------------------------------------------------------------

IMPORT_ROUTES = [
    ("import_upload", False, "get"),
    ("import_template", False, "get"),
    ("import_mapping", True, "get"),
    ("import_mapping", True, "post"),
    ("import_preview", True, "get"),
    ("import_confirm", True, "post"),
    ("import_progress", True, "get"),
    ("import_discard", True, "post"),
]


@pytest.fixture
def an_import(association, admin_user):
    with scope(association=association):
        return prepared_import(association, admin_user, csv_bytes(member_file_rows(2)))


@pytest.mark.parametrize(("name", "with_id", "method"), IMPORT_ROUTES)
def test_a_plain_member_is_forbidden(client, association, an_import, name, with_id, method):
    client.force_login(member_with_account(association, [Role.MEMBER]))
    kwargs = {"import_id": an_import.pk} if with_id else {}
    response = getattr(client, method)(import_url(association, name, **kwargs))
    assert response.status_code == 403


@pytest.mark.parametrize(("name", "with_id", "method"), IMPORT_ROUTES)
def test_another_associations_admin_finds_nothing(
    client, association, other_association, other_admin, an_import, name, with_id, method
):
    client.force_login(other_admin)
    kwargs = {"import_id": an_import.pk} if with_id else {}
    # Through this association's address: not a member, so not found.
    response = getattr(client, method)(import_url(association, name, **kwargs))
    assert response.status_code == 404
    if with_id:
        # Through their own association's address, with this import's number: not found.
        response = getattr(client, method)(import_url(other_association, name, **kwargs))
        assert response.status_code == 404
    with scopes_disabled():
        an_import.refresh_from_db()
    assert an_import.status == ImportStatus.PREVIEWED
