"""Calendar files (.ics, RFC 5545) of events: one event, an association's public
events, the network's, a campaign's, or a person's own ("my events").

UIDs are stable per event, so a calendar app that subscribed to a feed updates the
event instead of adding a copy; a cancelled event stays with STATUS:CANCELLED so
subscribers see it disappear. Times carry the association's time zone (Europe/Paris
by default) with its VTIMEZONE definition.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar
from icalendar import Event as ICalEvent

from .models import Event, EventStatus


def event_uid(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "maillon"
    return f"event-{event.pk}@{host}"


def _component(event: Event) -> ICalEvent:
    association = event.association
    tz = zoneinfo.ZoneInfo(association.time_zone or settings.TIME_ZONE)
    component = ICalEvent()
    component.add("uid", event_uid(event))
    component.add("dtstamp", event.updated_at.astimezone(datetime.UTC))
    component.add("last-modified", event.updated_at.astimezone(datetime.UTC))
    component.add("dtstart", event.starts_at.astimezone(tz))
    component.add("dtend", event.ends_at.astimezone(tz))
    component.add("summary", f"{event.title} – {association.name}")
    location = event.place_label or event.online_url
    if location:
        component.add("location", location)
    description = "\n\n".join(p for p in (event.description, event.online_url) if p)
    if description:
        component.add("description", description)
    component.add(
        "url", settings.SITE_URL + reverse("public_events:event", kwargs={"event_id": event.pk})
    )
    component.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    component.add("sequence", int(event.updated_at.timestamp()))
    return component


def event_ics(events: Iterable[Event], *, name: str = "") -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Maillon//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if name:
        calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_component(event))
    calendar.add_missing_timezones()
    return calendar.to_ical()
