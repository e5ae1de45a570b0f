"""Scoring examples."""

from __future__ import annotations

import pytest

from maillon.strategy.engine.questionnaire import load_questionnaire
from maillon.strategy.engine.scoring import (
    LEVEL_THRESHOLDS,
    level_for,
    level_label,
    question_points,
    score,
)

from .helpers import best_answers, worst_answers


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(1)


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (0, "peu_initiee"),
        (39, "peu_initiee"),
        (40, "en_progres"),
        (69, "en_progres"),
        (70, "experimentee"),
        (100, "experimentee"),
    ],
)
def test_levels(value, level):
    assert level_for(value) == level


def test_level_thresholds_are_documented():
    assert LEVEL_THRESHOLDS == ((70, "experimentee"), (40, "en_progres"), (0, "peu_initiee"))
    assert level_label("en_progres") == "En progrès"
    assert level_label("experimentee", "en") == "Experienced"


def test_nothing_answered(q):
    scores = score(q, {})
    assert scores.overall == 0
    assert scores.level == "peu_initiee"
    assert set(scores.domains) == set(q.domains)
    for code, domain in scores.domains.items():
        assert domain.score == 0
        assert domain.answered == 0
        assert domain.total == len(q.section(code).questions)
        assert domain.max_points > 0
    assert scores.self_rating is None
    assert scores.self_rating_gap is None


def test_best_and_worst(q):
    best = score(q, best_answers(q))
    assert best.overall == 100
    assert best.level == "experimentee"
    assert all(d.score == 100 for d in best.domains.values())
    assert all(d.answered == d.total for d in best.domains.values())
    worst = score(q, worst_answers(q))
    assert worst.overall == 0
    assert all(d.answered == d.total for d in worst.domains.values())


def test_evaluation_domain_by_hand(q):
    # indicators 4/4, tool_review 1/4, feedback 0/4 (unanswered), effects 3/6:
    # 8 / 18 = 44.4 -> 44
    answers = {
        "evaluation.indicators": "few_yearly",
        "evaluation.tool_review": "when_problem",
        "evaluation.effects": ["visibility", "follow_up"],
    }
    domain = score(q, answers).domains["evaluation"]
    assert (domain.points, domain.max_points) == (8, 18)
    assert domain.score == 44
    assert domain.level == "en_progres"
    assert (domain.answered, domain.total) == (3, 4)


def test_overall_is_the_mean_of_domains(q):
    answers = {
        "evaluation.indicators": "few_yearly",
        "evaluation.tool_review": "yearly",
        "evaluation.feedback": "survey",
        "evaluation.effects": ["volunteer_involvement", "follow_up", "visibility", "cohesion"],
    }
    scores = score(q, answers)
    assert scores.domains["evaluation"].score == 100
    assert scores.overall == 10  # one domain of ten


def test_multiple_is_capped(q):
    question = q.question("communication.tools_used")
    every = [c.value for c in question.choices if not c.exclusive]
    assert sum(question.choice(v).points for v in every) > question.max_points
    assert question_points(question, every) == (question.max_points, question.max_points)
    assert question_points(question, ["website", "newsletter"]) == (6, question.max_points)


def test_not_applicable_leaves_the_total(q):
    question = q.question("fundraising.reconciliation")
    assert question_points(question, "not_applicable") == (0, 0)
    assert question_points(question, "imported") == (2, 4)
    assert question_points(question, None) == (0, 4)
    full = {"fundraising.reconciliation": "not_applicable"}
    domain = score(q, full).domains["fundraising"]
    assert (
        domain.max_points
        == sum(x.max_points for x in q.section("fundraising").questions) - question.max_points
    )
    assert domain.answered == 1


def test_unknown_values_score_nothing(q):
    assert score(q, {"evaluation.indicators": "excellent"}).domains["evaluation"].points == 0
    assert score(q, {"evaluation.effects": ["miracles"]}).domains["evaluation"].points == 0


def test_profile_and_objectives_are_not_scored(q):
    answers = {
        "profile.size_band": "50+",
        "profile.resource_skills": "strong",
        "objectives.ranking": ["make_known"],
    }
    assert score(q, answers).overall == 0


def test_self_rating_beside_the_computed_level(q):
    answers = {**worst_answers(q), "self_rating.level": "experimentee"}
    scores = score(q, answers)
    assert scores.level == "peu_initiee"
    assert scores.self_rating == "experimentee"
    assert scores.self_rating_gap == 2

    answers = {**best_answers(q), "self_rating.level": "en_progres"}
    scores = score(q, answers)
    assert scores.self_rating_gap == -1


def test_weakest_domains_first(q):
    answers = best_answers(q)
    answers["inclusion.alternatives"] = ["none"]
    answers["sobriety.equipment"] = "new_often"
    weakest = score(q, answers).weakest()
    assert weakest[:2] == ["inclusion", "sobriety"]
