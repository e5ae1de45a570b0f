"""Instant-runoff (``irv``) and single transferable vote (``stv``).

A ballot is a sequence of candidates, most preferred first; a shorter one is a
truncated ballot and an empty one is blank (counted in ``ballots`` and ``blank``,
never as a preference). A ballot *exhausts* when it ranks no continuing candidate
any more; ``exhausted`` in each round is the weight of such ballots.

**irv** (one seat). Each round counts every non-blank ballot for its highest
ranked continuing candidate. A candidate with more than half of the ballots still
counting (exhausted ones excluded) wins; the last continuing candidate wins too.
Otherwise the candidate with the fewest votes is eliminated; a tie for fewest is
settled by the previous rounds' counts, then by lot (:mod:`maillon.tally.tiebreak`).

**stv** (several seats), exactly as TALLY.md, with exact :class:`~fractions.Fraction`
arithmetic and no rounding anywhere:

1. Droop quota = floor(valid ballots / (seats + 1)) + 1, valid = non-blank.
2. Each round, every continuing candidate at or above the quota is elected (in
   ``winners`` by decreasing count, then header order). Their surpluses are then
   transferred together, by the weighted inclusive Gregory method: every ballot
   counting for an elected candidate with total T and surplus S = T - quota moves
   to its next continuing candidate at weight × S / T (it skips candidates already
   elected, including those elected in the same round, and eliminated ones); the
   elected candidate keeps exactly the quota.
3. Otherwise, if the continuing candidates are no more than the seats left, they
   are all elected (in ``winners`` by decreasing count, then header order).
4. Otherwise the continuing candidate with the fewest votes is eliminated (ties as
   for irv) and their ballots move on at their current weight.

Each recorded round shows the counts at its start for every candidate not yet
eliminated (elected ones at the value they keep) and the exhausted weight: these
always add up exactly to the number of valid ballots. In JSON they are floats, and
``"exact"`` repeats them as fractions (``"17/3"``).

With no valid ballot, nobody is elected and there are no rounds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from fractions import Fraction

from maillon.tally.ballots import BallotCounts, check_candidates, check_seats, grouped, ranked_key
from maillon.tally.result import Round, TallyResult
from maillon.tally.tiebreak import TieBreaker, default_seed_counted


def _prepare(candidates, ballots, seed):
    """Identical ballots are grouped first: every round then works on the distinct
    rankings (at most a few hundred for 5 candidates), each with its count."""
    names = check_candidates(candidates)
    counted, total = grouped(ballots, ranked_key(names))
    if seed is None:
        seed = default_seed_counted(names, counted.items())
    valid = Counter({r: n for r, n in counted.items() if r})
    return names, total, valid, TieBreaker(seed)


def irv(
    candidates: Sequence[str],
    ballots: Sequence[Sequence[str]] | BallotCounts,
    *,
    seats: int = 1,
    seed: int | None = None,
) -> TallyResult:
    """Instant-runoff voting for one seat."""
    check_seats(seats, method="irv", only_one=True)
    names, total, valid, breaker = _prepare(candidates, ballots, seed)
    rounds: list[Round] = []
    history: list[dict[str, Fraction]] = []
    winners: list[str] = []
    continuing = list(names) if valid else []
    while continuing:
        alive = set(continuing)
        counts = dict.fromkeys(continuing, Fraction(0))
        exhausted = Fraction(0)
        for ranking, n in valid.items():
            for name in ranking:
                if name in alive:
                    counts[name] += n
                    break
            else:
                exhausted += n
        active = sum(counts.values())
        majority = [c for c in continuing if 2 * counts[c] > active]
        if majority or len(continuing) == 1:
            winners = majority or continuing
            rounds.append(Round(counts, elected=winners, exhausted=exhausted))
            break
        low = min(counts.values())
        tied = [c for c in continuing if counts[c] == low]
        loser = tied[0] if len(tied) == 1 else breaker.eliminate(tied, history, len(rounds) + 1)
        rounds.append(Round(counts, eliminated=[loser], exhausted=exhausted))
        history.append(counts)
        continuing.remove(loser)
    return TallyResult(
        method="irv",
        seats=1,
        ballots=total,
        blank=total - sum(valid.values()),
        winners=winners,
        tie=breaker.used,
        rounds=rounds,
        tie_events=breaker.events,
        seed=breaker.seed,
        float_counts=True,
    )


def _by_count(group: list[str], counts: dict[str, Fraction], order: dict[str, int]) -> list[str]:
    """Candidates elected in the same round: by decreasing count, then header order."""
    return sorted(group, key=lambda c: (-counts[c], order[c]))


class _Parcel:
    """Identical ballots travelling together: ranking, position, weight, how many."""

    __slots__ = ("ranking", "position", "weight", "count")

    def __init__(self, ranking: tuple[str, ...], position: int, weight: Fraction, count: int):
        self.ranking = ranking
        self.position = position
        self.weight = weight
        self.count = count

    @property
    def value(self) -> Fraction:
        return self.weight * self.count


class _StvCount:
    """The state of an STV count: each candidate's pile of parcels, their status,
    the votes kept by the elected and the exhausted weight."""

    def __init__(self, names: list[str], valid: Mapping[tuple[str, ...], int], seats: int):
        self.names = names
        self.total_valid = sum(valid.values())
        self.quota = self.total_valid // (seats + 1) + 1
        self.order = {name: i for i, name in enumerate(names)}
        self.status = dict.fromkeys(names, "continuing")
        self.piles: dict[str, list[_Parcel]] = {name: [] for name in names}
        self.kept: dict[str, Fraction] = {}
        self.exhausted = Fraction(0)
        self.winners: list[str] = []
        for ranking, n in valid.items():
            self.place(_Parcel(ranking, 0, Fraction(1), n), 0)

    def place(self, parcel: _Parcel, start: int) -> None:
        """Give ``parcel`` to its next continuing candidate from ``start``, or count
        it as exhausted."""
        for i in range(start, len(parcel.ranking)):
            name = parcel.ranking[i]
            if self.status[name] == "continuing":
                parcel.position = i
                self.piles[name].append(parcel)
                return
        self.exhausted += parcel.value

    def continuing(self) -> list[str]:
        return [c for c in self.names if self.status[c] == "continuing"]

    def shown(self, counts: Mapping[str, Fraction]) -> dict[str, Fraction]:
        """The counts of a round: the elected keep their quota, the eliminated go."""
        return {
            c: self.kept[c] if self.status[c] == "elected" else counts[c]
            for c in self.names
            if self.status[c] != "eliminated"
        }

    def elect_with_surplus(self, reached: list[str], counts: Mapping[str, Fraction]) -> None:
        """Elect ``reached`` and move all their surpluses together (weighted
        inclusive Gregory: every parcel at weight × surplus / total)."""
        for c in reached:
            self.status[c] = "elected"
            self.winners.append(c)
        for c in reached:
            total = counts[c]
            factor = (total - self.quota) / total
            self.kept[c] = Fraction(self.quota)
            parcels, self.piles[c] = self.piles[c], []
            for parcel in parcels:
                parcel.weight *= factor
                if factor:
                    self.place(parcel, parcel.position + 1)

    def elect_remaining(self, elected: list[str], counts: Mapping[str, Fraction]) -> None:
        for c in elected:
            self.status[c] = "elected"
            self.kept[c] = counts[c]
            self.winners.append(c)

    def eliminate(self, loser: str) -> None:
        self.status[loser] = "eliminated"
        parcels, self.piles[loser] = self.piles[loser], []
        for parcel in parcels:
            self.place(parcel, parcel.position + 1)


def stv(
    candidates: Sequence[str],
    ballots: Sequence[Sequence[str]] | BallotCounts,
    *,
    seats: int = 1,
    seed: int | None = None,
) -> TallyResult:
    """Single transferable vote, Droop quota, weighted inclusive Gregory, exact."""
    check_seats(seats, method="stv")
    names, total, valid, breaker = _prepare(candidates, ballots, seed)
    count = _StvCount(names, valid, seats)
    rounds: list[Round] = []
    history: list[dict[str, Fraction]] = []
    while count.total_valid and len(count.winners) < seats:
        continuing = count.continuing()
        if not continuing:
            break
        counts = {c: sum((p.value for p in count.piles[c]), Fraction(0)) for c in continuing}
        shown = count.shown(counts)
        seats_left = seats - len(count.winners)
        reached = _by_count(
            [c for c in continuing if counts[c] >= count.quota], counts, count.order
        )
        if reached:
            # The Droop quota cannot be reached by more candidates than seats left.
            assert len(reached) <= seats_left
            rounds.append(Round(shown, elected=reached, exhausted=count.exhausted, exact=True))
            count.elect_with_surplus(reached, counts)
            history.append(counts)
            continue
        if len(continuing) <= seats_left:
            elected = _by_count(continuing, counts, count.order)
            rounds.append(Round(shown, elected=elected, exhausted=count.exhausted, exact=True))
            count.elect_remaining(elected, counts)
            break
        low = min(counts.values())
        tied = [c for c in continuing if counts[c] == low]
        loser = tied[0] if len(tied) == 1 else breaker.eliminate(tied, history, len(rounds) + 1)
        rounds.append(Round(shown, eliminated=[loser], exhausted=count.exhausted, exact=True))
        history.append(counts)
        count.eliminate(loser)
    winners, quota, total_valid = count.winners, count.quota, count.total_valid

    return TallyResult(
        method="stv",
        seats=seats,
        ballots=total,
        blank=total - total_valid,
        winners=winners,
        tie=breaker.used,
        rounds=rounds,
        tie_events=breaker.events,
        seed=breaker.seed,
        float_counts=True,
        extra={"quota": quota},
    )
