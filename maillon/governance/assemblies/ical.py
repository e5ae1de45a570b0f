"""The calendar invitation (.ics) attached to a convocation email (RFC 5545,
METHOD:REQUEST). The UID is stable per assembly, so a re-sent convocation or a
reminder updates the same event in the member's calendar instead of adding one."""

from __future__ import annotations

import datetime
from email.utils import parseaddr
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

DEFAULT_DURATION = datetime.timedelta(hours=2)


def assembly_uid(assembly) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "maillon"
    return f"assembly-{assembly.association_id}-{assembly.pk}@{host}"


def assembly_ics(assembly, *, association, attendee_email: str = "", url: str = "") -> bytes:
    starts = assembly.starts_at.astimezone(datetime.UTC)
    ends = (assembly.ends_at or assembly.starts_at + DEFAULT_DURATION).astimezone(datetime.UTC)
    calendar = Calendar()
    calendar.add("prodid", "-//Maillon//Assemblies//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", assembly_uid(assembly))
    event.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    event.add("dtstart", starts)
    event.add("dtend", ends)
    event.add("summary", f"{association.name} – {assembly.title}")
    location = assembly.place or assembly.online_link
    if location:
        event.add("location", location)
    description = "\n\n".join(part for part in (assembly.description, assembly.online_link) if part)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    organizer_email = association.contact_email or parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = vText(association.name)
    event["organizer"] = organizer
    if attendee_email:
        attendee = vCalAddress(f"mailto:{attendee_email}")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee, encode=0)
    event.add("sequence", int(assembly.updated_at.timestamp()) if assembly.updated_at else 0)
    calendar.add_component(event)
    return calendar.to_ical()
