import random

import pytest
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.demo.builders.events import CAMPAIGN_SLUG, seed_events
from maillon.events.models import Campaign, Event, Registration
from maillon.members.models import Role
from maillon.members.tests.factories import PersonFactory, member_with_account

pytestmark = pytest.mark.django_db


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
