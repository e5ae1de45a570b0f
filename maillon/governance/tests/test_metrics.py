import datetime

import pytest
from django.utils import timezone

from maillon.governance.models import AssemblyStatus
from maillon.governance.tests.factories import (
    AssemblyFactory,
    AttendanceFactory,
    ProxyFactory,
    RollEntryFactory,
)
from maillon.metrics import registry

pytestmark = pytest.mark.django_db


def test_ag_participation_rate_is_published_for_the_strategy_module(association):
    held = timezone.now() - datetime.timedelta(days=20)
    assembly = AssemblyFactory(
        association=association, starts_at=held, status=AssemblyStatus.CLOSED
    )
    present = RollEntryFactory(assembly=assembly)
    AttendanceFactory(entry=present)
    ProxyFactory(giver=RollEntryFactory(assembly=assembly), holder=present)  # represented
    ProxyFactory(  # the holder stayed away: the giver is not represented
        giver=RollEntryFactory(assembly=assembly), holder=RollEntryFactory(assembly=assembly)
    )
    RollEntryFactory(assembly=assembly, may_vote=False)  # not counted at all
    # A board meeting in the same period does not count.
    AssemblyFactory(association=association, kind="board", starts_at=held, status="closed")

    today = timezone.localdate()
    value = registry.measure(
        "governance.ag_participation_rate",
        association=association,
        start=today - datetime.timedelta(days=90),
        end=today,
    )
    assert value == 50  # 2 of 4 votes: present + represented


def test_no_general_assembly_means_no_value(association):
    today = timezone.localdate()
    assert (
        registry.measure(
            "governance.ag_participation_rate",
            association=association,
            start=today - datetime.timedelta(days=90),
            end=today,
        )
        is None
    )
