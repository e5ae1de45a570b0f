import datetime

import pytest
from django.utils import timezone

from maillon.events.models import EventStatus
from maillon.metrics import registry

from .factories import make_event, make_registration

pytestmark = pytest.mark.django_db


def _measure(code, association, start, end):
    return registry.measure(code, association=association, start=start, end=end)


def test_metrics_are_registered():
    codes = {m.code for m in registry.all_metrics()}
    assert {"events.held", "events.registrations", "events.attendance"} <= codes
    assert "events.attendance_rate" in codes


def test_metrics_count_events_held_in_the_period(association, other_association):
    today = timezone.localdate()
    held = make_event(association, days=-5)
    for i in range(4):
        make_registration(held, email=f"p{i}@example.org", checked_in=i < 3)
    make_registration(held, email="gone@example.org", status="cancelled", holds_seat=False)
    make_event(association, days=-6, status=EventStatus.CANCELLED)
    make_event(association, days=5)  # not yet held
    make_event(association, days=-40)  # before the period
    other = make_event(other_association, days=-5)
    make_registration(other, email="x@example.org", checked_in=True)

    start, end = today - datetime.timedelta(days=30), today
    assert _measure("events.held", association, start, end) == 1
    assert _measure("events.registrations", association, start, end) == 4
    assert _measure("events.attendance", association, start, end) == 3
    assert _measure("events.attendance_rate", association, start, end) == 75
    empty = (today - datetime.timedelta(days=400), today - datetime.timedelta(days=300))
    assert _measure("events.attendance_rate", association, *empty) is None
