"""The one bulk loader of the benchmark data sets (``seed_scale``, ``seed_missions``).

Rows are tuples in the order of a column list (model attribute names, ``id`` left out)
and go in with PostgreSQL's ``COPY`` (psycopg 3 ``cursor.copy``), or with
``bulk_create`` elsewhere (meant for small numbers, e.g. tests on SQLite). ``COPY``
bypasses the model: the loader checks that no required column is left out, takes the
ids from the table's own sequence first (``COPY`` returns nothing) and writes JSON
fields as JSON text. The callers fill derived columns (``search_text``) themselves.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence

from django.core.management.base import CommandError, OutputWrapper
from django.db import connection, models

METHODS = ("auto", "copy", "bulk")


def add_method_argument(parser) -> None:
    parser.add_argument(
        "--method",
        choices=METHODS,
        default="auto",
        help="copy: PostgreSQL COPY; bulk: bulk_create. auto: copy on PostgreSQL.",
    )


class BulkLoader:
    """Writes rows of one column list per model, by ``COPY`` or ``bulk_create``."""

    def __init__(self, method: str = "auto", *, batch_size: int) -> None:
        if method == "auto":
            method = "copy" if connection.vendor == "postgresql" else "bulk"
        if method == "copy" and connection.vendor != "postgresql":
            raise CommandError("--method copy needs PostgreSQL.")
        self.method = method
        self.batch_size = batch_size  # of bulk_create

    def check_columns(self, model: type[models.Model], columns: Sequence[str], *, by: str) -> None:
        """With ``COPY``, fail loudly if a required field of ``model`` is not in
        ``columns`` (e.g. a field added since); ``by`` names the command for the message."""
        if self.method != "copy":
            return
        missing = [
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key and not f.null and f.attname not in columns
        ]
        if missing:
            raise CommandError(
                f"{by} does not fill {model.__name__}.{', '.join(missing)}: "
                "add them to its column list (or use --method bulk)."
            )

    def insert(
        self, model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple]
    ) -> None:
        """Rows whose ids do not matter to the caller (e.g. a many-to-many table)."""
        if not rows:
            return
        if self.method == "bulk":
            model._default_manager.bulk_create(
                [model(**dict(zip(columns, row, strict=True))) for row in rows],
                batch_size=self.batch_size,
            )
            return
        self._copy(model, columns, rows)

    def insert_returning_ids(
        self, model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple]
    ) -> list[int]:
        """Rows to which other rows will point: returns their ids, in order."""
        if not rows:
            return []
        if self.method == "bulk":
            objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
            model._default_manager.bulk_create(objects, batch_size=self.batch_size)
            return [obj.pk for obj in objects]
        ids = self._next_ids(model, len(rows))
        self._copy(model, ("id", *columns), [(pk, *row) for pk, row in zip(ids, rows, strict=True)])
        return ids

    @staticmethod
    def _next_ids(model: type[models.Model], count: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [pk for (pk,) in cursor.fetchall()]

    @staticmethod
    def _copy(model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
        fields = [model._meta.get_field(c) for c in columns]
        json_columns = [n for n, f in enumerate(fields) if isinstance(f, models.JSONField)]
        quote = connection.ops.quote_name
        names = ", ".join(quote(_column(model, c)) for c in columns)
        sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"  # noqa: S608
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                if json_columns:
                    row = tuple(
                        json.dumps(value) if n in json_columns else value
                        for n, value in enumerate(row)
                    )
                copy.write_row(row)


def _column(model: type[models.Model], name: str) -> str:
    """The database column of the concrete field ``name``."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.column:
        raise CommandError(f"{model.__name__}.{name} is not a column.")
    return field.column


def analyze(tables: Sequence[str], *, compact: Sequence[str] = ()) -> None:
    """Fresh planner statistics for ``tables``. On PostgreSQL also the visibility map
    (``VACUUM``), so that counts can use index-only scans as they would after autovacuum
    in production, and ``compact`` tables are first rewritten (``VACUUM FULL``: an
    UPDATE after COPY leaves a dead copy of every row). Neither VACUUM can run in a
    transaction, e.g. a test's: ANALYZE alone there."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("ANALYZE")
            return
        in_transaction = connection.in_atomic_block
        for table in tables:
            name = connection.ops.quote_name(table)
            if in_transaction:
                cursor.execute(f"ANALYZE {name}")
                continue
            if table in compact:
                cursor.execute(f"VACUUM (FULL) {name}")
            cursor.execute(f"VACUUM (ANALYZE) {name}")


class Stopwatch:
    """Prints ``[   12.3 s] what`` lines: the time since the command started."""

    def __init__(self, stdout: OutputWrapper) -> None:
        self.stdout = stdout
        self.started = time.monotonic()

    def lap(self, what: str) -> None:
        self.stdout.write(f"[{time.monotonic() - self.started:7.1f} s] {what}")
