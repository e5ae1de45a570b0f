"""The ``tally`` command (also ``python -m maillon.tally``).

::

    tally --method METHOD [--seats N] [--grades LABELS]
          [--majority simple|absolute|two-thirds|FRACTION] [--abstain-counts]
          [--eligible N] [--seed N] FILE.csv

Prints one JSON object on standard output and returns 0; on bad input (or bad
options) prints a message naming the line to standard error and returns 2.
``FILE`` may be ``-`` for standard input.

``--grades`` is either the comma-separated labels from worst to best
(``"à rejeter,insuffisant,passable,bien,très bien"``) or a number k of grades
labelled 0 … k−1. ``--eligible`` (yes-no, ``absolute`` majority) is the number of
members present or represented; without it the base is the number of ballots.
``--seed`` fixes the lot used for ties (see :mod:`maillon.tally.tiebreak`).
"""

from __future__ import annotations

import argparse
import io
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from maillon.tally.csvio import METHOD_NAMES, count_binary
from maillon.tally.errors import TallyInputError
from maillon.tally.judgment import grade_labels
from maillon.tally.methods import tally


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):
        raise _UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tally",
        description="Count a ballot file (CSV) and print the result as JSON.",
    )
    parser.add_argument("--method", required=True, choices=METHOD_NAMES)
    parser.add_argument("--seats", type=int, default=None, help="seats to fill (default 1)")
    parser.add_argument(
        "--grades",
        help="majority-judgment: grade labels from worst to best, comma-separated, "
        "or a number of grades (default: the 7 grades from 'à rejeter' to 'excellent')",
    )
    parser.add_argument(
        "--majority",
        help="yes-no: simple (default), absolute, two-thirds or a fraction such as 3/5",
    )
    parser.add_argument(
        "--abstain-counts",
        action="store_true",
        help="yes-no: abstentions and blank ballots count in the base",
    )
    parser.add_argument(
        "--eligible",
        type=int,
        help="yes-no, absolute majority: members present or represented",
    )
    parser.add_argument("--seed", type=int, help="seed for the lot that settles ties")
    parser.add_argument("file", metavar="FILE.csv", help="the ballots ('-' for standard input)")
    return parser


def parse_grades(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    text = text.strip()
    if text.isdigit():
        return grade_labels(int(text))
    separator = "," if "," in text or ";" not in text else ";"
    return grade_labels([label.strip() for label in text.split(separator)])


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as exc:
        stderr.write(parser.format_usage())
        stderr.write(f"tally: error: {exc}\n")
        return 2
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else 0

    try:
        labels = parse_grades(args.grades)
        grades = len(labels) if labels else 7
        # The file is read as a stream and identical ballots are counted once, so
        # memory grows with the distinct ballots only (TALLY.md: any file size).
        if args.file == "-":
            source = stdin or sys.stdin
            binary: Any = getattr(source, "buffer", None)
            if binary is None:  # a text stream (tests)
                text: Any = source.read()
                binary = io.BytesIO(text if isinstance(text, bytes) else text.encode("utf-8"))
            ballot_file = count_binary(binary, args.method, grades=grades)
        else:
            try:
                handle = open(args.file, "rb")  # noqa: SIM115
            except OSError as exc:
                stderr.write(f"tally: cannot read {args.file}: {exc.strerror or exc}\n")
                return 2
            with handle:
                ballot_file = count_binary(handle, args.method, grades=grades)
        result = tally(
            args.method,
            ballot_file.candidates,
            ballot_file.ballots,
            seats=1 if args.seats is None else args.seats,
            seed=args.seed,
            grades=labels,
            majority=args.majority,
            abstain_counts=args.abstain_counts,
            eligible=args.eligible,
        )
    except TallyInputError as exc:
        where = "" if exc.line is None else f"{args.file}: "
        stderr.write(f"tally: {where}{exc}\n")
        return 2
    stdout.write(json.dumps(result.to_dict(), ensure_ascii=False) + "\n")
    return 0
