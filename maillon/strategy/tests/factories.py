"""Factories of the strategy tests: completed diagnostics, actions, indicators
and measurements (created outside any scope, like the shared factories)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.strategy.models import (
    Action,
    Diagnostic,
    DiagnosticAnswer,
    DiagnosticStatus,
    Indicator,
    Measurement,
)


class _Unscoped(factory.django.DjangoModelFactory):
    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with scopes_disabled():
            return super()._create(model_class, *args, **kwargs)


SCORES = {
    "version": 1,
    "domains": {
        "communication": {"score": 55, "level": "en_progres"},
        "volunteering": {"score": 20, "level": "peu_initiee"},
        "governance": {"score": 75, "level": "experimentee"},
    },
    "overall": 48,
    "level": "en_progres",
    "self_rating": "experimentee",
}


class CompletedDiagnosticFactory(_Unscoped):
    class Meta:
        model = Diagnostic
        skip_postgeneration_save = True

    association = factory.SubFactory(AssociationFactory)
    questionnaire_version = 1
    status = DiagnosticStatus.COMPLETED
    completed_at = factory.LazyFunction(timezone.now)
    scores = factory.LazyFunction(lambda: dict(SCORES))

    @factory.post_generation
    def objectives(self, create, extracted, **kwargs):
        """The ranked objectives, most important first."""
        if create and extracted:
            with scopes_disabled():
                DiagnosticAnswer.objects.create(
                    association=self.association,
                    diagnostic=self,
                    question_id="objectives.ranking",
                    value=list(extracted),
                )


class ActionFactory(_Unscoped):
    class Meta:
        model = Action

    association = factory.SubFactory(AssociationFactory)
    title = factory.Sequence(lambda n: f"Action n°{n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))


class IndicatorFactory(_Unscoped):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    association = factory.SelfAttribute("action.association")
    name = factory.Sequence(lambda n: f"Indicateur n°{n}")
    unit = "personnes"
    baseline = Decimal("10")
    target = Decimal("20")


class MeasurementFactory(_Unscoped):
    class Meta:
        model = Measurement

    indicator = factory.SubFactory(IndicatorFactory)
    association = factory.SelfAttribute("indicator.association")
    date = factory.LazyFunction(timezone.localdate)
    value = Decimal("15")
