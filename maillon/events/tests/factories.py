"""Test helpers of the events module: events and registrations made directly (the
services are tested on their own)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.events.models import Event, EventStatus, Registration, RegistrationStatus


def make_event(association, *, days: float = 7, hours: float = 2, **fields) -> Event:
    starts = timezone.now() + datetime.timedelta(days=days)
    values = {
        "title": "Atelier témoin",
        "address": "1 place de la Mairie",
        "postal_code": "69001",
        "city": "Lyon",
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=hours),
        "status": EventStatus.PUBLISHED,
        "published_at": timezone.now(),
    }
    values.update(fields)
    if values.get("postal_code") and "department" not in values:
        from maillon.taxonomy.geo import department_code_for_postal_code
        from maillon.taxonomy.models import Department

        code = department_code_for_postal_code(values["postal_code"])
        values["department"] = Department.objects.filter(code=code).first()
    with scopes_disabled():
        return Event.objects.create(association=association, **values)


def make_registration(event, *, checked_in: bool = False, **fields) -> Registration:
    values = {
        "first_name": "Léa",
        "last_name": "Martin",
        "status": RegistrationStatus.CONFIRMED,
        "holds_seat": True,
    }
    values.update(fields)
    if checked_in:
        values["checked_in_at"] = timezone.now()
    with scopes_disabled():
        registration = Registration.objects.create(
            association=event.association, event=event, **values
        )
        if registration.holds_seat:
            Event.objects.filter(pk=event.pk).update(seats_taken=event.seats_taken + 1)
            event.seats_taken += 1
    return registration
