"""The batch computations that the network's table reads (``compute_many``) give
the same values as the one-association ``compute`` of each metric."""

import datetime

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.associations.tests.factories import AssociationFactory
from maillon.members.tests.factories import MembershipPeriodFactory, PersonFactory
from maillon.metrics.registry import get, measure, measure_many, measure_many_metrics
from maillon.network.backoffice.indicators import COLUMNS
from maillon.strategy.models import Action, Diagnostic

pytestmark = pytest.mark.django_db


def _figures(association, people: int, score: int):
    for n in range(people):
        person = PersonFactory(association=association)
        if n % 2:
            MembershipPeriodFactory(person=person)
    with scopes_disabled():
        Diagnostic.objects.create(
            association=association,
            questionnaire_version=1,
            status="completed",
            completed_at=timezone.now() - datetime.timedelta(days=40),
            scores={"overall": score},
        )
        Action.objects.create(association=association, title="A", status="done")
        Action.objects.create(association=association, title="B", status="planned")


def test_every_column_has_a_batch_computation_equal_to_the_single_one():
    associations = [AssociationFactory(), AssociationFactory(), AssociationFactory()]
    _figures(associations[0], 4, 55)
    _figures(associations[1], 3, 81)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    for column in COLUMNS:
        assert get(column.code) is not None and get(column.code).compute_many, column.code
        many = measure_many(column.code, associations=associations, start=start, end=today)
        for association in associations:
            single = measure(column.code, association=association, start=start, end=today)
            assert many[association.pk] == single, (column.code, association.name)


def test_metrics_measured_together_equal_each_measured_alone():
    """``measure_many_metrics`` (siblings from one query, ``Metric.batch``) gives the
    same values as ``measure_many`` code by code."""
    associations = [AssociationFactory(), AssociationFactory(), AssociationFactory()]
    _figures(associations[0], 4, 55)
    _figures(associations[2], 1, 12)
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365)
    codes = [column.code for column in COLUMNS]
    together = measure_many_metrics(codes, associations=associations, start=start, end=today)
    for code in codes:
        alone = measure_many(code, associations=associations, start=start, end=today)
        assert together[code] == alone, code
    assert sum(1 for code in codes if get(code).batch) >= 6
