"""Plurality, approval and yes-no, plus the dispatcher."""

from __future__ import annotations

import hashlib

import pytest

from maillon.tally import TallyInputError, approval, plurality, tally, yes_no
from maillon.tally.tests.helpers import repeat
from maillon.tally.tiebreak import default_seed, lot_order


def test_plurality_counts_and_blank():
    ballots = repeat((3, ("A",)), (5, ("B",)), (1, ("C",)), (2, ()))
    result = plurality(["A", "B", "C"], ballots)
    assert result.winners == ["B"]
    assert result.rounds[0].counts == {"A": 3, "B": 5, "C": 1}
    assert (result.ballots, result.blank, result.tie) == (11, 2, False)
    data = result.to_dict()
    assert data["rounds"][0]["counts"] == {"A": 3, "B": 5, "C": 1}
    assert isinstance(data["rounds"][0]["counts"]["A"], int)


def test_plurality_tie_for_last_seat_is_drawn_by_lot():
    ballots = repeat((5, ("A",)), (3, ("B",)), (3, ("C",)), (1, ("D",)))
    result = plurality(["A", "B", "C", "D"], ballots, seats=2, seed=42)
    second = lot_order(42, ["B", "C"])[0]
    assert result.winners == ["A", second]
    assert result.tie is True
    tie_break = result.to_dict()["tie_break"]
    assert tie_break["rule"] == "lot"
    assert tie_break["seed"] == 42
    assert tie_break["ties"][0]["tied"] == ["B", "C"]
    assert tie_break["ties"][0]["chosen"] == [second]


def test_tie_that_does_not_decide_a_seat_is_no_tie():
    ballots = repeat((5, ("A",)), (3, ("B",)), (3, ("C",)))
    result = plurality(["A", "B", "C"], ballots, seats=3)
    assert result.winners == ["A", "B", "C"]
    assert result.tie is False


def test_lot_order_is_the_documented_sha256_order():
    digests = {n: hashlib.sha256(f"5:{n}".encode()).hexdigest() for n in ["Ali", "Béa", "Zoé"]}
    assert lot_order(5, ["Zoé", "Ali", "Béa"]) == sorted(digests, key=digests.get)


def test_default_seed_depends_on_ballots_not_their_order():
    a = default_seed(["A", "B"], [("A",), ("B",), ()])
    assert a == default_seed(["A", "B"], [(), ("B",), ("A",)])
    assert a != default_seed(["A", "B"], [("A",), ("A",), ()])
    assert 0 <= a < 2**48


def test_approval_counts_each_approval():
    ballots = [("A", "B"), ("B", "C"), ("B",), ("A", "A"), ()]
    result = approval(["A", "B", "C"], ballots)
    assert result.rounds[0].counts == {"A": 2, "B": 3, "C": 1}
    assert result.winners == ["B"]
    assert result.blank == 1


def test_approval_several_seats():
    ballots = [("A", "B"), ("B", "C"), ("B",), ("A",)]
    assert approval(["A", "B", "C"], ballots, seats=2).winners == ["B", "A"]


def test_unknown_candidate_is_refused():
    with pytest.raises(TallyInputError, match="ballot 2: unknown candidate 'Z'"):
        plurality(["A"], [("A",), ("Z",)])


def yn(yes, no, abstain=0, blank=0):
    return [("yes",)] * yes + [("no",)] * no + [("abstain",)] * abstain + [()] * blank


def test_simple_majority_ignores_abstentions_and_blank():
    result = yes_no(yn(10, 8, 5, 2))
    assert result.extra["adopted"] is True
    assert result.winners == ["yes"]
    assert result.rounds[0].counts == {"yes": 10, "no": 8, "abstain": 5}
    assert (result.ballots, result.blank) == (25, 2)
    assert result.extra["majority"]["base"] == 18
    assert result.extra["majority"]["required"] == 10
    assert yes_no(yn(8, 8)).extra["adopted"] is False  # equal is not more


def test_simple_majority_with_abstentions_counting():
    # base = all 25 ballots, more than half = 13 yes needed.
    result = yes_no(yn(10, 8, 5, 2), abstain_counts=True)
    assert result.extra["majority"]["base"] == 25
    assert result.extra["majority"]["required"] == 13
    assert result.extra["adopted"] is False
    assert result.winners == ["no"]


def test_two_thirds_is_at_least_two_thirds():
    assert yes_no(yn(20, 10), majority="two-thirds").extra["adopted"] is True  # 20 >= 20
    result = yes_no(yn(19, 10), majority="two-thirds")  # 2/3 × 29 = 19.33 -> 20 needed
    assert result.extra["majority"]["required"] == 20
    assert result.extra["adopted"] is False


def test_absolute_majority_of_members_present_or_represented():
    ballots = yn(20, 5, 3, 1)
    assert yes_no(ballots, majority="absolute").extra["majority"]["base"] == 29
    assert yes_no(ballots, majority="absolute").extra["adopted"] is True  # 20 > 14.5
    result = yes_no(ballots, majority="absolute", eligible=40)
    assert result.extra["majority"]["required"] == 21
    assert result.extra["adopted"] is False
    assert yes_no(yn(21, 5), majority="absolute", eligible=40).extra["adopted"] is True
    with pytest.raises(TallyInputError, match="eligible"):
        yes_no(ballots, majority="absolute", eligible=10)


@pytest.mark.parametrize(
    ("rule", "yes", "no", "adopted"),
    [("3/5", 6, 4, True), ("3/5", 5, 4, False), ("0.6", 6, 4, True), ("75%", 3, 1, True),
     ("1", 3, 0, True), ("1", 3, 1, False)],
)  # fmt: skip
def test_fraction_majority(rule, yes, no, adopted):
    assert yes_no(yn(yes, no), majority=rule).extra["adopted"] is adopted


@pytest.mark.parametrize("rule", ["most", "0", "3/2", "1/0", "-1/2"])
def test_bad_majority(rule):
    with pytest.raises(TallyInputError):
        yes_no(yn(1, 0), majority=rule)


def test_nothing_cast_is_not_adopted():
    assert yes_no(yn(0, 0, 3, 1)).extra["adopted"] is False


def test_tally_dispatches_and_refuses_options_that_do_not_apply():
    assert tally("plurality", ["A", "B"], [("A",)]).winners == ["A"]
    assert tally("yes-no", [], yn(2, 1), majority="two-thirds").extra["adopted"] is True
    with pytest.raises(TallyInputError, match="unknown method"):
        tally("borda", ["A"], [])
    with pytest.raises(TallyInputError, match="grades"):
        tally("irv", ["A"], [], grades=5)
    with pytest.raises(TallyInputError, match="majority"):
        tally("irv", ["A"], [], majority="simple")
    with pytest.raises(TallyInputError, match="seats"):
        tally("yes-no", [], [], seats=2)
    with pytest.raises(TallyInputError, match="seats"):
        tally("stv", ["A"], [], seats=0)
