"""Time the pure raking engine on 100,000 units over 3 variables (5 × 12 × 13).

    .venv/bin/python bench/observatory/weighting.py [--units 100000] [--runs 5]

The sample is drawn with a skew (large associations and some regions
over-represented), the margins are uneven; prints the best and median wall time of
``rake`` (what ``python -m maillon.observatory.weighting`` runs after reading its
files) and the engine's report. Target: < 2 s."""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from maillon.observatory.weighting import rake  # noqa: E402

SIZES = [f"s{i}" for i in range(5)]
SECTORS = [f"t{i}" for i in range(12)]
REGIONS = [f"r{i}" for i in range(13)]


def sample(units: int, seed: int = 1) -> list[tuple[str, list[str]]]:
    rnd = random.Random(seed)
    size_w = [0.3, 0.2, 0.2, 0.18, 0.12]
    sector_w = [1 + (i % 4) for i in range(12)]
    region_w = [1 + (i % 5) for i in range(13)]
    return [
        (
            f"u{i}",
            [
                rnd.choices(SIZES, size_w)[0],
                rnd.choices(SECTORS, sector_w)[0],
                rnd.choices(REGIONS, region_w)[0],
            ],
        )
        for i in range(units)
    ]


def margins() -> dict[str, dict[str, float]]:
    def shares(categories, raw):
        total = sum(raw)
        return {c: r / total for c, r in zip(categories, raw, strict=True)}

    return {
        "size": shares(SIZES, [88, 6.5, 3.2, 2, 0.3]),
        "sector": shares(SECTORS, [24, 22, 18, 17, 3, 3, 3, 3, 2, 2, 2, 1]),
        "region": shares(REGIONS, [18, 12, 9, 9, 9, 8, 7.5, 6, 5, 5, 4, 4, 0.5]),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    units = sample(args.units)
    target = margins()
    times = []
    result = None
    for _ in range(args.runs):
        start = time.perf_counter()
        result = rake(units, ["size", "sector", "region"], target)
        times.append(time.perf_counter() - start)
    assert result is not None
    print(f"units: {args.units:,}; categories 5 x 12 x 13")
    print(
        f"rake: best {min(times):.3f} s, median {statistics.median(times):.3f} s ({args.runs} runs)"
    )
    print(
        f"converged {result.converged} in {result.iterations} cycles, max error "
        f"{result.max_margin_error:.1e}, effective n {result.effective_sample_size:,.0f}, "
        f"design effect {result.design_effect:.2f}"
    )


if __name__ == "__main__":
    main()
