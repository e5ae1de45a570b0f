"""Schulze method (winning votes).

``pairwise[a][b]`` is the number of ballots preferring ``a`` to ``b``: a ranked
candidate is preferred to every candidate ranked after it and to every unranked
candidate; unranked candidates are equal among themselves (no preference between
them); blank ballots express nothing.

The link ``a → b`` has strength ``pairwise[a][b]`` when ``pairwise[a][b] >
pairwise[b][a]`` (winning votes), else 0. ``strongest_paths[a][b]`` is the
strength of the strongest path from ``a`` to ``b``, a path being as strong as its
weakest link (Floyd–Warshall widest paths). ``a`` beats ``b`` when
``strongest_paths[a][b] > strongest_paths[b][a]``; this relation is a strict weak
order, so the candidates fall into ``ranking`` groups: first those not beaten by
anyone, then those beaten only by the first group, and so on.

The winners are the first group. As the contract says, several winners means a
tie: ``tie`` is true, all of them are listed, and no tie-break is applied
(``tie_break`` stays ``null``). With ``seats`` > 1, groups fill the seats in
order; a group that does not fit whole is included whole and ``tie`` is true.

The single round's ``counts`` give, for each candidate, how many others it beats.
With no valid ballot, nobody is elected.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from maillon.tally.ballots import BallotCounts, check_candidates, check_seats, grouped, ranked_key
from maillon.tally.result import Round, TallyResult
from maillon.tally.tiebreak import default_seed_counted


def pairwise_matrix(
    candidates: Sequence[str], rankings: Sequence[Sequence[str]] | Mapping[tuple[str, ...], int]
) -> dict[str, dict[str, int]]:
    """From ballots, or from distinct rankings with their counts."""
    d = {a: dict.fromkeys((b for b in candidates if b != a), 0) for a in candidates}
    counted = rankings if isinstance(rankings, Mapping) else Counter(tuple(r) for r in rankings)
    for ranking, n in counted.items():
        if not ranking:
            continue
        below = set(candidates)
        for a in ranking:
            below.discard(a)
            for b in below:
                d[a][b] += n
    return d


def strongest_paths(
    candidates: Sequence[str], d: dict[str, dict[str, int]]
) -> dict[str, dict[str, int]]:
    p = {
        a: {b: (d[a][b] if d[a][b] > d[b][a] else 0) for b in candidates if b != a}
        for a in candidates
    }
    for i in candidates:
        for j in candidates:
            if j == i:
                continue
            for k in candidates:
                if k not in (i, j):
                    p[j][k] = max(p[j][k], min(p[j][i], p[i][k]))
    return p


def schulze(
    candidates: Sequence[str],
    ballots: Sequence[Sequence[str]] | BallotCounts,
    *,
    seats: int = 1,
    seed: int | None = None,
) -> TallyResult:
    """Schulze winners (all unbeaten candidates; several means a tie)."""
    names = check_candidates(candidates)
    check_seats(seats, method="schulze")
    counted, total = grouped(ballots, ranked_key(names))
    if seed is None:
        seed = default_seed_counted(names, counted.items())
    valid = sum(n for r, n in counted.items() if r)
    d = pairwise_matrix(names, counted)
    p = strongest_paths(names, d)
    beats = {a: [b for b in names if b != a and p[a][b] > p[b][a]] for a in names}

    ranking: list[list[str]] = []
    remaining = list(names)
    while remaining:
        group = [a for a in remaining if not any(p[b][a] > p[a][b] for b in remaining if b != a)]
        # Never empty: the Schulze relation is a strict partial order (transitive, no cycle),
        # so a finite set always has an unbeaten member.
        group = group or remaining
        ranking.append(group)
        remaining = [a for a in remaining if a not in group]

    winners: list[str] = []
    tie = False
    if valid:
        for group in ranking:
            if len(winners) >= seats:
                break
            if len(winners) + len(group) > seats:
                tie = True
            winners.extend(group)

    counts = {a: len(beats[a]) for a in names}
    return TallyResult(
        method="schulze",
        seats=seats,
        ballots=total,
        blank=total - valid,
        winners=winners,
        tie=tie,
        rounds=[Round(counts, elected=winners)],
        seed=seed,
        extra={"pairwise": d, "strongest_paths": p, "ranking": ranking},
    )
