"""Factories of the observatory tests."""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.observatory.margins.loading import shipped_margins
from maillon.observatory.margins.services import margin_set_load
from maillon.observatory.models import MarginSet
from maillon.observatory.synthetic import synthetic_answers
from maillon.strategy.models import AnonymousDiagnostic, DiagnosticAnswer
from maillon.strategy.tests.factories import CompletedDiagnosticFactory


def national_margins() -> MarginSet:
    existing = MarginSet.objects.filter(name="national").first()
    return existing or margin_set_load(margins=shipped_margins())


def answers_for(seed: int, size_band: str = "none", sector: str = "sport") -> dict[str, Any]:
    return synthetic_answers(random.Random(seed), size_band, sector)


def completed_diagnostic(association, answers: dict[str, Any], completed_at=None):
    diagnostic = CompletedDiagnosticFactory(
        association=association, completed_at=completed_at or timezone.now()
    )
    with scopes_disabled():
        DiagnosticAnswer.objects.bulk_create(
            DiagnosticAnswer(association=association, diagnostic=diagnostic, question_id=q, value=v)
            for q, v in answers.items()
        )
    return diagnostic


def completed_anonymous(answers: dict[str, Any]) -> AnonymousDiagnostic:
    return AnonymousDiagnostic.objects.create(
        questionnaire_version=1, answers=answers, completed_at=timezone.now()
    )
