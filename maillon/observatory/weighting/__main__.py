"""``python -m maillon.observatory.weighting --margins MARGINS.csv SAMPLE.csv``

Prints the JSON result of OBSERVATORY.md and exits 0; exits 2 on bad input with a
message naming the file and the line."""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from .csvfiles import check_against, read_margins, read_sample
from .engine import WeightingInputError, rake

BAD_INPUT = 2


def _bound(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive integer")
    return value


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m maillon.observatory.weighting",
        description="Rake a sample on population margins (OBSERVATORY.md).",
    )
    p.add_argument("--margins", required=True, type=Path, help="variable,category,share CSV")
    p.add_argument("--min-weight", type=_bound, default=None)
    p.add_argument("--max-weight", type=_bound, default=None)
    p.add_argument("--tolerance", type=_bound, default=1e-10)
    p.add_argument("--max-iterations", type=_positive_int, default=1000)
    p.add_argument("sample", type=Path, help="id,<variable>,... CSV")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    # argparse itself exits 2 on a bad option (a bound that is not a positive number).
    args = parser().parse_args(argv)
    try:
        sample = read_sample(args.sample)
        margins = read_margins(args.margins)
        check_against(sample, args.sample, margins, args.margins)
        result = rake(
            sample.units,
            sample.variables,
            margins.shares,
            min_weight=args.min_weight,
            max_weight=args.max_weight,
            tolerance=args.tolerance,
            max_iterations=args.max_iterations,
        )
    except WeightingInputError as error:
        print(f"error: {error}", file=sys.stderr)
        return BAD_INPUT
    # One write: json.dump would write 400,000 small pieces for 100,000 weights.
    sys.stdout.write(json.dumps(result.as_json()) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
