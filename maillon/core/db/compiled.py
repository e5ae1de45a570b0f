"""A queryset's SQL built once per process, run again with other values.

Building a queryset (``filter``: lookups, joins) and compiling it to SQL (columns of
every ``select_related`` model, converters) costs more CPU than the round trip of a
small indexed read; a hot path that sends the same read on every request (the API
token, the caller's roles) pays it every time. :class:`CompiledQuery` builds the
queryset once per database connection alias with *sample values* for its
parameters, compiles it, and finds where each sample value went in the SQL's
parameters; a call sends the same SQL with the caller's values and turns the rows
into model instances exactly as iterating the queryset would (``from_db``, the
``select_related`` objects, the fields' converters).

Only for querysets whose SQL does not depend on the values (no ``None`` that turns a
lookup into ``IS NULL``, no list whose length changes the SQL): the sample values
must be distinctive (each appears once among the compiled parameters, unchanged by
the field's preparation: a string, an int), which is checked at compile time.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

from maillon.core.db.cursors import bound_cursor

M = TypeVar("M", bound=Model)


class _Compiled:
    def __init__(self, queryset: QuerySet, samples: dict[str, Any]) -> None:
        self.db = queryset.db
        compiler = queryset.query.get_compiler(using=self.db)
        sql, params = compiler.as_sql()
        self.sql = sql
        self.params = list(params)
        self.slots: dict[str, int] = {}
        for name, sample in samples.items():
            found = [
                i for i, p in enumerate(self.params) if type(p) is type(sample) and p == sample
            ]
            if len(found) != 1:
                raise ValueError(f"sample value of {name!r} found {len(found)} times in {params}")
            self.slots[name] = found[0]
        self.compiler = compiler
        klass_info, select = compiler.klass_info, compiler.select
        columns = [s[0] for s in select[0 : compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ValueError("composite fields are not supported")
        self.converters = compiler.get_converters(columns)
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [f[0].target.attname for f in select[self.start : self.end]]
        self.populators = get_related_populators(klass_info, select, self.db)
        self.annotations = dict(compiler.annotation_col_map or {})

    def run(self, values: dict[str, Any]) -> list[Model]:
        params = list(self.params)
        for name, slot in self.slots.items():
            params[slot] = values[name]
        with bound_cursor(connections[self.db]) as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if not rows:
            return []
        if self.converters:
            rows = self.compiler.apply_converters(rows, self.converters)
        objects = []
        for row in rows:
            obj = self.model.from_db(self.db, self.init_list, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, obj)
            for name, position in self.annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects


class CompiledQuery(Generic[M]):
    """``build(**values)`` returns the queryset; ``samples`` are distinctive values of
    the same types, used once to compile it. ``query(**values)`` returns the list of
    model instances the queryset would give for ``values``."""

    def __init__(self, build: Callable[..., QuerySet[M]], **samples: Any) -> None:
        self.build = build
        self.samples = samples
        # Per thread, as Django's connections: the compiler keeps its connection.
        self._local = threading.local()

    def __call__(self, **values: Any) -> list[M]:
        if values.keys() != self.samples.keys():
            raise TypeError(f"expected the values {sorted(self.samples)}")
        by_db: dict[tuple[str, str], _Compiled] = self._local.__dict__.setdefault("by_db", {})
        connection = connections[DEFAULT_DB_ALIAS]
        key = (connection.vendor, connection.settings_dict["NAME"])
        compiled = by_db.get(key)
        if compiled is None:
            compiled = by_db[key] = _Compiled(self.build(**self.samples), self.samples)
        return compiled.run(values)  # type: ignore[return-value]  # the queryset's model
