"""Checks shared by the counting functions when they are called from Python.

The CSV reader (:mod:`maillon.tally.csvio`) already rejects bad rows with their
line number; these checks protect callers that build ballots themselves (the
governance module) and name the ballot by its position instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from maillon.tally.errors import TallyInputError

K = TypeVar("K")


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


class BallotCounts:
    """Identical ballots counted once: each distinct ballot (a tuple) and how many
    times it was cast. Every counting function accepts this in place of the list of
    ballots, with the same result; the CSV reader builds it while streaming a file,
    so memory grows with the number of *distinct* ballots, not of ballots."""

    __slots__ = ("counts", "total")

    def __init__(self, counts: Mapping[tuple[Any, ...], int] | None = None):
        self.counts: dict[tuple[Any, ...], int] = dict(counts or {})
        self.total = sum(self.counts.values())

    def add(self, ballot: tuple[Any, ...], n: int = 1) -> None:
        self.counts[ballot] = self.counts.get(ballot, 0) + n
        self.total += n

    def expand(self) -> list[tuple[Any, ...]]:
        """Every ballot, repeated (for tests and small files only)."""
        return [b for b, n in self.counts.items() for _i in range(n)]

    def __repr__(self) -> str:
        return f"BallotCounts({self.counts!r})"


_MISSING = object()


def grouped(
    ballots: Sequence[Sequence[Any]] | BallotCounts | Iterable[Sequence[Any]],
    normalise: Callable[[int, tuple[Any, ...]], K],
) -> tuple[dict[K, int], int]:
    """Count identical ballots, checking each distinct one once.

    ``normalise(position, ballot)`` checks one ballot (raising
    :class:`TallyInputError` naming its 1-based position) and returns its counting
    key. It is called at each distinct ballot's first occurrence, in order, so the
    first invalid ballot is the one named, as when every ballot is checked.
    Returns ``{key: how many}`` (first-occurrence order) and the number of ballots.
    """
    out: dict[K, int] = {}
    if isinstance(ballots, BallotCounts):
        for i, (counted, n) in enumerate(ballots.counts.items(), start=1):
            key = normalise(i, tuple(counted))
            out[key] = out.get(key, 0) + n
        return out, ballots.total
    seen: dict[tuple[Any, ...], Any] = {}
    total = 0
    for total, ballot in enumerate(ballots, start=1):  # noqa: B007
        raw = tuple(ballot)
        try:
            key = seen.get(raw, _MISSING)
        except TypeError:  # unhashable content: let the check name it
            normalise(total, raw)
            raise
        if key is _MISSING:
            key = seen[raw] = normalise(total, raw)
        out[key] = out.get(key, 0) + 1
    return out, total


def ranked_key(candidates: tuple[str, ...]) -> Callable[[int, tuple[Any, ...]], tuple[str, ...]]:
    known = set(candidates)

    def check(i: int, ranking: tuple[Any, ...]) -> tuple[str, ...]:
        seen: set[str] = set()
        for name in ranking:
            if name not in known:
                raise _unknown(name, i, candidates)
            if name in seen:
                raise TallyInputError(f"ballot {i}: candidate {name!r} is ranked twice")
            seen.add(name)
        return ranking

    return check


def choice_key(
    candidates: tuple[str, ...], *, single: bool
) -> Callable[[int, tuple[Any, ...]], frozenset[str]]:
    known = set(candidates)

    def check(i: int, chosen: tuple[Any, ...]) -> frozenset[str]:
        for name in chosen:
            if name not in known:
                raise _unknown(name, i, candidates)
        choice = frozenset(chosen)
        if single and len(choice) > 1:
            raise TallyInputError(f"ballot {i}: more than one candidate on a plurality ballot")
        return choice

    return check
