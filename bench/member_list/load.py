"""Concurrent HTTP load on the member list of a local Maillon (standard library only).

    python bench/member_list/load.py --base http://127.0.0.1:8765 --concurrency 10 --duration 30

Signs in through the allauth login form (CSRF token included), checks that the
member list answers, then C client threads request a fixed mix of list pages
(first, middle and deep pages, search, role and fee filters, htmx partials) until
the duration or the request budget runs out. Prints count, errors, requests per
second and p50/p95/p99 latency, overall and per scenario.

Only 127.0.0.1 may be targeted: this is a benchmark, never a load test of
somebody else's server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

# (name, query string, htmx?) — what the member-list screen sends.
SCENARIOS = (
    ("page 1", {}, False),
    ("page 2", {"page": 2}, False),
    ("page 100", {"page": 100}, False),
    ("last page", {"page": "last"}, False),
    ("search name", {"q": "martin"}, True),
    ("search 2 words", {"q": "camille dupont"}, True),
    ("search + page 3", {"q": "bernard", "page": 3}, False),
    ("role volunteer", {"role": "volunteer"}, False),
    ("role board", {"role": "board"}, False),
    ("up to date", {"up_to_date": "yes"}, False),
    ("not up to date p10", {"up_to_date": "no", "page": 10}, False),
    ("joined 2024", {"joined_year": 2024}, False),
    ("all statuses", {"status": "all", "page": 5}, False),
)


class Session:
    """One keep-alive connection with the session cookie (one per client thread)."""

    def __init__(self, host: str, port: int, cookies: dict[str, str], timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.cookies = dict(cookies)
        self.conn = http.client.HTTPConnection(host, port, timeout=timeout)

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = {"Host": self.host, **(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # reconnect once: the server may have closed a kept-alive socket
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, data


def sign_in(host: str, port: int, email: str, password: str, timeout: float) -> dict[str, str]:
    session = Session(host, port, {}, timeout)
    status, _, body = session.request("GET", "/accounts/login/")
    if status != 200:
        sys.exit(f"login page answered {status}")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if token is None:
        sys.exit("no CSRF token on the login page")
    form = urlencode(
        {"login": email, "password": password, "csrfmiddlewaretoken": token.group(1).decode()}
    )
    status, headers, _ = session.request("POST", "/accounts/login/", body=form)
    if status != 302 or "sessionid" not in session.cookies:
        sys.exit(
            f"sign-in failed for {email} (status {status}, location {headers.get('Location')})"
        )
    return session.cookies


def wait_until_up(host: str, port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            conn = http.client.HTTPConnection(host, port, timeout=2)
            conn.request("GET", "/accounts/login/", headers={"Host": host})
            conn.getresponse().read()
            return
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"nothing answers on {host}:{port} after {seconds:.0f} s")
            time.sleep(0.2)


def cpu_seconds(server_pid: int | None, db_name: str | None) -> dict[str, float]:
    """CPU time (user + system) used so far by the server's worker processes and by
    the PostgreSQL backends connected to ``db_name`` (Linux /proc; parallel query
    workers are short-lived and not counted). Unlike throughput, CPU per request does
    not depend on what else runs on a shared machine."""
    totals = {"app": 0.0, "db": 0.0}
    if not os.path.isdir("/proc") or (server_pid is None and db_name is None):
        return totals
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
        used = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
        if server_pid is not None and int(fields[1]) == server_pid:
            totals["app"] += used
        elif db_name and title.startswith("postgres: ") and f" {db_name} " in title:
            totals["db"] += used
    return totals


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def page_count(html: str) -> int:
    """The total in the pagination's "Page 1 of N" (any language, any digit grouping)."""
    current = re.search(r'aria-current="page">([^<]*)</li>', html)
    if current is None:
        return 1
    text = re.sub(r"(?<=\d)[\s\u00a0\u202f.,]+(?=\d)", "", current.group(1))
    return int(re.findall(r"\d+", text)[-1])


def build_paths(list_path: str, last_page: int) -> list[tuple[str, str, bool]]:
    paths = []
    for name, query, htmx in SCENARIOS:
        query = {k: (last_page if v == "last" else v) for k, v in query.items()}
        paths.append((name, list_path + ("?" + urlencode(query) if query else ""), htmx))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8765")
    parser.add_argument("--slug", default="bench-big")
    parser.add_argument("--email", default="bench@maillon.test")
    parser.add_argument("--password", default="maillon-bench")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of measurement")
    parser.add_argument("--max-requests", type=int, default=100_000, help="hard upper bound")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds, not measured")
    parser.add_argument("--timeout", type=float, default=30.0, help="per request, seconds")
    parser.add_argument("--wait", type=float, default=30.0, help="seconds to wait for the server")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument("--server-pid", type=int, help="gunicorn master: count its workers' CPU")
    parser.add_argument("--db-name", help="count the CPU of PostgreSQL backends of this database")
    parser.add_argument(
        "--last-page",
        type=int,
        help='the register\'s last page (needed when the page says only "Page 1": '
        "beyond 10,000 people it no longer counts them all; queries.py last-page)",
    )
    args = parser.parse_args()

    url = urlsplit(args.base)
    if url.scheme != "http" or url.hostname != "127.0.0.1":
        sys.exit("load.py only targets http://127.0.0.1")
    if not 1 <= args.concurrency <= 200 or args.duration <= 0 or args.duration > 3600:
        sys.exit("concurrency must be 1-200 and duration 0-3600 s")
    host, port = url.hostname, url.port or 80

    wait_until_up(host, port, args.wait)
    cookies = sign_in(host, port, args.email, args.password, args.timeout)
    list_path = f"/a/{args.slug}/members/"
    status, _, body = Session(host, port, cookies, args.timeout).request("GET", list_path)
    if status != 200 or b"member-results" not in body:
        sys.exit(f"{list_path} answered {status} without the member list")
    last_page = args.last_page or page_count(body.decode())
    paths = build_paths(list_path, last_page)

    lock = threading.Lock()
    results: list[tuple[str, float, int]] = []  # (scenario, seconds, status or 0 on error)
    issued = 0
    start_measure = time.monotonic() + args.warmup
    stop_at = start_measure + args.duration

    def client(number: int) -> None:
        nonlocal issued
        session = Session(host, port, cookies, args.timeout)
        step = number  # clients start at different scenarios, then cycle through all
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
            name, path, htmx = paths[step % len(paths)]
            step += 1
            headers = {"HX-Request": "true"} if htmx else {}
            began = time.perf_counter()
            try:
                status, _, _ = session.request("GET", path, headers=headers)
            except (OSError, http.client.HTTPException):
                status = 0
            elapsed = time.perf_counter() - began
            if measuring:
                with lock:
                    results.append((name, elapsed, status))

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.concurrency)]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, start_measure - time.monotonic()))
    cpu_before = cpu_seconds(args.server_pid, args.db_name)
    for thread in threads:
        thread.join()
    cpu_after = cpu_seconds(args.server_pid, args.db_name)
    measured = min(args.duration, time.monotonic() - start_measure)
    cpu_ms = {
        part: round(1000 * (cpu_after[part] - cpu_before[part]) / max(1, len(results)), 1)
        for part in cpu_after
    }

    statuses = Counter(status for _, _, status in results)
    errors = sum(count for status, count in statuses.items() if status != 200)
    latencies = sorted(seconds for _, seconds, _ in results)
    by_scenario: dict[str, list[float]] = defaultdict(list)
    for name, seconds, _ in results:
        by_scenario[name].append(seconds)
    summary = {
        "target": f"{args.base}{list_path}",
        "register_pages": last_page,
        "concurrency": args.concurrency,
        "duration_s": round(measured, 1),
        "requests": len(results),
        "errors": errors,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "req_per_s": round(len(results) / measured, 1) if measured else 0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
        "cpu_ms_per_request": cpu_ms,
        "scenarios": {
            name: {
                "requests": len(values),
                "p50_ms": round(percentile(sorted(values), 0.50) * 1000, 1),
                "p95_ms": round(percentile(sorted(values), 0.95) * 1000, 1),
            }
            for name, values in ((n, by_scenario[n]) for n, _, _ in paths)
        },
    }

    print(f"target      {summary['target']} ({last_page} pages of 50)")
    print(f"clients     {args.concurrency}, {measured:.1f} s measured, {args.warmup:.0f} s warm-up")
    print(f"requests    {summary['requests']}  errors {errors}  statuses {summary['statuses']}")
    print(f"throughput  {summary['req_per_s']} req/s")
    print(
        f"latency     p50 {summary['p50_ms']} ms  p95 {summary['p95_ms']} ms  "
        f"p99 {summary['p99_ms']} ms  max {summary['max_ms']} ms"
    )
    if args.server_pid or args.db_name:
        print(f"CPU/request app {cpu_ms['app']} ms  PostgreSQL {cpu_ms['db']} ms")
    print("per scenario (requests, p50, p95 in ms):")
    for name, figures in summary["scenarios"].items():
        print(f"  {name:<22}{figures['requests']:>6}{figures['p50_ms']:>9}{figures['p95_ms']:>9}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(summary, handle, indent=2)
    if errors:
        sys.exit(1)


if __name__ == "__main__":
    main()
