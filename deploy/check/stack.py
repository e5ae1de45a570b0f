"""Helpers of deploy/check/multiserver.sh (run with the project's virtualenv):

    stack.py reset-db              drop and re-create the database of DATABASE_URL (local only)
    stack.py reset-redis           empty the Redis database of REDIS_URL
    stack.py seed OUT.json         an association, its admin, two more accounts, a mission
    stack.py wait-http URL HOST    until URL answers 200 (as the proxy would ask it)
    stack.py wait-worker           until an RQ worker has registered in Redis

Every wait is bounded (``--timeout``, 60 s by default) and polls; none sleeps blindly.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}
PASSWORD = "multi-serveur maillon 2024"  # noqa: S105 - accounts of a throw-away database


def poll(what: str, check, timeout: float, interval: float = 0.2):
    """Call ``check`` until it returns something true; fail after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            result = check()
        except Exception as error:  # connection refused while a server starts, etc.
            last_error = error
        else:
            if result:
                return result
        time.sleep(interval)
    sys.exit(f"timed out after {timeout:.0f} s waiting for {what} (last error: {last_error})")


def reset_db() -> None:
    import dj_database_url
    import psycopg
    from psycopg import sql

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("the multi-server check runs on PostgreSQL: set a postgres:// DATABASE_URL")
    if (config["HOST"] or "localhost") not in LOCAL_HOSTS:
        sys.exit("the multi-server check drops its database: it must be on this machine")
    with psycopg.connect(
        dbname="postgres",
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    ) as conn:
        name = sql.Identifier(config["NAME"])
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))
        # A throw-away database: no waiting for the disk at each commit (the migrations
        # commit hundreds of times).
        conn.execute(sql.SQL("ALTER DATABASE {} SET synchronous_commit TO off").format(name))
    print(f"database {config['NAME']} created")


def reset_redis() -> None:
    import redis

    url = os.environ["REDIS_URL"]
    if (urlsplit(url).hostname or "localhost") not in LOCAL_HOSTS:
        sys.exit("the multi-server check empties its Redis database: it must be on this machine")
    redis.Redis.from_url(url).flushdb()
    print(f"redis {url} emptied")


def seed(out: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
    import django

    django.setup()
    from django_scopes import scopes_disabled

    from maillon.associations.tests.factories import AssociationFactory
    from maillon.members.models import Role
    from maillon.members.tests.factories import member_with_account
    from maillon.volunteering.missions.search import update_search_vectors
    from maillon.volunteering.tests.factories import MissionFactory

    with scopes_disabled():
        association = AssociationFactory(name="Réseau des Deux Serveurs", slug="deux-serveurs")
        accounts = {}
        for key, roles in (
            ("admin", [Role.ADMIN, Role.MEMBER]),
            ("locked", [Role.MEMBER]),
            ("control", [Role.MEMBER]),
        ):
            user = member_with_account(
                association, roles, email=f"{key}@deux-serveurs.example", password=PASSWORD
            )
            accounts[key] = user.email
        mission = MissionFactory(
            association=association,
            title="Maraude solidaire des deux serveurs",
            description="Aller à la rencontre des personnes sans abri, le mardi soir.",
        )
        update_search_vectors([mission.pk])  # PostgreSQL's full-text column
    data = {
        "slug": association.slug,
        "name": association.name,
        "password": PASSWORD,
        "accounts": accounts,
        "mission": {"id": mission.pk, "title": mission.title},
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2)
    print(f"seeded {association.slug}: {', '.join(accounts.values())}, mission {mission.pk}")


def wait_http(url: str, host: str, timeout: float) -> None:
    parts = urlsplit(url)

    def answered() -> bool:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
        try:
            connection.request(
                "GET", parts.path or "/", headers={"Host": host, "X-Forwarded-Proto": "https"}
            )
            return connection.getresponse().status == 200
        finally:
            connection.close()

    poll(f"{url} to answer 200", answered, timeout)
    print(f"{url} is up")


def wait_worker(timeout: float) -> None:
    import redis
    from rq import Worker

    connection = redis.Redis.from_url(os.environ["REDIS_URL"])
    workers = poll("an RQ worker", lambda: Worker.all(connection=connection), timeout)
    print(f"RQ worker up: {', '.join(worker.name for worker in workers)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("reset-db")
    sub.add_parser("reset-redis")
    seed_parser = sub.add_parser("seed")
    seed_parser.add_argument("out")
    http_parser = sub.add_parser("wait-http")
    http_parser.add_argument("url")
    http_parser.add_argument("host")
    http_parser.add_argument("--timeout", type=float, default=60)
    worker_parser = sub.add_parser("wait-worker")
    worker_parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    if args.command == "reset-db":
        reset_db()
    elif args.command == "reset-redis":
        reset_redis()
    elif args.command == "seed":
        seed(args.out)
    elif args.command == "wait-http":
        wait_http(args.url, args.host, args.timeout)
    else:
        wait_worker(args.timeout)


if __name__ == "__main__":
    main()
