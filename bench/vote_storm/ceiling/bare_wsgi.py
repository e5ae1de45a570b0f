"""(a) and (b): WSGI callables without Django.

``empty``  answers 200 ``{}``.
``insert`` does ONE ``INSERT INTO ceiling_rows (k) VALUES (random) ON CONFLICT DO
           NOTHING`` (``k bigint UNIQUE``, the pgbench statement) with psycopg in
           autocommit, one connection per worker thread opened on first use, then
           answers 200 ``{"inserted": 0|1}``.
"""

from __future__ import annotations

import os
import random
import threading

_local = threading.local()
_HEADERS = [("Content-Type", "application/json")]


def _read_body(environ) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length else b""


def empty(environ, start_response):
    _read_body(environ)
    start_response("200 OK", _HEADERS + [("Content-Length", "2")])
    return [b"{}"]


def _connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        import psycopg

        conn = _local.conn = psycopg.connect(os.environ["CEILING_DSN"], autocommit=True)
    return conn


def insert(environ, start_response):
    _read_body(environ)
    cursor = _connection().execute(
        "INSERT INTO ceiling_rows (k) VALUES (%s) ON CONFLICT DO NOTHING",
        (random.randint(1, 9_000_000_000_000_000),),
    )
    body = b'{"inserted": %d}' % cursor.rowcount
    start_response("200 OK", _HEADERS + [("Content-Length", str(len(body)))])
    return [body]
