"""Majority judgment.

Each non-blank ballot gives every candidate one grade, an integer from 0 (worst)
to k−1 (best); the default scale has k = 7 (à rejeter … excellent). A blank
ballot (no grade at all) is counted in ``ballots`` and ``blank`` only.

Comparing two candidates, exactly as TALLY.md:

1. each candidate's grade is the **lower median** of its grades (with n grades
   sorted from worst to best, the one at index (n−1)//2);
2. a higher median wins;
3. among equal medians, the **majority gauge** decides: with p the share of grades
   above the median and q the share below, a candidate with p > q beats any
   candidate with q ≥ p; two p > q candidates rank by larger p; two q ≥ p
   candidates rank by smaller q;
4. if still tied (same median and the deciding share equal), one median grade is
   removed from each tied candidate and the comparison starts again at 1.

Since each step removes the median, two candidates stay tied through every step
only when their grade distributions are identical. Such a tie for the last
seat(s) is settled by lot (``tie`` true; see :mod:`maillon.tally.tiebreak`).

``ranking`` lists the candidates best first, in groups of tied candidates;
``profiles`` gives each one's distribution (how many of each grade), median and
how many grades lie above and below it; the single round's ``counts`` are the
medians (as grade numbers). With no valid ballot, nobody is elected.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from fractions import Fraction
from functools import cmp_to_key

from maillon.tally.ballots import BallotCounts, check_candidates, check_seats, grouped
from maillon.tally.errors import TallyInputError
from maillon.tally.result import Round, TallyResult
from maillon.tally.tiebreak import TieBreaker, default_seed_counted

DEFAULT_GRADES: tuple[str, ...] = (
    "à rejeter",
    "insuffisant",
    "passable",
    "assez bien",
    "bien",
    "très bien",
    "excellent",
)


def grade_labels(grades: int | Sequence[str] | None) -> tuple[str, ...]:
    """The k labels, worst first, from a number k or a list of labels."""
    if grades is None:
        return DEFAULT_GRADES
    if isinstance(grades, int) and not isinstance(grades, bool):
        if grades < 2:
            raise TallyInputError("there must be at least two grades")
        return tuple(str(i) for i in range(grades))
    labels = tuple(grades) if not isinstance(grades, bool) else ()
    if len(labels) < 2:
        raise TallyInputError("there must be at least two grades")
    if any(not isinstance(x, str) or not x for x in labels) or len(set(labels)) < len(labels):
        raise TallyInputError("grade labels must be distinct and non-empty")
    return labels


def lower_median(distribution: Sequence[int]) -> int:
    """The lower median grade of a distribution (count of each grade, worst first)."""
    target = (sum(distribution) - 1) // 2
    seen = 0
    for grade, count in enumerate(distribution):
        seen += count
        if seen > target:
            return grade
    raise ValueError("empty distribution")


def _steps(distribution: Sequence[int]) -> Iterator[tuple[int, int, Fraction]]:
    """The comparison key at each step of median removal (greater is better)."""
    dist = list(distribution)
    n = sum(dist)
    while n:
        m = lower_median(dist)
        above = sum(dist[m + 1 :])
        below = sum(dist[:m])
        if above > below:
            yield (m, 1, Fraction(above, n))
        else:
            yield (m, 0, -Fraction(below, n))
        dist[m] -= 1
        n -= 1


def compare(a: Sequence[int], b: Sequence[int]) -> int:
    """1 if distribution ``a`` beats ``b``, -1 if it loses, 0 if they are tied."""
    for key_a, key_b in zip(_steps(a), _steps(b), strict=True):
        if key_a != key_b:
            return 1 if key_a > key_b else -1
    return 0


def majority_judgment(
    candidates: Sequence[str],
    ballots: Sequence[Sequence[int]] | BallotCounts,
    *,
    grades: int | Sequence[str] | None = None,
    seats: int = 1,
    seed: int | None = None,
) -> TallyResult:
    """Each ballot is a sequence of grades in candidate order (empty: blank)."""
    names = check_candidates(candidates)
    check_seats(seats, method="majority-judgment")
    labels = grade_labels(grades)
    k = len(labels)

    def check(i: int, row: tuple) -> tuple[int, ...]:
        if row and len(row) != len(names):
            raise TallyInputError(f"ballot {i}: {len(row)} grades for {len(names)} candidates")
        for g in row:
            if isinstance(g, bool) or not isinstance(g, int) or not 0 <= g < k:
                raise TallyInputError(
                    f"ballot {i}: grade {g!r} is not an integer from 0 to {k - 1}"
                )
        return row

    # Identical ballots are grouped first: at most k ** candidates distinct rows.
    rows, total = grouped(ballots, check)
    if seed is None:
        seed = default_seed_counted(names, rows.items())
    valid = sum(n for row, n in rows.items() if row)
    dist = {c: [0] * k for c in names}
    for row, n in rows.items():
        if row:
            for c, g in zip(names, row, strict=True):
                dist[c][g] += n

    breaker = TieBreaker(seed)
    ranking: list[list[str]] = []
    winners: list[str] = []
    profiles: dict[str, dict] = {}
    medians: dict[str, int] = {}
    if valid:

        def by_distribution(a: str, b: str) -> int:
            return compare(dist[b], dist[a])

        ordered = sorted(names, key=cmp_to_key(by_distribution))
        for c in ordered:
            if ranking and compare(dist[ranking[-1][0]], dist[c]) == 0:
                ranking[-1].append(c)
            else:
                ranking.append([c])
        winners = breaker.fill_seats(ranking, seats)
        for c in names:
            m = lower_median(dist[c])
            medians[c] = m
            profiles[c] = {
                "distribution": dist[c],
                "median": m,
                "median_grade": labels[m],
                "above": sum(dist[c][m + 1 :]),
                "below": sum(dist[c][:m]),
            }
    return TallyResult(
        method="majority-judgment",
        seats=seats,
        ballots=total,
        blank=total - valid,
        winners=winners,
        tie=breaker.used,
        rounds=[Round(medians, elected=winners)] if valid else [],
        tie_events=breaker.events,
        seed=seed,
        extra={"grades": list(labels), "profiles": profiles, "ranking": ranking},
    )
