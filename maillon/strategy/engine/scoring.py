"""Scores of a diagnostic: per domain 0-100, overall, and a level on the study's scale.

How a score is computed (the same for every version of the questionnaire):

- a question gives the points of its chosen choice (``single``, ``scale``,
  ``boolean``) or the sum of its checked choices capped by ``max_points``
  (``multiple``); an unanswered question gives 0 but still counts in the total; a
  choice whose points are ``null`` ("not applicable") takes the question out of the
  total; values the questionnaire does not know give 0;
- a domain's score is ``100 * points / total`` rounded half up; a domain with an
  empty total scores 0;
- the overall score is the mean of the domains' exact ratios (every domain weighs
  the same, whatever its number of questions), times 100, rounded half up;
- the level: below 40 *peu initiée*, below 70 *en progrès*, otherwise
  *expérimentée* (:data:`LEVEL_THRESHOLDS`).

So a better answer (a choice with more points, one more checked choice) never lowers
a domain's score nor the overall score. The association's own rating (the
``self_rating`` question) is reported beside the computed level, with the gap
between them in steps of the scale.

This module has no Django import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .questionnaire import (
    DEFAULT_LANGUAGE,
    LEVEL_CODES,
    SELF_RATING_QUESTION,
    Question,
    Questionnaire,
    is_answered,
    normalise_answer,
    text,
)

#: ``(lowest score, level)``, highest first: a score takes the first level whose
#: lowest score it reaches.
LEVEL_THRESHOLDS = ((70, "experimentee"), (40, "en_progres"), (0, "peu_initiee"))

LEVEL_LABELS = {
    "peu_initiee": {"fr": "Peu initiée", "en": "Little initiated"},
    "en_progres": {"fr": "En progrès", "en": "Making progress"},
    "experimentee": {"fr": "Expérimentée", "en": "Experienced"},
}


def level_for(score: int | float) -> str:
    for lowest, level in LEVEL_THRESHOLDS:
        if score >= lowest:
            return level
    return LEVEL_THRESHOLDS[-1][1]


def level_label(level: str, language: str = DEFAULT_LANGUAGE) -> str:
    return text(LEVEL_LABELS.get(level), language) or level


def _round_half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -int(-x + Fraction(1, 2))


@dataclass(frozen=True)
class DomainScore:
    code: str
    score: int
    level: str
    #: Questions of the domain answered, and their number (scored or not).
    answered: int
    total: int
    points: int
    max_points: int

    @property
    def ratio(self) -> Fraction:
        return Fraction(self.points, self.max_points) if self.max_points else Fraction(0)


@dataclass(frozen=True)
class Scores:
    version: int
    domains: Mapping[str, DomainScore]
    overall: int
    level: str
    #: The association's own rating (a level code), or None when not given.
    self_rating: str | None = None

    @property
    def self_rating_gap(self) -> int | None:
        """Steps between the association's own rating and the computed level:
        positive when the association rates itself higher, negative when lower."""
        if self.self_rating not in LEVEL_CODES:
            return None
        return LEVEL_CODES.index(self.self_rating) - LEVEL_CODES.index(self.level)

    def weakest(self) -> list[str]:
        """Domain codes, weakest first (ties in questionnaire order)."""
        order = list(self.domains)
        return sorted(order, key=lambda code: (self.domains[code].score, order.index(code)))


def question_points(question: Question, raw: Any) -> tuple[int, int]:
    """``(points, max_points)`` given by an answer; ``(0, 0)`` for a question that is
    not scored or answered "not applicable"."""
    if not question.scored:
        return 0, 0
    value = normalise_answer(question, raw)
    if value is None:
        return 0, question.max_points
    if question.type == "multiple":
        got = 0
        for v in value:
            choice = question.choice(v)
            if choice is not None and choice.points:
                got += choice.points
        return min(got, question.max_points), question.max_points
    choice = question.choice(value) if isinstance(value, str) else None
    if choice is None:
        return 0, question.max_points
    if choice.points is None:
        return 0, 0
    return min(choice.points, question.max_points), question.max_points


def score(q: Questionnaire, answers: Mapping[str, Any] | None) -> Scores:
    """Score ``answers`` with questionnaire ``q`` (the version they were given to)."""
    answers = answers or {}
    domains: dict[str, DomainScore] = {}
    for section in q.domain_sections:
        points = max_points = answered = 0
        for question in section.questions:
            raw = answers.get(question.id)
            got, most = question_points(question, raw)
            points += got
            max_points += most
            answered += is_answered(question, raw)
        ratio = Fraction(points, max_points) if max_points else Fraction(0)
        value = _round_half_up(ratio * 100)
        domains[section.code] = DomainScore(
            code=section.code,
            score=value,
            level=level_for(value),
            answered=answered,
            total=len(section.questions),
            points=points,
            max_points=max_points,
        )
    if domains:
        mean = sum((d.ratio for d in domains.values()), Fraction(0)) / len(domains)
        overall = _round_half_up(mean * 100)
    else:
        overall = 0
    rating = answers.get(SELF_RATING_QUESTION)
    rating_question = q.question(SELF_RATING_QUESTION)
    if rating_question is not None:
        rating = normalise_answer(rating_question, rating)
    return Scores(
        version=q.version,
        domains=domains,
        overall=overall,
        level=level_for(overall),
        self_rating=rating if rating in LEVEL_CODES else None,
    )
