"""Ceiling load: the client of bench/vote_storm/load.py, aimed at any URL, for a fixed time.

    python bench/vote_storm/ceiling/load.py --url http://127.0.0.1:8933/ceiling/a \\
        --concurrency 16 --seconds 10 --json out.json --server-pid PID --db-name NAME

Same shape as a vote: C client threads, each with ONE ``http.client`` keep-alive
connection (the ``Client`` class of ``../load.py``, reopened when the server answers
``Connection: close`` or on an error), each request a POST of a small JSON body with
``Authorization: Bearer``, a fresh ``Idempotency-Key`` and ``Content-Type``. No retry:
any exception or non-2xx is an error. Runs until ``--seconds`` have passed.

Prints and writes req/s, p50/p95/p99, errors, CPU per request of the server processes
(children of ``--server-pid``), of the PostgreSQL backends of ``--db-name`` (both from
``/proc``, ``cpu_seconds`` of ``../load.py``), of this client, and how busy the whole
machine was (``/proc/stat``) with the load average at the end.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import sys
import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from load import Client, cpu_seconds, percentile  # noqa: E402  (bench/vote_storm/load.py)


def machine_ticks() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields), idle


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--timeout", type=float, default=15)
    parser.add_argument("--json")
    parser.add_argument("--label", default="")
    parser.add_argument("--server-pid", type=int)
    parser.add_argument("--db-name")
    parser.add_argument("--db-pid", type=int, help="postmaster of a private cluster")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args()

    url = urlsplit(args.url)
    if url.hostname != "127.0.0.1" or url.scheme != "http":
        sys.exit("only http://127.0.0.1 may be targeted")
    host, port, path = url.hostname, url.port or 80, url.path or "/"
    token = secrets.token_urlsafe(32)
    body = json.dumps({"choice": "yes", "on_behalf_of": None}).encode()

    lock = threading.Lock()
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    connections = Counter()
    deadline = time.monotonic() + args.seconds

    def worker() -> None:
        client = Client(host, port, args.timeout)
        mine: list[float] = []
        try:
            while time.monotonic() < deadline:
                headers = {
                    "Host": host,
                    "Authorization": f"Bearer {token}",
                    "Idempotency-Key": uuid.uuid4().hex,
                    "Content-Type": "application/json",
                }
                opened = client.conn is None
                started = time.perf_counter()
                try:
                    status, data = client.post(path, body, headers)
                except (OSError, http.client.HTTPException) as error:
                    with lock:
                        errors[type(error).__name__] += 1
                    time.sleep(0.05)
                    continue
                elapsed = time.perf_counter() - started
                if 200 <= status < 300:
                    json.loads(data)  # a vote's receipt is read the same way
                    mine.append(elapsed)
                    if opened:
                        connections["opened"] += 1
                else:
                    with lock:
                        errors[f"HTTP {status}: {data[:80].decode(errors='replace')}"] += 1
        finally:
            client.close()
            with lock:
                latencies.extend(mine)

    cpu_before = cpu_seconds(args.server_pid, args.db_name, args.db_pid)
    client_before = os.times()
    total_before, idle_before = machine_ticks()
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.seconds + args.timeout + 5)
    elapsed = time.perf_counter() - started
    total_after, idle_after = machine_ticks()
    client_after = os.times()
    cpu_after = cpu_seconds(args.server_pid, args.db_name, args.db_pid)

    done = len(latencies)
    latencies.sort()
    per = 1000 / done if done else float("nan")
    busy = 1 - (idle_after - idle_before) / max(1, total_after - total_before)
    figures = {
        "label": args.label,
        "url": args.url,
        "concurrency": args.concurrency,
        "requests": done,
        "seconds": round(elapsed, 2),
        "req_per_second": round(done / elapsed, 1) if elapsed else 0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "connections_opened": connections["opened"],
        "cpu_ms_per_request": {
            "app": round((cpu_after["app"] - cpu_before["app"]) * per, 3),
            "db": round((cpu_after["db"] - cpu_before["db"]) * per, 3),
            "client": round(
                (
                    client_after.user
                    + client_after.system
                    - client_before.user
                    - client_before.system
                )
                * per,
                3,
            ),
        },
        "machine_busy": round(busy, 3),
        "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)
    if not args.quiet:
        cpu = figures["cpu_ms_per_request"]
        print(
            f"{args.label:<28} {figures['req_per_second']:>8} req/s  p50 {figures['p50_ms']} ms  "
            f"p99 {figures['p99_ms']} ms  errors {figures['errors']}  "
            f"CPU/req app {cpu['app']} db {cpu['db']} client {cpu['client']} ms  "
            f"busy {busy:.0%}  load {figures['loadavg']}" + (f"  {dict(errors)}" if errors else "")
        )


if __name__ == "__main__":
    main()
