"""Invariants of the counting methods, checked with hypothesis."""

from __future__ import annotations

import itertools
from collections import Counter
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from maillon.tally import (
    approval,
    irv,
    majority_judgment,
    plurality,
    read_ballots,
    schulze,
    stv,
)
from maillon.tally.judgment import compare
from maillon.tally.schulze import pairwise_matrix, strongest_paths

NAMES = ["Ali", "Béa", "Camille", "Dom", "Élise"]
FAST = settings(max_examples=200, deadline=None)


@st.composite
def ranked(draw, min_candidates=1, max_candidates=5, max_ballots=30):
    n = draw(st.integers(min_candidates, max_candidates))
    names = NAMES[:n]
    ballot = st.permutations(names).flatmap(
        lambda order: st.integers(0, len(order)).map(lambda k: tuple(order[:k]))
    )
    return names, draw(st.lists(ballot, max_size=max_ballots))


@st.composite
def single_choice(draw):
    n = draw(st.integers(1, 5))
    names = NAMES[:n]
    ballot = st.one_of(st.just(()), st.sampled_from(names).map(lambda c: (c,)))
    return names, draw(st.lists(ballot, max_size=30))


@st.composite
def approvals(draw):
    n = draw(st.integers(1, 5))
    names = NAMES[:n]
    ballot = st.sets(st.sampled_from(names)).map(lambda s: tuple(c for c in names if c in s))
    return names, draw(st.lists(ballot, max_size=30))


@st.composite
def graded(draw, max_ballots=20):
    n = draw(st.integers(1, 4))
    k = draw(st.integers(2, 7))
    names = NAMES[:n]
    row = st.tuples(*[st.integers(0, k - 1)] * n)
    rows = draw(st.lists(row, max_size=max_ballots))
    blanks = draw(st.integers(0, 2))
    return names, k, rows + [()] * blanks


def valid(ballots):
    return sum(1 for b in ballots if b)


# --- counts add up -----------------------------------------------------------


@FAST
@given(single_choice())
def test_plurality_counts_sum_to_non_blank_ballots(election):
    names, ballots = election
    result = plurality(names, ballots)
    assert sum(result.rounds[0].counts.values()) == valid(ballots)
    assert result.ballots == len(ballots)
    assert result.blank == len(ballots) - valid(ballots)


@FAST
@given(ranked())
def test_irv_first_round_counts_sum_to_non_blank_ballots(election):
    names, ballots = election
    result = irv(names, ballots)
    if valid(ballots):
        assert sum(result.rounds[0].counts.values()) == valid(ballots)
        for r in result.rounds:
            assert sum(r.counts.values()) + r.exhausted == valid(ballots)
    else:
        assert result.winners == []


@FAST
@given(ranked(), st.integers(1, 4))
def test_stv_conserves_weight_exactly(election, seats):
    names, ballots = election
    result = stv(names, ballots, seats=seats)
    for r in result.rounds:
        total = sum(r.counts.values(), Fraction(0)) + r.exhausted
        assert isinstance(total, Fraction)
        assert total == valid(ballots)


# --- winners -------------------------------------------------------------------


@FAST
@given(ranked(), st.integers(1, 4), st.sampled_from(["stv", "schulze", "plurality", "approval"]))
def test_winners_are_candidates_and_fill_the_seats(election, seats, method):
    names, ballots = election
    if method == "stv":
        result = stv(names, ballots, seats=seats)
    elif method == "schulze":
        result = schulze(names, ballots, seats=seats)
    elif method == "plurality":
        result = plurality(names, [b[:1] for b in ballots], seats=seats)
    else:
        result = approval(names, ballots, seats=seats)
    assert set(result.winners) <= set(names)
    assert len(set(result.winners)) == len(result.winners)
    if not valid(ballots):
        assert result.winners == []
    elif method == "schulze" and result.tie:
        assert len(result.winners) > min(seats, len(names))
    else:
        assert len(result.winners) == min(seats, len(names))


@FAST
@given(graded(), st.integers(1, 3))
def test_majority_judgment_fills_the_seats(election, seats):
    names, k, rows = election
    result = majority_judgment(names, rows, grades=k, seats=seats)
    assert set(result.winners) <= set(names)
    expected = min(seats, len(names)) if valid(rows) else 0
    assert len(result.winners) == expected


@FAST
@given(ranked())
def test_condorcet_winner_is_the_schulze_winner(election):
    names, ballots = election
    d = pairwise_matrix(names, ballots)
    condorcet = [a for a in names if all(d[a][b] > d[b][a] for b in names if b != a)]
    if condorcet and valid(ballots):
        result = schulze(names, ballots)
        assert result.winners == condorcet
        assert result.tie is False


def widest_path_by_enumeration(names, d):
    """Independent check: try every simple path."""
    strength = {
        (a, b): (d[a][b] if d[a][b] > d[b][a] else 0) for a in names for b in names if a != b
    }
    best = {}
    for a, b in strength:
        others = [c for c in names if c not in (a, b)]
        value = strength[a, b]
        for size in range(1, len(others) + 1):
            for middle in itertools.permutations(others, size):
                path = (a, *middle, b)
                value = max(value, min(strength[x, y] for x, y in itertools.pairwise(path)))
        best[a, b] = value
    return best


@FAST
@given(ranked(max_ballots=20))
def test_schulze_strongest_paths_match_enumeration(election):
    names, ballots = election
    d = pairwise_matrix(names, ballots)
    p = strongest_paths(names, d)
    expected = widest_path_by_enumeration(names, d)
    assert {(a, b): p[a][b] for a, b in expected} == expected


@FAST
@given(ranked())
def test_irv_first_preference_majority_wins(election):
    names, ballots = election
    firsts = Counter(b[0] for b in ballots if b)
    leader = [c for c, n in firsts.items() if 2 * n > valid(ballots)]
    if leader:
        assert irv(names, ballots).winners == leader


@FAST
@given(ranked())
def test_stv_with_one_seat_is_irv(election):
    names, ballots = election
    by_irv = irv(names, ballots)
    if not by_irv.tie:
        assert stv(names, ballots, seats=1).winners == by_irv.winners


# --- order of ballots, seeds ---------------------------------------------------


@FAST
@given(ranked(), st.randoms(use_true_random=False), st.integers(1, 3))
def test_ballot_order_does_not_matter(election, rnd, seats):
    names, ballots = election
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert irv(names, shuffled).to_dict() == irv(names, ballots).to_dict()
    assert stv(names, shuffled, seats=seats).to_dict() == stv(names, ballots, seats=seats).to_dict()
    assert schulze(names, shuffled).to_dict() == schulze(names, ballots).to_dict()


@FAST
@given(graded(), st.randoms(use_true_random=False))
def test_majority_judgment_ballot_order_does_not_matter(election, rnd):
    names, k, rows = election
    shuffled = list(rows)
    rnd.shuffle(shuffled)
    assert (
        majority_judgment(names, shuffled, grades=k).to_dict()
        == majority_judgment(names, rows, grades=k).to_dict()
    )


@FAST
@given(ranked(), st.integers(0, 2**40), st.integers(1, 3))
def test_same_seed_same_result(election, seed, seats):
    names, ballots = election
    assert irv(names, ballots, seed=seed).to_dict() == irv(names, ballots, seed=seed).to_dict()
    first = stv(names, ballots, seats=seats, seed=seed)
    assert first.to_dict() == stv(names, ballots, seats=seats, seed=seed).to_dict()
    if first.tie_events and any(e.rule == "lot" for e in first.tie_events):
        assert first.to_dict()["tie_break"]["seed"] == seed
    single = [b[:1] for b in ballots]
    assert (
        plurality(names, single, seats=seats, seed=seed).to_dict()
        == plurality(names, single, seats=seats, seed=seed).to_dict()
    )


# --- monotonicity ------------------------------------------------------------------


@FAST
@given(single_choice())
def test_plurality_a_ballot_for_the_winner_keeps_them_winning(election):
    names, ballots = election
    result = plurality(names, ballots)
    if result.winners:
        (winner,) = result.winners
        assert plurality(names, [*ballots, (winner,)]).winners == [winner]


@FAST
@given(graded(), st.data())
def test_majority_judgment_raising_the_winners_grade_keeps_them_winning(election, data):
    names, k, rows = election
    result = majority_judgment(names, rows, grades=k)
    grades_rows = [i for i, r in enumerate(rows) if r]
    if not result.winners:
        return
    winner = result.winners[0]
    column = names.index(winner)
    raisable = [i for i in grades_rows if rows[i][column] < k - 1]
    if not raisable:
        return
    i = data.draw(st.sampled_from(raisable))
    new_grade = data.draw(st.integers(rows[i][column] + 1, k - 1))
    changed = list(rows)
    row = list(changed[i])
    row[column] = new_grade
    changed[i] = tuple(row)
    assert majority_judgment(names, changed, grades=k).winners == [winner]


def naive_key_sequence(grades):
    """Independent reading of TALLY.md on a plain sorted list of grades."""
    grades = sorted(grades)
    keys = []
    while grades:
        n = len(grades)
        m = grades[(n - 1) // 2]
        p = Fraction(sum(1 for g in grades if g > m), n)
        q = Fraction(sum(1 for g in grades if g < m), n)
        keys.append((m, 1, p) if p > q else (m, 0, -q))
        grades.remove(m)
    return keys


@FAST
@given(st.integers(2, 7).flatmap(lambda k: st.tuples(st.just(k), st.integers(1, 12))).flatmap(
    lambda kn: st.tuples(
        st.lists(st.integers(0, kn[0] - 1), min_size=kn[1], max_size=kn[1]),
        st.lists(st.integers(0, kn[0] - 1), min_size=kn[1], max_size=kn[1]),
        st.just(kn[0]),
    )
))  # fmt: skip
def test_majority_judgment_comparison_matches_a_naive_reading(args):
    a, b, k = args
    dist_a = [a.count(g) for g in range(k)]
    dist_b = [b.count(g) for g in range(k)]
    ka, kb = naive_key_sequence(a), naive_key_sequence(b)
    expected = (ka > kb) - (ka < kb)
    assert compare(dist_a, dist_b) == expected
    assert (expected == 0) == (sorted(a) == sorted(b))


# --- files -----------------------------------------------------------------------


@FAST
@given(ranked(), st.sampled_from([",", ";"]), st.booleans(), st.sampled_from(["\n", "\r\n"]))
def test_csv_round_trip(election, delimiter, bom, newline):
    names, ballots = election
    lines = [delimiter.join(names)] + [delimiter.join(b) for b in ballots]
    text = newline.join(lines) + newline
    data = ("\ufeff" + text if bom else text).encode()
    parsed = read_ballots(data, "stv")
    assert parsed.candidates == tuple(names)
    # Trailing blank ballots written as empty lines are indistinguishable from the
    # editor's trailing newlines, so they are dropped; the others are kept.
    kept = list(ballots)
    while kept and not kept[-1]:
        kept.pop()
    assert parsed.ballots == kept
