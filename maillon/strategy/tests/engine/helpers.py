"""Answer sets and Hypothesis strategies for the engine's tests."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from maillon.strategy.engine.questionnaire import OBJECTIVE_CODES, Question, Questionnaire


def best_choice(question: Question) -> Any:
    if question.type == "multiple":
        return [c.value for c in question.choices if not c.exclusive]
    if question.type == "ranking":
        return list(question.values)
    if question.type == "text":
        return "Un texte"
    return max(question.choices, key=lambda c: -1 if c.points is None else c.points).value


def worst_choice(question: Question) -> Any:
    if question.type == "multiple":
        zero = [c for c in question.choices if not c.points]
        return [zero[0].value] if zero else [question.choices[0].value]
    if question.type == "ranking":
        return list(reversed(question.values))
    if question.type == "text":
        return "Un texte"
    return min(question.choices, key=lambda c: 10**6 if c.points is None else c.points).value


def best_answers(q: Questionnaire) -> dict[str, Any]:
    return {question.id: best_choice(question) for question in q.questions}


def worst_answers(q: Questionnaire) -> dict[str, Any]:
    return {question.id: worst_choice(question) for question in q.questions}


def value_strategy(question: Question) -> st.SearchStrategy:
    """A valid, non-empty answer to ``question``."""
    if question.type == "text":
        return st.text(min_size=1, max_size=40).filter(str.strip)
    if question.type == "ranking":
        return st.permutations(list(question.values)).flatmap(
            lambda order: st.integers(1, len(order)).map(lambda n: list(order[:n]))
        )
    if question.type == "multiple":
        plain = [c.value for c in question.choices if not c.exclusive]
        exclusive = [[c.value] for c in question.choices if c.exclusive]
        some = st.lists(st.sampled_from(plain), unique=True, min_size=1)
        return st.one_of(some, st.sampled_from(exclusive)) if exclusive else some
    return st.sampled_from(list(question.values))


def answers_strategy(q: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    """A valid, possibly partial, answer set to ``q``."""
    return st.fixed_dictionaries(
        {}, optional={question.id: value_strategy(question) for question in q.questions}
    )


def full_ranking(*first: str) -> list[str]:
    """Every objective, ``first`` ones first, the others in their usual order."""
    return [*first, *(o for o in OBJECTIVE_CODES if o not in first)]
