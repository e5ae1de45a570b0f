"""Events of a demo association: a few past events (with registrations and check-ins,
so the attendance figures have something to show) and upcoming ones, one of them in
the network campaign "Semaine de l'engagement" (created if absent). Idempotent: an
event is recognised by its title."""

from __future__ import annotations

import datetime
import random
import zoneinfo

from django.utils import timezone
from django_scopes import scope

from maillon.events.models import Campaign, Event, EventStatus, Registration, RegistrationStatus
from maillon.events.services import _validate_event, event_create, event_publish

CAMPAIGN_SLUG = "semaine-de-l-engagement"

PAST = [
    ("Assemblée de quartier de printemps", -60, 18, 2, 40),
    ("Atelier « Prise en main du numérique »", -30, 14, 3, 12),
    ("Soirée d'accueil des nouveaux bénévoles", -12, 19, 2, None),
]
UPCOMING = [
    ("Permanence d'information", 10, 10, 3, None, False),
    ("Atelier réparation de vélos", 24, 14, 4, 15, False),
    ("Réunion des bénévoles (en ligne)", 5, 20, 1, None, True),
]


def _campaign(today: datetime.date) -> Campaign:
    campaign, _created = Campaign.objects.get_or_create(
        slug=CAMPAIGN_SLUG,
        defaults={
            "title": "Semaine de l'engagement",
            "description": (
                "Une semaine pour découvrir les associations près de chez vous : portes "
                "ouvertes, ateliers, rencontres avec les bénévoles."
            ),
            "starts_on": today + datetime.timedelta(days=14),
            "ends_on": today + datetime.timedelta(days=20),
        },
    )
    return campaign


def _at(association, day: datetime.date, hour: int) -> datetime.datetime:
    tz = zoneinfo.ZoneInfo(association.time_zone or "Europe/Paris")
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=tz)


def _place(association) -> dict:
    return {
        "address": "Salle des fêtes, place de la Mairie",
        "postal_code": association.postal_code or "75001",
        "city": association.city or "Paris",
    }


def seed_events(association, actor, people, rng: random.Random) -> int:
    """Create the demo events of ``association`` (idempotent: by title). Returns how
    many events were created."""
    today = timezone.localdate()
    with scope(association=association):
        existing = set(
            Event.objects.filter(association=association).values_list("title", flat=True)
        )
        created = add_past_events(association, actor, people, rng, today, existing)
        campaign = _campaign(today)
        created += add_upcoming_events(association, actor, today, existing)
        created += add_open_day(association, actor, campaign, today, existing)
    return created


def add_past_events(association, actor, people, rng: random.Random, today, existing) -> int:
    """Held events, written directly (the services refuse dates in the past), with
    registrations of ``people``, three in four of them checked in."""
    created = 0
    for title, days, hour, hours, capacity in PAST:
        if title in existing:
            continue
        starts = _at(association, today + datetime.timedelta(days=days), hour)
        event = Event(
            association=association,
            title=title,
            description="Un moment d'échange ouvert à toutes et tous.",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=hours),
            capacity=capacity,
            status=EventStatus.PUBLISHED,
            published_at=starts - datetime.timedelta(days=20),
            created_by=actor,
            **_place(association),
        )
        _validate_event(event)
        event.save()
        chosen = rng.sample(list(people), k=min(len(people), capacity or 25, 25))
        registrations = [
            Registration(
                association=association,
                event=event,
                person=person,
                user=person.user,
                first_name=person.first_name,
                last_name=person.last_name,
                email=(person.email or "").lower(),
                status=RegistrationStatus.CONFIRMED,
                holds_seat=True,
                confirmed_at=starts - datetime.timedelta(days=7),
                checked_in_at=starts if rng.random() < 0.75 else None,
                checked_in_by=actor,
            )
            for person in chosen
        ]
        Registration.objects.bulk_create(registrations)
        Event.objects.filter(pk=event.pk).update(seats_taken=len(registrations))
        created += 1
    return created


def add_upcoming_events(association, actor, today, existing) -> int:
    created = 0
    for title, days, hour, hours, capacity, online in UPCOMING:
        if title in existing:
            continue
        starts = _at(association, today + datetime.timedelta(days=days), hour)
        fields = {"online_url": "https://visio.example.org/benevoles"} if online else {}
        if not online:
            fields |= _place(association)
        event = event_create(
            association=association,
            actor=actor,
            title=title,
            description="Venez nous rencontrer, sans inscription préalable obligatoire.",
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=hours),
            capacity=capacity,
            **fields,
        )
        event_publish(association=association, actor=actor, event=event)
        created += 1
    return created


def add_open_day(association, actor, campaign: Campaign, today, existing) -> int:
    """An open day during the network campaign, while the campaign is still ahead."""
    campaign_day = max(campaign.starts_on, today + datetime.timedelta(days=1))
    title = f"Portes ouvertes – {association.name}"[:200]
    if title in existing or campaign_day > campaign.ends_on:
        return 0
    starts = _at(association, campaign_day, 14)
    event = event_create(
        association=association,
        actor=actor,
        title=title,
        description="Découvrez nos actions et nos missions bénévoles.",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=4),
        campaign=campaign,
        capacity=30,
        **_place(association),
    )
    event_publish(association=association, actor=actor, event=event)
    return 1
