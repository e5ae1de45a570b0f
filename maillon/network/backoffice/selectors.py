"""The network's table of member associations: the directory card of every member,
and beside it only the indicators each association consented to share.

Values come from the metrics registry's ``measure_many``, one call per column over
the associations that share its family: the number of queries does not grow with
the number of members (``tests/backoffice/test_query_counts.py``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from maillon.metrics.registry import measure_many
from maillon.strategy.engine.scoring import level_for

from ..memberships.selectors import memberships_across_associations
from ..models import DataFamily, Network, NetworkMembership
from .indicators import COLUMNS, DATE_COLUMNS, DIAGNOSTIC_AGE, DIAGNOSTIC_SCORE, Column

STALE_DIAGNOSTIC_DAYS = 365


@dataclass
class MemberRow:
    membership: NetworkMembership
    values: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def association(self):
        return self.membership.association

    @property
    def shared(self) -> list[str]:
        return self.membership.shared_families or []

    def shares(self, family: str) -> bool:
        return family in self.shared

    @property
    def level(self) -> str | None:
        score = self.values.get(DIAGNOSTIC_SCORE)
        return None if score is None else level_for(float(score))

    @property
    def diagnostic_is_stale(self) -> bool:
        """Shares its diagnostic and has not answered one in 12 months."""
        if not self.shares(DataFamily.DIAGNOSTIC):
            return False
        age = self.values.get(DIAGNOSTIC_AGE)
        return age is None or age > STALE_DIAGNOSTIC_DAYS

    def cells(self, today: datetime.date) -> list[tuple[Column, object, bool]]:
        """(column, value, shared) for each column; a date for the "days since" ones."""
        out: list[tuple[Column, object, bool]] = []
        for column in COLUMNS:
            shared = self.shares(column.family)
            value: object = self.values.get(column.code) if shared else None
            if isinstance(value, Decimal) and column.code in DATE_COLUMNS:
                value = today - datetime.timedelta(days=int(value))
            out.append((column, value, shared))
        return out


@dataclass
class MemberFilters:
    department: str = ""
    size_band: str = ""
    level: str = ""
    stale_diagnostic: bool = False


def _measure(rows: list[MemberRow], columns, today: datetime.date) -> None:
    year_ago = today - datetime.timedelta(days=365)
    for column in columns:
        sharing = [r.association for r in rows if r.shares(column.family)]
        if not sharing:
            continue
        start = year_ago if column.period == "year" else today
        values = measure_many(column.code, associations=sharing, start=start, end=today)
        for row in rows:
            if row.shares(column.family):
                row.values[column.code] = values.get(row.association.pk)


def member_rows(*, network: Network, filters: MemberFilters | None = None) -> list[MemberRow]:
    """Every active member of ``network`` matching ``filters``, without values yet
    (``measure_rows`` fills a page of them). The diagnostic's columns are measured
    here when a filter needs them."""
    filters = filters or MemberFilters()
    memberships = memberships_across_associations(network=network)
    if filters.department:
        memberships = memberships.filter(association__department__code=filters.department)
    if filters.size_band:
        memberships = memberships.filter(association__size_band=filters.size_band)
    rows = [MemberRow(membership=m) for m in memberships]
    if filters.level or filters.stale_diagnostic:
        today = timezone.localdate()
        diagnostic = [c for c in COLUMNS if c.code in (DIAGNOSTIC_SCORE, DIAGNOSTIC_AGE)]
        _measure(rows, diagnostic, today)
        if filters.level:
            rows = [r for r in rows if r.level == filters.level]
        if filters.stale_diagnostic:
            rows = [r for r in rows if r.diagnostic_is_stale]
    return rows


def measure_rows(rows: list[MemberRow]) -> list[MemberRow]:
    """Fill the consented values of ``rows`` (a page, or every row for an export)."""
    today = timezone.localdate()
    _measure(rows, [c for c in COLUMNS if not any(c.code in r.values for r in rows)], today)
    return rows
