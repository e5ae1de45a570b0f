"""The period a paid fee covers, under each rule (pure engine)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from maillon.members.fees.periods import (
    CALENDAR_YEAR,
    CUSTOM,
    ROLLING,
    SEASON,
    PeriodRule,
    add_months,
    period_containing,
    period_for_payment,
)

D = datetime.date
SEPTEMBER = PeriodRule(kind=SEASON, season_start_month=9, season_start_day=1)


def test_calendar_year():
    assert period_containing(PeriodRule(kind=CALENDAR_YEAR), D(2026, 3, 15)) == (
        D(2026, 1, 1),
        D(2026, 12, 31),
    )


def test_a_season_from_1_september_to_31_august():
    assert period_containing(SEPTEMBER, D(2026, 9, 1)) == (D(2026, 9, 1), D(2027, 8, 31))
    assert period_containing(SEPTEMBER, D(2026, 12, 6)) == (D(2026, 9, 1), D(2027, 8, 31))
    assert period_containing(SEPTEMBER, D(2027, 8, 31)) == (D(2026, 9, 1), D(2027, 8, 31))
    assert period_containing(SEPTEMBER, D(2026, 3, 1)) == (D(2025, 9, 1), D(2026, 8, 31))


def test_a_season_ending_on_29_february_in_leap_years():
    march = PeriodRule(kind=SEASON, season_start_month=3, season_start_day=1)
    assert period_containing(march, D(2027, 6, 1)) == (D(2027, 3, 1), D(2028, 2, 29))


def test_rolling_twelve_months_from_the_payment():
    assert period_containing(PeriodRule(kind=ROLLING), D(2026, 3, 15)) == (
        D(2026, 3, 15),
        D(2027, 3, 14),
    )
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)


def test_custom_dates():
    rule = PeriodRule(kind=CUSTOM, custom_start=D(2026, 4, 1), custom_end=D(2027, 6, 30))
    assert period_containing(rule, D(2026, 5, 2)) == (D(2026, 4, 1), D(2027, 6, 30))


def test_a_renewal_paid_before_the_end_covers_the_next_season():
    assert period_for_payment(SEPTEMBER, D(2026, 8, 20), covered_until=D(2026, 8, 31)) == (
        D(2026, 9, 1),
        D(2027, 8, 31),
    )
    rolling = PeriodRule(kind=ROLLING)
    assert period_for_payment(rolling, D(2026, 3, 1), covered_until=D(2026, 3, 14)) == (
        D(2026, 3, 15),
        D(2027, 3, 14),
    )
    # A lapsed member starts again from the payment.
    assert period_for_payment(SEPTEMBER, D(2026, 10, 2), covered_until=D(2025, 8, 31)) == (
        D(2026, 9, 1),
        D(2027, 8, 31),
    )


days = st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31))


@given(
    day=days,
    month=st.integers(1, 12),
    start_day=st.integers(1, 28),
    kind=st.sampled_from([CALENDAR_YEAR, SEASON, ROLLING]),
)
def test_the_period_contains_the_payment_day_and_lasts_about_a_year(day, month, start_day, kind):
    rule = PeriodRule(kind=kind, season_start_month=month, season_start_day=start_day)
    start, end = period_containing(rule, day)
    assert start <= day <= end
    assert 364 <= (end - start).days <= 365


@given(day=days, month=st.integers(1, 12), start_day=st.integers(1, 28))
def test_seasons_follow_each_other_without_gap(day, month, start_day):
    rule = PeriodRule(kind=SEASON, season_start_month=month, season_start_day=start_day)
    start, end = period_containing(rule, day)
    assert period_containing(rule, end + datetime.timedelta(days=1))[0] == end + datetime.timedelta(
        days=1
    )
