"""All counting methods behind one entry point, :func:`tally`.

The methods themselves live in one module per family:
:mod:`~maillon.tally.choice` (plurality, approval),
:mod:`~maillon.tally.ranked` (irv, stv), :mod:`~maillon.tally.schulze`,
:mod:`~maillon.tally.judgment` (majority-judgment) and :mod:`~maillon.tally.yesno`.
Ties are documented in :mod:`maillon.tally.tiebreak`.

Common conventions: ``ballots`` holds one sequence per ballot (candidate names,
or grades for majority-judgment); an empty sequence is a blank ballot, counted in
``ballots`` and ``blank`` but never as a preference. When no ballot is valid,
nobody is elected. ``seed`` drives the lot when one is needed; by default it is
derived from the ballots, so the same ballots always give the same result.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from maillon.tally.ballots import BallotCounts
from maillon.tally.choice import approval, plurality
from maillon.tally.errors import TallyInputError
from maillon.tally.judgment import majority_judgment
from maillon.tally.ranked import irv, stv
from maillon.tally.result import TallyResult
from maillon.tally.schulze import schulze
from maillon.tally.yesno import yes_no

METHODS: dict[str, Callable[..., TallyResult]] = {
    "plurality": plurality,
    "approval": approval,
    "irv": irv,
    "stv": stv,
    "schulze": schulze,
    "majority-judgment": majority_judgment,
    "yes-no": yes_no,
}


def tally(
    method: str,
    candidates: Sequence[str],
    ballots: Sequence[Sequence[Any]] | BallotCounts,
    *,
    seats: int = 1,
    seed: int | None = None,
    grades: int | Sequence[str] | None = None,
    majority: str | None = None,
    abstain_counts: bool = False,
    eligible: int | None = None,
) -> TallyResult:
    """Count ``ballots`` with ``method``; options that do not apply are refused.

    For ``yes-no``, ``candidates`` is ignored (the options are yes, no, abstain).
    ``ballots`` may be given grouped (:class:`~maillon.tally.ballots.BallotCounts`):
    every method groups identical ballots before counting anyway, with the same
    result.
    """
    if method not in METHODS:
        raise TallyInputError(f"unknown method {method!r}: use one of {', '.join(METHODS)}")
    if grades is not None and method != "majority-judgment":
        raise TallyInputError("grades only apply to majority-judgment")
    if method != "yes-no" and (majority is not None or abstain_counts or eligible is not None):
        raise TallyInputError("majority, abstain-counts and eligible only apply to yes-no")
    if method == "yes-no":
        if seats != 1:
            raise TallyInputError("yes-no decides one resolution (seats must be 1)")
        return yes_no(
            ballots,
            majority=majority or "simple",
            abstain_counts=abstain_counts,
            eligible=eligible,
        )
    if method == "majority-judgment":
        return majority_judgment(candidates, ballots, grades=grades, seats=seats, seed=seed)
    return METHODS[method](candidates, ballots, seats=seats, seed=seed)
