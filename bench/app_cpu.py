"""Application CPU per request, in one process (no HTTP server, no load tool).

    python bench/app_cpu.py member-list --requests 300
    python bench/app_cpu.py mission-search --requests 500
    python bench/app_cpu.py member-list --profile 40     # cProfile: the 40 costliest functions
    python bench/app_cpu.py vote --seed-dir DIR --requests 1000 --skip 0

``vote`` replays the vote storm's API votes (``POST .../polls/<id>/ballots``, one token
and a fresh ``Idempotency-Key`` each) against a database seeded by
``bench/vote_storm/db.py seed --out DIR``; each voter votes once, so consecutive runs
take other voters with ``--skip`` (seed more voters than all runs use).

Calls Django's WSGI handler directly with the request a browser would send (the
session cookie of ``bench@maillon.test`` for the member list; an anonymous visitor
for the mission search) and measures ``time.process_time()`` around each call: the
CPU the application spends on a request, whatever else runs on the machine (unlike
latency or throughput on shared cores). The mix is the load tool's: the 13 scenarios
of ``bench/member_list/load.py`` in rotation, or ``random_search`` of
``bench/mission_search/load.py`` (seeded, so two runs send the same searches).

Run it with the benchmark's settings (``MAILLON_DEBUG=0``, the PostgreSQL
``DATABASE_URL``), as ``run.sh`` sets them. The first pass over the mix warms the
process (templates, reference lists) and is not measured.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime
import io
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent)]


def _environ(path: str, *, cookie: str = "", htmx: bool = False) -> dict:
    from wsgiref.util import setup_testing_defaults

    parts = urlsplit(path)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "HTTP_HOST": "127.0.0.1",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_ACCEPT": "text/html",
        "HTTP_ACCEPT_LANGUAGE": "fr",
        "REMOTE_ADDR": "127.0.0.1",
    }
    if cookie:
        environ["HTTP_COOKIE"] = cookie
    if htmx:
        environ["HTTP_HX_REQUEST"] = "true"
    setup_testing_defaults(environ)
    return environ


def member_list_requests(slug: str, email: str) -> tuple[list[tuple[str, str, bool]], str]:
    sys.path.insert(0, str(HERE / "member_list"))
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string
    from load import build_paths
    from queries import last_page

    from maillon.accounts.models import User

    user = User.objects.get(email=email)
    store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
    paths = build_paths(f"/a/{slug}/members/", last_page(slug))
    return [(name, path, htmx) for (name, path, htmx) in paths], cookie


def mission_search_requests(count: int, seed: int) -> list[tuple[str, str, bool]]:
    sys.path.insert(0, str(HERE / "mission_search"))
    from load import kinds, random_search, url_for

    rng = random.Random(seed)
    today = datetime.date.today()
    requests = []
    for _ in range(count):
        query = random_search(rng, today, 1000)
        requests.append((kinds(query)[0], url_for(query), False))
    return requests


def vote_requests(seed_dir: str, skip: int, count: int) -> tuple[list[dict], list[dict]]:
    """(warm-up, measured) WSGI environs of API votes, the load tool's requests."""
    import json
    import uuid

    meta = json.loads(Path(seed_dir, "meta.json").read_text())
    tokens = Path(seed_dir, "tokens.txt").read_text().split()
    wanted = tokens[skip : skip + count + 50]
    if len(wanted) < count + 50:
        sys.exit(f"{len(tokens)} voters seeded: not enough for --skip {skip} + {count} + 50")
    path = f"/api/v1/associations/{meta['slug']}/polls/{meta['poll']}/ballots"
    environs = []
    for number, token in enumerate(wanted):
        body = json.dumps({"choice": ("yes", "no", "abstain")[number % 3], "on_behalf_of": None})
        environ = _environ(path)
        environ.update(
            {
                "REQUEST_METHOD": "POST",
                "CONTENT_TYPE": "application/json",
                "CONTENT_LENGTH": str(len(body)),
                "HTTP_AUTHORIZATION": f"Bearer {token}",
                "HTTP_IDEMPOTENCY_KEY": uuid.uuid4().hex,
                "HTTP_ACCEPT": "*/*",
                "_body": body.encode(),
            }
        )
        environs.append(environ)
    return environs[:50], environs[50:]


def load_average() -> str:
    with open("/proc/loadavg") as handle:
        return " ".join(handle.read().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=("member-list", "mission-search", "vote"))
    parser.add_argument("--requests", type=int, default=300, help="measured requests")
    parser.add_argument("--slug", default="bench-big")
    parser.add_argument("--email", default="bench@maillon.test")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key")
    parser.add_argument("--dump", help="with --profile: also write the raw profile to this file")
    parser.add_argument("--per-scenario", action="store_true")
    parser.add_argument("--seed-dir", help="vote: the directory of db.py seed --out")
    parser.add_argument("--skip", type=int, default=0, help="vote: voters already used")
    parser.add_argument(
        "--keep-cache", action="store_true", help="do not empty the cache before measuring"
    )
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillon.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    print(
        f"DEBUG={settings.DEBUG} database={settings.DATABASES['default']['NAME']} "
        f"cache={settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]} "
        f"load average {load_average()}"
    )
    handler = WSGIHandler()
    cookie = ""
    if args.target == "vote":
        votes = vote_requests(args.seed_dir, args.skip, args.requests)
    if args.target == "member-list":
        mix, cookie = member_list_requests(args.slug, args.email)
        warm = list(mix)
        requests = [mix[i % len(mix)] for i in range(args.requests)]
    elif args.target == "mission-search":
        warm = mission_search_requests(50, seed=args.seed + 1000)
        requests = mission_search_requests(args.requests, seed=args.seed)

    else:
        warm = [("vote", environ, False) for environ in votes[0]]
        requests = [("vote", environ, False) for environ in votes[1]]

    def call(path: str | dict, htmx: bool) -> str:
        status = []
        if isinstance(path, dict):  # a vote: its environ, with a fresh body stream
            environ = dict(path)
            environ["wsgi.input"] = io.BytesIO(environ.pop("_body"))
        else:
            environ = _environ(path, cookie=cookie, htmx=htmx)
        body = handler(environ, lambda s, h: status.append(s))
        try:
            for _chunk in body:
                pass
        finally:
            if hasattr(body, "close"):
                body.close()
        return status[0]

    for _name, path, htmx in warm:
        status = call(path, htmx)
        if not status.startswith(("200", "201")):
            sys.exit(f"{path} answered {status}")

    if not args.keep_cache:
        from django.core.cache import cache

        cache.clear()  # a previous run's pages would be hits (the search keeps them 60 s)
    profiler = cProfile.Profile(time.process_time) if args.profile else None
    cpu: dict[str, list[float]] = {}
    total_cpu = time.process_time()
    total_wall = time.perf_counter()
    if profiler:
        profiler.enable()
    for name, path, htmx in requests:
        began = time.process_time()
        call(path, htmx)
        cpu.setdefault(name, []).append(time.process_time() - began)
    if profiler:
        profiler.disable()
    total_cpu = time.process_time() - total_cpu
    total_wall = time.perf_counter() - total_wall
    every = [value for values in cpu.values() for value in values]
    print(
        f"{args.target}: {len(every)} requests, app CPU per request "
        f"mean {total_cpu / len(every) * 1000:.2f} ms, median "
        f"{statistics.median(every) * 1000:.2f} ms (wall {total_wall / len(every) * 1000:.2f} ms"
        f" incl. SQL), load average {load_average()}"
    )
    if args.per_scenario:
        for name, values in cpu.items():
            print(f"  {name:<24}{len(values):>5}{statistics.mean(values) * 1000:>8.2f} ms")
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(args.sort).print_stats(args.profile)
        print(out.getvalue())
        if args.dump:
            profiler.dump_stats(args.dump)


if __name__ == "__main__":
    main()
