"""Database side of the member-list benchmark.

    python bench/member_list/queries.py ensure-db      # create DATABASE_URL's database if missing
    python bench/member_list/queries.py count          # queries per page, in-process
    python bench/member_list/queries.py count --explain  # ... and EXPLAIN ANALYZE of each
    python bench/member_list/queries.py last-page      # the register's last page (for load.py)

``count`` renders the member list with Django's test client (signed in as the bench
account) under CaptureQueriesContext and prints, for each scenario of load.py, the
number of queries, their total database time and the whole render time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent), str(HERE)]

from load import SCENARIOS, build_paths, page_count  # noqa: E402
from pgdb import ensure_db  # noqa: E402


def last_page(slug: str, per_page: int = 50) -> int:
    """The last page of the current register, counted in full (the page itself no
    longer counts beyond 10,000 people)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
    import django

    django.setup()
    from django_scopes import scopes_disabled

    from maillon.members.models import Person

    with scopes_disabled():
        count = Person.objects.filter(association__slug=slug, left_on__isnull=True).count()
    return max(1, -(-count // per_page))


def count_queries(*, slug: str, email: str, explain: bool, verbose: bool) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from maillon.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=email))
    list_path = f"/a/{slug}/members/"
    first = client.get(list_path)
    if first.status_code != 200:
        sys.exit(f"{list_path} answered {first.status_code}")
    paths = build_paths(list_path, last_page(slug) or page_count(first.content.decode()))

    print(f"{'scenario':<22}{'queries':>8}{'SQL ms':>9}{'total ms':>10}")
    for (name, path, htmx), _ in zip(paths, SCENARIOS, strict=True):
        headers = {"HX-Request": "true"} if htmx else {}
        client.get(path, headers=headers)  # warm caches: measure the steady state
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(path, headers=headers)
            total = (time.perf_counter() - began) * 1000
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        status = "" if response.status_code == 200 else f"  (status {response.status_code})"
        print(f"{name:<22}{len(captured):>8}{sql_ms:>9.1f}{total:>10.1f}{status}")
        if verbose or explain:
            for query in captured.captured_queries:
                print(f"    {float(query['time']) * 1000:7.1f} ms  {query['sql'][:160]}")
        if explain and connection.vendor == "postgresql":
            for query in captured.captured_queries:
                if "members_" not in query["sql"] or not query["sql"].startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    plan = "\n".join("      " + row[0] for row in cursor.fetchall())
                print(f"    --- {query['sql'][:100]}...\n{plan}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("ensure-db", "count", "last-page"))
    parser.add_argument("--slug", default="bench-big")
    parser.add_argument("--email", default="bench@maillon.test")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each query")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every query")
    args = parser.parse_args()
    if args.action == "ensure-db":
        ensure_db()
    elif args.action == "last-page":
        print(last_page(args.slug))
    else:
        count_queries(slug=args.slug, email=args.email, explain=args.explain, verbose=args.verbose)


if __name__ == "__main__":
    main()
