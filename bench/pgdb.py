"""Shared by the benchmarks: create the PostgreSQL database named by DATABASE_URL
when it does not exist yet."""

import os
import sys

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/maillon_bench"


def ensure_db() -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("the benchmark runs on PostgreSQL: set a postgres:// DATABASE_URL")
    with psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    ) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        print(
            f"PostgreSQL {version} at {config['HOST'] or 'local socket'}:{config['PORT'] or 5432}"
        )
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if exists:
            print(f"database {config['NAME']} exists")
        else:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            print(f"database {config['NAME']} created")
