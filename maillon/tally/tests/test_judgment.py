"""Majority judgment on hand-checked examples."""

from __future__ import annotations

import pytest

from maillon.tally import DEFAULT_GRADES, TallyInputError, majority_judgment
from maillon.tally.judgment import compare, lower_median
from maillon.tally.tiebreak import lot_order

NAMES = ["Alice", "Bruno", "Chloé", "David", "Emma"]
# One row per ballot, grades in NAMES order (0 = à rejeter … 6 = excellent).
ROWS = [
    (3, 3, 2, 0, 2),
    (3, 3, 3, 0, 2),
    (3, 3, 3, 3, 2),
    (4, 3, 3, 6, 6),
    (4, 6, 3, 6, 6),
]


def test_equal_medians_decided_by_the_majority_gauge():
    result = majority_judgment(NAMES, ROWS)
    # Sorted grades, lower median at index (5 - 1) // 2 = 2:
    #   Alice 3 3 3 4 4 -> median 3, p = 2/5 above, q = 0 below: p > q, p = 2/5
    #   Bruno 3 3 3 3 6 -> median 3, p = 1/5, q = 0:             p > q, p = 1/5
    #   Chloé 2 3 3 3 3 -> median 3, p = 0, q = 1/5:             q >= p, q = 1/5
    #   David 0 0 3 6 6 -> median 3, p = 2/5, q = 2/5:           q >= p, q = 2/5
    #   Emma  2 2 2 6 6 -> median 2: last.
    # p > q candidates first, by larger p (Alice, Bruno); then q >= p ones by
    # smaller q (Chloé, David) — David loses to Chloé despite his higher mean.
    assert result.rounds[0].counts == {"Alice": 3, "Bruno": 3, "Chloé": 3, "David": 3, "Emma": 2}
    assert result.extra["ranking"] == [["Alice"], ["Bruno"], ["Chloé"], ["David"], ["Emma"]]
    assert result.winners == ["Alice"]
    assert result.tie is False
    assert result.extra["profiles"]["David"] == {
        "distribution": [2, 0, 0, 1, 0, 0, 2],
        "median": 3,
        "median_grade": "assez bien",
        "above": 2,
        "below": 2,
    }
    assert result.extra["grades"] == list(DEFAULT_GRADES)


def test_still_tied_after_gauge_removes_median_grades():
    # A: 1 3 3 4 5    B: 3 3 3 4 6
    # step 1: both median 3, p = 2/5, q = 1/5 and 0: p > q for both, equal p -> tied
    # remove a 3: A 1 3 4 5, B 3 3 4 6: median 3, p = 2/4 both -> tied
    # remove a 3: A 1 4 5, B 3 4 6: median 4, p = q = 1/3 both -> tied
    # remove a 4: A 1 5 -> median 1; B 3 6 -> median 3: B wins.
    rows = [(1, 3), (3, 3), (3, 3), (4, 4), (5, 6)]
    result = majority_judgment(["A", "B"], rows)
    assert result.winners == ["B"]
    assert result.tie is False


def test_lower_median_and_compare_helpers():
    assert lower_median([0, 1, 1, 0]) == 1  # grades 1, 2 -> lower median 1
    assert lower_median([1, 0, 0, 1]) == 0
    assert compare([0, 0, 2], [0, 0, 2]) == 0
    assert compare([0, 1, 1], [0, 2, 0]) == 1


def test_identical_profiles_are_settled_by_lot():
    rows = [(2, 2, 0), (4, 4, 1)]
    result = majority_judgment(["A", "B", "C"], rows, seed=11, grades=5)
    assert result.extra["ranking"] == [["A", "B"], ["C"]]
    assert result.winners == [lot_order(11, ["A", "B"])[0]]
    assert result.tie is True
    assert result.to_dict()["tie_break"]["rule"] == "lot"


def test_custom_grades_and_several_seats():
    result = majority_judgment(
        ["A", "B", "C"], [(0, 1, 2), (1, 2, 2), ()], grades=["bad", "ok", "good"], seats=2
    )
    assert result.winners == ["C", "B"]
    assert (result.ballots, result.blank) == (3, 1)
    assert result.extra["profiles"]["C"]["median_grade"] == "good"


def test_bad_grades_are_refused():
    with pytest.raises(TallyInputError, match="grade 7"):
        majority_judgment(["A"], [(7,)])
    with pytest.raises(TallyInputError, match="2 grades for 1"):
        majority_judgment(["A"], [(1, 2)])
