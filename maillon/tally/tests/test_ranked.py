"""IRV and STV on hand-checked examples (expected values worked out in comments)."""

from __future__ import annotations

import json
from fractions import Fraction as F

import pytest

from maillon.tally import TallyInputError, irv, plurality, stv
from maillon.tally.tests.helpers import TN, TN_BALLOTS, repeat
from maillon.tally.tiebreak import lot_order


def test_irv_and_plurality_winners_differ():
    # Plurality: Memphis has the most first preferences (42).
    assert plurality(TN, [b[:1] for b in TN_BALLOTS]).winners == ["Memphis"]
    result = irv(TN, TN_BALLOTS)
    # Round 1: M 42, N 26, C 15, K 17; nobody has > 50 -> Chattanooga (15) out,
    # its 15 ballots go to Knoxville (32).
    # Round 2: M 42, N 26, K 32 -> Nashville (26) out; its ballots skip
    # Chattanooga and go to Knoxville (58).
    # Round 3: M 42, K 58 > 50 -> Knoxville.
    assert result.winners == ["Knoxville"]
    assert result.tie is False
    assert [r.counts for r in result.rounds] == [
        {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17},
        {"Memphis": 42, "Nashville": 26, "Knoxville": 32},
        {"Memphis": 42, "Knoxville": 58},
    ]
    assert [r.eliminated for r in result.rounds] == [["Chattanooga"], ["Nashville"], []]
    assert result.rounds[-1].elected == ["Knoxville"]


def test_irv_json_shape_matches_the_contract():
    data = json.loads(irv(TN, [*TN_BALLOTS, (), ()]).to_json())
    assert list(data)[:8] == [
        "method", "seats", "ballots", "blank", "winners", "tie", "rounds", "tie_break",
    ]  # fmt: skip
    assert data["method"] == "irv"
    assert data["seats"] == 1
    assert data["ballots"] == 102
    assert data["blank"] == 2
    assert data["winners"] == ["Knoxville"]
    assert data["tie"] is False
    assert data["tie_break"] is None
    first = data["rounds"][0]
    assert first["counts"]["Memphis"] == 42.0
    assert isinstance(first["counts"]["Memphis"], float)
    assert first["eliminated"] == ["Chattanooga"]


def test_irv_majority_counts_only_continuing_ballots():
    # A 4, B 3, C 2 (C ballots rank only C). Round 1: 9 ballots, nobody > 4.5.
    # C out; its 2 ballots exhaust. Round 2: A 4 of 7 continuing > 3.5 -> A.
    ballots = repeat((4, ("A",)), (3, ("B",)), (2, ("C",)))
    result = irv(["A", "B", "C"], ballots)
    assert result.winners == ["A"]
    assert result.rounds[1].exhausted == 2


def test_irv_tie_for_fewest_broken_by_previous_round():
    # Round 1: A 6, B 4, C 3, D 1 -> D out, its ballot goes to C.
    # Round 2: A 6, B 4, C 4: B and C tie for fewest; in round 1, C (3) had fewer
    # than B (4) -> C out. C>B ballots go to B, D>C exhausts.
    # Round 3: A 6, B 7 of 13 > 6.5 -> B.
    ballots = repeat((6, ("A",)), (4, ("B",)), (3, ("C", "B")), (1, ("D", "C")))
    result = irv(["A", "B", "C", "D"], ballots)
    assert [r.eliminated for r in result.rounds] == [["D"], ["C"], []]
    assert result.winners == ["B"]
    assert result.tie is True
    tie_break = result.to_dict()["tie_break"]
    assert tie_break["rule"] == "previous-rounds"
    assert "seed" not in tie_break
    assert tie_break["ties"] == [
        {"round": 2, "for": "elimination", "tied": ["B", "C"], "rule": "previous-rounds",
         "chosen": ["C"]},
    ]  # fmt: skip


def test_irv_tie_settled_by_lot_with_printed_seed():
    # A 3, B 2, C 2 in the first round: no previous round, so a lot.
    ballots = repeat((3, ("A",)), (2, ("B", "A")), (2, ("C", "B")))
    losers = set()
    for seed in range(20):
        result = irv(["A", "B", "C"], ballots, seed=seed)
        expected_loser = lot_order(seed, ["B", "C"])[-1]
        assert result.rounds[0].eliminated == [expected_loser]
        assert result.tie is True
        data = result.to_dict()["tie_break"]
        assert data["rule"] == "lot"
        assert data["seed"] == seed
        losers.add(expected_loser)
        # If C goes out, B gets 4 of 7 and wins; if B goes out, A gets 5 and wins.
        assert result.winners == (["B"] if expected_loser == "C" else ["A"])
    assert losers == {"B", "C"}  # the lot really decides


def test_irv_refuses_several_seats():
    with pytest.raises(TallyInputError, match="stv"):
        irv(["A", "B"], [("A",)], seats=2)


def test_irv_without_valid_ballots_elects_nobody():
    result = irv(["A", "B"], [(), ()])
    assert result.winners == []
    assert result.rounds == []
    assert (result.ballots, result.blank) == (2, 2)


def _exact(result):
    return [({c: F(v) for c, v in r.counts.items()}, F(r.exhausted)) for r in result.rounds]


def test_stv_simultaneous_election_and_gregory_transfer():
    # 23 valid ballots, 3 seats: quota = floor(23 / 4) + 1 = 6.
    ballots = repeat(
        (5, ("A", "B", "C")),
        (4, ("A", "D")),
        (7, ("B", "C", "D")),
        (3, ("C",)),
        (2, ("D",)),
        (2, ("E", "D")),
        (1, ()),  # blank: not valid, not in the quota
    )
    result = stv(["A", "B", "C", "D", "E"], ballots, seats=3)
    assert result.extra["quota"] == 6
    # Round 1: A 9, B 7, C 3, D 2, E 2 -> A and B both reach 6: both elected now.
    # Surpluses together: A has 3 over 9 -> every A ballot moves at 1 × 3/9 = 1/3;
    # the A>B>C ones skip B (elected in the same round) -> C gets 5 × 1/3 = 5/3,
    # D gets 4 × 1/3 = 4/3. B has 1 over 7 -> 7 ballots at 1/7 -> C gets 1.
    # Round 2: A 6, B 6, C 3 + 5/3 + 1 = 17/3, D 2 + 4/3 = 10/3, E 2 -> nobody at 6,
    # 3 continuing for 1 seat -> E out, its 2 ballots go to D at weight 1 (16/3).
    # Round 3: C 17/3, D 16/3 -> D out; its ballots all exhaust:
    # 2 (D) + 4/3 (A>D at 1/3) + 2 (E>D) = 16/3.
    # Round 4: C alone for the last seat -> elected.
    assert _exact(result) == [
        ({"A": 9, "B": 7, "C": 3, "D": 2, "E": 2}, 0),
        ({"A": 6, "B": 6, "C": F(17, 3), "D": F(10, 3), "E": 2}, 0),
        ({"A": 6, "B": 6, "C": F(17, 3), "D": F(16, 3)}, 0),
        ({"A": 6, "B": 6, "C": F(17, 3)}, F(16, 3)),
    ]
    assert [r.elected for r in result.rounds] == [["A", "B"], [], [], ["C"]]
    assert [r.eliminated for r in result.rounds] == [[], ["E"], ["D"], []]
    assert result.winners == ["A", "B", "C"]
    assert result.tie is False
    data = result.to_dict()
    assert data["rounds"][1]["counts"]["C"] == pytest.approx(17 / 3)
    assert data["rounds"][1]["exact"]["counts"]["C"] == "17/3"
    assert data["rounds"][3]["exact"]["exhausted"] == "16/3"
    assert (data["ballots"], data["blank"]) == (24, 1)


def test_stv_surplus_of_a_candidate_holding_transferred_ballots():
    # 17 valid ballots, 3 seats: quota = floor(17 / 4) + 1 = 5.
    ballots = repeat(
        (8, ("A", "B", "C")),
        (3, ("B", "D")),
        (2, ("C",)),
        (2, ("D",)),
        (2, ("E", "C")),
    )
    result = stv(["A", "B", "C", "D", "E"], ballots, seats=3)
    # Round 1: A 8 -> elected; surplus 3/8: 8 ballots at 3/8 go to B (3). B = 6.
    # Round 2: B 6 >= 5 -> elected; surplus 1, factor 1/6, applied to every ballot
    # B holds at its current weight: 3 B>D ballots at 1 × 1/6 -> D gets 1/2;
    # 8 A>B>C ballots at 3/8 × 1/6 = 1/16 -> C gets 8/16 = 1/2.
    # Round 3: C 5/2, D 5/2, E 2 -> E out, 2 ballots to C (9/2).
    # Round 4: C 9/2, D 5/2 -> D out: 2 + 3 × 1/6 = 5/2 exhausts.
    # Round 5: C alone for the last seat.
    assert _exact(result) == [
        ({"A": 8, "B": 3, "C": 2, "D": 2, "E": 2}, 0),
        ({"A": 5, "B": 6, "C": 2, "D": 2, "E": 2}, 0),
        ({"A": 5, "B": 5, "C": F(5, 2), "D": F(5, 2), "E": 2}, 0),
        ({"A": 5, "B": 5, "C": F(9, 2), "D": F(5, 2)}, 0),
        ({"A": 5, "B": 5, "C": F(9, 2)}, F(5, 2)),
    ]
    assert result.winners == ["A", "B", "C"]
    for counts, exhausted in _exact(result):
        assert sum(counts.values()) + exhausted == 17


def test_stv_two_seats_with_elimination_transfer():
    # 12 ballots, 2 seats: quota = 12 // 3 + 1 = 5.
    # Round 1: A 7 -> elected, 7 ballots at 2/7 go to B: B = 1 + 2 = 3.
    # Round 2: A 5, B 3, C 4 -> B out: 7 × 2/7 = 2 and 1 at full weight go to C (7).
    # Round 3: C 7 >= 5 -> elected.
    ballots = repeat((7, ("A", "B", "C")), (1, ("B", "C")), (4, ("C", "B")))
    result = stv(["A", "B", "C"], ballots, seats=2)
    assert _exact(result) == [
        ({"A": 7, "B": 1, "C": 4}, 0),
        ({"A": 5, "B": 3, "C": 4}, 0),
        ({"A": 5, "C": 7}, 0),
    ]
    assert result.winners == ["A", "C"]


def test_stv_elected_in_same_round_are_listed_by_count():
    ballots = repeat((4, ("B",)), (5, ("A",)), (1, ("C",)))
    # quota = 10 // 3 + 1 = 4: A (5) and B (4) elected in round 1, A first.
    result = stv(["A", "B", "C"], ballots, seats=2)
    assert result.winners == ["A", "B"]
    assert result.rounds[0].elected == ["A", "B"]
    assert len(result.rounds) == 1


def test_stv_fewer_candidates_than_seats():
    result = stv(["A", "B"], repeat((1, ("A",)), (1, ("B",))), seats=3)
    assert sorted(result.winners) == ["A", "B"]


def test_stv_elimination_tie_uses_previous_rounds_then_lot():
    # 10 ballots, 2 seats: quota = 10 // 3 + 1 = 4. Round 1: A 5 -> elected, surplus 1 over 5
    # -> 5 ballots at 1/5 to C: C = 1 + 1 = 2. Round 2: B 2, C 2, D 1, E 1 -> tie D/E;
    # round 1 had D 1, E 1 too -> lot with the given seed.
    ballots = repeat((5, ("A", "C")), (2, ("B",)), (1, ("C",)), (1, ("D",)), (1, ("E",)))
    result = stv(["A", "B", "C", "D", "E"], ballots, seats=2, seed=7)
    loser = lot_order(7, ["D", "E"])[-1]
    assert result.rounds[1].eliminated == [loser]
    assert result.tie is True
    assert result.to_dict()["tie_break"]["seed"] == 7
