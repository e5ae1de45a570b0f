import datetime
import random

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.events.demo import CAMPAIGN_SLUG, seed_events
from maillon.events.models import Campaign, Event, EventStatus, Registration
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account
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


def test_demo_seed_is_idempotent(association):
    actor = member_with_account(association, [Role.PRESIDENT])
    people = [PersonFactory(association=association) for _ in range(8)]
    created = seed_events(association, actor, people, random.Random(1))
    assert created >= 6
    assert seed_events(association, actor, people, random.Random(1)) == 0
    with scopes_disabled():
        events = Event.objects.filter(association=association)
        assert events.filter(starts_at__lt=timezone.now()).count() == 3
        assert events.filter(campaign__slug=CAMPAIGN_SLUG).count() == 1
        assert Registration.objects.filter(checked_in_at__isnull=False).exists()
    assert Campaign.objects.filter(slug=CAMPAIGN_SLUG).count() == 1
