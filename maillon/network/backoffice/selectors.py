"""The network's table of member associations: the directory card of every member,
and beside it only the indicators each association consented to share.

Values come from the metrics registry's ``measure_many``, one call per column over
the associations that share its family: the number of queries does not grow with
the number of members (``tests/backoffice/test_query_counts.py``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

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


def _filtered_memberships(network: Network, filters: MemberFilters):
    memberships = memberships_across_associations(network=network)
    if filters.department:
        memberships = memberships.filter(association__department__code=filters.department)
    if filters.size_band:
        memberships = memberships.filter(association__size_band=filters.size_band)
    return memberships


@dataclass
class _Light:
    """What the diagnostic filters need of a member: its id and consent."""

    pk: int
    association_id: int
    shared_families: list

    @property
    def association(self) -> SimpleNamespace:
        return SimpleNamespace(pk=self.association_id)


def member_page(
    *,
    network: Network,
    filters: MemberFilters | None = None,
    page: str | int | None = 1,
    size: int = 100,
) -> Any:
    """One page of the active members of ``network`` matching ``filters`` (a Django
    ``Page`` of ``MemberRow``, values measured). Only the page's memberships are
    loaded; the level and "no diagnostic in 12 months" filters first read every
    member's consent and diagnostic (two queries), then load the page."""
    from django.core.paginator import Paginator

    filters = filters or MemberFilters()
    memberships = _filtered_memberships(network, filters)
    if filters.level or filters.stale_diagnostic:
        ids = _diagnostic_filtered_ids(memberships, filters)
        current: Any = Paginator(ids, size).get_page(page)
        loaded = {m.pk: m for m in memberships.filter(pk__in=list(current.object_list))}
        rows = [MemberRow(membership=loaded[pk]) for pk in current.object_list]
    else:
        current = Paginator(memberships, size).get_page(page)
        rows = [MemberRow(membership=m) for m in current.object_list]
    current.object_list = measure_rows(rows)
    return current


def _diagnostic_filtered_ids(memberships, filters: MemberFilters) -> list[int]:
    light = [
        MemberRow(membership=_Light(pk, association_id, shared or []))  # type: ignore[arg-type]
        for pk, association_id, shared in memberships.values_list(
            "pk", "association_id", "shared_families"
        )
    ]
    diagnostic = [c for c in COLUMNS if c.code in (DIAGNOSTIC_SCORE, DIAGNOSTIC_AGE)]
    _measure(light, diagnostic, timezone.localdate())
    if filters.level:
        light = [r for r in light if r.level == filters.level]
    if filters.stale_diagnostic:
        light = [r for r in light if r.diagnostic_is_stale]
    return [r.membership.pk for r in light]


def member_rows(*, network: Network, filters: MemberFilters | None = None) -> list[MemberRow]:
    """Every active member of ``network`` matching ``filters`` (for the exports and
    the API), without values yet (``measure_rows`` fills them)."""
    filters = filters or MemberFilters()
    memberships = _filtered_memberships(network, filters)
    if filters.level or filters.stale_diagnostic:
        keep = set(_diagnostic_filtered_ids(memberships, filters))
        return [MemberRow(membership=m) for m in memberships if m.pk in keep]
    return [MemberRow(membership=m) for m in memberships]


def measure_rows(rows: list[MemberRow]) -> list[MemberRow]:
    """Fill the consented values of ``rows`` (a page, or every row for an export)."""
    today = timezone.localdate()
    _measure(rows, [c for c in COLUMNS if not any(c.code in r.values for r in rows)], today)
    return rows


@dataclass(frozen=True)
class TableCell:
    code: str
    label: str
    shared: bool
    text: str  # the value in the locale's format; "" when unknown


def _display(value: object) -> str:
    from django.utils import formats

    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    number = Decimal(str(value))
    places = 0 if number == number.to_integral_value() else 1
    return formats.number_format(round(number, places), decimal_pos=places)


def table_line(
    row: MemberRow, today: datetime.date, labels: list[str]
) -> tuple[MemberRow, list[TableCell], str]:
    """A row of the page, its cells and its level's label, prepared once in Python
    (a hundred rows of a dozen cells cost too much as template filters)."""
    from django.utils.translation import get_language

    from maillon.strategy.engine.scoring import level_label

    cells = [
        TableCell(code=column.code, label=label, shared=shared, text=_display(value))
        for (column, value, shared), label in zip(row.cells(today), labels, strict=True)
    ]
    level = level_label(row.level, (get_language() or "fr")[:2]) if row.level else ""
    return row, cells, level
