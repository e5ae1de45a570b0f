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

from django.db.backends.postgresql import base
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
