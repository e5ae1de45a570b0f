"""Which dates a paid fee covers, under an association's period rule. Pure: no
database, no Django models (the schedule's values are passed in a ``PeriodRule``).

- calendar year: 1 January – 31 December of the payment's year;
- season: from the association's start day (e.g. 1 September) to the day before the
  next one (31 August);
- rolling: 12 months from the payment (15 March 2026 → 14 March 2027);
- custom: the association's own start and end dates.

A renewal paid while the current period still runs covers the NEXT period (a member
paying on 20 August for a season ending on 31 August pays for the coming season)."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass

CALENDAR_YEAR, SEASON, ROLLING, CUSTOM = "calendar_year", "season", "rolling", "custom"


@dataclass(frozen=True)
class PeriodRule:
    kind: str = CALENDAR_YEAR
    season_start_month: int = 9
    season_start_day: int = 1
    custom_start: datetime.date | None = None
    custom_end: datetime.date | None = None


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by ``months``, clamped to the month's last day (31 Jan + 1 → 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def season_start(rule: PeriodRule, year: int) -> datetime.date:
    """The season's first day in ``year`` (a 29 February start falls on the 28th)."""
    last_day = calendar.monthrange(year, rule.season_start_month)[1]
    return datetime.date(year, rule.season_start_month, min(rule.season_start_day, last_day))


def period_containing(rule: PeriodRule, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of ``rule`` that contains ``day`` (for rolling: the 12 months from it)."""
    if rule.kind == SEASON:
        start = season_start(rule, day.year)
        if day < start:
            start = season_start(rule, day.year - 1)
        return start, season_start(rule, start.year + 1) - datetime.timedelta(days=1)
    if rule.kind == ROLLING:
        return day, add_months(day, 12) - datetime.timedelta(days=1)
    if rule.kind == CUSTOM and rule.custom_start and rule.custom_end:
        return rule.custom_start, rule.custom_end
    return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)


def period_for_payment(
    rule: PeriodRule, paid_on: datetime.date, covered_until: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The period a fee paid on ``paid_on`` covers. ``covered_until`` is the end of the
    member's latest paid period: when it is still running, the fee renews from the
    day after (never the same period twice)."""
    if covered_until is None or covered_until < paid_on:
        return period_containing(rule, paid_on)
    following = covered_until + datetime.timedelta(days=1)
    if rule.kind == CUSTOM:
        # Custom dates name one period: the association sets the next one itself.
        return period_containing(rule, paid_on)
    return period_containing(rule, following)
