"""Events in the "your turn" panel (``core.your_turn``): the events the person is
registered for that take place today (or are going on), in the association's time
zone. A registration counts whoever made it: the person online, or the secretary for
their record."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association, Module
from maillon.core.your_turn import TurnItem, TurnMembership, TurnSource

from .models import Event, EventStatus, Registration, RegistrationStatus


def _is_today(event: Event, now: datetime.datetime) -> bool:
    zone = zoneinfo.ZoneInfo(event.association.time_zone or "Europe/Paris")
    return event.starts_at.astimezone(zone).date() <= now.astimezone(zone).date()


def my_events_today(
    *, user: User, association: Association | None = None, now: datetime.datetime | None = None
) -> list[Event]:
    """Published events of today (not over yet) that ``user`` is registered for, in
    every association (in ``association`` only, when given): one query."""
    now = now or timezone.now()
    with scopes_disabled():
        registrations = Registration.objects.filter(
            Q(user=user) | Q(person__user=user, person__left_on__isnull=True),
            status=RegistrationStatus.CONFIRMED,
            event__status=EventStatus.PUBLISHED,
            event__ends_at__gte=now,
            # Today in any time zone starts less than 38 hours from now.
            event__starts_at__lt=now + datetime.timedelta(hours=38),
        )
        if association is not None:
            registrations = registrations.filter(association=association)
        events = {
            r.event.pk: r.event
            for r in registrations.select_related("event", "event__association").order_by(
                "event__starts_at", "event_id"
            )
        }
    return [
        e for e in events.values() if e.association.has_module(Module.EVENTS) and _is_today(e, now)
    ]


def events_turn(
    *, user: User, memberships: Sequence[TurnMembership], association: Association | None
) -> list[TurnItem]:
    items = []
    for event in my_events_today(user=user, association=association):
        zone = zoneinfo.ZoneInfo(event.association.time_zone or "Europe/Paris")
        starts = event.starts_at.astimezone(zone)
        place = event.city or (_("online") if event.online_url else "")
        detail = _("Today at %(time)s") % {"time": time_format(starts.time(), "TIME_FORMAT")}
        items.append(
            TurnItem(
                association=event.association,
                kind="event",
                title=event.title,
                detail=f"{detail} · {place}" if place else detail,
                action=_("See the event"),
                url=reverse("public_events:event", args=[event.pk]),
                when=event.starts_at,
            )
        )
    return items


SOURCE = TurnSource(name="events", items=events_turn, order=30)
