"""Schulze on hand-checked examples."""

from __future__ import annotations

from maillon.tally import schulze
from maillon.tally.tests.helpers import TN, TN_BALLOTS, repeat


def test_three_candidate_cycle():
    ballots = repeat((4, "ABC"), (3, "BCA"), (2, "CAB"))
    result = schulze(["A", "B", "C"], ballots)
    # Pairwise, by hand:
    #   A over B: ABC 4 + CAB 2 = 6;  B over A: BCA 3.
    #   B over C: ABC 4 + BCA 3 = 7;  C over B: CAB 2.
    #   C over A: BCA 3 + CAB 2 = 5;  A over C: ABC 4.
    # So A > B > C > A: a cycle (links A→B 6, B→C 7, C→A 5).
    assert result.extra["pairwise"] == {
        "A": {"B": 6, "C": 4},
        "B": {"A": 3, "C": 7},
        "C": {"A": 5, "B": 2},
    }
    # Strongest paths (a path is as strong as its weakest link):
    #   A→B 6 (direct); A→C: A→B→C = min(6, 7) = 6.
    #   B→C 7 (direct); B→A: B→C→A = min(7, 5) = 5.
    #   C→A 5 (direct); C→B: C→A→B = min(5, 6) = 5.
    assert result.extra["strongest_paths"] == {
        "A": {"B": 6, "C": 6},
        "B": {"A": 5, "C": 7},
        "C": {"A": 5, "B": 5},
    }
    # A: 6 > 5 over B and 6 > 5 over C -> A unbeaten; B beats C (7 > 5).
    assert result.winners == ["A"]
    assert result.tie is False
    assert result.extra["ranking"] == [["A"], ["B"], ["C"]]
    assert result.rounds[0].counts == {"A": 2, "B": 1, "C": 0}


def test_five_candidate_example_with_indirect_paths():
    # The classic 45-voter example; matrices worked out by hand below.
    ballots = repeat(
        (5, "ACBED"),
        (5, "ADECB"),
        (8, "BEDAC"),
        (3, "CABED"),
        (7, "CAEBD"),
        (2, "CBADE"),
        (7, "DCEBA"),
        (8, "EBADC"),
    )
    result = schulze(list("ABCDE"), ballots)
    # e.g. A over B: ACBED 5 + ADECB 5 + CABED 3 + CAEBD 7 = 20 (the other 25 put B first).
    assert result.extra["pairwise"] == {
        "A": {"B": 20, "C": 26, "D": 30, "E": 22},
        "B": {"A": 25, "C": 16, "D": 33, "E": 18},
        "C": {"A": 19, "B": 29, "D": 17, "E": 24},
        "D": {"A": 15, "B": 12, "C": 28, "E": 14},
        "E": {"A": 23, "B": 27, "C": 21, "D": 31},
    }
    # Winning links: A→C 26, A→D 30, B→A 25, B→D 33, C→B 29, C→E 24, D→C 28,
    # E→A 23, E→B 27, E→D 31. Some strongest paths:
    #   A→B: A→D→C→B = min(30, 28, 29) = 28;   E→A: E→B→A = min(27, 25) = 25;
    #   A→E: A→D→C→E = min(30, 28, 24) = 24;   E→C: E→D→C = min(31, 28) = 28.
    assert result.extra["strongest_paths"] == {
        "A": {"B": 28, "C": 28, "D": 30, "E": 24},
        "B": {"A": 25, "C": 28, "D": 33, "E": 24},
        "C": {"A": 25, "B": 29, "D": 29, "E": 24},
        "D": {"A": 25, "B": 28, "C": 28, "E": 24},
        "E": {"A": 25, "B": 28, "C": 28, "D": 31},
    }
    # E beats everyone (25 > 24, 28 > 24, 28 > 24, 31 > 24); then A, C, B, D.
    assert result.winners == ["E"]
    assert result.extra["ranking"] == [["E"], ["A"], ["C"], ["B"], ["D"]]


def test_condorcet_winner_of_the_tennessee_example():
    # Nashville beats Memphis 58-42 and both others 68-32.
    assert schulze(TN, TN_BALLOTS).winners == ["Nashville"]


def test_unranked_candidates_are_below_ranked_and_equal():
    # "A" alone: A over B and A over C, nothing between B and C.
    result = schulze(["A", "B", "C"], [("A",), ()])
    assert result.extra["pairwise"] == {
        "A": {"B": 1, "C": 1},
        "B": {"A": 0, "C": 0},
        "C": {"A": 0, "B": 0},
    }
    assert (result.ballots, result.blank) == (2, 1)


def test_several_unbeaten_candidates_is_a_tie_without_tie_break():
    # A and B 2-2, both beat C 4-0.
    result = schulze(["A", "B", "C"], repeat((2, "ABC"), (2, "BAC")))
    assert result.winners == ["A", "B"]
    assert result.tie is True
    assert result.to_dict()["tie_break"] is None


def test_several_seats_follow_the_ranking():
    ballots = repeat((4, "ABC"), (3, "BCA"), (2, "CAB"))
    result = schulze(["A", "B", "C"], ballots, seats=2)
    assert result.winners == ["A", "B"]
    assert result.tie is False


def test_no_valid_ballot():
    result = schulze(["A", "B"], [()])
    assert result.winners == []
    assert result.tie is False
