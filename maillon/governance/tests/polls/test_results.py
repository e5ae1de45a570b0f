"""Majority rules, percentages on the right base, room counts merged (pure)."""

import shlex
from decimal import Decimal

import pytest

from maillon.governance.polls.results import (
    PollSpec,
    compute_result,
    quorum_statement,
    result_rows,
    tally_csv,
)


def yes_no(ballots, room=None, present=None, **rules):
    spec = PollSpec(kind="yes_no", **rules)
    return compute_result(spec, ballots, room_counts=room, present_or_represented=present)


def votes(yes=0, no=0, abstain=0, blank=0):
    return [("yes", 1)] * yes + [("no", 1)] * no + [("abstain", 1)] * abstain + [([], 1)] * blank


def test_simple_majority_ignores_abstentions_and_blank_votes():
    result = yes_no(votes(yes=5, no=4, abstain=10, blank=3))
    assert result["majority"]["base"] == 9 and result["adopted"]
    assert result["percentages"] == {"yes": "55.6", "no": "44.4"}


def test_simple_majority_when_abstentions_count_as_cast():
    result = yes_no(votes(yes=5, no=4, abstain=2), abstention_counts_as_cast=True)
    assert result["majority"]["base"] == 11 and not result["adopted"]


def test_blank_votes_counting_as_cast_is_a_separate_setting():
    result = yes_no(votes(yes=5, no=4, blank=2), blank_counts_as_cast=True)
    assert result["majority"]["base"] == 11 and not result["adopted"]


def test_a_tie_is_rejected_and_shown():
    result = yes_no(votes(yes=3, no=3))
    assert not result["adopted"] and result["tie"]


def test_absolute_majority_on_members_present_or_represented():
    result = yes_no(votes(yes=6, no=1), present=12, majority_rule="absolute")
    assert result["majority"]["base"] == 12 and result["majority"]["required"] == 7
    assert not result["adopted"]
    assert yes_no(votes(yes=7, no=1), present=12, majority_rule="absolute")["adopted"]


def test_two_thirds_is_at_least_two_thirds_of_votes_cast():
    assert yes_no(votes(yes=4, no=2, abstain=5), majority_rule="two_thirds")["adopted"]
    assert not yes_no(votes(yes=3, no=2), majority_rule="two_thirds")["adopted"]


def test_custom_fraction():
    rules = {"majority_rule": "custom", "majority_fraction": Decimal("0.750")}
    assert yes_no(votes(yes=3, no=1), **rules)["adopted"]
    assert not yes_no(votes(yes=2, no=1), **rules)["adopted"]


def test_weights_are_votes():
    result = yes_no([("yes", 3), ("no", 2)])
    assert result["total"]["rounds"][0]["counts"]["yes"] == 3 and result["adopted"]


def test_room_counts_are_merged_and_both_parts_kept():
    result = yes_no(votes(yes=2, no=3), room={"yes": 10, "no": 4, "blank": 1})
    assert result["online"]["rounds"][0]["counts"] == {"yes": 2, "no": 3, "abstain": 0}
    assert result["room"]["rounds"][0]["counts"] == {"yes": 10, "no": 4, "abstain": 0}
    assert result["total"]["rounds"][0]["counts"] == {"yes": 12, "no": 7, "abstain": 0}
    assert result["blank"] == 1 and result["adopted"]


def test_room_counts_of_a_single_choice_poll():
    spec = PollSpec(kind="single", options=[(1, "A"), (2, "B")])
    result = compute_result(spec, [([1], 1), ([2], 1), ([2], 1)], room_counts={"1": 5})
    assert result["winners"] == ["A"]
    assert result["percentages"] == {"A": "75.0", "B": "25.0"}
    assert result["winner_keys"] == ["1"]
    rows = result_rows(result)
    assert [(r["key"], r["label"], r["online"], r["room"], r["total"]) for r in rows] == [
        ("1", "A", 1, 5, 6),
        ("2", "B", 2, 0, 2),
    ]


def test_the_engine_names_candidates_by_their_labels_as_a_ballot_file_does():
    """So that the published ballots re-count with the ``tally`` command, lot included."""
    spec = PollSpec(kind="approval", options=[(7, "Zoé"), (8, "Ana")])
    result = compute_result(spec, [([7, 8], 1), ([8], 1)])
    assert result["total"]["rounds"][0]["counts"] == {"Zoé": 1, "Ana": 2}
    assert result["winners"] == ["Ana"] and result["winner_keys"] == ["8"]


def test_rows_of_a_result_frozen_when_the_engine_named_options_by_id():
    frozen = {
        "kind": "single",
        "options": [{"key": "1", "label": "A"}, {"key": "2", "label": "B"}],
        "total": {"rounds": [{"counts": {"1": 6, "2": 2}}]},
        "online": {"rounds": [{"counts": {"1": 1, "2": 2}}]},
        "room": None,
        "percentages": {"1": "75.0", "2": "25.0"},
        "winner_keys": ["1"],
    }
    rows = result_rows(frozen)
    assert [(r["label"], r["total"], r["percentage"], r["elected"]) for r in rows] == [
        ("A", 6, "75.0", True),
        ("B", 2, "25.0", False),
    ]


def test_quorum_statement():
    assert quorum_statement(
        present_or_represented=10, roll_weight=40, fraction=Decimal("0.25"), waived=False
    )["reached"]
    statement = quorum_statement(
        present_or_represented=9, roll_weight=40, fraction=Decimal("0.25"), waived=False
    )
    assert statement["required"] == 10 and not statement["reached"]
    assert quorum_statement(
        present_or_represented=1, roll_weight=40, fraction=Decimal("0.25"), waived=True
    )["reached"]


def test_the_ballots_file_keeps_blank_ballots_even_at_its_end():
    """Empty lines at the end of a ballot file are ignored by ``tally``: a blank
    ballot is written as an empty cell."""
    from maillon.tally.csvio import read_ballots

    spec = PollSpec(kind="election", options=[(1, "A"), (2, "B")], seats=1)
    text = tally_csv(spec, [([1], 1)], {"ballots": 2, "blank": 1, "2": 1})
    ballot_file = read_ballots(text, "approval")
    assert len(ballot_file.ballots) == 3 and sum(1 for b in ballot_file.ballots if not b) == 1


@pytest.mark.parametrize(
    "spec, ballots",
    [
        (
            PollSpec(kind="ranked", options=[(1, "Ana"), (2, "Bo"), (3, "Cé")], seats=2),
            [([1, 2], 2), ([2, 3], 1), ([3], 1), ([], 1), ([3, 1], 1)],
        ),
        (
            PollSpec(kind="condorcet", options=[(1, "Ana"), (2, "Bo")]),
            [([1, 2], 1), ([2, 1], 1)],
        ),
        (
            PollSpec(
                kind="majority_judgment",
                options=[(1, "Ana"), (2, "Bo, dit « le Grand »")],
                grades=["à rejeter", "passable", "bien"],
            ),
            [({"1": 2, "2": 0}, 1), ({"1": 0, "2": 2}, 1), ([], 1)],
        ),
        (
            PollSpec(kind="yes_no"),
            [("yes", 3), ("no", 1), ("abstain", 1), ([], 1)],
        ),
    ],
)
def test_the_ballots_file_recounts_to_the_same_result_for_every_method(
    spec, ballots, tmp_path, capsys
):
    import json

    from maillon.governance.polls.results import tally_command
    from maillon.tally.cli import main

    result = compute_result(spec, ballots)
    path = tmp_path / "ballots.csv"
    path.write_text(tally_csv(spec, ballots), encoding="utf-8")
    argv = shlex.split(tally_command(spec, result, str(path)))
    assert main(argv[1:]) == 0
    recount = json.loads(capsys.readouterr().out)
    assert (recount["ballots"], recount["blank"]) == (result["ballots"], result["blank"])
    assert recount["rounds"] == result["total"]["rounds"]
    if spec.kind != "yes_no":  # the platform applies the statutes' majority itself
        assert recount["winners"] == result["total"]["winners"]
