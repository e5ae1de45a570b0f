"""Example answers that meet a condition: a small solver over the rule language.

Used by the tests to prove that every rule can be triggered (and avoided), and by
content authors (``python -m maillon.strategy.engine``) to see which answers bring
a rule up. The condition is expanded into alternatives (conjunctions of leaves, with
``not`` pushed down to the leaves); for each alternative, answers are built that meet
every leaf, then checked with the real evaluator. The first alternative that checks
wins.

This module has no Django import.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .questionnaire import (
    OBJECTIVE_CODES,
    OBJECTIVES_QUESTION,
    RESOURCE_QUESTIONS,
    Question,
    Questionnaire,
)
from .rules import OVERALL, evaluate, make_context

Literal = tuple[Mapping[str, Any], bool]

#: How many alternatives are tried at most for one condition.
MAX_ALTERNATIVES = 2000


def _alternatives(cond: Mapping[str, Any], positive: bool = True) -> Iterator[list[Literal]]:
    if "all" in cond or "any" in cond:
        op = "all" if "all" in cond else "any"
        children = list(cond[op])
        if (op == "all") == positive:  # a conjunction
            for parts in itertools.product(*(list(_alternatives(c, positive)) for c in children)):
                yield [lit for part in parts for lit in part]
        else:
            for child in children:
                yield from _alternatives(child, positive)
    elif "not" in cond:
        yield from _alternatives(cond["not"], not positive)
    else:
        yield [(cond, positive)]


def _points(choice: Any, direction: str) -> int:
    if choice.points is None:  # "not applicable": neither low nor high
        return 10**6 if direction == "low" else -1
    return choice.points


@dataclass
class _Constraints:
    """What the literals of one alternative ask of the answers."""

    q: Questionnaire
    allowed: dict[str, set[str]] = field(default_factory=dict)
    must_answer: set[str] = field(default_factory=set)
    must_skip: set[str] = field(default_factory=set)
    include: dict[str, set[str]] = field(default_factory=dict)
    exclude: dict[str, set[str]] = field(default_factory=dict)
    direction: dict[str, str] = field(default_factory=dict)  # domain -> "low" / "high"
    rank_first: list[str] = field(default_factory=list)
    rank_never: set[str] = field(default_factory=set)

    def restrict(self, qid: str, values: set[str], positive: bool) -> bool:
        question = self.q.question(qid)
        if question is None:
            return not positive
        current = self.allowed.setdefault(qid, set(question.values))
        if positive:
            current &= values
            self.must_answer.add(qid)
        else:
            current -= values
        return True

    def steer(self, domain: str, way: str) -> bool:
        codes = self.q.domains if domain == OVERALL else (domain,)
        return all(self.direction.setdefault(code, way) == way for code in codes)

    def add_answer_leaf(self, leaf: Mapping[str, Any], positive: bool) -> bool:
        qid = leaf["answer"]
        if "in" in leaf:
            return self.restrict(qid, set(leaf["in"]), positive)
        if self.q.question(qid) is None:
            return not positive
        checks = "includes" in leaf
        value = leaf["includes"] if checks else leaf["excludes"]
        if checks == positive:
            self.include.setdefault(qid, set()).add(value)
        else:
            self.exclude.setdefault(qid, set()).add(value)
        if positive:
            self.must_answer.add(qid)
        return True

    def add(self, leaf: Mapping[str, Any], positive: bool) -> bool:
        """Record one literal; False when it cannot hold with the others."""
        if "answer" in leaf:
            return self.add_answer_leaf(leaf, positive)
        if "answered" in leaf:
            (self.must_answer if positive else self.must_skip).add(leaf["answered"])
        elif "resource" in leaf:
            return self.restrict(RESOURCE_QUESTIONS[leaf["resource"]], set(leaf["in"]), positive)
        elif "score" in leaf:
            wants_low = ("lt" in leaf) == positive
            return self.steer(leaf["score"], "low" if wants_low else "high")
        elif "objective" in leaf:
            if positive:
                self.rank_first.append(leaf["objective"])
            else:
                self.rank_never.add(leaf["objective"])
        return True

    def consistent(self) -> bool:
        if self.must_answer & self.must_skip or set(self.rank_first) & self.rank_never:
            return False
        return not any(
            values & self.exclude.get(qid, set()) for qid, values in self.include.items()
        )


_SKIP = object()  # the question stays unanswered


def _choose_one(question: Question, c: _Constraints, way: str | None) -> Any:
    """The answer to a single, scale or boolean question; None when none fits."""
    qid = question.id
    candidates = [ch for ch in question.choices if ch.value in c.allowed.get(qid, question.values)]
    if qid not in c.must_answer and not (way and question.scored):
        return _SKIP
    if not candidates:
        return None
    if way == "high":
        candidates.sort(key=lambda ch: -_points(ch, "high"))
    elif way == "low":
        candidates.sort(key=lambda ch: _points(ch, "low"))
    return candidates[0].value


def _choose_many(question: Question, c: _Constraints, way: str | None) -> Any:
    """The checked values of a multiple question; None when none fits."""
    qid = question.id
    inc, exc = c.include.get(qid, set()), c.exclude.get(qid, set())
    exclusive = {ch.value for ch in question.choices if ch.exclusive}
    if inc & exclusive and len(inc) > 1:
        return None
    chosen = set(inc)
    if way == "high" and not inc & exclusive:
        chosen |= {ch.value for ch in question.choices if not ch.exclusive} - exc
    needed = qid in c.must_answer or bool(inc) or (way is not None and question.scored)
    if needed and not chosen:
        free = [ch for ch in question.choices if ch.value not in exc]
        if way == "low":
            free.sort(key=lambda ch: (ch.points or 0, not ch.exclusive))
        else:
            free.sort(key=lambda ch: ch.exclusive)
        if not free:
            return None
        chosen = {free[0].value}
    if not chosen:
        return _SKIP
    return [v for v in question.values if v in chosen]


def _choose(question: Question, c: _Constraints) -> Any:
    way = c.direction.get(question.section)
    if question.id in c.must_skip:
        return _SKIP
    if question.type in ("single", "scale", "boolean"):
        return _choose_one(question, c, way)
    if question.type == "multiple":
        return _choose_many(question, c, way)
    if question.type == "text" and question.id in c.must_answer:
        return "…"
    return _SKIP


def _build(literals: list[Literal], q: Questionnaire) -> dict[str, Any] | None:
    c = _Constraints(q)
    if not all(c.add(leaf, positive) for leaf, positive in literals) or not c.consistent():
        return None
    answers: dict[str, Any] = {}
    for question in q.questions:
        answer = _choose(question, c)
        if answer is None:
            return None
        if answer is not _SKIP:
            answers[question.id] = answer
    ranking = list(dict.fromkeys(c.rank_first))
    if not ranking and OBJECTIVES_QUESTION in c.must_answer:
        ranking = [o for o in OBJECTIVE_CODES if o not in c.rank_never][:1]
        if not ranking:
            return None
    if ranking:
        answers[OBJECTIVES_QUESTION] = ranking
    return answers


def satisfying_answers(
    condition: Mapping[str, Any],
    q: Questionnaire,
    *,
    base: Mapping[str, Any] | None = None,
) -> dict[str, Any] | None:
    """Answers to ``q`` under which ``condition`` holds (on top of ``base`` when
    given, for questions the condition does not constrain), or ``None`` when the
    solver finds none."""
    for literals in itertools.islice(_alternatives(condition), MAX_ALTERNATIVES):
        built = _build(literals, q)
        if built is None:
            continue
        candidates = [built]
        if base:
            candidates.insert(0, {**base, **built})
        for answers in candidates:
            ok, _ = evaluate(condition, make_context(q, answers))
            if ok:
                return answers
    return None
