"""Helpers of the tests of volunteer hours, valuation, certificates and the dashboard
(part C). Import ``english_messages`` in a test module to read English messages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from django_scopes import scopes_disabled

from maillon.members.models import Person
from maillon.members.tests.factories import PersonFactory, member_with_account
from maillon.volunteering.models import Activity, HoursStatus, VolunteerHours


@pytest.fixture(autouse=True)
def english_messages(settings):
    """These tests read messages in the source language (English)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def person_of(user, association) -> Person:
    with scopes_disabled():
        return Person.objects.get(user=user, association=association)


def user_with_roles(association, roles, **kwargs):
    user = member_with_account(association, roles, **kwargs)
    user.language = "en"
    user.save(update_fields=["language"])
    return user


def add_hours(
    person,
    *,
    day: datetime.date | None = None,
    hours="2",
    status=HoursStatus.VALIDATED,
    activity=Activity.FIELD,
    mission=None,
    description="",
) -> VolunteerHours:
    """An entry written directly (no service): the state a test starts from."""
    with scopes_disabled():
        return VolunteerHours.objects.create(
            association=person.association,
            person=person,
            date=day or timezone.localdate(),
            hours=Decimal(str(hours)),
            activity=activity,
            mission=mission,
            description=description,
            status=status,
            validated_at=timezone.now() if status != HoursStatus.PENDING else None,
        )


def volunteer_without_account(association, **kwargs) -> Person:
    return PersonFactory(association=association, user=None, roles=["volunteer"], **kwargs)


def days_ago(days: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=days)


def engagement_world(association):
    """A hand-built year of engagement, seen over [today − 300 days, today]:

    - views: 30 (search) + 5 (word of mouth) + 15 (alert) in the period; 100 before;
    - applications submitted in the period: 5 — a1 accepted 240 days ago, active 95
      days after (retained); a2 accepted 190 days ago, last hours 5 days after (not
      retained); a3 accepted 20 days ago (too recent to count for retention); a4
      declined; a5 new, unanswered. Answer times: 24 h, 10 h, 72 h, 48 h → median 36 h,
      rate 4/5;
    - outside: a6 submitted 400 days ago, a7 never submitted;
    - validated hours in the period: P1 3 h, P2 2 h, P3 1.5 h + 2.5 h; a pending 9 h.
    Another association has views, an application and hours that must not count."""
    from maillon.volunteering.models import ApplicationStatus, MissionView, Source
    from maillon.volunteering.tests.factories import ApplicationFactory, MissionFactory

    today = timezone.localdate()
    m1 = MissionFactory(association=association, title="Accueil")
    m2 = MissionFactory(association=association, title="Maraude")
    with scopes_disabled():
        for mission, ago, source, count in (
            (m1, 10, Source.SEARCH, 30),
            (m1, 10, Source.WORD_OF_MOUTH, 5),
            (m2, 200, Source.ALERT, 15),
            (m2, 400, Source.SEARCH, 100),
        ):
            MissionView.objects.create(
                association=association,
                mission=mission,
                day=today - datetime.timedelta(days=ago),
                source=source,
                count=count,
            )
    p1, p2, p3 = (volunteer_without_account(association) for _ in range(3))

    def application(
        mission, submitted, status, source, *, decided=None, answer_hours=None, person=None
    ):
        submitted_at = days_ago(submitted)
        return ApplicationFactory(
            mission=mission,
            submitted_at=submitted_at,
            status=status,
            source=source,
            decided_at=days_ago(decided) if decided is not None else None,
            first_response_at=(
                submitted_at + datetime.timedelta(hours=answer_hours) if answer_hours else None
            ),
            person=person,
        )

    accepted, declined, new = (
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.NEW,
    )
    application(m1, 250, accepted, Source.SEARCH, decided=240, answer_hours=24, person=p1)
    application(m1, 200, accepted, Source.WORD_OF_MOUTH, decided=190, answer_hours=10, person=p2)
    application(m2, 30, accepted, Source.SEARCH, decided=20, answer_hours=72, person=p3)
    application(m2, 100, declined, Source.ALERT, decided=98, answer_hours=48)
    application(m2, 5, new, Source.SEARCH)
    application(m1, 400, accepted, Source.SEARCH, decided=390, answer_hours=1, person=p1)
    ApplicationFactory(mission=m1, submitted_at=None, email_verified_at=None)

    add_hours(p1, day=today - datetime.timedelta(days=145), hours="3")
    add_hours(p2, day=today - datetime.timedelta(days=185), hours="2")
    add_hours(p3, day=today - datetime.timedelta(days=10), hours="1.5")
    add_hours(p3, day=today - datetime.timedelta(days=12), hours="2.5")
    add_hours(p3, day=today - datetime.timedelta(days=12), hours="9", status=HoursStatus.PENDING)
    add_hours(p1, day=today - datetime.timedelta(days=350), hours="20")  # before the period
    return {"missions": (m1, m2), "people": (p1, p2, p3)}


def foreign_engagement(other_association):
    from maillon.volunteering.models import ApplicationStatus, MissionView
    from maillon.volunteering.tests.factories import ApplicationFactory, MissionFactory

    mission = MissionFactory(association=other_association)
    person = volunteer_without_account(other_association)
    with scopes_disabled():
        MissionView.objects.create(
            association=other_association,
            mission=mission,
            day=timezone.localdate() - datetime.timedelta(days=3),
            count=1000,
        )
    ApplicationFactory(
        mission=mission,
        submitted_at=days_ago(150),
        status=ApplicationStatus.ACCEPTED,
        decided_at=days_ago(140),
        first_response_at=days_ago(149),
        person=person,
    )
    add_hours(person, day=timezone.localdate() - datetime.timedelta(days=20), hours="20")
