"""The network's table of member associations: the directory card of every member,
and beside it only the indicators each association consented to share.

Values come from the metrics registry (``measure_many_metrics``), one call per data
family over the page's associations that share it: the number of queries does not
grow with the number of members (``tests/backoffice/test_query_counts.py``), and only
the page is measured. The level filters compare each member's latest diagnostic in
SQL, so they read no figure of the members they leave out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.utils import timezone

from maillon.metrics.registry import measure_many_metrics
from maillon.strategy.diagnostic.selectors import (
    latest_diagnostic_subqueries_across_associations,
    level_score_bounds,
)
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
    """Fill ``rows``' values of ``columns``: the columns of one family and period are
    measured together over the associations sharing that family (siblings computed
    from the same rows come from one query, ``measure_many_metrics``)."""
    year_ago = today - datetime.timedelta(days=365)
    groups: dict[tuple[str, str], list[Column]] = {}
    for column in columns:
        groups.setdefault((column.family, column.period), []).append(column)
    for (family, period), group in groups.items():
        sharing = [r for r in rows if r.shares(family)]
        if not sharing:
            continue
        start = year_ago if period == "year" else today
        measured = measure_many_metrics(
            [c.code for c in group],
            associations=[r.association for r in sharing],
            start=start,
            end=today,
        )
        for column in group:
            values = measured[column.code]
            for row in sharing:
                row.values[column.code] = values.get(row.association.pk)


def _filtered_memberships(network: Network, filters: MemberFilters):
    memberships = memberships_across_associations(network=network).only(*_CARD)
    if filters.department:
        memberships = memberships.filter(association__department__code=filters.department)
    if filters.size_band:
        memberships = memberships.filter(association__size_band=filters.size_band)
    return memberships


#: What the table, the exports and the API read of a membership and its association's
#: directory card (the association's long texts stay in the database).
_CARD = (
    "association_id",
    "network_id",
    "status",
    "shared_families",
    "association__name",
    "association__slug",
    "association__city",
    "association__size_band",
    "association__department_id",
    "association__sector_id",
    "association__department__code",
    "association__department__name",
    "association__sector__code",
    "association__sector__label_fr",
    "association__sector__label_en",
)


def member_page(
    *,
    network: Network,
    filters: MemberFilters | None = None,
    page: str | int | None = 1,
    size: int = 100,
) -> Any:
    """One page of the active members of ``network`` matching ``filters`` (a Django
    ``Page`` of ``MemberRow``, values measured). Only the page's memberships are
    loaded and measured; the level and "no diagnostic in 12 months" filters are
    conditions in SQL on each member's latest diagnostic (one query for the matching
    ids, then the page)."""
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
    """Ids (in the table's order) of the members that share their diagnostic and
    whose latest diagnostic has ``filters.level`` and, with ``stale_diagnostic``, was
    completed more than 12 months ago or never — the same figures as the table's
    "Diagnostic score" and "Latest diagnostic" columns (``MemberRow.level``,
    ``MemberRow.diagnostic_is_stale``), compared in SQL."""
    today = timezone.localdate()
    matching = memberships.annotate(
        **latest_diagnostic_subqueries_across_associations(
            association_ref="association_id", end=today
        )
    )
    if filters.level:
        lowest, below = level_score_bounds(filters.level)
        matching = matching.filter(latest_diagnostic_score__isnull=False)
        if lowest is not None:
            matching = matching.filter(latest_diagnostic_score__gte=lowest)
        if below is not None:
            matching = matching.filter(latest_diagnostic_score__lt=below)
    if filters.stale_diagnostic:
        # Stale: more than STALE_DIAGNOSTIC_DAYS days between the completion's date
        # (as the metric counts it, in UTC) and today.
        cutoff = datetime.datetime.combine(
            today - datetime.timedelta(days=STALE_DIAGNOSTIC_DAYS),
            datetime.time.min,
            tzinfo=datetime.UTC,
        )
        matching = matching.filter(
            Q(latest_diagnostic_at__isnull=True) | Q(latest_diagnostic_at__lt=cutoff)
        )
    return [
        pk
        for pk, shared in matching.values_list("pk", "shared_families")
        if DataFamily.DIAGNOSTIC in (shared or [])
    ]


def member_rows(*, network: Network, filters: MemberFilters | None = None) -> list[MemberRow]:
    """Every active member of ``network`` matching ``filters`` (for the exports and
    the API), without values yet (``measure_rows`` fills them)."""
    filters = filters or MemberFilters()
    memberships = _filtered_memberships(network, filters)
    if filters.level or filters.stale_diagnostic:
        memberships = memberships.filter(pk__in=_diagnostic_filtered_ids(memberships, filters))
    return [MemberRow(membership=m) for m in memberships]


def measure_rows(rows: list[MemberRow]) -> list[MemberRow]:
    """Fill the consented values of ``rows`` (a page, or every row for an export)."""
    today = timezone.localdate()
    _measure(rows, [c for c in COLUMNS if not any(c.code in r.values for r in rows)], today)
    return rows


class TableFormatter:
    """Writes the page's rows (``<tr>``) in Python, with the locale's formats and the
    labels read once per request: a hundred rows of fourteen cells cost too much as
    template tags and filters (some 6,000 nodes a page). The markup is the one the
    template had; ``members.html`` keeps the table around it."""

    def __init__(self, today: datetime.date):
        from django.utils import formats
        from django.utils.html import format_html
        from django.utils.translation import get_language, gettext

        self.today = today
        self.language = get_language() or "fr"
        self.labels = [str(c.label) for c in COLUMNS]
        self.date_format = formats.get_format("SHORT_DATE_FORMAT")
        self.decimal_separator = formats.get_format("DECIMAL_SEPARATOR", self.language)
        self.grouping = formats.get_format("NUMBER_GROUPING", self.language)
        self.thousand_separator = formats.get_format("THOUSAND_SEPARATOR", self.language)
        self.not_shared = gettext("Not shared")
        self.unknown = gettext("unknown")
        self.association_label = gettext("Association")
        self.department_label = gettext("Department")
        self.employees_label = gettext("Employees")
        self.level_label = gettext("Digital level")
        self.not_shared_html = format_html(
            '<span class="muted">—<span class="visually-hidden"> {}</span></span>',
            self.not_shared,
        )

    def text(self, value: object) -> str:
        """``value`` in the locale's format (as ``date_format`` and ``number_format``
        would give it); "" when unknown."""
        from django.utils import dateformat, numberformat

        if value is None:
            return ""
        if isinstance(value, datetime.date):
            return dateformat.format(value, self.date_format)
        number = Decimal(str(value))
        places = 0 if number == number.to_integral_value() else 1
        return numberformat.format(
            round(number, places),
            self.decimal_separator,
            places,
            self.grouping,
            self.thousand_separator,
            use_l10n=True,
        )

    def cell(self, code: str, label: str, shared: bool, value: object) -> str:
        from django.utils.html import format_html

        if not shared:
            inner = self.not_shared_html
        else:
            text = self.text(value)
            inner = (
                format_html("{}", text)
                if text
                else format_html('<span class="muted">{}</span>', self.unknown)
            )
        return format_html('<td data-label="{}" data-code="{}">{}</td>', label, code, inner)

    def line(self, row: MemberRow) -> str:
        """A row of the page (``<tr>``), escaped part by part by ``format_html``."""
        from django.utils.html import format_html
        from django.utils.safestring import mark_safe

        from maillon.strategy.engine.scoring import level_label

        a = row.association
        cells = "".join(
            self.cell(column.code, label, shared, value)
            for (column, value, shared), label in zip(
                row.cells(self.today), self.labels, strict=True
            )
        )
        if row.level:
            level = format_html("{}", level_label(row.level, self.language[:2]))
        elif row.shares(DataFamily.DIAGNOSTIC):
            level = format_html('<span class="muted">{}</span>', self.unknown)
        else:
            level = self.not_shared_html
        city = format_html('<br><span class="muted">{}</span>', a.city) if a.city else ""
        department = (a.department.code if a.department_id else "") or "—"
        return format_html(
            "\n      <tr>\n"
            '        <th scope="row" data-label="{}">{}{}</th>\n'
            '        <td data-label="{}">{}</td>\n'
            '        <td data-label="{}">{}</td>\n'
            "        {}\n"
            '        <td data-label="{}" data-code="level">{}</td>\n'
            "      </tr>\n    ",
            self.association_label,
            a.name,
            city,
            self.department_label,
            department,
            self.employees_label,
            a.get_size_band_display(),
            mark_safe(cells),  # noqa: S308 (each cell escaped by format_html)
            self.level_label,
            level,
        )
