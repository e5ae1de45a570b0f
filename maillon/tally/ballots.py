"""Checks shared by the counting functions when they are called from Python.

The CSV reader (:mod:`maillon.tally.csvio`) already rejects bad rows with their
line number; these checks protect callers that build ballots themselves (the
governance module) and name the ballot by its position instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from maillon.tally.errors import TallyInputError


def check_candidates(candidates: Sequence[str]) -> tuple[str, ...]:
    names = tuple(candidates)
    if not names:
        raise TallyInputError("there are no candidates")
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str) or not name:
            raise TallyInputError(f"invalid candidate name {name!r}")
        if name in seen:
            raise TallyInputError(f"candidate {name!r} is listed twice")
        seen.add(name)
    return names


def check_seats(seats: int, *, method: str, only_one: bool = False) -> int:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise TallyInputError(f"seats must be a positive integer, not {seats!r}")
    if only_one and seats != 1:
        raise TallyInputError(f"{method} fills exactly one seat (use stv for several seats)")
    return seats


def _unknown(name: object, position: int, candidates: tuple[str, ...]) -> TallyInputError:
    return TallyInputError(
        f"ballot {position}: unknown candidate {name!r} (candidates: {', '.join(candidates)})"
    )


def ranked_ballots(
    candidates: tuple[str, ...], ballots: Sequence[Sequence[str]]
) -> list[tuple[str, ...]]:
    """Ranked ballots as tuples; an empty ballot is blank."""
    known = set(candidates)
    out = []
    for i, ballot in enumerate(ballots, start=1):
        ranking = tuple(ballot)
        seen: set[str] = set()
        for name in ranking:
            if name not in known:
                raise _unknown(name, i, candidates)
            if name in seen:
                raise TallyInputError(f"ballot {i}: candidate {name!r} is ranked twice")
            seen.add(name)
        out.append(ranking)
    return out


def choice_ballots(
    candidates: tuple[str, ...], ballots: Sequence[Sequence[str]], *, single: bool
) -> list[frozenset[str]]:
    """Plurality (``single``) or approval ballots as sets; an empty one is blank."""
    known = set(candidates)
    out = []
    for i, ballot in enumerate(ballots, start=1):
        chosen = list(ballot)
        for name in chosen:
            if name not in known:
                raise _unknown(name, i, candidates)
        choice = frozenset(chosen)
        if single and len(choice) > 1:
            raise TallyInputError(f"ballot {i}: more than one candidate on a plurality ballot")
        out.append(choice)
    return out
