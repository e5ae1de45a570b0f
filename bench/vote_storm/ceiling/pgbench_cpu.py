"""CPU per pgbench transaction, measured while pgbench runs (started by run.sh).

    python pgbench_cpu.py --pid PGBENCH_PID --db-name NAME --from 3 --to 17 --json F

Between ``--from`` and ``--to`` seconds after start: CPU of the pgbench process (its
threads included) and of the PostgreSQL backends of NAME (``cpu_seconds`` of
``../load.py``, read while they are alive), transactions committed in NAME
(``pg_stat_database.xact_commit``) and how busy the machine was (``/proc/stat``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from load import cpu_seconds  # noqa: E402  (bench/vote_storm/load.py)


def process_cpu(pid: int) -> float:
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_ticks() -> tuple[int, int]:
    with open("/proc/stat", encoding="ascii") as handle:
        fields = [int(v) for v in handle.readline().split()[1:]]
    return sum(fields), fields[3] + fields[4]


def snapshot(conn, pid: int, db_name: str) -> dict:
    commits = conn.execute(
        "SELECT xact_commit FROM pg_stat_database WHERE datname = %s", (db_name,)
    ).fetchone()[0]
    conn.execute("SELECT pg_stat_clear_snapshot()")
    return {
        "t": time.monotonic(),
        "pgbench": process_cpu(pid),
        "db": cpu_seconds(None, db_name)["db"],
        "commits": commits,
        "ticks": machine_ticks(),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--db-name", required=True)
    parser.add_argument("--from", dest="start", type=float, default=3)
    parser.add_argument("--to", dest="end", type=float, default=17)
    parser.add_argument("--json", required=True)
    args = parser.parse_args()
    import psycopg

    began = time.monotonic()
    # Statistics go to the stats collector asynchronously: read in a database other
    # than NAME so that this connection's own transactions are not counted.
    with psycopg.connect(
        "dbname=postgres user=postgres host=127.0.0.1 port=5432", autocommit=True
    ) as conn:
        time.sleep(max(0.0, began + args.start - time.monotonic()))
        before = snapshot(conn, args.pid, args.db_name)
        time.sleep(max(0.0, began + args.end - time.monotonic()))
        after = snapshot(conn, args.pid, args.db_name)
    tx = after["commits"] - before["commits"]
    total = after["ticks"][0] - before["ticks"][0]
    idle = after["ticks"][1] - before["ticks"][1]
    figures = {
        "seconds": round(after["t"] - before["t"], 2),
        "transactions": tx,
        "tps_window": round(tx / (after["t"] - before["t"]), 1),
        "cpu_ms_per_tx": {
            "pgbench": round((after["pgbench"] - before["pgbench"]) * 1000 / tx, 4),
            "db": round((after["db"] - before["db"]) * 1000 / tx, 4),
        },
        "machine_busy": round(1 - idle / max(1, total), 3),
        "loadavg": " ".join(Path("/proc/loadavg").read_text().split()[:3]),
    }
    with open(args.json, "w", encoding="utf-8") as handle:
        json.dump(figures, handle, indent=2)
    cpu = figures["cpu_ms_per_tx"]
    print(
        f"window {figures['seconds']} s: {figures['tps_window']} TPS, CPU per transaction "
        f"pgbench {cpu['pgbench']} ms, backends {cpu['db']} ms, machine busy "
        f"{figures['machine_busy']:.0%}, load {figures['loadavg']}"
    )


if __name__ == "__main__":
    main()
