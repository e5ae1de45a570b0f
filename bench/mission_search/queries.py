"""Database side of the mission search benchmark.

    python bench/mission_search/queries.py ensure-db            # create DATABASE_URL's database
    python bench/mission_search/queries.py count --json c.json  # queries per page, in-process
    python bench/mission_search/queries.py count --explain      # ... and EXPLAIN (ANALYZE, BUFFERS)
    python bench/mission_search/queries.py compare small.json big.json   # same counts?
    python bench/mission_search/queries.py median run1.json run2.json ... # load runs

``count`` renders /missions/ with Django's test client (anonymous, like a visitor)
under CaptureQueriesContext and prints, for each query shape of load.py, the number
of queries, their total database time and the whole render time. ``compare`` checks
that two such counts (e.g. 10,000 and 100,000 missions) are the same shape by shape.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent.parent), str(HERE.parent), str(HERE)]

from load import SHAPES, resolve, url_for  # noqa: E402
from pgdb import ensure_db  # noqa: E402


def count_queries(*, explain: bool, verbose: bool, json_path: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_scopes import scopes_disabled

    from maillon.volunteering.models import Mission, MissionStatus

    with scopes_disabled():
        missions = Mission.objects.count()
        public = Mission.objects.filter(status=MissionStatus.PUBLISHED, audience="public").count()
    print(f"{missions:,} missions, {public:,} published and public ({connection.vendor})")

    client = Client(HTTP_HOST="127.0.0.1")
    today = datetime.date.today()
    counts = {}
    print(f"{'shape':<34}{'queries':>8}{'results':>8}{'SQL ms':>9}{'total ms':>10}")
    for name, query in SHAPES:
        path = url_for(resolve(query, today))
        client.get(path)  # warm the in-memory reference lists: measure the steady state
        # ... but not the page cache of anonymous visitors: this counts a search that
        # reaches the database (a cache hit runs no query at all).
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            response = client.get(path)
            total = (time.perf_counter() - began) * 1000
        sql_ms = sum(float(q["time"]) for q in captured.captured_queries) * 1000
        found = response.content.count(b'<article class="card"')
        status = "" if response.status_code == 200 else f"  (status {response.status_code})"
        print(f"{name:<34}{len(captured):>8}{found:>8}{sql_ms:>9.1f}{total:>10.1f}{status}")
        counts[name] = {"queries": len(captured), "results": found, "sql_ms": round(sql_ms, 1)}
        if verbose or explain:
            for q in captured.captured_queries:
                print(f"    {float(q['time']) * 1000:7.1f} ms  {q['sql'][:160]}")
        if explain and connection.vendor == "postgresql":
            for q in captured.captured_queries:
                if "volunteering_mission" not in q["sql"] or not q["sql"].startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + q["sql"])
                    plan = "\n".join("      " + row[0] for row in cursor.fetchall())
                print(f"    --- {path}\n    {q['sql']}\n{plan}")
    if json_path:
        with open(json_path, "w", encoding="utf-8") as handle:
            json.dump({"missions": missions, "public": public, "shapes": counts}, handle, indent=2)


def compare(small_path: str, big_path: str) -> None:
    small, big = (json.loads(Path(p).read_text(encoding="utf-8")) for p in (small_path, big_path))
    print(f"{'shape':<34}{small['missions']:>10,}{big['missions']:>10,}  missions")
    same = True
    for name, figures in big["shapes"].items():
        before = small["shapes"].get(name, {}).get("queries")
        mark = "" if before == figures["queries"] else "   <-- differs"
        same = same and not mark
        print(f"{name:<34}{before!s:>10}{figures['queries']:>10}{mark}")
    print("queries per page: constant" if same else "queries per page: NOT constant")
    if not same:
        sys.exit(1)


def median(paths: list[str]) -> None:
    runs = [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]
    print(
        f"{'run':<22}{'load avg':>16}{'req/s':>8}{'p50':>8}{'p95':>8}{'p99':>8}{'errors':>8}"
        "  CPU/req"
    )
    for path, run in zip(paths, runs, strict=True):
        cpu = run["cpu_ms_per_request"]
        print(
            f"{Path(path).stem:<22}{run['load_average_before']:>16}{run['req_per_s']:>8}"
            f"{run['p50_ms']:>8}{run['p95_ms']:>8}{run['p99_ms']:>8}{run['errors']:>8}  "
            f"{cpu['app']} + {cpu['db']} ms"
        )
    keys = ("req_per_s", "p50_ms", "p95_ms", "p99_ms")
    figures = {k: round(statistics.median(r[k] for r in runs), 1) for k in keys}
    app = round(statistics.median(r["cpu_ms_per_request"]["app"] for r in runs), 1)
    db = round(statistics.median(r["cpu_ms_per_request"]["db"] for r in runs), 1)
    print(
        f"{'median':<22}{'':>16}{figures['req_per_s']:>8}{figures['p50_ms']:>8}"
        f"{figures['p95_ms']:>8}{figures['p99_ms']:>8}{'':>8}  {app} + {db} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("action", choices=("ensure-db", "count", "compare", "median"))
    parser.add_argument("files", nargs="*", help="JSON files for compare / median")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each query")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every query")
    parser.add_argument("--json", help="count: also write the counts there")
    args = parser.parse_args()
    if args.action == "ensure-db":
        ensure_db()
    elif args.action == "count":
        count_queries(explain=args.explain, verbose=args.verbose, json_path=args.json)
    elif args.action == "compare":
        if len(args.files) != 2:
            sys.exit("compare needs two JSON files written by count --json")
        compare(*args.files)
    else:
        if not args.files:
            sys.exit("median needs the JSON files written by load.py --json")
        median(args.files)


if __name__ == "__main__":
    main()
