"""Database side of the vote-storm benchmark.

    python bench/vote_storm/db.py create                # (re)create DATABASE_URL's database
    python bench/vote_storm/db.py seed --voters 5000 --out DIR
    python bench/vote_storm/db.py verify --meta DIR/meta.json --receipts FILE
    python bench/vote_storm/db.py pgbench-table         # the table pgbench inserts into

``seed`` makes one association with ``--voters`` members, each with an account and
an API token (bulk inserts, no password hashing), an online assembly in session
with all of them on the roll and one open secret yes/no poll; it writes the raw
tokens to DIR/tokens.txt and the slug and poll id to DIR/meta.json.

``verify`` checks that the poll's ballots, its participations and the receipts the
load tool was given are the same number, and the same receipts.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/maillon_votestorm"
SLUG = "vote-storm"
PGBENCH_TABLE = "vote_storm_pgbench"


def _config() -> dict:
    import dj_database_url

    config = dj_database_url.parse(os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL))
    if config["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("the benchmark runs on PostgreSQL: set a postgres:// DATABASE_URL")
    if config["HOST"] not in ("127.0.0.1", "localhost", ""):
        sys.exit("the benchmark database must be on this machine")
    return config


def _connect(dbname: str):
    import psycopg

    config = _config()
    return psycopg.connect(
        dbname=dbname,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        autocommit=True,
    )


def create_db() -> None:
    from psycopg import sql

    name = _config()["NAME"]
    if "votestorm" not in name:
        sys.exit(f"refusing to drop {name}: the benchmark database name contains 'votestorm'")
    with _connect("postgres") as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        print(f"PostgreSQL {version}")
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        print(f"database {name} created (empty)")


def pgbench_table() -> None:
    with _connect(_config()["NAME"]) as conn:
        conn.execute(f"DROP TABLE IF EXISTS {PGBENCH_TABLE}")
        conn.execute(f"CREATE TABLE {PGBENCH_TABLE} (id bigserial PRIMARY KEY, k bigint UNIQUE)")


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
    import django

    django.setup()


def seed(*, voters: int, out: Path) -> None:
    _django()
    from django.db import transaction
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from maillon.accounts.models import ApiToken, User
    from maillon.associations.models import Association, Module, Statutes
    from maillon.governance.models import (
        Assembly,
        AssemblyKind,
        AssemblyMode,
        AssemblyStatus,
        PollKind,
        RollEntry,
    )
    from maillon.governance.polls import services as poll_services
    from maillon.members.models import Person, Role, RoleAssignment

    started = time.perf_counter()
    now = timezone.now()
    raw_tokens: list[str] = []
    with scopes_disabled(), transaction.atomic():
        association = Association.objects.create(
            name="Vote storm",
            slug=SLUG,
            purpose="Benchmark of the vote.",
            enabled_modules=[Module.MEMBERS.value, Module.GOVERNANCE.value],
        )
        Statutes.objects.get_or_create(association=association)
        admin = User.objects.create_user("president@votestorm.test", password=None)
        admin_person = Person.objects.create(
            association=association, user=admin, first_name="Prés", last_name="Idente"
        )
        RoleAssignment.objects.create(association=association, person=admin_person, role=Role.ADMIN)

        # Unusable passwords ("!"): the voters authenticate with their API token.
        users = User.objects.bulk_create(
            User(email=f"voter{n:05d}@votestorm.test", password="!", language="fr")
            for n in range(voters)
        )
        people = Person.objects.bulk_create(
            Person(
                association=association,
                user=user,
                first_name=f"Votant{n:05d}",
                last_name="Tempête",
                email=user.email,
            )
            for n, user in enumerate(users)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(association=association, person=person, role=Role.MEMBER)
            for person in people
        )
        tokens = []
        for user in users:
            raw, digest = ApiToken.generate()
            raw_tokens.append(raw)
            tokens.append(
                ApiToken(
                    user=user,
                    name="vote storm",
                    key_hash=digest,
                    key_hint=raw[:8],
                    last_used_at=now,
                )
            )
        ApiToken.objects.bulk_create(tokens, batch_size=1000)

        assembly = Assembly.objects.create(
            association=association,
            kind=AssemblyKind.ORDINARY,
            mode=AssemblyMode.ONLINE,
            title="Assemblée générale en ligne",
            starts_at=now,
            status=AssemblyStatus.OPEN,
            convened_at=now,
            opened_at=now,
            roll_reference_date=now.date(),
        )
        RollEntry.objects.bulk_create(
            RollEntry(association=association, assembly=assembly, person=person)
            for person in [admin_person, *people]
        )
    poll = poll_services.poll_create(
        association=association,
        actor=admin,
        assembly=assembly,
        title="Approbation des comptes",
        kind=PollKind.YES_NO,
        is_secret=True,
    )
    poll = poll_services.poll_open(association=association, actor=admin, poll=poll)

    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    out.mkdir(parents=True, exist_ok=True)
    (out / "tokens.txt").write_text("".join(f"{raw}\n" for raw in raw_tokens), encoding="ascii")
    (out / "meta.json").write_text(
        json.dumps({"slug": SLUG, "poll": poll.pk, "voters": voters}), encoding="utf-8"
    )
    print(
        f"{voters} voters with accounts and tokens, assembly {assembly.pk} in session, "
        f"open secret yes/no poll {poll.pk} ({time.perf_counter() - started:.1f} s)"
    )


def verify(*, meta: Path, receipts_file: Path) -> bool:
    _django()
    from django_scopes import scopes_disabled

    from maillon.core.models import IdempotencyKey
    from maillon.governance.models import Ballot, Participation

    poll_id = json.loads(meta.read_text(encoding="utf-8"))["poll"]
    acknowledged = [line.strip() for line in receipts_file.read_text().splitlines() if line.strip()]
    with scopes_disabled():
        ballots = set(Ballot.objects.filter(poll_id=poll_id).values_list("receipt", flat=True))
        participations = Participation.objects.filter(poll_id=poll_id).count()
        keys = IdempotencyKey.objects.filter(scope__startswith=f"poll:{poll_id}:").count()
    checks = {
        "acknowledged receipts are distinct": len(set(acknowledged)) == len(acknowledged),
        "ballots == acknowledged": len(ballots) == len(acknowledged),
        "participations == acknowledged": participations == len(acknowledged),
        "the stored receipts are the acknowledged ones": ballots == set(acknowledged),
        "one idempotency key per ballot": keys == len(acknowledged),
    }
    print(
        f"acknowledged {len(acknowledged)}, ballots {len(ballots)}, "
        f"participations {participations}, idempotency keys {keys}"
    )
    for name, ok in checks.items():
        print(f"  {'ok  ' if ok else 'FAIL'} {name}")
    return all(checks.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("create")
    sub.add_parser("pgbench-table")
    seed_parser = sub.add_parser("seed")
    seed_parser.add_argument("--voters", type=int, default=5000)
    seed_parser.add_argument("--out", type=Path, required=True)
    verify_parser = sub.add_parser("verify")
    verify_parser.add_argument("--meta", type=Path, required=True)
    verify_parser.add_argument("--receipts", type=Path, required=True)
    args = parser.parse_args()
    if args.command == "create":
        create_db()
    elif args.command == "pgbench-table":
        pgbench_table()
    elif args.command == "seed":
        seed(voters=args.voters, out=args.out)
    elif not verify(meta=args.meta, receipts_file=args.receipts):
        sys.exit("the counts do not match the acknowledged votes")


if __name__ == "__main__":
    main()
