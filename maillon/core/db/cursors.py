"""The cursor for a hot path's fixed statements.

On PostgreSQL (the project's backend, :mod:`maillon.core.db.postgresql`), a
statement run through :func:`bound_cursor` sends its parameters apart from its SQL,
and psycopg prepares it once it has run a few times on the connection: no parse, no
plan, no literal composed in Python on the next runs. Elsewhere (SQLite) it is
Django's usual cursor.
"""

from __future__ import annotations

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper


def bound_cursor(connection: BaseDatabaseWrapper | None = None) -> CursorWrapper:
    """A cursor of ``connection`` (the default one when None). Only for SQL whose
    every parameter is compared with, or stored into, a column: PostgreSQL infers
    their types from there."""
    connection = connection or default_connection
    make = getattr(connection, "bound_cursor", None)
    return make() if make is not None else connection.cursor()
