"""Vote storm: N voters cast one ballot each through the API (standard library only).

    python bench/vote_storm/load.py --base http://127.0.0.1:8932 --voters var/tokens.txt \\
        --slug vote-storm --poll 1 --concurrency 16 --max-seconds 120 --receipts out.txt

Each voter is one API token (one line of ``--voters``): "logging in" is authenticating
with it. C client threads share the voters; each thread keeps one keep-alive
connection and, per voter, POSTs ``/api/v1/associations/<slug>/polls/<id>/ballots``
with a fresh ``Idempotency-Key``. A connection error, a timeout or a 502/503 is
retried with the SAME key (at most ``--attempts`` times): the API answers the same
receipt and counts once, which the final check in the database proves.

Prints votes/s, p50/p95/p99 latency of a vote (first attempt to acknowledgement,
retries included), errors by kind; writes the acknowledged receipts, one per line,
to ``--receipts`` and the figures to ``--json``.

Only 127.0.0.1 may be targeted: this is a benchmark, never a load test of
somebody else's server.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import random
import socket
import sys
import threading
import time
import uuid
from collections import Counter
from urllib.parse import urlsplit

RETRIABLE_STATUSES = {502, 503, 504}
CHOICES = ("yes", "no", "abstain")


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * len(sorted_values)) - 1))
    return sorted_values[index]


def cpu_seconds(
    server_pid: int | None, db_name: str | None, db_pid: int | None = None
) -> dict[str, float]:
    """CPU time (user + system, seconds) used so far by the gunicorn workers (children
    of ``server_pid``) and the PostgreSQL backends connected to ``db_name``, or, with
    ``db_pid`` (the postmaster of a private cluster), that postmaster and every child
    of it (backends, WAL writer, checkpointer...) including those that ended during
    the run (a backend closed after ``CONN_MAX_AGE``: the postmaster reaped it, its
    CPU is in the postmaster's cutime/cstime; so with gunicorn's arbiter and a killed
    worker); Linux only. Without ``db_pid``, a backend that ended takes its CPU with it."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    totals = {"app": 0.0, "db": 0.0}
    if not os.path.isdir("/proc"):
        return totals
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue  # the process ended meanwhile
        parent, used = int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks
        # cutime + cstime: the children that ended and were reaped (a worker killed and
        # replaced; a backend closed by CONN_MAX_AGE, reaped by the postmaster).
        reaped = (int(fields[13]) + int(fields[14])) / ticks
        if server_pid and (parent == server_pid or int(entry) == server_pid):
            totals["app"] += used + (reaped if int(entry) == server_pid else 0)
        elif db_pid and int(entry) == db_pid:
            totals["db"] += used + reaped
        elif _is_database_process(parent, cmdline, db_name, db_pid):
            totals["db"] += used
    return totals


def _is_database_process(
    parent: int, cmdline: str, db_name: str | None, db_pid: int | None
) -> bool:
    if db_pid:
        return parent == db_pid
    return bool(db_name) and cmdline.startswith("postgres:") and f" {db_name} " in f"{cmdline} "


class Voter:
    def __init__(self, number: int, token: str):
        self.number = number
        self.token = token
        self.key = uuid.uuid4().hex  # one key per vote, kept for its retries
        self.choice = random.choice(CHOICES)


class Client:
    """One keep-alive connection, reopened after an error."""

    def __init__(self, host: str, port: int, timeout: float):
        self.host, self.port, self.timeout = host, port, timeout
        self.conn: http.client.HTTPConnection | None = None

    def post(self, path: str, body: bytes, headers: dict) -> tuple[int, bytes]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            self.conn.request("POST", path, body=body, headers=headers)
            response = self.conn.getresponse()
            data = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
            return response.status, data
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8932")
    parser.add_argument("--voters", required=True, help="file of API tokens, one per line")
    parser.add_argument("--slug", required=True)
    parser.add_argument("--poll", type=int, required=True)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--limit", type=int, default=0, help="only the first N voters")
    parser.add_argument("--max-seconds", type=float, default=120, help="hard stop")
    parser.add_argument("--timeout", type=float, default=15, help="socket timeout")
    parser.add_argument("--attempts", type=int, default=5, help="tries per vote")
    parser.add_argument(
        "--retry-check",
        type=float,
        default=0.02,
        help="share of votes sent twice with the same key, to exercise idempotent retries",
    )
    parser.add_argument("--receipts", required=True, help="write acknowledged receipts here")
    parser.add_argument("--json", help="write the figures here")
    parser.add_argument("--server-pid", type=int)
    parser.add_argument("--db-name")
    parser.add_argument("--db-pid", type=int, help="postmaster of a private cluster")
    args = parser.parse_args()

    url = urlsplit(args.base)
    if url.hostname != "127.0.0.1" or url.scheme != "http":
        sys.exit("only http://127.0.0.1 may be targeted")
    host, port = url.hostname, url.port or 80
    path = f"/api/v1/associations/{args.slug}/polls/{args.poll}/ballots"

    with open(args.voters, encoding="ascii") as handle:
        tokens = [line.strip() for line in handle if line.strip()]
    if args.limit:
        tokens = tokens[: args.limit]
    todo: queue.SimpleQueue[Voter] = queue.SimpleQueue()
    for number, token in enumerate(tokens):
        todo.put(Voter(number, token))

    lock = threading.Lock()
    receipts: dict[int, str] = {}
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    replays = Counter()
    retries = Counter()
    deadline = time.monotonic() + args.max_seconds

    def cast(client: Client, voter: Voter) -> None:
        body = json.dumps({"choice": voter.choice, "on_behalf_of": None}).encode()
        headers = {
            "Host": host,
            "Authorization": f"Bearer {voter.token}",
            "Idempotency-Key": voter.key,
            "Content-Type": "application/json",
        }
        started = time.perf_counter()
        outcome = "gave up"
        for attempt in range(args.attempts):
            if time.monotonic() > deadline:
                outcome = "deadline"
                break
            try:
                status, data = client.post(path, body, headers)
            except (OSError, http.client.HTTPException) as error:
                with lock:
                    retries[type(error).__name__] += 1
                time.sleep(min(2.0, 0.05 * 2**attempt))
                continue
            if status in RETRIABLE_STATUSES:
                with lock:
                    retries[f"HTTP {status}"] += 1
                time.sleep(min(2.0, 0.05 * 2**attempt))
                continue
            if status == 201:
                receipt = json.loads(data)["receipt"]
                elapsed = time.perf_counter() - started
                if random.random() < args.retry_check:
                    # A client that did not see the answer sends the vote again.
                    try:
                        again, again_data = client.post(path, body, headers)
                        same = again == 201 and json.loads(again_data)["receipt"] == receipt
                    except (OSError, http.client.HTTPException) as error:
                        again, same = type(error).__name__, False
                    with lock:
                        replays["same receipt" if same else f"different ({again})"] += 1
                with lock:
                    receipts[voter.number] = receipt
                    latencies.append(elapsed)
                return
            outcome = f"HTTP {status}: {data[:120].decode(errors='replace')}"
            break
        with lock:
            errors[outcome] += 1

    def worker() -> None:
        client = Client(host, port, args.timeout)
        try:
            while time.monotonic() < deadline:
                try:
                    voter = todo.get_nowait()
                except queue.Empty:
                    return
                cast(client, voter)
        finally:
            client.close()

    cpu_before = cpu_seconds(args.server_pid, args.db_name, args.db_pid)
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + args.timeout + 5)
    elapsed = time.perf_counter() - started
    cpu_after = cpu_seconds(args.server_pid, args.db_name, args.db_pid)
    not_sent = 0
    while True:
        try:
            todo.get_nowait()
        except queue.Empty:
            break
        not_sent += 1

    acknowledged = len(receipts)
    latencies.sort()
    figures = {
        "voters": len(tokens),
        "concurrency": args.concurrency,
        "acknowledged": acknowledged,
        "errors": sum(errors.values()) + not_sent,
        "error_kinds": dict(errors)
        | ({"not sent before the deadline": not_sent} if not_sent else {}),
        "retries": dict(retries),
        "replays": dict(replays),
        "seconds": round(elapsed, 2),
        "votes_per_second": round(acknowledged / elapsed, 1) if elapsed else 0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1) if latencies else None,
    }
    if acknowledged and (args.server_pid or args.db_name):
        figures["cpu_ms_per_vote"] = {
            part: round((cpu_after[part] - cpu_before[part]) * 1000 / acknowledged, 1)
            for part in ("app", "db")
        }

    with open(args.receipts, "w", encoding="ascii") as handle:
        handle.writelines(f"{receipt}\n" for receipt in receipts.values())
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(figures, handle, indent=2)

    print(f"voters        {figures['voters']} ({args.concurrency} client threads)")
    print(f"acknowledged  {acknowledged} in {figures['seconds']} s")
    print(f"throughput    {figures['votes_per_second']} votes/s")
    print(
        f"latency       p50 {figures['p50_ms']} ms  p95 {figures['p95_ms']} ms  "
        f"p99 {figures['p99_ms']} ms  max {figures['max_ms']} ms"
    )
    print(f"errors        {figures['errors']} {figures['error_kinds'] or ''}")
    print(f"retried       {dict(retries) or 'nothing'}")
    print(f"sent twice    {dict(replays) or 'nothing'} (same Idempotency-Key)")
    if "cpu_ms_per_vote" in figures:
        cpu = figures["cpu_ms_per_vote"]
        print(f"CPU per vote  app {cpu['app']} ms  PostgreSQL {cpu['db']} ms")


if __name__ == "__main__":
    socket.setdefaulttimeout(30)
    main()
