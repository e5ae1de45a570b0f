"""A queryset's SQL built once per process, run again with other values.

Building a queryset (``filter``: lookups, joins) and compiling it to SQL (columns of
every ``select_related`` model, converters) costs more CPU than the round trip of a
small indexed read; a hot path that sends the same read on every request (the API
token, the caller's roles, a page of the member register) pays it every time.
:class:`CompiledQuery` and :class:`CompiledValues` build the queryset once per
database connection alias with *sample values* for its parameters, compile it, and
find where each sample value went in the SQL's parameters; a call sends the same SQL
with the caller's values and gives what iterating the queryset would: model
instances (``from_db``, the ``select_related`` objects, the fields' converters) or
``values()`` dictionaries.

Only for querysets whose SQL does not depend on the values (no ``None`` that turns a
lookup into ``IS NULL``, no list whose length changes the SQL): the caller keeps one
compiled query per shape. The sample values must be distinctive (no other parameter
of the query equals one), which is checked as far as it can be: each must be found
among the compiled parameters, after the preparation the lookup gives it (``prepare``:
a date becomes a string on SQLite, a ``contains`` word a ``LIKE`` pattern), wherever
it appears (one date may be compared several times). A ``LIMIT``/``OFFSET`` is
written into the SQL by Django, not passed as a parameter: ``literals`` names the
integer samples to turn back into parameters there (each must appear exactly once in
the SQL text).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Mapping
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

from maillon.core.db.cursors import bound_cursor

M = TypeVar("M", bound=Model)

#: ``prepare`` functions: (value, connection) -> the parameter the lookup sends.
Prepare = Callable[[Any, Any], Any]


def _parameterize_literals(sql: str, params: list, literals: dict[str, int]) -> tuple[str, list]:
    """``sql`` and ``params`` with each literal integer sample (written into the SQL
    by Django, as ``LIMIT 123``) turned into a ``%s`` parameter of the same value."""
    found = []
    for name, sample in literals.items():
        if sample in params:
            raise ValueError(f"sample value of {name!r} is a parameter, not a literal")
        places = [m.start() for m in re.finditer(rf"(?<![\w.]){sample}(?![\w.])", sql)]
        if len(places) != 1:
            raise ValueError(f"literal sample of {name!r} found {len(places)} times in {sql}")
        found.append((places[0], len(str(sample)), sample))
    params = list(params)
    pieces, start = [], 0
    for done, (position, length, sample) in enumerate(sorted(found)):
        # Django's SQL: %s is a parameter, %% a literal percent sign; the literals
        # already turned into parameters come before this one too.
        before = sum(1 for m in re.finditer(r"%[%s]", sql[:position]) if m.group() == "%s")
        params.insert(before + done, sample)
        pieces += [sql[start:position], "%s"]
        start = position + length
    pieces.append(sql[start:])
    return "".join(pieces), params


class _Statement:
    """A queryset compiled once: its SQL and parameters, the parameter slots of each
    sample value, and what turns the database's rows into Python values.
    ``prepared``: sent through :func:`~maillon.core.db.cursors.bound_cursor`, so that
    PostgreSQL prepares it (for fixed reads by key, whose one plan fits every value)."""

    prepared = False

    def __init__(
        self,
        queryset: QuerySet,
        samples: dict[str, Any],
        prepare: Mapping[str, Prepare],
        literals: tuple[str, ...],
    ) -> None:
        self.db = queryset.db
        connection = connections[self.db]
        compiler = queryset.query.get_compiler(using=self.db)
        sql, params = compiler.as_sql()
        self.sql, self.params = _parameterize_literals(
            sql, list(params), {name: samples[name] for name in literals}
        )
        self.prepare = prepare
        self.slots: dict[str, list[int]] = {}
        for name, sample in samples.items():
            param = self._param(name, sample, connection)
            found = [i for i, p in enumerate(self.params) if type(p) is type(param) and p == param]
            if not found:
                raise ValueError(f"sample value of {name!r} found 0 times in {self.params}")
            self.slots[name] = found
        self.compiler = compiler
        columns = [s[0] for s in compiler.select[0 : compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ValueError("composite fields are not supported")
        self.converters = compiler.get_converters(columns)

    def _param(self, name: str, value: Any, connection) -> Any:
        prepare = self.prepare.get(name)
        return value if prepare is None else prepare(value, connection)

    def rows(self, values: dict[str, Any]) -> list[tuple]:
        """The rows for ``values``, each column converted as the queryset would."""
        connection = connections[self.db]
        params = list(self.params)
        for name, slots in self.slots.items():
            param = self._param(name, values[name], connection)
            for slot in slots:
                params[slot] = param
        with bound_cursor(connection) if self.prepared else connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if rows and self.converters:
            rows = list(self.compiler.apply_converters(rows, self.converters))
        return rows


class _Instances(_Statement):
    """Rows as model instances, with their ``select_related`` objects and annotations.
    Prepared: the token, the session and the caller's roles, read by their keys on
    every request. (A register page's rows are not: a plan kept for every search
    word and page would not fit them all.)"""

    prepared = True

    def __init__(self, queryset: QuerySet, *args: Any) -> None:
        super().__init__(queryset, *args)
        compiler = self.compiler
        klass_info, select = compiler.klass_info, compiler.select
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, self.db)
        self.annotations = dict(compiler.annotation_col_map or {})

    def run(self, values: dict[str, Any]) -> list[Model]:
        objects = []
        for row in self.rows(values):
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class _Values(_Statement):
    """Rows as the dictionaries of a ``values()`` queryset."""

    def __init__(self, queryset: QuerySet, *args: Any) -> None:
        super().__init__(queryset, *args)
        query = queryset.query
        self.names = [*query.extra_select, *query.values_select, *query.annotation_select]

    def run(self, values: dict[str, Any]) -> list[dict[str, Any]]:
        names = self.names
        return [dict(zip(names, row, strict=True)) for row in self.rows(values)]


S = TypeVar("S", bound=_Statement)


class _PerConnection(Generic[S]):
    statement: type[S]

    def __init__(
        self,
        build: Callable[..., QuerySet],
        *,
        prepare: Mapping[str, Prepare] | None = None,
        literals: tuple[str, ...] = (),
        **samples: Any,
    ) -> None:
        self.build = build
        self.samples = samples
        self.prepare = dict(prepare or {})
        self.literals = literals
        # Per thread, as Django's connections: the compiler keeps its connection.
        self._local = threading.local()

    def _compiled(self, values: dict[str, Any]) -> S:
        if values.keys() != self.samples.keys():
            raise TypeError(f"expected the values {sorted(self.samples)}")
        by_db: dict[tuple[str, str], S] = self._local.__dict__.setdefault("by_db", {})
        connection = connections[DEFAULT_DB_ALIAS]
        key = (connection.vendor, connection.settings_dict["NAME"])
        compiled = by_db.get(key)
        if compiled is None:
            queryset = self.build(**self.samples)
            compiled = self.statement(queryset, self.samples, self.prepare, self.literals)
            by_db[key] = compiled
        return compiled


class CompiledQuery(_PerConnection[_Instances], Generic[M]):
    """``build(**values)`` returns the queryset; ``samples`` are distinctive values of
    the same types, used once to compile it. ``query(**values)`` returns the list of
    model instances the queryset would give for ``values``."""

    statement = _Instances

    def __init__(
        self,
        build: Callable[..., QuerySet[M]],
        *,
        prepare: Mapping[str, Prepare] | None = None,
        **samples: Any,
    ) -> None:
        super().__init__(build, prepare=prepare, **samples)

    def __call__(self, **values: Any) -> list[M]:
        return self._compiled(values).run(values)  # type: ignore[return-value]


class CompiledValues(_PerConnection[_Values]):
    """As :class:`CompiledQuery`, for a ``values()`` queryset: ``query(**values)``
    returns its list of dictionaries."""

    statement = _Values

    def __call__(self, **values: Any) -> list[dict[str, Any]]:
        return self._compiled(values).run(values)
