"""Network member-table benchmark (issue 12): one network with MEMBERS member
associations sharing every data family, each with people, fees, a general assembly
roll, volunteer hours, a completed diagnostic and plan actions; then the table page,
a filtered page and the CSV export timed in process (test client, no network hop),
and the queries per page counted at MEMBERS / 2 and MEMBERS.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/maillon_bench_network \\
        .venv/bin/python bench/network/run.py            # MEMBERS=2000 REQUESTS=60

The data set is made once (network slug ``bench-network``) and reused; ``--reset``
drops it first."""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
os.environ.setdefault("MAILLON_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("MAILLON_VAR_DIR", "/tmp/maillon-bench-network-var")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/maillon_bench_network")
os.environ.setdefault("LOG_LEVEL", "ERROR")

MEMBERS = int(os.environ.get("MEMBERS", "2000"))
REQUESTS = int(os.environ.get("REQUESTS", "60"))
SLUG = "bench-network"


def ensure_database() -> None:
    if os.environ["DATABASE_URL"].startswith("postgres"):
        from pgdb import ensure_db

        ensure_db()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)


def load(count: int, start: int) -> None:
    """``count`` member associations, every family shared, figures in each."""
    from django.utils import timezone
    from django_scopes import scopes_disabled

    from maillon.associations.models import Association
    from maillon.governance.models import Assembly, RollEntry
    from maillon.members.models import MembershipPeriod, Person
    from maillon.network.models import DataFamily, Network, NetworkMembership
    from maillon.strategy.models import Action, Diagnostic
    from maillon.taxonomy.models import Department

    network = Network.objects.get(slug=SLUG)
    now = timezone.now()
    today = timezone.localdate()
    departments = list(Department.objects.all()[:20])
    with scopes_disabled():
        associations = Association.objects.bulk_create(
            Association(
                name=f"Club membre {start + n:05d}",
                slug=f"bench-net-{start + n}",
                city="Rennes",
                department=departments[n % len(departments)],
                size_band=["none", "1-2", "3-9"][n % 3],
            )
            for n in range(count)
        )
        NetworkMembership.objects.bulk_create(
            NetworkMembership(
                association=a,
                network=network,
                status="active",
                shared_families=list(DataFamily.values),
                joined_at=now,
            )
            for a in associations
        )
        people = Person.objects.bulk_create(
            Person(association=a, first_name="Membre", last_name=str(i),
                   joined_on=datetime.date(2020, 1, 1))
            for a in associations
            for i in range(10)
        )  # fmt: skip
        MembershipPeriod.objects.bulk_create(
            MembershipPeriod(association_id=p.association_id, person=p, fee_paid=True,
                             start=today.replace(month=1, day=1),
                             end=today.replace(month=12, day=31), amount=20, method="cheque")
            for p in people[::2]
        )  # fmt: skip
        assemblies = Assembly.objects.bulk_create(
            Assembly(association=a, title="AG", kind="ordinary", mode="in_person",
                     status="closed", starts_at=now - datetime.timedelta(days=90))
            for a in associations
        )  # fmt: skip
        by_association = {a.association_id: a for a in assemblies}
        RollEntry.objects.bulk_create(
            RollEntry(association_id=p.association_id, assembly=by_association[p.association_id],
                      person=p, may_vote=True, weight=1)
            for p in people
        )  # fmt: skip
        Diagnostic.objects.bulk_create(
            Diagnostic(association=a, questionnaire_version=1, status="completed",
                       completed_at=now - datetime.timedelta(days=20 * (i % 30)),
                       scores={"overall": 15 + i % 80})
            for i, a in enumerate(associations)
        )  # fmt: skip
        Action.objects.bulk_create(
            Action(association=a, title=f"Action {k}", status="done" if k % 2 else "planned")
            for a in associations
            for k in range(3)
        )


def ensure_data(reset: bool) -> None:
    from django.contrib.auth import get_user_model
    from django_scopes import scopes_disabled

    from maillon.associations.models import Association
    from maillon.network.models import Network, NetworkRole

    if reset:
        with scopes_disabled():
            Association.objects.filter(slug__startswith="bench-net-").delete()
        Network.objects.filter(slug=SLUG).delete()
    network, created = Network.objects.get_or_create(
        slug=SLUG, defaults={"name": "Réseau de mesure", "kind": "federation", "status": "active"}
    )
    user, _ = get_user_model().objects.get_or_create(email="bench-network@maillon.test")
    NetworkRole.objects.get_or_create(network=network, user=user, defaults={"role": "head"})
    have = _member_count()
    if have < MEMBERS // 2:
        print(f"loading {MEMBERS // 2 - have} member associations…", flush=True)
        load(MEMBERS // 2 - have, have)


def _member_count() -> int:
    from django_scopes import scopes_disabled

    from maillon.network.models import NetworkMembership

    with scopes_disabled():
        return NetworkMembership.objects.filter(network__slug=SLUG).count()


def top_up() -> None:
    have = _member_count()
    if have < MEMBERS:
        print(f"loading {MEMBERS - have} member associations…", flush=True)
        load(MEMBERS - have, have)


PAGES = {
    "table, page 1": "/n/{slug}/",
    "table, page 15": "/n/{slug}/?page=15",
    "table, level filter + stale diagnostics": "/n/{slug}/?level=en_progres&stale_diagnostic=on",
}


def client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    c = Client(secure=True)  # production settings: HTTPS cookies
    c.force_login(get_user_model().objects.get(email="bench-network@maillon.test"))
    return c


def count_queries() -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client()
    counts = {}
    for name, url in {**PAGES, "CSV export": "/n/{slug}/members/export.csv"}.items():
        with CaptureQueriesContext(connection) as queries:
            _get(c, url.format(slug=SLUG))
        counts[name] = len(queries)
    return counts


def _load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def _get(c, url: str) -> None:
    response = c.get(url)
    assert response.status_code == 200
    if response.streaming:  # the CSV is streamed: read it to the end
        b"".join(response.streaming_content)


def timings() -> None:
    """Wall time (perf_counter) and the CPU time of this process (process_time: the
    Python side of the request, not PostgreSQL's) per request; on a shared machine
    the CPU time is the figure that does not depend on the other processes."""
    c = client()
    for name, url in PAGES.items():
        url = url.format(slug=SLUG)
        for _warm in range(3):
            _get(c, url)
        samples, cpu = [], []
        for _n in range(REQUESTS):
            begin, begin_cpu = time.perf_counter(), time.process_time()
            _get(c, url)
            samples.append((time.perf_counter() - begin) * 1000)
            cpu.append((time.process_time() - begin_cpu) * 1000)
        samples.sort()
        p95 = samples[int(0.95 * (len(samples) - 1))]
        print(
            f"  {name:42} p50 {statistics.median(samples):6.1f} ms   p95 {p95:6.1f} ms"
            f"   CPU/request {statistics.median(cpu):5.1f} ms   load {_load_average()}"
        )
    url = f"/n/{SLUG}/members/export.csv"
    _get(c, url)
    begin, begin_cpu = time.perf_counter(), time.process_time()
    _get(c, url)
    elapsed = 1000 * (time.perf_counter() - begin)
    cpu_ms = 1000 * (time.process_time() - begin_cpu)
    print(
        f"  {'CSV export (one request, every member)':42} {elapsed:6.1f} ms"
        f"   CPU {cpu_ms:5.1f} ms   load {_load_average()}"
    )


def analyze() -> None:
    """Fresh planner statistics after a bulk load (autovacuum may be off, as on the
    shared development server; production's autovacuum analyses these tables)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    import django

    django.setup()
    from django.db import connection

    print(time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "·", connection.vendor)
    print("load average:", _load_average(), "cores:", os.cpu_count())
    ensure_database()
    ensure_data("--reset" in sys.argv)
    at_half = count_queries()
    top_up()
    analyze()
    at_full = count_queries()
    print(f"queries per page at {MEMBERS // 2} and {MEMBERS} members:")
    for name in at_full:
        same = "constant" if at_half[name] == at_full[name] else "GROWS"
        print(f"  {name:42} {at_half[name]:3} → {at_full[name]:3}  {same}")
    print(f"timings over {REQUESTS} requests, {MEMBERS} members, every indicator shared:")
    timings()


if __name__ == "__main__":
    main()
