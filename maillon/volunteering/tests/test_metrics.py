"""The volunteering indicators of the metrics registry, read as the strategy module
reads them (maillon.metrics.registry.measure)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.metrics import registry
from maillon.volunteering.models import VolunteeringSettings, YearlyHourlyRate
from maillon.volunteering.tests.hours.helpers import (
    add_hours,
    engagement_world,
    english_messages,  # noqa: F401 (autouse fixture)
    foreign_engagement,
    volunteer_without_account,
)

pytestmark = pytest.mark.django_db

CODES = {
    "volunteering.new_volunteers",
    "volunteering.active_volunteers",
    "volunteering.hours",
    "volunteering.valuation",
    "volunteering.applications",
    "volunteering.response_rate",
    "volunteering.median_response_hours",
    "volunteering.retention_90_days",
}


def _measure(code, association, start, end):
    return registry.measure(code, association=association, start=start, end=end)


def test_every_indicator_is_registered():
    codes = {m.code for m in registry.all_metrics() if m.code.startswith("volunteering.")}
    assert codes == CODES
    assert registry.get("volunteering.median_response_hours").lower_is_better
    assert not registry.get("volunteering.hours").lower_is_better
    assert registry.get("volunteering.hours").kind == "flow"


def test_the_indicators_measure_the_period(association, other_association):
    foreign_engagement(other_association)
    engagement_world(association)
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=300), today
    values = {code.split(".")[1]: _measure(code, association, start, end) for code in CODES}
    assert values == {
        "new_volunteers": 3,  # accepted 240, 190 and 20 days ago
        "active_volunteers": 3,
        "hours": Decimal("9"),
        "valuation": Decimal("108.18"),  # 9 h × 12.02 € (one year or two, same rate)
        "applications": 5,
        "response_rate": Decimal("80.0"),
        "median_response_hours": Decimal("36.0"),
        "retention_90_days": Decimal("50.0"),
    }


def test_an_empty_period_gives_zero_flows_and_no_rates(association):
    today = timezone.localdate()
    start, end = today - datetime.timedelta(days=30), today
    assert _measure("volunteering.hours", association, start, end) == 0
    assert _measure("volunteering.new_volunteers", association, start, end) == 0
    for code in (
        "volunteering.response_rate",
        "volunteering.median_response_hours",
        "volunteering.retention_90_days",
    ):
        assert _measure(code, association, start, end) is None


def test_the_valuation_uses_each_years_rate(association):
    person = volunteer_without_account(association)
    add_hours(person, day=datetime.date(2024, 12, 20), hours="10")
    add_hours(person, day=datetime.date(2025, 1, 5), hours="10")
    with scopes_disabled():
        VolunteeringSettings.objects.create(association=association, hourly_rate=Decimal("13"))
        YearlyHourlyRate.objects.create(association=association, year=2024, hourly_rate=11)
    value = _measure(
        "volunteering.valuation",
        association,
        datetime.date(2024, 12, 1),
        datetime.date(2025, 1, 31),
    )
    assert value == Decimal("240.00")  # 10 × 11 + 10 × 13
