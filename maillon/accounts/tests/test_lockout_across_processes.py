"""The login lockout counts across processes: two web processes sharing the
database cache (what production uses without Redis) allow five failed logins for an
account and twenty from one address in all, not five or twenty each.

The processes are real ones (``login_worker``), started together against the test
database: on PostgreSQL the test database itself, on SQLite a file copy of it."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from maillon.accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

PASSWORD = "correct horse battery"  # the factories' password
SHARED_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maillon_cache",
    }
}


@pytest.fixture
def shared_database(tmp_path) -> str:
    """A DATABASE_URL other processes can open, holding this test's committed rows
    and the cache table."""
    with override_settings(CACHES=SHARED_CACHE):
        call_command("createcachetable", verbosity=0)
        cache.clear()  # on PostgreSQL the table outlives a test: no count left over
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        # As the embedded database is from its first migration (settings' init_command):
        # in WAL. A rollback-journal copy would have both processes race to convert it,
        # and the loser of that race answers 503 ("database is locked").
        target.execute("PRAGMA journal_mode=WAL")
        target.close()
        return f"sqlite:///{path}"
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        return f"postgres://{s['USER']}{password}@{s['HOST']}:{s['PORT'] or 5432}/{s['NAME']}"
    pytest.fail(f"no multi-process test for {connection.vendor}")


def run_in_two_processes(database_url: str, tmp_path: Path, jobs: list[list[tuple[str, str]]]):
    """Start one login_worker per list of (email, password) attempts, all at the same
    moment; what each attempt met, per process."""
    start_file = tmp_path / "go"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "maillon.accounts.tests.shared_cache_settings",
        "MAILLON_VAR_DIR": str(tmp_path / "var"),
    }
    processes = [
        subprocess.Popen(  # noqa: S603 - our own module, with our own arguments
            [sys.executable, "-m", "maillon.accounts.tests.login_worker", str(start_file)]
            + [json.dumps(attempts)],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for attempts in jobs
    ]
    start_file.touch()
    results, logs = [], []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
        logs.append(err)
    if any(o.startswith("error") for outcomes in results for o in outcomes):
        pytest.fail(f"a worker answered an error: {results}\n" + "\n".join(logs))
    return results


@pytest.fixture
def target(transactional_db):
    return UserFactory(email="cible@example.org")


@pytest.fixture
def shared(target, shared_database):
    """The database shared once the target account exists."""
    return shared_database


def test_the_account_limit_holds_across_two_processes(tmp_path, target, shared):
    wrong = [(target.email, "wrong")] * 5
    first, second = run_in_two_processes(shared, tmp_path, [wrong, wrong])
    outcomes = first + second
    assert outcomes.count("refused") == 5  # five failures counted in all, not five each
    assert outcomes.count("locked") == 5

    # Locked on every process: even the right password is refused now.
    (after,) = run_in_two_processes(shared, tmp_path, [[(target.email, PASSWORD)]])
    assert after == ["locked"]


def test_the_address_limit_holds_across_two_processes(tmp_path, shared_database):
    shared = shared_database
    # Twenty failures from one address per five minutes, whatever the account.
    first, second = run_in_two_processes(
        shared,
        tmp_path,
        [
            [(f"inconnu-{process}-{n}@example.org", "wrong") for n in range(15)]
            for process in ("a", "b")
        ],
    )
    outcomes = first + second
    assert outcomes.count("refused") == 20
    assert outcomes.count("locked") == 10
