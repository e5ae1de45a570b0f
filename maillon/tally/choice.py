"""Plurality and approval: one round, most votes (approvals) wins.

With ``seats`` > 1 the ``seats`` candidates with the most votes win. When the last
seat(s) fall inside a group of candidates with equal counts, they are given by lot
among that group (``tie`` true; see :mod:`maillon.tally.tiebreak`). Blank ballots
(no candidate chosen) are counted in ``ballots`` and ``blank`` only. An approval
ballot naming a candidate twice approves them once. If no ballot is valid (all
blank, or none), nobody is elected.
"""

from __future__ import annotations

from collections.abc import Sequence

from maillon.tally.ballots import BallotCounts, check_candidates, check_seats, choice_key, grouped
from maillon.tally.result import Round, TallyResult
from maillon.tally.tiebreak import TieBreaker, default_seed_counted


def _count(
    method: str,
    candidates: Sequence[str],
    ballots: Sequence[Sequence[str]] | BallotCounts,
    seats: int,
    seed: int | None,
) -> TallyResult:
    names = check_candidates(candidates)
    check_seats(seats, method=method)
    choices, total = grouped(ballots, choice_key(names, single=method == "plurality"))
    counts = dict.fromkeys(names, 0)
    for choice, n in choices.items():
        for name in choice:
            counts[name] += n
    valid = sum(n for c, n in choices.items() if c)
    if seed is None:
        seed = default_seed_counted(names, ((sorted(c), n) for c, n in choices.items()))
    breaker = TieBreaker(seed)
    winners: list[str] = []
    if valid:
        levels = sorted(set(counts.values()), reverse=True)
        groups = [[c for c in names if counts[c] == level] for level in levels]
        winners = breaker.fill_seats(groups, seats)
    return TallyResult(
        method=method,
        seats=seats,
        ballots=total,
        blank=total - valid,
        winners=winners,
        tie=breaker.used,
        rounds=[Round(counts, elected=winners)],
        tie_events=breaker.events,
        seed=seed,
    )


def plurality(
    candidates: Sequence[str],
    ballots: Sequence[Sequence[str]] | BallotCounts,
    *,
    seats: int = 1,
    seed: int | None = None,
) -> TallyResult:
    """Each ballot is a sequence of at most one candidate (empty: blank)."""
    return _count("plurality", candidates, ballots, seats, seed)


def approval(
    candidates: Sequence[str],
    ballots: Sequence[Sequence[str]] | BallotCounts,
    *,
    seats: int = 1,
    seed: int | None = None,
) -> TallyResult:
    """Each ballot is the sequence of approved candidates (empty: blank)."""
    return _count("approval", candidates, ballots, seats, seed)
