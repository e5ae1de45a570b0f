"""The indicator mapping: every question exists, national figures only from DOMAIN.md."""

import pytest

from maillon.observatory.indicators.engine import Unit, compute_indicators, weighted_share
from maillon.observatory.indicators.mapping import evaluate, load_mapping, mapping_versions
from maillon.strategy.engine.questionnaire import load_questionnaire

# The published national figures of DOMAIN.md §1, as (edition, value) pairs.
DOMAIN_FIGURES = {
    2016: {0.73, 0.62, 0.43, 0.51, 0.41, 0.13, 0.09, 0.08},
    2019: {0.71, 0.67, 0.48, 0.34, 0.18, 0.20, 0.11, 0.06, 0.55, 0.21, 0.25, 0.84, 0.57, 0.41},
    2022: {0.71, 0.59, 0.43, 0.74, 0.70, 0.63, 0.50, 0.22, 0.53, 0.76, 0.48, 0.34, 0.30, 0.24},
    2025: {0.47, 0.26, 0.23, 0.80, 0.75, 0.70, 0.57, 0.18, 0.71},  # 0.71 = 1 - 0.29
}


@pytest.mark.parametrize("version", mapping_versions())
def test_every_rule_names_a_question_and_choices_of_its_questionnaire(version):
    mapping = load_mapping(version)
    questionnaire = load_questionnaire(mapping.questionnaire_version)
    by_id = {q.id: q for q in questionnaire.questions}
    for question in mapping.questions():
        assert question in by_id, question
    for indicator in mapping.indicators:
        rules = indicator.rule.get("any", [indicator.rule])
        for rule in rules:
            choices = {c.value for c in by_id[rule["question"]].choices}
            wanted = rule.get("any_of", []) + rule.get("none_of", [])
            wanted += [rule[k] for k in ("equals", "value") if k in rule]
            assert set(wanted) <= choices, (indicator.code, wanted)


@pytest.mark.parametrize("version", mapping_versions())
def test_national_figures_come_from_domain_md_only(version):
    for indicator in load_mapping(version).indicators:
        for figure in indicator.national:
            assert round(figure.value, 2) in DOMAIN_FIGURES[figure.edition], indicator.code
            assert figure.note.get("fr") and figure.note.get("en"), indicator.code


def test_the_nearest_edition_is_chosen():
    website = next(i for i in load_mapping(1).indicators if i.code == "tool_website")
    assert website.nearest_national(2016).edition == 2016
    assert website.nearest_national(2026).edition == 2019
    maturity = next(i for i in load_mapping(1).indicators if i.code == "maturity_in_progress")
    assert maturity.nearest_national(2024).edition == 2025


def test_rules():
    answers = {
        "communication.tools_used": ["website"],
        "objectives.ranking": ["a", "b", "c", "d"],
        "profile.difficulties": ["none"],
    }
    assert evaluate({"question": "communication.tools_used", "any_of": ["website"]}, answers)
    assert evaluate({"question": "profile.difficulties", "none_of": ["none"]}, answers) is False
    assert evaluate({"question": "missing", "equals": "x"}, answers) is None
    assert evaluate({"question": "objectives.ranking", "ranked_within": 3, "value": "c"}, answers)
    assert not evaluate(
        {"question": "objectives.ranking", "ranked_within": 3, "value": "d"}, answers
    )


def test_weighted_share_by_hand():
    result = weighted_share([(True, 2.0), (False, 1.0), (False, 1.0)])
    assert result["share"] == pytest.approx(0.5)
    assert result["unweighted_share"] == pytest.approx(1 / 3)
    assert result["effective_n"] == pytest.approx(16 / 6)


def test_a_figure_below_k_is_withheld():
    units = [
        Unit(
            {"size_band": "none", "sector": "sport", "region": "11"},
            {"communication.tools_used": ["website"]},
        )
    ] * 3
    results = compute_indicators(units, load_mapping(1), year=2026, min_cell=5, categories={})
    website = next(r for r in results if r["code"] == "tool_website")
    assert website["suppressed"] and "share" not in website
