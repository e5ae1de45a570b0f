"""The strategy engine: self-diagnostic questionnaire, scoring and recommendations.

Pure Python (no Django): content is versioned YAML in ``maillon/strategy/content/``.

>>> from maillon.strategy.engine import load_questionnaire, load_rules, score, recommend
>>> q = load_questionnaire()
>>> answers = {"profile.resource_time": "low", "digital_culture.key_person": "everything_stops"}
>>> [r.code for r in recommend(q, load_rules(), answers)][:1]
['second_person']

Modules: :mod:`.questionnaire` (loading, answers, validation, progress),
:mod:`.scoring` (domain and overall scores, levels), :mod:`.rules` (the rule
language, evaluation with triggers, ranking) and :mod:`.examples` (a solver that
builds answers meeting a condition, for tests and content authors).
"""

from .questionnaire import (
    DOMAIN_CODES,
    LEVEL_CODES,
    OBJECTIVE_CODES,
    OBJECTIVES_QUESTION,
    RESOURCE_QUESTIONS,
    SELF_RATING_QUESTION,
    Choice,
    ContentError,
    Question,
    Questionnaire,
    Section,
    available_versions,
    estimated_minutes,
    load_questionnaire,
    normalise_answers,
    progress,
    text,
    validate_answers,
)
from .rules import (
    Context,
    Recommendation,
    Rule,
    RuleSet,
    Trigger,
    available_rule_versions,
    evaluate,
    load_rules,
    make_context,
    recommend,
    rules_for_questionnaire,
)
from .scoring import LEVEL_THRESHOLDS, DomainScore, Scores, level_for, level_label, score

__all__ = [
    "DOMAIN_CODES",
    "LEVEL_CODES",
    "LEVEL_THRESHOLDS",
    "OBJECTIVES_QUESTION",
    "OBJECTIVE_CODES",
    "RESOURCE_QUESTIONS",
    "SELF_RATING_QUESTION",
    "Choice",
    "ContentError",
    "Context",
    "DomainScore",
    "Question",
    "Questionnaire",
    "Recommendation",
    "Rule",
    "RuleSet",
    "Scores",
    "Section",
    "Trigger",
    "available_rule_versions",
    "available_versions",
    "estimated_minutes",
    "evaluate",
    "level_for",
    "level_label",
    "load_questionnaire",
    "load_rules",
    "make_context",
    "normalise_answers",
    "progress",
    "recommend",
    "rules_for_questionnaire",
    "score",
    "text",
    "validate_answers",
]
