"""The yearly cap of skills sponsorship, as a pure engine (no database).

The cost of an employee's lent time is valued at cost (hourly salary plus employer
charges, as the company states it), and for the tax reduction the salary taken into
account is capped at three times the yearly social-security ceiling (PASS) of the
year, per employee. The PASS of each year is kept as data in ``data/pass.yaml``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

import yaml

from maillon.core.versioned_yaml import ContentError

PASS_FILE = Path(__file__).resolve().parent / "data" / "pass.yaml"
CAP_MULTIPLE = 3
CENT = Decimal("0.01")


class PassYearMissing(LookupError):
    """The PASS of a year is not in the data file (a year too old, or the next
    year's order not added yet)."""

    def __init__(self, year: int):
        super().__init__(year)
        self.year = year


@lru_cache(maxsize=1)
def pass_table(path: Path = PASS_FILE) -> dict[int, Decimal]:
    """``{year: PASS in euros}`` read from ``path``."""
    with path.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    if not isinstance(raw, dict) or not raw:
        raise ContentError(f"{path.name}: expected a mapping of years to amounts")
    table: dict[int, Decimal] = {}
    for year, amount in raw.items():
        if not isinstance(year, int) or not isinstance(amount, int | float) or amount <= 0:
            raise ContentError(f"{path.name}: bad line {year!r}: {amount!r}")
        table[year] = Decimal(str(amount))
    return table


def pass_for(year: int, table: Mapping[int, Decimal] | None = None) -> Decimal:
    """The PASS of ``year``; raises ``PassYearMissing`` when it is not known."""
    table = pass_table() if table is None else table
    try:
        return table[year]
    except KeyError:
        raise PassYearMissing(year) from None


def yearly_cap(year: int, table: Mapping[int, Decimal] | None = None) -> Decimal:
    """The most one employee's lent time may be valued in ``year``: 3 × PASS."""
    return CAP_MULTIPLE * pass_for(year, table)


def cost(hours: Decimal, hourly_cost: Decimal) -> Decimal:
    return (Decimal(hours) * Decimal(hourly_cost)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class CappedCost:
    """One employee's time in one year: what it costs, the cap, the value kept."""

    year: int
    hours: Decimal
    cost: Decimal
    cap: Decimal

    @property
    def valued(self) -> Decimal:
        return min(self.cost, self.cap)

    @property
    def exceeds_cap(self) -> bool:
        return self.cost > self.cap

    @property
    def above_cap(self) -> Decimal:
        return max(self.cost - self.cap, Decimal(0))


def capped_cost(
    *, year: int, hours: Decimal, hourly_cost: Decimal, table: Mapping[int, Decimal] | None = None
) -> CappedCost:
    """``hours`` of one employee in ``year`` at ``hourly_cost``, under the year's cap."""
    return CappedCost(
        year=year,
        hours=Decimal(hours),
        cost=cost(hours, hourly_cost),
        cap=yearly_cap(year, table),
    )


def capped_total(
    *,
    year: int,
    lines: Iterable[tuple[object, Decimal, Decimal]],
    table: Mapping[int, Decimal] | None = None,
) -> tuple[Decimal, dict[object, CappedCost]]:
    """Yearly value of several employees' time: ``lines`` are ``(employee key, hours,
    hourly cost)`` (one employee may have several lines, e.g. two agreements or two
    rates); each employee's cost is summed, then capped. Returns the total kept and
    each employee's ``CappedCost``."""
    hours: dict[object, Decimal] = {}
    costs: dict[object, Decimal] = {}
    for key, line_hours, hourly_cost in lines:
        hours[key] = hours.get(key, Decimal(0)) + Decimal(line_hours)
        costs[key] = costs.get(key, Decimal(0)) + cost(line_hours, hourly_cost)
    cap = yearly_cap(year, table) if costs else Decimal(0)
    per_employee = {
        key: CappedCost(year=year, hours=hours[key], cost=costs[key], cap=cap) for key in costs
    }
    total = sum((c.valued for c in per_employee.values()), Decimal(0))
    return total, per_employee


def days_per_year(start: datetime.date, end: datetime.date) -> dict[int, int]:
    """How many days of ``start``–``end`` (inclusive) fall in each calendar year."""
    found: dict[int, int] = {}
    for year in range(start.year, end.year + 1):
        first = max(start, datetime.date(year, 1, 1))
        last = min(end, datetime.date(year, 12, 31))
        found[year] = (last - first).days + 1
    return found


def planned_hours_per_year(
    *, start: datetime.date, end: datetime.date, hours: Decimal
) -> dict[int, Decimal]:
    """Planned hours spread over the calendar years of the period, in proportion to
    its days (an agreement from October to March plans half of its time in each
    year, roughly); the shares add up to ``hours`` exactly."""
    if end < start:
        raise ValueError("the period ends before it starts")
    days = days_per_year(start, end)
    total_days = sum(days.values())
    shares: dict[int, Decimal] = {}
    left = Decimal(hours)
    years = sorted(days)
    for year in years[:-1]:
        share = (Decimal(hours) * days[year] / total_days).quantize(Decimal("0.1"), ROUND_HALF_UP)
        shares[year] = share
        left -= share
    shares[years[-1]] = left
    return shares
