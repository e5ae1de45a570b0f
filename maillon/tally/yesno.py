"""Yes/no votes on a resolution, with the majority rule the resolution requires.

Each ballot is ``"yes"``, ``"no"`` or ``"abstain"`` (a one-element sequence), or
empty: a blank ballot. The round's ``counts`` are ``yes``, ``no`` and ``abstain``;
blank ballots appear in ``blank``.

The rule (``majority``) is one of:

- ``simple``: **more than half** of the base, the base being the votes cast for
  or against (yes + no; blank and abstentions are not *suffrages exprimés*), so
  simply more yes than no. With ``abstain_counts`` the base is every ballot
  (yes + no + abstain + blank): abstentions and blank ballots then count against.
- ``absolute``: **more than half** of ``eligible``, the members present or
  represented, when given; otherwise of every ballot (yes + no + abstain + blank).
  ``abstain_counts`` does not change it.
- ``two-thirds``: **at least** two-thirds of the base (as for ``simple``).
- a fraction ``FRACTION`` (``3/5``, ``0.6`` or ``60%``, strictly between 0 and 1
  or equal to 1): **at least** that share of the base (as for ``simple``). Note
  that ``1/2`` therefore means "at least half" (a tie passes); "more than half"
  is ``simple``.

The resolution is adopted when yes reaches ``required`` (never when the base is
0). ``winners`` is ``["yes"]`` when adopted, else ``["no"]``; ``tie`` is always
false (equal votes simply fail to reach the majority). The result adds
``adopted`` and ``majority`` (the rule, its fraction, whether it is strict, the
base and the number of yes votes required).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from maillon.tally.ballots import BallotCounts, grouped
from maillon.tally.errors import TallyInputError
from maillon.tally.result import Round, TallyResult

OPTIONS: tuple[str, ...] = ("yes", "no", "abstain")


@dataclass(frozen=True)
class Majority:
    rule: str
    fraction: Fraction
    strict: bool  # "more than" (True) or "at least" (False)


def parse_majority(text: str | Majority) -> Majority:
    """``simple``, ``absolute``, ``two-thirds`` or a fraction such as ``3/5``."""
    if isinstance(text, Majority):
        return text
    rule = str(text).strip().lower()
    if rule == "simple":
        return Majority("simple", Fraction(1, 2), True)
    if rule == "absolute":
        return Majority("absolute", Fraction(1, 2), True)
    if rule == "two-thirds":
        return Majority("two-thirds", Fraction(2, 3), False)
    try:
        value = Fraction(rule[:-1].strip()) / 100 if rule.endswith("%") else Fraction(rule)
    except (ValueError, ZeroDivisionError):
        raise TallyInputError(
            f"unknown majority {text!r}: use simple, absolute, two-thirds or a fraction like 3/5"
        ) from None
    if not 0 < value <= 1:
        raise TallyInputError(f"the majority fraction must be above 0 and at most 1, not {text}")
    return Majority(rule, value, False)


def yes_no(
    ballots: Sequence[Sequence[str]] | BallotCounts,
    *,
    majority: str | Majority = "simple",
    abstain_counts: bool = False,
    eligible: int | None = None,
) -> TallyResult:
    """Counts yes/no/abstain and applies the majority rule."""
    rule = parse_majority(majority)
    counts = dict.fromkeys(OPTIONS, 0)

    def check(i: int, cells: tuple) -> tuple:
        if len(cells) > 1:
            raise TallyInputError(f"ballot {i}: more than one answer on a yes-no ballot")
        if cells and cells[0] not in counts:
            raise TallyInputError(f"ballot {i}: {cells[0]!r} is not one of yes, no, abstain")
        return cells

    answers, total = grouped(ballots, check)
    blank = 0
    for cells, n in answers.items():
        if cells:
            counts[cells[0]] += n
        else:
            blank += n
    if eligible is not None and (
        isinstance(eligible, bool) or not isinstance(eligible, int) or eligible < total
    ):
        raise TallyInputError(
            f"eligible ({eligible!r}) must be an integer at least the number of ballots ({total})"
        )
    if rule.rule == "absolute":
        base = eligible if eligible is not None else total
        base_is = "eligible" if eligible is not None else "ballots"
    elif abstain_counts:
        base, base_is = total, "ballots"
    else:
        base, base_is = counts["yes"] + counts["no"], "yes+no"
    threshold = rule.fraction * base
    required = math.floor(threshold) + 1 if rule.strict else math.ceil(threshold)
    adopted = base > 0 and counts["yes"] >= required
    return TallyResult(
        method="yes-no",
        seats=1,
        ballots=total,
        blank=blank,
        winners=["yes" if adopted else "no"],
        tie=False,
        rounds=[Round(counts)],
        extra={
            "adopted": adopted,
            "majority": {
                "rule": rule.rule,
                "fraction": str(rule.fraction),
                "strict": rule.strict,
                "abstain_counts": abstain_counts,
                "eligible": eligible,
                "base": base,
                "base_is": base_is,
                "required": required,
            },
        },
    )
