"""Labels of the study's codes a sheet uses (diagnostic domains, pitfalls), read from
the strategy's versioned content (pure engine, no database)."""

from __future__ import annotations

from django.utils.translation import get_language

from maillon.strategy.engine.questionnaire import DOMAIN_CODES, load_questionnaire, text
from maillon.strategy.engine.rules import PITFALL_CODES, load_rules


def _language() -> str:
    return (get_language() or "fr")[:2]


def domain_choices() -> list[tuple[str, str]]:
    questionnaire = load_questionnaire()
    return [(code, questionnaire.domain_title(code, _language())) for code in DOMAIN_CODES]


def pitfall_choices() -> list[tuple[str, str]]:
    rules = load_rules()
    return [(code, rules.pitfall_label(code, _language())) for code in PITFALL_CODES]


def labels(codes, choices) -> list[str]:
    known = dict(choices)
    return [known.get(code, code) for code in codes or []]


def recommendation_texts(code: str) -> tuple[str, str, str]:
    """(title, why, domain) of a recommendation of the current rules ("" if unknown)."""
    rule = load_rules().rule(code) if code else None
    if rule is None:
        return "", "", ""
    return text(rule.title, _language()), text(rule.why, _language()), rule.domain
