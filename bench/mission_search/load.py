"""Concurrent HTTP load on the public mission search of a local Maillon (standard library only).

    python bench/mission_search/load.py --base http://127.0.0.1:8941 --concurrency 50 --duration 30
    python bench/mission_search/load.py ... --think 1.0 --jitter 0.5   # each client pauses

C client threads (anonymous visitors, no sign-in: the page is public) each keep one
HTTP connection and send searches to ``/missions/`` drawn from a realistic mix (see
``random_search``): words and phrases of the seeded vocabulary, with and without
accents, a few with no match, about 20 % without keywords; filters by department,
skill, cause, remote, date and association; pages 1 to 3; sorted by relevance or
date. Closed loop by default (a client sends its next search as soon as the answer
arrives); with ``--think`` each client waits think ± jitter seconds between searches,
as a person reading the results would. Prints count, errors (any status but 200),
requests per second, p50/p95/p99 latency, overall and per kind of search, the
slowest searches, the load average and the CPU time per request of the server
workers and the PostgreSQL backends.

Only 127.0.0.1 may be targeted: this is a benchmark, never a load test of
somebody else's server.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import http.client
import json
import os
import random
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit

SEARCH_PATH = "/missions/"
RESULTS_MARKER = b'id="results-title"'
TAXONOMY = Path(__file__).resolve().parents[2] / "maillon" / "taxonomy" / "data"

# What visitors type: words and phrases of seed_missions' vocabulary (families,
# places, schedules, skills and causes), often without accents, plus a few with no
# match. Frequent, broad words ("bénévole", "aide") are in the list on purpose.
SEARCH_TERMS = (
    "maraude", "aide aux devoirs", "aide aux devoirs", "collecte alimentaire",
    "jardin partagé", "jardin partage", "soutien scolaire", "festival", "réfugiés",
    "refugies", "cours de français", "ehpad", "personnes âgées", "personnes agees",
    "chiens", "refuge", "vélos", "repair café", "informatique", "numérique",
    "secourisme", "premiers secours", "comptabilité", "site web", "réseaux sociaux",
    "cuisine", "repas", "théâtre", "football", "rugby", "randonnée", "lecture",
    "permanence", "handicap", "environnement", "déchets", "traduction", "anglais",
    "emploi", "cv", "logement", "don du sang", "bénévole", "benevole", "week-end",
    "samedi", "soirée", "enfants", "lyon", "marseille", "paris", "nantes", "accompagnement",
    "animation", "épicerie solidaire", "banque alimentaire", "alphabétisation", "aide",
    "mercredi", "musique", "photographe", "affiches", "distribution", "tri", "compost",
    "vacances", "urgent", "animaux", "patrimoine", "sport", "seniors", "démarches",
    "juridique", "subventions", "sans abri", "maraude paris", "collecte lyon",
    "\"aide aux devoirs\"", "jardin -partagé", "astronomie", "plongée sous-marine",
)  # fmt: skip
POPULAR_DEPARTMENTS = ("75", "13", "69", "31", "59", "33", "44", "34", "67", "06", "93", "92")
DEPARTMENTS = tuple(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
)


def taxonomy_codes(name: str) -> tuple[str, ...]:
    with open(TAXONOMY / name, encoding="utf-8") as handle:
        return tuple(row["code"] for row in csv.DictReader(handle))


SKILLS = taxonomy_codes("skills.csv")
CAUSES = taxonomy_codes("causes.csv")

# Fixed searches, one per query shape: queries.py counts the SQL of each, and the
# load reports the same kinds (see ``kind``).
SHAPES = (
    ("browse, page 1", {}),
    ("browse, page 3", {"page": 3}),
    ("word, relevance", {"q": "maraude", "sort": "relevance"}),
    ("word, date", {"q": "maraude", "sort": "date"}),
    ("phrase, relevance, page 2", {"q": "aide aux devoirs", "sort": "relevance", "page": 2}),
    ("broad word, relevance", {"q": "bénévole", "sort": "relevance"}),
    ("broad word, date", {"q": "bénévole", "sort": "date"}),
    ("no match", {"q": "astronomie", "sort": "relevance"}),
    ("department 75", {"department": "75"}),
    ("department 48 (small)", {"department": "48"}),
    ("department + remote", {"department": "69", "remote": 1}),
    ("remote", {"remote": 1}),
    ("two skills", {"skill": ["tutoring", "it-support"]}),
    ("cause", {"cause": "food-aid"}),
    ("date", {"date": "+14"}),
    ("association", {"association": "bench-00042"}),
    ("word + department + skill", {"q": "jardin", "department": "75", "skill": ["gardening"]}),
    (
        "word + cause + date, relevance",
        {"q": "collecte", "cause": "food-aid", "date": "+30", "sort": "relevance"},
    ),
    (
        "rare combination",
        {"q": "chiens", "department": "48", "skill": ["driving"], "date": "+7", "remote": 1},
    ),
)


def resolve(query: dict, today: datetime.date) -> dict:
    """Relative dates ("+14") become dates: the data set is seeded relative to today."""
    return {
        key: (today + datetime.timedelta(days=int(value[1:])))
        if key == "date" and str(value).startswith("+")
        else value
        for key, value in query.items()
    }


def url_for(query: dict) -> str:
    return SEARCH_PATH + ("?" + urlencode(query, doseq=True) if query else "")


def random_search(rng: random.Random, today: datetime.date, associations: int) -> dict:
    """One visitor's search: keywords in ~80 %, each filter with its own probability."""
    query: dict = {}
    if rng.random() < 0.8:
        query["q"] = rng.choice(SEARCH_TERMS)
        query["sort"] = "relevance" if rng.random() < 0.5 else "date"
    elif rng.random() < 0.1:
        query["sort"] = "date"
    if rng.random() < 0.35:
        query["department"] = rng.choice(POPULAR_DEPARTMENTS if rng.random() < 0.6 else DEPARTMENTS)
    if rng.random() < 0.2:
        query["skill"] = rng.sample(SKILLS, k=1 if rng.random() < 0.7 else 2)
    if rng.random() < 0.2:
        query["cause"] = rng.choice(CAUSES)
    if rng.random() < 0.12:
        query["remote"] = 1
    if rng.random() < 0.1:
        query["date"] = today + datetime.timedelta(days=rng.randrange(0, 90))
    if rng.random() < 0.03:
        number = rng.randrange(0, associations)
        query["association"] = "bench-big" if number == 0 else f"bench-{number:05d}"
    draw = rng.random()
    if draw < 0.15:
        query["page"] = 2
    elif draw < 0.25:
        query["page"] = 3
    return query


def kinds(query: dict) -> list[str]:
    """The groups a search is reported in (one search counts in several)."""
    groups = []
    if "q" in query:
        groups.append(f"keywords, by {query.get('sort', 'date')}")
        if len(query["q"].split()) > 1:
            groups.append("keywords: several words")
    else:
        groups.append("no keywords")
    filters = [
        k for k in ("department", "skill", "cause", "remote", "date", "association") if k in query
    ]
    groups.append("no filter" if not filters else f"{len(filters)} filter(s)")
    groups.extend(f"filter {k}" for k in filters)
    groups.append(f"page {query.get('page', 1)}")
    return groups


class Session:
    """One HTTP connection (one per client thread), re-opened when the server closed it
    (gunicorn's sync workers close after each response)."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def get(self, path: str) -> tuple[int, bytes]:
        headers = {"Host": self.host}
        try:
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # reconnect once: the server may have closed a kept-alive socket
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request("GET", path, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()
        return response.status, data


def wait_until_up(host: str, port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", SEARCH_PATH, headers={"Host": host})
            conn.getresponse().read()
            return
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"nothing answers on {host}:{port} after {seconds:.0f} s")
            time.sleep(0.2)


def cpu_by_process(server_pid: int | None, db_name: str | None) -> dict[tuple[str, int], float]:
    """CPU time (user + system, seconds) used so far by each gunicorn worker (children of
    ``server_pid``) and each PostgreSQL backend connected to ``db_name``, keyed by
    ("app" or "db", pid); Linux /proc. Unlike throughput, CPU per request depends
    little on what else runs on a shared machine."""
    used: dict[tuple[str, int], float] = {}
    if not os.path.isdir("/proc") or (server_pid is None and db_name is None):
        return used
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                title = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # the process ended meanwhile
        seconds = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        if server_pid is not None and server_pid in (int(fields[1]), int(entry)):
            used["app", int(entry)] = seconds
        elif db_name and title.startswith("postgres: ") and f" {db_name} " in title:
            used["db", int(entry)] = seconds
    return used


class CpuSampler(threading.Thread):
    """Samples ``cpu_by_process`` every second during the measurement, so that a
    backend which ends before the end (a connection closed at CONN_MAX_AGE) still
    counts up to its last sample; short-lived parallel query workers are missed."""

    def __init__(self, server_pid: int | None, db_name: str | None):
        super().__init__(daemon=True)
        self.args = (server_pid, db_name)
        self.before = cpu_by_process(*self.args)
        self.latest = dict(self.before)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(1.0):
            self.latest.update(cpu_by_process(*self.args))

    def stop(self) -> dict[str, float]:
        self.done.set()
        self.join()
        self.latest.update(cpu_by_process(*self.args))
        totals = {"app": 0.0, "db": 0.0}
        for key, seconds in self.latest.items():
            totals[key[0]] += seconds - self.before.get(key, 0.0)
        return totals


def load_average() -> str:
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return "?"


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8941")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of measurement")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds, not measured")
    parser.add_argument(
        "--think", type=float, default=0.0, help="seconds a client waits between searches"
    )
    parser.add_argument("--jitter", type=float, default=0.5, help="think time ± this, seconds")
    parser.add_argument("--associations", type=int, default=1000, help="bench-* associations")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the mix")
    parser.add_argument("--max-requests", type=int, default=200_000, help="hard upper bound")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--wait", type=float, default=30.0, help="seconds to wait for the server")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--label", default="", help="a name for this run, in the JSON")
    parser.add_argument("--server-pid", type=int, help="gunicorn master: count its workers' CPU")
    parser.add_argument("--db-name", help="count the CPU of PostgreSQL backends of this database")
    args = parser.parse_args()

    url = urlsplit(args.base)
    if url.scheme != "http" or url.hostname != "127.0.0.1":
        sys.exit("load.py only targets http://127.0.0.1")
    if not 1 <= args.concurrency <= 200 or args.duration <= 0 or args.duration > 3600:
        sys.exit("concurrency must be 1-200 and duration 0-3600 s")
    if args.think < 0 or args.jitter < 0 or args.jitter > args.think > 0:
        sys.exit("think time must be >= 0 and the jitter at most the think time")
    host, port = url.hostname, url.port or 80
    today = datetime.date.today()

    wait_until_up(host, port, args.wait)
    probe = Session(host, port, args.timeout)
    for _, query in SHAPES:  # the page answers and every shape is valid
        status, body = probe.get(url_for(resolve(query, today)))
        if status != 200 or RESULTS_MARKER not in body:
            sys.exit(f"{url_for(query)} answered {status} without the results")
    status, body = probe.get(url_for({"q": "maraude"}))
    if body.count(b'<article class="card"') == 0:
        sys.exit("no result for 'maraude': is the data set seeded (manage.py seed_missions)?")

    lock = threading.Lock()
    # (query, seconds, status or 0 on a connection error, number of results)
    results: list[tuple[dict, float, int, int]] = []
    issued = 0
    start_measure = time.monotonic() + args.warmup
    stop_at = start_measure + args.duration

    def client(number: int) -> None:
        nonlocal issued
        rng = random.Random(args.seed * 1000 + number)  # noqa: S311 - a reproducible mix
        session = Session(host, port, args.timeout)
        if args.think:
            time.sleep(rng.random() * args.think)  # visitors do not arrive in step
        while True:
            now = time.monotonic()
            if now >= stop_at:
                return
            with lock:
                measuring = now >= start_measure
                if measuring:
                    if issued >= args.max_requests:
                        return
                    issued += 1
            query = random_search(rng, today, args.associations)
            began = time.perf_counter()
            try:
                status, body = session.get(url_for(query))
                found = body.count(b'<article class="card"')
            except (OSError, http.client.HTTPException):
                status, found = 0, 0
                session = Session(host, port, args.timeout)
            elapsed = time.perf_counter() - began
            if measuring:
                with lock:
                    results.append((query, elapsed, status, found))
            if args.think:
                pause = args.think + (2 * rng.random() - 1) * args.jitter
                time.sleep(max(0.0, min(pause, stop_at - time.monotonic())))

    load_before = load_average()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.concurrency)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, start_measure - time.monotonic()))
    sampler = CpuSampler(args.server_pid, args.db_name)
    sampler.start()
    own_cpu = time.process_time()
    for thread in threads:
        thread.join()
    cpu_used = sampler.stop()
    cpu_used["load tool"] = time.process_time() - own_cpu  # this process, same cores
    load_after = load_average()
    measured = min(args.duration, time.monotonic() - start_measure)
    cpu_ms = {
        part: round(1000 * seconds / max(1, len(results)), 1) for part, seconds in cpu_used.items()
    }

    statuses = Counter(status for _, _, status, _ in results)
    errors = sum(count for status, count in statuses.items() if status != 200)
    latencies = sorted(seconds for _, seconds, _, _ in results)
    by_kind: dict[str, list[float]] = defaultdict(list)
    for query, seconds, _, _ in results:
        for kind in kinds(query):
            by_kind[kind].append(seconds)
    empty = sum(1 for _, _, status, found in results if status == 200 and found == 0)
    slowest = sorted(results, key=lambda r: r[1], reverse=True)[:10]
    mode = (
        f"think time {args.think:g} s ± {args.jitter:g} s"
        if args.think
        else "closed loop, no think time"
    )
    summary = {
        "label": args.label,
        "target": f"{args.base}{SEARCH_PATH}",
        "mode": mode,
        "concurrency": args.concurrency,
        "duration_s": round(measured, 1),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "requests": len(results),
        "errors": errors,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "pages_without_results": empty,
        "req_per_s": round(len(results) / measured, 1) if measured else 0,
        "p50_ms": ms(percentile(latencies, 0.50)),
        "p95_ms": ms(percentile(latencies, 0.95)),
        "p99_ms": ms(percentile(latencies, 0.99)),
        "max_ms": ms(latencies[-1]) if latencies else None,
        "cpu_ms_per_request": cpu_ms,
        "kinds": {
            name: {
                "requests": len(values),
                "p50_ms": ms(percentile(sorted(values), 0.50)),
                "p95_ms": ms(percentile(sorted(values), 0.95)),
            }
            for name, values in sorted(by_kind.items(), key=lambda item: -len(item[1]))
        },
        "slowest": [
            {"ms": ms(seconds), "status": status, "results": found, "url": url_for(query)}
            for query, seconds, status, found in slowest
        ],
    }

    print(f"target      {summary['target']}  ({mode})")
    print(
        f"clients     {args.concurrency}, {measured:.1f} s measured, {args.warmup:.0f} s warm-up; "
        f"load average before {load_before}, after {load_after}"
    )
    print(
        f"requests    {summary['requests']}  errors {errors}  statuses {summary['statuses']}  "
        f"pages without results {empty}"
    )
    print(f"throughput  {summary['req_per_s']} req/s")
    print(
        f"latency     p50 {summary['p50_ms']} ms  p95 {summary['p95_ms']} ms  "
        f"p99 {summary['p99_ms']} ms  max {summary['max_ms']} ms"
    )
    if args.server_pid or args.db_name:
        print(
            f"CPU/request app {cpu_ms['app']} ms  PostgreSQL {cpu_ms['db']} ms  "
            f"(load tool {cpu_ms['load tool']} ms)"
        )
    print("per kind of search (requests, p50, p95 in ms; a search counts in several kinds):")
    for name, figures in summary["kinds"].items():
        print(f"  {name:<28}{figures['requests']:>6}{figures['p50_ms']:>9}{figures['p95_ms']:>9}")
    print("slowest searches:")
    for row in summary["slowest"][:5]:
        print(f"  {row['ms']:>8} ms  {row['results']:>2} results  {row['url']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=2, default=str)
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
