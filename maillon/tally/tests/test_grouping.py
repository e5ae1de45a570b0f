"""Grouped counting (identical ballots counted once) gives exactly the results of
counting ballot by ballot.

Every method groups identical ballots before counting. These properties check it
against straightforward ballot-by-ballot counts written here, against the same
ballots given already grouped (:class:`BallotCounts`, as the streaming CSV reader
builds them), and the streaming reader against the list reader.
"""

from __future__ import annotations

import io
from collections import Counter
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from maillon.tally import BallotCounts, read_ballots, tally
from maillon.tally.csvio import count_binary
from maillon.tally.schulze import pairwise_matrix
from maillon.tally.tests.test_properties import approvals, graded, ranked, single_choice
from maillon.tally.tiebreak import TieBreaker, default_seed, default_seed_counted

FAST = settings(max_examples=150, deadline=None)


def many(ballots, data):
    """The ballots with heavy repetition, so that groups are large."""
    times = data.draw(st.lists(st.integers(1, 5), min_size=len(ballots), max_size=len(ballots)))
    return [b for b, n in zip(ballots, times, strict=True) for _i in range(n)]


def same_three_ways(method, names, ballots, **options):
    """The ballot list, the same ballots grouped, and the grouped ones expanded agree."""
    plain = tally(method, names, ballots, **options).to_dict()
    counted = BallotCounts(Counter(tuple(b) for b in ballots))
    assert tally(method, names, counted, **options).to_dict() == plain
    assert tally(method, names, counted.expand(), **options).to_dict() == plain
    return plain


# --- ballot-by-ballot references -------------------------------------------------


def irv_one_by_one(names, ballots, seed):
    breaker = TieBreaker(seed)
    continuing = list(names) if any(ballots) else []
    history, rounds, winners = [], [], []
    while continuing:
        counts = dict.fromkeys(continuing, Fraction(0))
        for ballot in ballots:
            for name in ballot:
                if name in continuing:
                    counts[name] += 1
                    break
        active = sum(counts.values())
        majority = [c for c in continuing if 2 * counts[c] > active]
        if majority or len(continuing) == 1:
            winners = majority or continuing
            rounds.append(counts)
            break
        low = min(counts.values())
        tied = [c for c in continuing if counts[c] == low]
        loser = tied[0] if len(tied) == 1 else breaker.eliminate(tied, history, len(rounds) + 1)
        rounds.append(counts)
        history.append(counts)
        continuing.remove(loser)
    return winners, rounds


def stv_one_by_one(names, ballots, seats):
    """Every ballot its own parcel (position, weight); the same rules as TALLY.md."""
    valid = [b for b in ballots if b]
    quota = len(valid) // (seats + 1) + 1
    status = dict.fromkeys(names, "continuing")
    piles = {c: [] for c in names}
    winners, rounds = [], []

    def place(ballot, start, weight):
        for i in range(start, len(ballot)):
            if status[ballot[i]] == "continuing":
                piles[ballot[i]].append([ballot, i, weight])
                return

    for ballot in valid:
        place(ballot, 0, Fraction(1))
    while valid and len(winners) < seats:
        continuing = [c for c in names if status[c] == "continuing"]
        if not continuing:
            break
        counts = {c: sum((p[2] for p in piles[c]), Fraction(0)) for c in continuing}
        rounds.append(counts)
        reached = sorted(
            (c for c in continuing if counts[c] >= quota),
            key=lambda c: (-counts[c], names.index(c)),
        )
        if reached:
            for c in reached:
                status[c] = "elected"
                winners.append(c)
            for c in reached:
                factor = (counts[c] - quota) / counts[c]
                parcels, piles[c] = piles[c], []
                for ballot, position, weight in parcels:
                    if factor:
                        place(ballot, position + 1, weight * factor)
            continue
        if len(continuing) <= seats - len(winners):
            winners += sorted(continuing, key=lambda c: (-counts[c], names.index(c)))
            break
        low = min(counts.values())
        tied = [c for c in continuing if counts[c] == low]
        if len(tied) > 1:
            return None  # ties: covered by the three-way comparison instead
        status[tied[0]] = "eliminated"
        parcels, piles[tied[0]] = piles[tied[0]], []
        for ballot, position, weight in parcels:
            place(ballot, position + 1, weight)
    return winners, rounds


# --- properties ------------------------------------------------------------------


@FAST
@given(ranked(), st.data())
def test_irv_grouped_equals_ballot_by_ballot(election, data):
    names, ballots = election
    ballots = many(ballots, data)
    result = same_three_ways("irv", names, ballots)
    seed = default_seed(names, ballots)
    winners, rounds = irv_one_by_one(names, ballots, seed)
    assert result["winners"] == winners
    assert [r["counts"] for r in result["rounds"]] == [
        {c: float(v) for c, v in counts.items()} for counts in rounds
    ]


@FAST
@given(ranked(), st.integers(1, 3), st.data())
def test_stv_grouped_equals_ballot_by_ballot(election, seats, data):
    names, ballots = election
    ballots = many(ballots, data)
    result = same_three_ways("stv", names, ballots, seats=seats)
    reference = stv_one_by_one(names, ballots, seats)
    if reference is None:
        return
    winners, rounds = reference
    assert result["winners"] == winners
    exact = [
        {c: Fraction(v) for c, v in r["exact"]["counts"].items() if c in counts}
        for r, counts in zip(result["rounds"], rounds, strict=True)
    ]
    assert exact == rounds


@FAST
@given(ranked(), st.integers(1, 3), st.data())
def test_schulze_grouped_equals_ballot_by_ballot(election, seats, data):
    names, ballots = election
    ballots = many(ballots, data)
    result = same_three_ways("schulze", names, ballots, seats=seats)
    d = {a: {b: 0 for b in names if b != a} for a in names}
    for ballot in ballots:
        for i, a in enumerate(ballot):
            for b in names:
                if b != a and b not in ballot[: i + 1]:
                    d[a][b] += 1
    assert result["pairwise"] == d == pairwise_matrix(names, ballots)


@FAST
@given(graded(), st.integers(1, 3), st.data())
def test_majority_judgment_grouped_equals_ballot_by_ballot(election, seats, data):
    names, k, rows = election
    rows = many(rows, data)
    result = same_three_ways("majority-judgment", names, rows, grades=k, seats=seats)
    if any(rows):
        for i, c in enumerate(names):
            expected = [sum(1 for r in rows if r and r[i] == g) for g in range(k)]
            assert result["profiles"][c]["distribution"] == expected
    assert (result["ballots"], result["blank"]) == (len(rows), sum(1 for r in rows if not r))


@FAST
@given(st.one_of(single_choice(), approvals()), st.integers(1, 3), st.data())
def test_choice_grouped_equals_ballot_by_ballot(election, seats, data):
    names, ballots = election
    ballots = many(ballots, data)
    for method in ("plurality", "approval") if all(len(b) <= 1 for b in ballots) else ("approval",):
        result = same_three_ways(method, names, ballots, seats=seats)
        assert result["rounds"][0]["counts"] == {
            c: sum(1 for b in ballots if c in b) for c in names
        }


@FAST
@given(st.lists(st.sampled_from(["yes", "no", "abstain", None]), max_size=40))
def test_yes_no_grouped_equals_ballot_by_ballot(answers):
    ballots = [(a,) if a else () for a in answers]
    result = same_three_ways("yes-no", [], ballots)
    assert result["rounds"][0]["counts"] == {o: answers.count(o) for o in ("yes", "no", "abstain")}


@FAST
@given(ranked())
def test_default_seed_of_grouped_ballots_is_the_same(election):
    names, ballots = election
    assert default_seed_counted(names, Counter(ballots).items()) == default_seed(names, ballots)


@FAST
@given(ranked(), st.sampled_from(["irv", "stv", "schulze"]), st.sampled_from(["\n", "\r\n", "\r"]))
def test_streaming_reader_counts_what_the_list_reader_reads(election, method, newline):
    names, ballots = election
    data = (newline.join([",".join(names)] + [",".join(b) for b in ballots]) + newline).encode()
    listed = read_ballots(data, method)
    streamed = count_binary(io.BytesIO(data), method)
    assert streamed.candidates == listed.candidates
    assert streamed.ballots.counts == Counter(listed.ballots)
    assert (
        tally(method, names, streamed.ballots).to_dict()
        == tally(method, names, listed.ballots).to_dict()
    )
