"""Django's PostgreSQL backend, with a health check that sends nothing.

With ``CONN_HEALTH_CHECKS``, Django checks a reused connection at the start of
every request by sending ``SELECT 1``: one more round trip per request (issue 16:
one of the 13-14 statements of a vote). This backend checks the connection's
socket instead: an idle connection the server has closed (PostgreSQL restarted,
the backend killed, ``idle_session_timeout``) has something to read (the server's
FATAL message, or end of file), a healthy idle one has nothing. ``select()`` with a
zero timeout tells without a round trip. Anything unexpected (data waiting, libpq
reporting a bad state, an error while looking) counts as unusable: the connection
is closed and the request opens a new one, as with Django's check.

A failure that leaves the socket silent (a network cut with no FIN, outside the
single-machine deployment) is not seen here; the first query then fails, Django
marks the connection as broken and closes it at the end of the request
(``close_if_unusable_or_obsolete``), as it would after a failed ``SELECT 1``.
"""

from __future__ import annotations

import select

import psycopg
from django.db.backends.postgresql import base
from django.db.backends.utils import CursorWrapper
from psycopg import pq


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self) -> bool:
        if self.connection is None:
            return False
        try:
            pgconn = self.connection.pgconn
            if pgconn.status != pq.ConnStatus.OK or self.connection.closed:
                return False
            if pgconn.transaction_status != pq.TransactionStatus.IDLE:
                return super().is_usable()  # mid-transaction: ask the server
            readable, _, _ = select.select([pgconn.socket], [], [], 0)
        except Exception:  # noqa: BLE001 - any doubt means "open a new connection"
            return False
        return not readable

    def bound_cursor(self) -> CursorWrapper:
        """A cursor that sends its parameters apart from the SQL (server-side
        binding), so that psycopg prepares a statement run again and again on this
        connection (``prepare_threshold`` runs, 5 by default): PostgreSQL then
        neither parses nor plans it again, and no literal is composed in Python.

        For the hot statements of a request whose SQL is fixed and whose parameters
        have a type PostgreSQL can infer from where they stand (compared with or
        stored into a column). Django's other cursors keep client-side binding,
        which some ORM-built SQL needs (a parameter in a ``SELECT`` list or a
        ``GROUP BY``). Wrapped as Django's cursors are: the same error classes,
        the same query log and execute wrappers."""
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            cursor = psycopg.Cursor(self.connection)
            tzloader = self.connection.adapters.get_loader(base.TIMESTAMPTZ_OID, pq.Format.TEXT)
            if self.timezone != tzloader.timezone:
                base.register_tzloader(self.timezone, cursor)
        return self._prepare_cursor(cursor)
