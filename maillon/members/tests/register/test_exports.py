"""Exporting the member register: what the secretary opens in a spreadsheet is the
filtered list she was looking at, readable (UTF-8 with BOM, ";" separated) and safe
(no cell runs as a formula)."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from maillon.members.models import Person, Role
from maillon.members.register.exports import csv_stream, xlsx_bytes
from maillon.members.register.selectors import person_list
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(admin_user):
    """The administrator reads the back-office in English (the strings asserted below)
    and has a name no other person of these tests has (factories draw random names)."""
    admin_user.language = "en"
    admin_user.save(update_fields=["language"])
    with scopes_disabled():
        Person.objects.filter(user=admin_user).update(first_name="Ada", last_name="Zadmin")


@pytest.fixture
def register(association, other_association):
    """Three current members (one treasurer up to date, one with a dangerous name),
    a former member, and someone of another association."""
    today = timezone.localdate()
    treasurer = PersonFactory(
        association=association,
        first_name="Élodie",
        last_name="Trésor",
        phone="+33 6 12 34 56 78",
        roles=[Role.MEMBER, Role.TREASURER],
    )
    MembershipPeriodFactory(person=treasurer, start=today, end=today)
    PersonFactory(
        association=association,
        first_name='=HYPERLINK("http://evil.example","clic")',
        last_name="@SUM(A1)",
        city="-Lyon",
    )
    PersonFactory(association=association, last_name="Parti", left_on=today)
    PersonFactory(association=other_association, last_name="Voisin")


def export_url(association, file_format):
    return reverse(
        "members:export",
        kwargs={"association_slug": association.slug, "file_format": file_format},
    )


def read_csv(response) -> list[list[str]]:
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # BOM: Excel reads UTF-8 correctly
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [
        [cell if cell is not None else "" for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def test_csv_export_has_a_bom_semicolons_and_the_current_members(
    admin_client, association, register
):
    response = admin_client.get(export_url(association, "csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="{association.slug}-members-'
    )
    rows = read_csv(response)
    header, data = rows[0], rows[1:]
    assert header[:3] == ["First name", "Last name", "Email"]
    last_names = [row[1] for row in data]
    assert "Trésor" in last_names
    assert "Parti" not in last_names  # former members are not in the default view
    assert "Voisin" not in last_names  # never another association's people
    assert len(data) == 3  # with the administrator
    treasurer = data[last_names.index("Trésor")]
    assert treasurer[header.index("Fee up to date")] == "yes"
    assert treasurer[header.index("Roles")] == "Member, Treasurer"


def test_csv_export_contains_the_filtered_rows_only(admin_client, association, register):
    response = admin_client.get(export_url(association, "csv"), {"role": "treasurer", "page": 1})
    data = read_csv(response)[1:]
    assert [row[1] for row in data] == ["Trésor"]

    response = admin_client.get(export_url(association, "csv"), {"status": "left"})
    assert [row[1] for row in read_csv(response)[1:]] == ["Parti"]


def test_csv_export_cells_never_run_as_formulas(admin_client, association, register):
    rows = read_csv(admin_client.get(export_url(association, "csv")))
    header, data = rows[0], rows[1:]
    evil = next(row for row in data if "HYPERLINK" in row[0])
    assert evil[0] == '\'=HYPERLINK("http://evil.example","clic")'
    assert evil[1] == "'@SUM(A1)"
    assert evil[header.index("City")] == "'-Lyon"
    for row in data:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@"), cell


def test_xlsx_export_opens_in_openpyxl_with_the_same_rows(admin_client, association, register):
    response = admin_client.get(export_url(association, "xlsx"), {"role": "treasurer"})

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"].endswith('.xlsx"')
    rows = read_xlsx(response)
    assert rows[0][:2] == ["First name", "Last name"]
    assert [row[1] for row in rows[1:]] == ["Trésor"]
    assert rows[1][3] == "'+33 6 12 34 56 78"


def test_xlsx_export_cells_never_run_as_formulas(admin_client, association, register):
    workbook = load_workbook(io.BytesIO(admin_client.get(export_url(association, "xlsx")).content))
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    assert '\'=HYPERLINK("http://evil.example","clic")' in [cell.value for cell in cells]


def test_an_unknown_export_format_is_not_found(admin_client, association):
    assert admin_client.get(export_url(association, "pdf")).status_code == 404


def test_export_functions_share_the_columns_and_rows(association, register):
    with scope(association=association):
        people = person_list(association=association, role=Role.TREASURER)
        text = "".join(csv_stream(people))
        workbook = load_workbook(io.BytesIO(xlsx_bytes(people)), read_only=True)
    csv_rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    xlsx_rows = [
        ["" if v is None else v for v in row] for row in workbook.active.iter_rows(values_only=True)
    ]
    assert csv_rows == xlsx_rows
