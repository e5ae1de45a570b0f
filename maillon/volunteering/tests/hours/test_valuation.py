"""The valuation of volunteer time: rates, figures, settings and exports."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scope, scopes_disabled
from openpyxl import load_workbook

from maillon.core.models import AuditEntry
from maillon.members.models import Role
from maillon.volunteering.hours import selectors as hours_selectors
from maillon.volunteering.models import (
    DEFAULT_HOURLY_RATE,
    Activity,
    HoursStatus,
    VolunteeringSettings,
    YearlyHourlyRate,
)
from maillon.volunteering.tests.factories import MissionFactory
from maillon.volunteering.tests.hours.helpers import (
    add_hours,
    english_messages,  # noqa: F401 (autouse fixture)
    user_with_roles,
    volunteer_without_account,
)

pytestmark = pytest.mark.django_db

YEAR = 2025


def _day(month, day=10, year=YEAR):
    return datetime.date(year, month, day)


@pytest.fixture
def treasurer(association):
    return user_with_roles(association, [Role.TREASURER], email="tresorier@amis.example")


@pytest.fixture
def year_of_hours(association):
    """2025: 10 h + 5.5 h validated (field, events), 4 h pending, 3 h rejected; one
    entry of 2024 and one of another association."""
    anne = volunteer_without_account(association, first_name="Anne", last_name="Aubry")
    bruno = volunteer_without_account(association, first_name="Bruno", last_name="Barre")
    add_hours(anne, day=_day(1), hours="10", activity=Activity.FIELD)
    add_hours(bruno, day=_day(3), hours="5.5", activity=Activity.EVENT)
    add_hours(bruno, day=_day(3, 11), hours="4", status=HoursStatus.PENDING)
    add_hours(anne, day=_day(6), hours="3", status=HoursStatus.REJECTED)
    add_hours(anne, day=_day(12, 31, year=YEAR - 1), hours="7")
    return anne, bruno


def _url(name, association, *args):
    return reverse(f"volunteering:{name}", args=[association.slug, *args])


def test_only_validated_hours_are_valued_at_the_default_rate(association, year_of_hours):
    with scope(association=association):
        valuation = hours_selectors.valuation_for_year(association=association, year=YEAR)
    assert valuation.hours == Decimal("15.5")
    assert valuation.rate.rate == DEFAULT_HOURLY_RATE == Decimal("12.02")
    assert not valuation.rate.is_locked
    assert valuation.amount == Decimal("186.31")  # 15.5 × 12.02
    assert valuation.volunteers == 2
    assert [(row["activity"], row["hours"]) for row in valuation.by_activity] == [
        (Activity.FIELD, Decimal(10)),
        (Activity.EVENT, Decimal("5.5")),
    ]
    months = {row["month"].month: row["hours"] for row in valuation.by_month}
    assert len(valuation.by_month) == 12
    assert (months[1], months[3], months[6], months[2]) == (10, Decimal("5.5"), 0, 0)


def test_a_year_rate_wins_over_the_settings_rate(association, year_of_hours):
    with scopes_disabled():
        VolunteeringSettings.objects.create(association=association, hourly_rate=Decimal("20"))
        YearlyHourlyRate.objects.create(association=association, year=YEAR, hourly_rate=11)
    with scope(association=association):
        fixed = hours_selectors.valuation_for_year(association=association, year=YEAR)
        default = hours_selectors.valuation_for_year(association=association, year=YEAR - 1)
        both_years = hours_selectors.valued_amount(
            association=association, start=_day(12, 1, YEAR - 1), end=_day(12, 31)
        )
    assert (fixed.rate.rate, fixed.rate.is_locked, fixed.amount) == (11, True, Decimal("170.50"))
    assert (default.rate.rate, default.amount) == (20, Decimal("140.00"))
    assert both_years == Decimal("310.50")  # each year at its own rate


def test_the_valuation_page_shows_the_accounts_and_the_method(
    client, association, treasurer, year_of_hours
):
    client.force_login(treasurer)
    response = client.get(_url("valuation", association), {"year": YEAR})
    assert response.status_code == 200
    content = response.content.decode()
    assert "186.31 €" in content
    for text in ("864", "875", "Personnel bénévole", "Bénévolat", "minimum wage (SMIC)"):
        assert text in content
    assert "hours validated by the association × an hourly rate of 12.02 €" in content
    with scopes_disabled():
        VolunteeringSettings.objects.create(
            association=association, valuation_method="Heures × SMIC chargé (méthode du CA)."
        )
    response = client.get(_url("valuation", association), {"year": YEAR})
    assert "Heures × SMIC chargé (méthode du CA)." in response.content.decode()
    # An unknown year falls back on the latest one, no crash.
    assert client.get(_url("valuation", association), {"year": "abc"}).status_code == 200


def test_the_valuation_is_for_managers_of_hours(client, association):
    for role, status in ((Role.VOLUNTEER, 403), (Role.BOARD, 403), (Role.TREASURER, 200)):
        client.force_login(user_with_roles(association, [role]))
        assert client.get(_url("valuation", association)).status_code == status, role


def test_settings_and_year_rates_are_saved_with_an_audit_entry(client, association, treasurer):
    client.force_login(treasurer)
    assert client.get(_url("volunteering_settings", association)).status_code == 200
    response = client.post(
        _url("volunteering_settings", association),
        {"hourly_rate": "15,50", "valuation_method": "SMIC chargé", "remind_after_days": "7"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        settings = VolunteeringSettings.objects.get(association=association)
    assert (settings.hourly_rate, settings.remind_after_days) == (Decimal("15.5"), 7)

    response = client.post(
        _url("volunteering_settings", association),
        {"hourly_rate": "-1", "valuation_method": "", "remind_after_days": "0"},
    )
    assert response.status_code == 200
    assert {"hourly_rate", "remind_after_days"} <= set(response.context["form"].errors)

    client.post(_url("yearly_rate_set", association), {"year": YEAR, "hourly_rate": "11.88"})
    client.post(_url("yearly_rate_set", association), {"year": YEAR, "hourly_rate": "11,65"})
    with scopes_disabled():
        (rate,) = YearlyHourlyRate.objects.filter(association=association)
    assert (rate.year, rate.hourly_rate) == (YEAR, Decimal("11.65"))
    response = client.post(
        _url("yearly_rate_set", association), {"year": "1850", "hourly_rate": "x"}, follow=True
    )
    assert b"The rate was not saved" in response.content
    client.post(_url("yearly_rate_remove", association, rate.pk))
    with scopes_disabled():
        assert not YearlyHourlyRate.objects.filter(association=association).exists()
        actions = list(
            AuditEntry.objects.filter(association=association)
            .order_by("pk")
            .values_list("action", flat=True)
        )
    assert actions == [
        "volunteering.settings_updated",
        "volunteering.yearly_rate_set",
        "volunteering.yearly_rate_set",
        "volunteering.yearly_rate_removed",
    ]


def _csv_rows(response):
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_csv_export_lists_each_validated_entry_and_defuses_formulas(
    client, association, treasurer, year_of_hours
):
    anne, _bruno = year_of_hours
    mission = MissionFactory(association=association, title='=HYPERLINK("http://x")')
    add_hours(anne, day=_day(2), hours="1.25", mission=mission, description="+cmd|' /C calc'!A0")
    client.force_login(treasurer)
    response = client.get(_url("valuation_export", association, "entries", "csv"), {"year": YEAR})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    header, *rows = _csv_rows(response)
    assert header[:3] == ["Date", "Last name", "First name"]
    assert [row[0] for row in rows] == ["2025-01-10", "2025-02-10", "2025-03-10"]
    injected = rows[1]
    assert injected[4] == '\'=HYPERLINK("http://x")'
    assert injected[5] == "'+cmd|' /C calc'!A0"
    assert (injected[6], injected[7], injected[8]) == ("1,25", "12,02", "15,03")

    response = client.get(
        _url("valuation_export", association, "activities", "csv"), {"year": YEAR}
    )
    header, *rows = _csv_rows(response)
    assert rows[-1] == ["Total", "2", "16,75", "12,02", "201,34"]


def test_the_xlsx_exports_have_numbers(client, association, treasurer, year_of_hours):
    client.force_login(treasurer)
    response = client.get(
        _url("valuation_export", association, "activities", "xlsx"), {"year": YEAR}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0] == ("Activity", "Volunteers", "Hours", "Hourly rate (€)", "Valuation (€)")
    assert rows[1][0] == "Field work with the public"
    assert rows[1][2] == 10
    assert rows[-1][0] == "Total" and rows[-1][4] == pytest.approx(186.31)
    response = client.get(_url("valuation_export", association, "entries", "xlsx"), {"year": YEAR})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 3  # header + two validated entries
    assert client.get(_url("valuation_export", association, "other", "csv")).status_code == 404


def test_the_valuation_page_and_export_cost_the_same_queries_with_n_and_2n(
    client, association, treasurer
):
    client.force_login(treasurer)
    mission = MissionFactory(association=association)

    def add(count):
        for index in range(count):
            person = volunteer_without_account(association)
            add_hours(person, day=_day(index % 12 + 1), mission=mission)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"year": YEAR})
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        return len(queries)

    urls = [
        _url("valuation", association),
        _url("valuation_export", association, "entries", "csv"),
        _url("valuation_export", association, "entries", "xlsx"),
    ]
    add(6)
    for url in urls:
        count(url)
    first = [count(url) for url in urls]
    add(6)
    assert [count(url) for url in urls] == first
