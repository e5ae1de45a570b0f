"""Property-based tests of the engine (Hypothesis)."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from maillon.strategy.engine.examples import satisfying_answers
from maillon.strategy.engine.questionnaire import (
    LEVEL_CODES,
    OBJECTIVE_CODES,
    available_versions,
    load_questionnaire,
    progress,
    validate_answers,
)
from maillon.strategy.engine.rules import (
    available_rule_versions,
    evaluate,
    load_rules,
    make_context,
    recommend,
)
from maillon.strategy.engine.scoring import score

from .helpers import answers_strategy

Q = load_questionnaire(1)
RULES = load_rules(1)
SCORED = [question for question in Q.questions if question.scored]

common = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@common
@given(answers=answers_strategy(Q))
def test_generated_answers_are_valid(answers):
    assert validate_answers(Q, answers, partial=True) == {}
    answered, total = progress(Q, answers)
    assert answered == len(answers)
    assert total == len(Q.questions)


@common
@given(answers=answers_strategy(Q))
def test_scores_stay_within_bounds(answers):
    scores = score(Q, answers)
    assert 0 <= scores.overall <= 100
    assert scores.level in LEVEL_CODES
    for domain in scores.domains.values():
        assert 0 <= domain.score <= 100
        assert 0 <= domain.points <= domain.max_points
        assert 0 <= domain.answered <= domain.total
        assert domain.level in LEVEL_CODES
    low = min(d.score for d in scores.domains.values())
    high = max(d.score for d in scores.domains.values())
    assert low - 1 <= scores.overall <= high + 1


@common
@given(answers=answers_strategy(Q), data=st.data())
def test_a_better_choice_never_lowers_a_score(answers, data):
    question = data.draw(
        st.sampled_from([x for x in SCORED if x.type in ("single", "scale", "boolean")])
    )
    numeric = [c for c in question.choices if c.points is not None]
    worse = data.draw(st.sampled_from(numeric))
    better = data.draw(st.sampled_from([c for c in numeric if c.points >= worse.points]))
    before = score(Q, {**answers, question.id: worse.value})
    after = score(Q, {**answers, question.id: better.value})
    assert after.domains[question.section].score >= before.domains[question.section].score
    assert after.overall >= before.overall
    for code, domain in after.domains.items():
        if code != question.section:
            assert domain == before.domains[code]


@common
@given(answers=answers_strategy(Q), data=st.data())
def test_answering_never_lowers_a_score(answers, data):
    """Going from no answer to any answer that gives points (not "not applicable")
    never lowers a score: an unanswered question already counts as 0."""
    question = data.draw(st.sampled_from(SCORED))
    if question.type == "multiple":
        value = [data.draw(st.sampled_from(question.choices)).value]
    else:
        value = data.draw(
            st.sampled_from([c for c in question.choices if c.points is not None])
        ).value
    without = {k: v for k, v in answers.items() if k != question.id}
    before = score(Q, without)
    after = score(Q, {**without, question.id: value})
    assert after.domains[question.section].score >= before.domains[question.section].score
    assert after.overall >= before.overall


@common
@given(answers=answers_strategy(Q), data=st.data())
def test_one_more_checked_item_never_lowers_a_score(answers, data):
    question = data.draw(st.sampled_from([x for x in SCORED if x.type == "multiple"]))
    plain = [c.value for c in question.choices if not c.exclusive]
    current = [v for v in answers.get(question.id) or [] if v in plain]
    missing = [v for v in plain if v not in current]
    assume(missing)
    extra = data.draw(st.sampled_from(missing))
    before = score(Q, {**answers, question.id: current})
    after = score(Q, {**answers, question.id: [*current, extra]})
    assert after.domains[question.section].score >= before.domains[question.section].score
    assert after.overall >= before.overall


@common
@given(answers=answers_strategy(Q))
def test_every_recommendation_shows_its_triggers(answers):
    result = recommend(Q, RULES, answers)
    assert [r.rank for r in result] == list(range(1, len(result) + 1))
    assert len({r.code for r in result}) == len(result)
    keys = [(-r.priority_score, r.code) for r in result]
    assert keys == sorted(keys)
    for r in result:
        assert r.triggered_by, r.code
        assert all(t.text for t in r.triggered_by)
        assert r.priority_score == round(sum(r.priority_parts.values()), 2)


@common
@given(answers=answers_strategy(Q))
def test_recommend_is_deterministic_and_language_independent(answers):
    fr = recommend(Q, RULES, answers)
    assert recommend(Q, RULES, dict(reversed(list(answers.items())))) == fr
    en = recommend(Q, RULES, answers, language="en")
    assert [(r.code, r.rank) for r in en] == [(r.code, r.rank) for r in fr]


@common
@given(answers=answers_strategy(Q), junk=st.dictionaries(st.text(max_size=20), st.text(max_size=5)))
def test_unknown_answer_ids_are_ignored(answers, junk):
    junk = {k: v for k, v in junk.items() if Q.question(k) is None}
    noisy = {**junk, **answers}
    assert validate_answers(Q, noisy, partial=True) == {}
    assert score(Q, noisy) == score(Q, answers)
    assert recommend(Q, RULES, noisy) == recommend(Q, RULES, answers)


@common
@given(
    answers=answers_strategy(Q),
    order=st.permutations(OBJECTIVE_CODES),
    pair=st.lists(st.integers(0, len(OBJECTIVE_CODES) - 1), min_size=2, max_size=2, unique=True),
)
def test_better_ranked_objective_never_ranks_lower(answers, order, pair):
    """Two rules equal in all but the objective they serve: the one serving the
    better-ranked objective comes first."""
    first, second = sorted(pair)
    base = RULES.rule("measure_indicators")
    a = dataclasses.replace(
        base, code="zz_better", objectives=(order[first],), condition={"not": {"answered": "x.y"}}
    )
    b = dataclasses.replace(a, code="aa_worse", objectives=(order[second],))
    answers = {**answers, "objectives.ranking": list(order)}
    result = recommend(Q, dataclasses.replace(RULES, rules=(b, a)), answers)
    assert [r.code for r in result] == ["zz_better", "aa_worse"]


# ---------------------------------------------------------------- reachability


def _rule_cases():
    for version in available_rule_versions():
        ruleset = load_rules(version)
        for rule in ruleset.rules:
            yield pytest.param(ruleset, rule, id=f"v{version}-{rule.code}")


@pytest.mark.parametrize(("ruleset", "rule"), list(_rule_cases()))
def test_every_rule_can_be_triggered(ruleset, rule):
    q = load_questionnaire(ruleset.questionnaire_version)
    answers = satisfying_answers(rule.condition, q)
    assert answers is not None, f"no answers trigger {rule.code}"
    assert validate_answers(q, answers, partial=True) == {}
    found = {r.code: r for r in recommend(q, ruleset, answers)}
    assert rule.code in found
    assert found[rule.code].triggered_by


@pytest.mark.parametrize(("ruleset", "rule"), list(_rule_cases()))
def test_every_rule_can_be_avoided(ruleset, rule):
    q = load_questionnaire(ruleset.questionnaire_version)
    answers = satisfying_answers({"not": rule.condition}, q)
    assert answers is not None, f"{rule.code} always holds"
    assert rule.code not in {r.code for r in recommend(q, ruleset, answers)}


@common
@given(answers=answers_strategy(Q), data=st.data())
def test_solver_answers_on_top_of_any_answers(answers, data):
    """The solver also finds answers that trigger a rule starting from an existing
    diagnostic, and the evaluator agrees."""
    rule = data.draw(st.sampled_from(RULES.rules))
    found = satisfying_answers(rule.condition, Q, base=answers)
    assert found is not None
    assert evaluate(rule.condition, make_context(Q, found))[0]


def test_all_shipped_questionnaires_score_every_domain():
    for version in available_versions():
        q = load_questionnaire(version)
        assert set(score(q, {}).domains) == set(q.domains)
