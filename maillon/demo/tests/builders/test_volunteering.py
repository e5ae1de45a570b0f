import datetime
import random

import pytest
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.demo.builders.volunteering import seed_applications, seed_hours, seed_missions
from maillon.members.tests.factories import PersonFactory
from maillon.volunteering.missions.search import MissionFilters
from maillon.volunteering.missions.search import public_mission_search_page as mission_search_page
from maillon.volunteering.models import (
    Application,
    ApplicationStatus,
    HoursStatus,
    Mission,
    MissionStatus,
    VolunteerHours,
)
from maillon.volunteering.tests.factories import MissionFactory

pytestmark = pytest.mark.django_db


def test_demo_seed_creates_varied_missions_once(association, admin_user):
    created = seed_missions(association, admin_user, random.Random(4))
    assert 6 <= created <= 10
    assert seed_missions(association, admin_user, random.Random(4)) == 0
    with scopes_disabled():
        missions = Mission.objects.filter(association=association)
        assert missions.count() == created
        assert missions.filter(is_remote=True).exists()
        assert missions.filter(status=MissionStatus.DRAFT).exists()
        assert missions.exclude(status=MissionStatus.DRAFT).count() >= created - 2
        assert len({m.cause_id for m in missions}) >= 4
        # One-off missions start after the next Saturday, on a Saturday.
        one_off = missions.exclude(start_date=None).filter(is_remote=False)
        assert {m.start_date.weekday() for m in one_off} == {5}
        assert all(m.start_date > timezone.localdate() for m in one_off)
    assert mission_search_page(MissionFilters()).missions


def test_demo_seed_keeps_only_the_missions_that_suit_the_association(association, admin_user):
    created = seed_missions(association, admin_user, random.Random(4), titles=("Buvette",))
    assert created == 1
    with scopes_disabled():
        assert Mission.objects.get(association=association).title.startswith("Buvette")


def test_demo_seed_applies_to_public_missions_once(association, admin_user):
    seed_missions(association, admin_user, random.Random(4))
    with scope(association=association):
        assert seed_applications(association, admin_user) == 3
        assert seed_applications(association, admin_user) == 0
        statuses = sorted(
            Application.objects.filter(association=association).values_list("status", flat=True)
        )
    # One accepted after a reply, one with a question waiting, one not answered yet.
    assert statuses == sorted(
        [ApplicationStatus.ACCEPTED, ApplicationStatus.DISCUSSION, ApplicationStatus.NEW]
    )


def test_demo_seed_applies_nowhere_without_public_missions(association, admin_user):
    with scope(association=association):
        assert seed_applications(association, admin_user) == 0
        assert not Application.objects.exists()


def test_the_demo_seed_logs_a_year_of_validated_hours_once(association, admin_user):
    people = [
        PersonFactory(association=association, user=None, roles=["volunteer"]) for _ in range(3)
    ]
    MissionFactory(association=association)
    created = seed_hours(association, admin_user, people, random.Random(4))
    assert created > 20
    with scopes_disabled():
        entries = VolunteerHours.objects.filter(association=association)
        assert entries.count() == created
        assert set(entries.values_list("status", flat=True)) == {HoursStatus.VALIDATED}
        earliest = timezone.localdate() - datetime.timedelta(days=366)
        assert min(entries.values_list("date", flat=True)) >= earliest
    assert seed_hours(association, admin_user, people, random.Random(4)) == 0
