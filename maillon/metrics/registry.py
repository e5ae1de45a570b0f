"""Named indicators that modules publish and that the strategy module and the
observatory read, without importing the modules' internals.

A module registers its metrics in its ``AppConfig.ready()``::

    register(Metric(code="members.active", label=_("Active members"), unit=_("people"),
                    compute=active_members))

``compute(association, start, end)`` runs inside the association's scope and returns
the value over the period [start, end] (dates, inclusive) — or at ``end`` for a stock
such as "active members" — as a number, or None when it cannot be known.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django_scopes import scope

Number = int | float | Decimal


@dataclass(frozen=True)
class Metric:
    code: str
    label: str
    unit: str
    compute: Callable[..., Number | None]
    description: str = ""
    # "stock": value at the end of the period; "flow": total over the period.
    kind: str = "flow"
    # A smaller value is better (e.g. a response time).
    lower_is_better: bool = False
    # Optional: ``compute_many(association_ids, start, end) -> {association_id: value}``,
    # the same value for many associations in a fixed number of queries (a network's
    # table, the observatory). Without it, ``measure_many`` measures one by one.
    compute_many: Callable[..., dict[int, Number | None]] | None = None
    # Optional: ``batch(association_ids, start, end) -> {code: {association_id: value}}``,
    # this metric and its siblings from the same rows in one query (e.g. active members
    # and the share up to date with their fee). Siblings share the same function;
    # ``measure_many_metrics`` runs it once for all of them.
    batch: Callable[..., dict[str, dict[int, Number | None]]] | None = None


_registry: dict[str, Metric] = {}


def register(metric: Metric) -> None:
    if metric.code in _registry and _registry[metric.code] is not metric:
        raise ValueError(f"Metric {metric.code!r} is already registered.")
    _registry[metric.code] = metric


def get(code: str) -> Metric | None:
    return _registry.get(code)


def all_metrics() -> list[Metric]:
    return sorted(_registry.values(), key=lambda m: m.code)


def measure(code: str, *, association, start: datetime.date, end: datetime.date) -> Decimal | None:
    """The value of metric ``code`` for ``association``, computed inside the
    association's scope (whoever asks: a page of the association, a network's table,
    the observatory), so a metric function needs no scope handling of its own."""
    metric = _registry.get(code)
    if metric is None:
        return None
    with scope(association=association):
        value = metric.compute(association, start, end)
    return None if value is None else Decimal(str(value))


def measure_many(
    code: str, *, associations, start: datetime.date, end: datetime.date
) -> dict[int, Decimal | None]:
    """``{association_id: value}`` of metric ``code`` for every association given.
    With the metric's ``compute_many`` the number of queries does not grow with the
    number of associations; otherwise each is measured in its own scope."""
    metric = _registry.get(code)
    associations = list(associations)
    if metric is None:
        return {a.pk: None for a in associations}
    if metric.compute_many is not None:
        raw = metric.compute_many([a.pk for a in associations], start, end)
    else:
        raw = {}
        for association in associations:
            with scope(association=association):
                raw[association.pk] = metric.compute(association, start, end)
    return {
        a.pk: (None if raw.get(a.pk) is None else Decimal(str(raw[a.pk]))) for a in associations
    }


def measure_many_metrics(
    codes, *, associations, start: datetime.date, end: datetime.date
) -> dict[str, dict[int, Decimal | None]]:
    """``{code: {association_id: value}}`` for several metrics over the same
    associations and period: metrics sharing a ``batch`` are computed by one call of
    it, the others by ``measure_many``. Same values as ``measure_many`` code by code."""
    associations = list(associations)
    ids = [a.pk for a in associations]
    out: dict[str, dict[int, Decimal | None]] = {}
    batches: dict[Callable, dict] = {}
    for code in codes:
        metric = _registry.get(code)
        if metric is None or metric.batch is None:
            out[code] = measure_many(code, associations=associations, start=start, end=end)
            continue
        if metric.batch not in batches:
            batches[metric.batch] = metric.batch(ids, start, end)
        raw = batches[metric.batch][code]
        out[code] = {pk: _decimal(raw.get(pk)) for pk in ids}
    return out


def _decimal(value: Number | None) -> Decimal | None:
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = day.replace(month=first_month, day=1)
    next_start = (
        start.replace(year=start.year + 1, month=1)
        if first_month == 10
        else start.replace(month=first_month + 3)
    )
    return start, next_start - datetime.timedelta(days=1)
