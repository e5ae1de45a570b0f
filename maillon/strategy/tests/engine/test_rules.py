"""The rule language, triggers and ranking."""

from __future__ import annotations

import dataclasses

import pytest
import yaml

from maillon.strategy.engine.questionnaire import CONTENT_DIR, ContentError, load_questionnaire
from maillon.strategy.engine.rules import (
    Rule,
    check_condition,
    evaluate,
    load_rules,
    make_context,
    parse_rules,
    recommend,
    rules_for_questionnaire,
)
from maillon.strategy.engine.scoring import score

from .helpers import best_answers, full_ranking, worst_answers


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(1)


@pytest.fixture(scope="module")
def ruleset():
    return load_rules(1)


@pytest.fixture
def raw():
    with (CONTENT_DIR / "recommendations-v1.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def ctx(q, answers, language="fr"):
    return make_context(q, answers, language=language)


# ---------------------------------------------------------------- evaluation


def test_answer_in(q):
    c = {"answer": "profile.digital_carriers", "in": ["single_person"]}
    ok, facts = evaluate(c, ctx(q, {"profile.digital_carriers": "single_person"}))
    assert ok
    assert [(f.kind, f.ref, f.value) for f in facts] == [
        ("answer", "profile.digital_carriers", "single_person")
    ]
    assert facts[0].text == (
        "Qui porte principalement le numérique dans l'association ? — Une seule personne"
    )
    assert facts[0].question_id == "profile.digital_carriers"
    assert not evaluate(c, ctx(q, {"profile.digital_carriers": "staff"}))[0]
    ok, facts = evaluate(c, ctx(q, {}))
    assert not ok
    assert facts[0].value is None
    assert facts[0].text.endswith("— sans réponse")


def test_includes_and_excludes(q):
    includes = {"answer": "communication.tools_used", "includes": "website"}
    excludes = {"answer": "communication.tools_used", "excludes": "website"}
    with_site = ctx(q, {"communication.tools_used": ["website", "newsletter"]})
    without = ctx(q, {"communication.tools_used": ["newsletter"]})
    nothing = ctx(q, {})
    assert evaluate(includes, with_site)[0]
    assert not evaluate(includes, without)[0]
    assert not evaluate(includes, nothing)[0]
    assert evaluate(excludes, without)[0]
    assert not evaluate(excludes, with_site)[0]
    assert not evaluate(excludes, nothing)[0]  # unanswered is not "not checked"
    ok, facts = evaluate(excludes, ctx(q, {"communication.tools_used": ["newsletter"]}, "en"))
    assert facts[0].text == (
        "Which tools do you use today to make the association known? — "
        "“A website or web page of your own” not checked"
    )
    assert facts[0].value == ("newsletter",)


def test_score_objective_resource_answered(q):
    answers = {
        "objectives.ranking": ["raise_funds", "make_known"],
        "profile.resource_time": "low",
        "inclusion.alternatives": ["none"],
    }
    context = ctx(q, answers)
    ok, facts = evaluate({"score": "inclusion", "lt": 10}, context)
    assert ok
    assert facts[0].text == "Score « Inclusion des membres peu ou pas connectés » : 0/100"
    assert evaluate({"score": "overall", "lt": 1}, context)[0]
    assert not evaluate({"score": "inclusion", "gte": 1}, context)[0]
    ok, facts = evaluate({"objective": "make_known", "rank_lte": 2}, context)
    assert ok
    assert facts[0].text == "Objectif « Faire connaître l'association » classé n° 2"
    assert facts[0].value == 2
    assert not evaluate({"objective": "make_known", "rank_lte": 1}, context)[0]
    ok, facts = evaluate({"objective": "serve_members", "rank_lte": 8}, context)
    assert not ok
    assert facts[0].value is None
    ok, facts = evaluate({"resource": "time", "in": ["low"]}, context)
    assert ok
    assert facts[0].kind == "resource"
    assert facts[0].question_id == "profile.resource_time"
    assert evaluate({"answered": "inclusion.alternatives"}, context)[0]
    assert not evaluate({"answered": "inclusion.support"}, context)[0]


def test_triggers_are_the_facts_that_decided(q):
    cond = {
        "any": [
            {"answer": "profile.digital_carriers", "in": ["single_person"]},
            {"answer": "digital_culture.key_person", "in": ["everything_stops"]},
        ]
    }
    answers = {
        "profile.digital_carriers": "staff",
        "digital_culture.key_person": "everything_stops",
    }
    ok, facts = evaluate(cond, ctx(q, answers))
    assert ok
    assert [f.ref for f in facts] == ["digital_culture.key_person"]

    cond = {"all": [*cond["any"]]}
    ok, facts = evaluate(cond, ctx(q, answers))
    assert not ok
    assert [f.ref for f in facts] == ["profile.digital_carriers"]

    ok, facts = evaluate({"not": cond}, ctx(q, answers))
    assert ok
    assert [f.ref for f in facts] == ["profile.digital_carriers"]


def test_unknown_question_is_simply_false(q):
    ok, facts = evaluate({"answer": "old.question", "in": ["x"]}, ctx(q, {"old.question": "x"}))
    assert not ok
    assert facts[0].ref == "old.question"
    assert evaluate({"not": {"answered": "old.question"}}, ctx(q, {"old.question": "x"}))[0]


# ---------------------------------------------------------------- checking


@pytest.mark.parametrize(
    ("condition", "message"),
    [
        ({}, "non-empty mapping"),
        ({"all": []}, "non-empty list"),
        ({"all": [{"answered": "profile.size_band"}], "any": []}, "stand alone"),
        ({"answer": "profile.nope", "in": ["x"]}, "unknown question"),
        ({"answer": "profile.size_band", "in": ["huge"]}, "unknown value"),
        ({"answer": "profile.size_band", "includes": "3-9"}, "multiple questions"),
        ({"answer": "communication.tools_used", "in": ["website"]}, "'in' is for single"),
        ({"answer": "communication.tools_used", "includes": "fax"}, "unknown value"),
        ({"answer": "governance.ag_participation", "in": [1025]}, "must be a string"),
        ({"score": "happiness", "lt": 50}, "unknown domain"),
        ({"score": "inclusion", "lt": 0}, "never or always"),
        ({"score": "inclusion", "lt": 50, "gte": 10}, "takes one of"),
        ({"objective": "world_peace", "rank_lte": 1}, "unknown objective"),
        ({"objective": "make_known", "rank_lte": 0}, "never hold"),
        ({"resource": "money", "in": ["none"]}, "unknown resource"),
        ({"resource": "time", "in": ["plenty"]}, "unknown value"),
        ({"eval": "__import__('os')"}, "unknown condition"),
    ],
)
def test_check_condition(q, condition, message):
    errors = check_condition(condition, q)
    assert errors
    assert message in " ".join(errors)


def test_parse_rules_rejects_broken_content(q, raw):
    broken = yaml.safe_load(yaml.safe_dump(raw))
    broken["rules"][0]["pitfalls"] = ["boredom"]
    with pytest.raises(ContentError, match="unknown pitfall"):
        parse_rules(broken, q)

    broken = yaml.safe_load(yaml.safe_dump(raw))
    broken["rules"] = [r for r in broken["rules"] if "no_evaluation" not in r["pitfalls"]]
    with pytest.raises(ContentError, match="no_evaluation"):
        parse_rules(broken, q)

    broken = yaml.safe_load(yaml.safe_dump(raw))
    broken["rules"][1]["code"] = broken["rules"][0]["code"]
    with pytest.raises(ContentError, match="duplicate rule codes"):
        parse_rules(broken, q)

    broken = yaml.safe_load(yaml.safe_dump(raw))
    broken["rules"][0]["feature"] = "accounting"
    with pytest.raises(ContentError, match="feature"):
        parse_rules(broken, q)

    broken = yaml.safe_load(yaml.safe_dump(raw))
    broken["rules"][0]["condition"] = {"answer": "profile.nope", "in": ["x"]}
    with pytest.raises(ContentError, match="unknown question"):
        parse_rules(broken, q)

    broken = yaml.safe_load(yaml.safe_dump(raw))
    del broken["rules"][0]["why"]
    with pytest.raises(ContentError, match="keys"):
        parse_rules(broken, q)


def test_rules_for_questionnaire():
    assert rules_for_questionnaire(1) is load_rules(1)
    assert rules_for_questionnaire(7) is load_rules()  # nothing written for v7 yet


# ---------------------------------------------------------------- recommend


def _twin(ruleset, code, **changes):
    base = ruleset.rule("second_person")
    return dataclasses.replace(
        base,
        code=code,
        condition={"answered": "self_rating.level"},
        **changes,
    )


def _run(q, ruleset, rules: list[Rule], answers):
    return recommend(q, dataclasses.replace(ruleset, rules=tuple(rules)), answers)


def test_top_objective_ranks_first(q, ruleset):
    a = _twin(ruleset, "z_serves_top", objectives=("make_known",))
    b = _twin(ruleset, "a_serves_last", objectives=("serve_members",))
    answers = {
        "self_rating.level": "en_progres",
        "objectives.ranking": full_ranking("make_known"),
    }
    assert full_ranking("make_known")[-1] == "serve_members"
    result = _run(q, ruleset, [b, a], answers)
    assert [r.code for r in result] == ["z_serves_top", "a_serves_last"]
    assert [r.rank for r in result] == [1, 2]
    assert result[0].priority_parts["objective"] == 60
    assert result[1].priority_parts["objective"] == 7.5

    answers["objectives.ranking"] = full_ranking("serve_members")
    assert [r.code for r in _run(q, ruleset, [a, b], answers)] == ["a_serves_last", "z_serves_top"]


def test_effort_beyond_time_ranks_lower(q, ruleset):
    easy = _twin(ruleset, "z_easy", effort="low", help="none")
    hard = _twin(ruleset, "a_hard", effort="high", help="none")
    answers = {"self_rating.level": "en_progres", "profile.resource_time": "low"}
    assert [r.code for r in _run(q, ruleset, [hard, easy], answers)] == ["z_easy", "a_hard"]
    answers["profile.resource_time"] = "high"
    answers["profile.resource_skills"] = "strong"
    assert [r.code for r in _run(q, ruleset, [hard, easy], answers)] == ["a_hard", "z_easy"]


def test_cost_beyond_budget_ranks_lower(q, ruleset):
    free = _twin(ruleset, "z_free", cost="none")
    paid = _twin(ruleset, "a_paid", cost="low")
    answers = {"self_rating.level": "en_progres", "profile.resource_budget": "none"}
    result = _run(q, ruleset, [paid, free], answers)
    assert [r.code for r in result] == ["z_free", "a_paid"]
    assert result[1].priority_parts["cost"] == -12
    answers["profile.resource_budget"] = "small"
    assert [r.code for r in _run(q, ruleset, [paid, free], answers)] == ["a_paid", "z_free"]


def test_weaker_domain_ranks_first(q, ruleset):
    strong = _twin(ruleset, "a_strong_domain", domain="evaluation")
    weak = _twin(ruleset, "z_weak_domain", domain="inclusion")
    answers = {
        **best_answers(q),
        "inclusion.alternatives": ["none"],
        "self_rating.level": "en_progres",
    }
    result = _run(q, ruleset, [strong, weak], answers)
    assert [r.code for r in result] == ["z_weak_domain", "a_strong_domain"]


def test_ties_break_by_code(q, ruleset):
    rules = [_twin(ruleset, code) for code in ("c_rule", "a_rule", "b_rule")]
    result = _run(q, ruleset, rules, {"self_rating.level": "en_progres"})
    assert [r.code for r in result] == ["a_rule", "b_rule", "c_rule"]


def test_a_struggling_association_gets_many_recommendations(q, ruleset):
    answers = {
        **worst_answers(q),
        "profile.non_connected_members": "many",
        "objectives.ranking": full_ranking("mobilise_volunteers", "make_known"),
        "profile.resource_time": "low",
        "profile.resource_budget": "none",
        "profile.resource_skills": "none",
    }
    result = recommend(q, ruleset, answers)
    codes = [r.code for r in result]
    assert len(codes) >= 25
    # Many members are not connected: the safeguard against excluding them comes
    # first, then what serves the association's top objective.
    assert codes[0] == "paper_phone_channel"
    serving_top_objective = [r.code for r in result if not r.priority_parts["safeguard"]]
    assert serving_top_objective[0] in {
        "publish_missions",
        "answer_volunteers_quickly",
        "simple_web_presence",
    }
    for r in result:
        assert r.triggered_by
        assert r.title and r.why and r.effect
        assert len(r.pitfall_labels) == len(r.pitfalls)
    # expensive or heavy actions come after cheap ones serving the same objective
    assert codes.index("publish_missions") < codes.index("track_volunteer_hours")


def test_an_advanced_association_gets_few(q, ruleset):
    answers = {
        **best_answers(q),
        "profile.digital_carriers": "most_members",
        "profile.non_connected_members": "none",
        "profile.difficulties": ["none"],
    }
    assert recommend(q, ruleset, answers) == []


def test_recommendation_in_english(q, ruleset):
    answers = {"digital_culture.documentation": "nothing"}
    (r,) = [
        x for x in recommend(q, ruleset, answers, language="en") if x.code == "document_procedures"
    ]
    assert r.title == "Keep a shared document of access details and procedures"
    assert r.help_label == "You can do it on your own"
    assert r.pitfall_labels[0].startswith("Depending on one single person")
    assert r.triggered_by[0].text.startswith("Are access details")


def test_obsolete_answers_do_not_matter(q, ruleset):
    answers = {"digital_culture.documentation": "nothing"}
    noisy = {**answers, "digital_culture.old_question": "x", "communication.fax": ["y"]}
    assert recommend(q, ruleset, noisy) == recommend(q, ruleset, answers)


def test_scores_can_be_passed(q, ruleset):
    answers = worst_answers(q)
    assert recommend(q, ruleset, answers, score(q, answers)) == recommend(q, ruleset, answers)
