"""The yearly cap of skills sponsorship (3 × PASS per employee), a pure engine."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maillon.network.help.sponsorship import caps


def test_the_pass_table_holds_the_published_figures():
    assert caps.pass_for(2024) == Decimal("46368")
    assert caps.pass_for(2025) == Decimal("47100")
    assert caps.pass_for(2026) == Decimal("48060")
    assert caps.yearly_cap(2026) == Decimal("144180")


def test_a_missing_year_says_which():
    with pytest.raises(caps.PassYearMissing) as missing:
        caps.yearly_cap(2031)
    assert missing.value.year == 2031


def test_an_employee_below_the_cap_is_valued_at_cost():
    kept = caps.capped_cost(year=2026, hours=Decimal("120"), hourly_cost=Decimal("52.40"))
    assert kept.cost == Decimal("6288.00")
    assert kept.valued == Decimal("6288.00")
    assert not kept.exceeds_cap


def test_an_employee_above_the_cap_is_valued_at_the_cap():
    kept = caps.capped_cost(year=2025, hours=Decimal("1500"), hourly_cost=Decimal("100"))
    assert kept.cost == Decimal("150000.00")
    assert kept.cap == Decimal("141300")
    assert kept.valued == Decimal("141300")
    assert kept.exceeds_cap and kept.above_cap == Decimal("8700.00")


def test_the_cap_applies_per_employee_over_all_their_lines():
    total, per = caps.capped_total(
        year=2024,
        lines=[
            ("ana", Decimal("800"), Decimal("90")),  # 72,000
            ("ana", Decimal("800"), Decimal("90")),  # + 72,000 = 144,000 > 139,104
            ("bruno", Decimal("10"), Decimal("45.50")),  # 455
        ],
    )
    assert per["ana"].cost == Decimal("144000.00") and per["ana"].valued == Decimal("139104")
    assert per["bruno"].valued == Decimal("455.00")
    assert total == Decimal("139559.00")


def test_a_table_of_another_source_is_used_when_given():
    assert caps.yearly_cap(2030, {2030: Decimal("50000")}) == Decimal("150000")


def test_bad_data_is_refused(tmp_path):
    bad = tmp_path / "pass.yaml"
    bad.write_text("2024: -3\n", encoding="utf-8")
    with pytest.raises(caps.ContentError):
        caps.pass_table(bad)


def test_planned_hours_spread_over_the_years_of_the_period():
    shares = caps.planned_hours_per_year(
        start=datetime.date(2025, 10, 1), end=datetime.date(2026, 3, 31), hours=Decimal("182")
    )
    assert set(shares) == {2025, 2026}
    assert shares[2025] == Decimal("92.0")  # 92 of the 182 days
    assert sum(shares.values()) == Decimal("182")


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    start=st.dates(min_value=datetime.date(2024, 1, 1), max_value=datetime.date(2026, 12, 31)),
    days=st.integers(min_value=0, max_value=900),
    hours=st.decimals(min_value=Decimal("0.5"), max_value=Decimal("5000"), places=1),
)
def test_the_shares_always_add_up(start, days, hours):
    end = start + datetime.timedelta(days=days)
    shares = caps.planned_hours_per_year(start=start, end=end, hours=hours)
    assert sum(shares.values()) == hours
    assert sorted(shares) == list(range(start.year, end.year + 1))


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    hours=st.decimals(min_value=Decimal("0.25"), max_value=Decimal("3000"), places=2),
    rate=st.decimals(min_value=Decimal("1"), max_value=Decimal("500"), places=2),
)
def test_the_value_kept_never_exceeds_the_cap_nor_the_cost(hours, rate):
    kept = caps.capped_cost(year=2026, hours=hours, hourly_cost=rate)
    assert kept.valued <= kept.cap and kept.valued <= kept.cost
    assert kept.valued == kept.cost or kept.exceeds_cap
