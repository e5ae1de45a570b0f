"""Dates typed by people: telling "this day does not exist" (31/02/1990) apart from
"this is not written as a date", so the message says what is actually wrong."""

from __future__ import annotations

import calendar
import re

_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\b")
_YEAR_MONTH_DAY = re.compile(r"^\s*(\d{4})[/.-](\d{1,2})[/.-](\d{1,2})\b")


def is_impossible_date(value: str) -> bool:
    """True for a well-written date whose day is not in its month: 31/02/1990,
    29/02/2023, 1990-04-31. A month over 12 is a matter of format (07/14/1980 is an
    American date), not an impossible day."""
    match = _DAY_MONTH_YEAR.match(value or "")
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _YEAR_MONTH_DAY.match(value or "")
        if not match:
            return False
        year, month, day = (int(g) for g in match.groups())
    if not 1 <= month <= 12 or not 1 <= day <= 31 or year < 1:
        return False
    return day > calendar.monthrange(year, month)[1]
