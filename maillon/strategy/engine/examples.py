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
from typing import Any

from .questionnaire import OBJECTIVE_CODES, OBJECTIVES_QUESTION, RESOURCE_QUESTIONS, Questionnaire
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


def _build(literals: list[Literal], q: Questionnaire) -> dict[str, Any] | None:
    allowed: dict[str, set[str]] = {}
    must_answer: set[str] = set()
    must_skip: set[str] = set()
    include: dict[str, set[str]] = {}
    exclude: dict[str, set[str]] = {}
    direction: dict[str, str] = {}
    rank_first: list[str] = []
    rank_never: set[str] = set()

    def restrict(qid: str, values: set[str], positive: bool) -> bool:
        question = q.question(qid)
        if question is None:
            return not positive
        current = allowed.setdefault(qid, set(question.values))
        if positive:
            current &= values
            must_answer.add(qid)
        else:
            current -= values
        return True

    def steer(domain: str, way: str) -> bool:
        codes = q.domains if domain == OVERALL else (domain,)
        return all(direction.setdefault(code, way) == way for code in codes)

    for leaf, positive in literals:
        if "answer" in leaf:
            qid = leaf["answer"]
            if "in" in leaf:
                if not restrict(qid, set(leaf["in"]), positive):
                    return None
                continue
            if q.question(qid) is None:
                if positive:
                    return None
                continue
            checks = "includes" in leaf
            value = leaf["includes"] if checks else leaf["excludes"]
            if checks == positive:
                include.setdefault(qid, set()).add(value)
            else:
                exclude.setdefault(qid, set()).add(value)
            if positive:
                must_answer.add(qid)
        elif "answered" in leaf:
            (must_answer if positive else must_skip).add(leaf["answered"])
        elif "resource" in leaf:
            if not restrict(RESOURCE_QUESTIONS[leaf["resource"]], set(leaf["in"]), positive):
                return None
        elif "score" in leaf:
            wants_low = ("lt" in leaf) == positive
            if not steer(leaf["score"], "low" if wants_low else "high"):
                return None
        elif "objective" in leaf:
            if positive:
                rank_first.append(leaf["objective"])
            else:
                rank_never.add(leaf["objective"])

    if must_answer & must_skip or set(rank_first) & rank_never:
        return None
    for qid, values in include.items():
        if values & exclude.get(qid, set()):
            return None

    answers: dict[str, Any] = {}
    for question in q.questions:
        qid, way = question.id, direction.get(question.section)
        if qid in must_skip:
            continue
        if question.type in ("single", "scale", "boolean"):
            candidates = [
                c for c in question.choices if c.value in allowed.get(qid, question.values)
            ]
            if qid not in must_answer and not (way and question.scored):
                continue
            if not candidates:
                return None
            if way == "high":
                candidates.sort(key=lambda c: -_points(c, "high"))
            elif way == "low":
                candidates.sort(key=lambda c: _points(c, "low"))
            answers[qid] = candidates[0].value
        elif question.type == "multiple":
            inc, exc = include.get(qid, set()), exclude.get(qid, set())
            exclusive = {c.value for c in question.choices if c.exclusive}
            if inc & exclusive and len(inc) > 1:
                return None
            chosen = set(inc)
            if way == "high" and not inc & exclusive:
                chosen |= {c.value for c in question.choices if not c.exclusive} - exc
            needed = qid in must_answer or bool(inc) or (way is not None and question.scored)
            if needed and not chosen:
                free = [c for c in question.choices if c.value not in exc]
                if way == "low":
                    free.sort(key=lambda c: (c.points or 0, not c.exclusive))
                else:
                    free.sort(key=lambda c: c.exclusive)
                if not free:
                    return None
                chosen = {free[0].value}
            if chosen:
                answers[qid] = [v for v in question.values if v in chosen]
        elif question.type == "text" and qid in must_answer:
            answers[qid] = "…"

    ranking = list(dict.fromkeys(rank_first))
    if not ranking and OBJECTIVES_QUESTION in must_answer:
        ranking = [o for o in OBJECTIVE_CODES if o not in rank_never][:1]
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
