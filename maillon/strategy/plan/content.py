"""What the action plan reads from the versioned diagnostic content (questionnaire
and recommendation rules), through the engine, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from ..engine.questionnaire import OBJECTIVE_CODES, OBJECTIVES_QUESTION, load_questionnaire, text
from ..engine.rules import rules_for_questionnaire


def current_language() -> str:
    return (translation.get_language() or "fr").split("-")[0]


def objective_codes() -> tuple[str, ...]:
    return OBJECTIVE_CODES


def objective_choices(*, version: int | None = None, language: str | None = None):
    """(code, label) of the objectives an action can serve, as the questionnaire
    words them (the latest version unless one is given)."""
    language = language or current_language()
    question = load_questionnaire(version).question(OBJECTIVES_QUESTION)
    return [(choice.value, text(choice.label, language)) for choice in question.choices]


def objective_labels(*, version: int | None = None, language: str | None = None) -> dict:
    return dict(objective_choices(version=version, language=language))


@dataclass(frozen=True)
class AdoptableRule:
    """The parts of a recommendation rule that become an action."""

    code: str
    titles: dict
    whys: dict
    objectives: tuple[str, ...]

    def title(self, language: str) -> str:
        return text(self.titles, language)

    def why(self, language: str) -> str:
        return text(self.whys, language)


def rule_for(*, version: int, code: str) -> AdoptableRule | None:
    """The recommendation ``code`` among the rules that read questionnaire ``version``
    (the one the diagnostic was answered with)."""
    rule = rules_for_questionnaire(version).rule(code)
    if rule is None:
        return None
    return AdoptableRule(
        code=rule.code,
        titles=dict(rule.title),
        whys=dict(rule.why or {}),
        objectives=tuple(rule.objectives),
    )
