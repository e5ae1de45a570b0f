"""The shipped YAML content: it loads, it is complete in French and English, and
every reference in the rules points to something that exists."""

from __future__ import annotations

import re

import pytest
import yaml

from maillon.strategy.engine.questionnaire import (
    CONTENT_DIR,
    DOMAIN_CODES,
    LANGUAGES,
    OBJECTIVE_CODES,
    OBJECTIVES_QUESTION,
    RESOURCE_QUESTIONS,
    available_versions,
    estimated_minutes,
    load_questionnaire,
)
from maillon.strategy.engine.rules import (
    FEATURES,
    HELP_KINDS,
    PITFALL_CODES,
    available_rule_versions,
    check_condition,
    load_rules,
)


@pytest.fixture(scope="module", params=available_versions())
def questionnaire(request):
    return load_questionnaire(request.param)


@pytest.fixture(scope="module", params=available_rule_versions())
def ruleset(request):
    return load_rules(request.param)


def _texts(q):
    yield "title", q.title
    for section in q.sections:
        yield section.code, section.title
        for question in section.questions:
            yield question.id, question.label
            if question.help:
                yield f"{question.id} help", question.help
            for choice in question.choices:
                yield f"{question.id}={choice.value}", choice.label


def leaves(condition):
    for op in ("all", "any"):
        if op in condition:
            for child in condition[op]:
                yield from leaves(child)
            return
    if "not" in condition:
        yield from leaves(condition["not"])
        return
    yield condition


def test_versions_are_shipped():
    assert available_versions() == [1]
    assert available_rule_versions() == [1]
    assert load_questionnaire().version == 1
    assert load_questionnaire() is load_questionnaire(1)  # cached


def test_loader_matches_the_raw_file():
    with (CONTENT_DIR / "questionnaire-v1.yaml").open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    ids = [q["id"] for s in raw["sections"] for q in s["questions"]]
    assert [q.id for q in load_questionnaire(1).questions] == ids


def test_every_text_is_in_french_and_english(questionnaire):
    for where, label in _texts(questionnaire):
        assert set(label) == set(LANGUAGES), where
        for lang in LANGUAGES:
            assert label[lang].strip(), (where, lang)


def test_french_is_not_left_in_english(questionnaire):
    """Long labels must really be translated (numbers and proper nouns aside)."""
    for where, label in _texts(questionnaire):
        if len(label["fr"]) > 12:
            assert label["fr"] != label["en"], where


def test_question_ids_are_unique_and_stable_looking(questionnaire):
    ids = [q.id for q in questionnaire.questions]
    assert len(ids) == len(set(ids))
    for question in questionnaire.questions:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", question.id), question.id
        assert question.id.startswith(question.section + ".")


def test_size_and_duration(questionnaire):
    assert 45 <= len(questionnaire.questions) <= 60
    assert 12 <= estimated_minutes(questionnaire) <= 16


def test_sections(questionnaire):
    kinds = [s.kind for s in questionnaire.sections]
    assert kinds[:3] == ["profile", "objectives", "self_rating"]
    assert questionnaire.domains == DOMAIN_CODES
    for section in questionnaire.domain_sections:
        assert 3 <= len(section.questions) <= 8, section.code
        assert any(question.scored for question in section.questions), section.code
    for section in questionnaire.sections:
        if section.kind != "domain":
            assert not any(question.scored for question in section.questions)


def test_choices_have_points(questionnaire):
    for question in questionnaire.questions:
        if question.type == "text":
            assert not question.choices
            continue
        assert question.choices, question.id
        for choice in question.choices:
            assert choice.points is None or choice.points >= 0, question.id
        if question.type == "multiple" and question.scored:
            assert question.max_points <= sum(c.points for c in question.choices)
            exclusive = [c for c in question.choices if c.exclusive]
            assert all(c.points == 0 for c in exclusive), question.id


def test_scored_choice_questions_span_from_zero(questionnaire):
    """Every scored single choice has a 0-point answer, so a domain really goes
    from 0 to 100."""
    for question in questionnaire.questions:
        if question.scored and question.type in ("single", "scale", "boolean"):
            assert min(c.points for c in question.choices if c.points is not None) == 0


def test_profile_questions(questionnaire):
    q = questionnaire
    assert q.question("profile.size_band").values == ("none", "1-2", "3-9", "10-49", "50+")
    assert set(q.question("profile.digital_carriers").values) == {
        "board",
        "few_initiated",
        "few_volunteers",
        "staff",
        "single_person",
        "most_members",
    }
    assert q.question("profile.resource_time").values == ("low", "medium", "high")
    assert q.question("profile.resource_budget").values == ("none", "small", "medium")
    assert q.question("profile.resource_skills").values == ("none", "some", "strong")
    assert set(RESOURCE_QUESTIONS.values()) <= {question.id for question in q.questions}
    assert q.question("profile.budget_band").type == "single"
    assert q.question("profile.sector") is not None
    assert set(q.question(OBJECTIVES_QUESTION).values) == set(OBJECTIVE_CODES)


def test_sector_codes_follow_the_platform_taxonomy(questionnaire):
    taxonomy = CONTENT_DIR.parent.parent / "taxonomy" / "data" / "sectors.csv"
    if not taxonomy.exists():
        pytest.skip("no taxonomy file")
    codes = {line.split(",", 1)[0] for line in taxonomy.read_text().splitlines()[1:] if line}
    assert set(questionnaire.question("profile.sector").values) == codes


def test_domains_ask_about_tools_now_and_planned(questionnaire):
    for domain in ("communication", "governance", "management", "fundraising"):
        used = questionnaire.question(f"{domain}.tools_used")
        planned = questionnaire.question(f"{domain}.tools_planned")
        assert used.type == planned.type == "multiple"
        assert not planned.scored
        assert set(planned.values) <= set(used.values)


# ---------------------------------------------------------------- rules


def test_rule_count_and_fields(ruleset):
    assert 25 <= len(ruleset.rules) <= 35
    for rule in ruleset.rules:
        for field in (rule.title, rule.why, rule.effect):
            assert set(field) == set(LANGUAGES), rule.code
            assert all(field[lang].strip() for lang in LANGUAGES)
            assert field["fr"] != field["en"], rule.code
        assert rule.feature is None or rule.feature in FEATURES
        assert rule.help in HELP_KINDS
        assert rule.pitfalls and set(rule.pitfalls) <= set(PITFALL_CODES)
        assert rule.objectives and set(rule.objectives) <= set(OBJECTIVE_CODES)


def test_rules_reference_what_exists(ruleset):
    q = load_questionnaire(ruleset.questionnaire_version)
    for rule in ruleset.rules:
        assert rule.domain in q.domains
        assert check_condition(rule.condition, q) == [], rule.code
        for leaf in leaves(rule.condition):
            for key in ("answer", "answered"):
                if key in leaf:
                    assert leaf[key] in q, (rule.code, leaf)


def test_every_pitfall_is_named_and_used(ruleset):
    assert [p.code for p in ruleset.pitfalls] == list(PITFALL_CODES)
    used = {p for rule in ruleset.rules for p in rule.pitfalls}
    assert used == set(PITFALL_CODES)
    for pitfall in ruleset.pitfalls:
        assert set(pitfall.label) == set(LANGUAGES)


def test_every_objective_help_kind_and_domain_is_served(ruleset):
    assert {o for rule in ruleset.rules for o in rule.objectives} == set(OBJECTIVE_CODES)
    assert {rule.help for rule in ruleset.rules} == set(HELP_KINDS)
    assert {rule.domain for rule in ruleset.rules} == set(DOMAIN_CODES)
    assert set(ruleset.help_kinds) == set(HELP_KINDS)


def test_every_maillon_feature_is_proposed(ruleset):
    assert {rule.feature for rule in ruleset.rules} - {None} == set(FEATURES)


def test_rule_codes_are_unique(ruleset):
    codes = [rule.code for rule in ruleset.rules]
    assert len(codes) == len(set(codes))
