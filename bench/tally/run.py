"""Tally benchmark: the ``tally`` command on large generated ballot files.

    .venv/bin/python bench/tally/run.py                      # 1,000,000 ballots, every case
    .venv/bin/python bench/tally/run.py --ballots 200000 --code /tmp/old-checkout

Writes (once, then reuses) ranked and majority-judgment CSV files with 5
candidates under ``--dir``: ranked ballots are random, truncated rankings (blank
ones included, so at most 326 distinct rows); majority-judgment ballots give each
candidate a random grade from 0 to 6 (16,807 distinct rows). Each case runs the
command as a separate process (``python -m maillon.tally``, from ``--code``: the
working tree by default) and reports its wall time, its CPU time (user + system,
from ``wait4``), its peak memory (max RSS) and the load average at the time, so a
figure measured on a busy machine says so. ``--compare`` checks that two
checkouts print the same JSON for every case.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

NAMES = ["Ali", "Béa", "Camille", "Dominique", "Élise"]
CASES = [
    ("irv", ["--method", "irv"], "ranked"),
    ("stv, 3 seats", ["--method", "stv", "--seats", "3"], "ranked"),
    ("schulze", ["--method", "schulze"], "ranked"),
    ("majority-judgment", ["--method", "majority-judgment"], "judgment"),
]


def write_files(directory: Path, ballots: int, seed: int) -> dict[str, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    files = {
        "ranked": directory / f"ranked-{ballots}-{seed}.csv",
        "judgment": directory / f"judgment-{ballots}-{seed}.csv",
    }
    rng = random.Random(seed)
    if not files["ranked"].exists():
        with open(files["ranked"], "w", encoding="utf-8", newline="") as out:
            out.write(",".join(NAMES) + "\n")
            for _i in range(ballots):
                out.write(",".join(rng.sample(NAMES, rng.randint(0, len(NAMES)))) + "\n")
    if not files["judgment"].exists():
        with open(files["judgment"], "w", encoding="utf-8", newline="") as out:
            out.write(",".join(NAMES) + "\n")
            for _i in range(ballots):
                out.write(",".join(str(rng.randint(0, 6)) for _n in NAMES) + "\n")
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ballots", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--dir", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "maillon-bench-tally"
    )
    parser.add_argument("--code", type=Path, default=Path(__file__).resolve().parents[2])
    parser.add_argument("--compare", type=Path, help="another checkout: must print the same JSON")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()

    files = write_files(args.dir, args.ballots, args.seed)
    print(f"{args.ballots:,} ballots, 5 candidates, code {args.code}")
    print(f"{'case':<20} {'wall s':>7} {'CPU s':>7} {'max RSS MB':>11} {'load 1 min':>11}")
    for label, argv, kind in CASES:
        for _run in range(args.runs):
            figures = measure(args.code, args.python, argv, files[kind])
            print(
                f"{label:<20} {figures['wall']:>7.2f} {figures['cpu']:>7.2f}"
                f" {figures['rss'] / 1024:>11.1f} {figures['load']:>11.2f}",
                flush=True,
            )
        if args.compare:
            other = measure(args.compare, args.python, argv, files[kind])
            same = json.loads(other["stdout"]) == json.loads(figures["stdout"])
            print(
                f"  {'same JSON' if same else 'DIFFERENT JSON'} as {args.compare}:"
                f" wall {other['wall']:.2f} s, CPU {other['cpu']:.2f} s,"
                f" max RSS {other['rss'] / 1024:.1f} MB, load {other['load']:.2f}",
                flush=True,
            )
            if not same:
                raise SystemExit(1)


def measure(code: Path, python: str, argv: list[str], path: Path) -> dict:
    """Run the command once: wall time, CPU time and peak memory of that process."""
    env = dict(os.environ, PYTHONPATH=str(code))
    load = os.getloadavg()[0]
    start = time.perf_counter()
    proc = subprocess.Popen(
        [python, "-m", "maillon.tally", *argv, str(path)],
        cwd=code,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out = proc.stdout.read()
    err = proc.stderr.read()
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"tally failed: {err.decode()}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss,  # KB on Linux
        "load": load,
        "stdout": out.decode(),
    }


if __name__ == "__main__":
    main()
