"""A resource's bookings as a calendar feed (.ics), with the library the events
module uses (icalendar). Stable UIDs per booking; a cancelled booking stays with
STATUS:CANCELLED so subscribed calendars drop it."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar
from icalendar import Event as ICalEvent

from .models import Booking, BookingStatus, SharedResource


def _component(booking: Booking, tz: zoneinfo.ZoneInfo) -> ICalEvent:
    host = urlsplit(settings.SITE_URL).hostname or "maillon"
    component = ICalEvent()
    component.add("uid", f"booking-{booking.pk}@{host}")
    component.add("dtstamp", booking.updated_at.astimezone(datetime.UTC))
    component.add("dtstart", booking.starts_at.astimezone(tz))
    component.add("dtend", booking.ends_at.astimezone(tz))
    component.add(
        "summary",
        _("%(resource)s – %(borrower)s")
        % {"resource": booking.resource.name, "borrower": booking.borrower.name},
    )
    if booking.purpose:
        component.add("description", booking.purpose)
    if booking.status == BookingStatus.CANCELLED:
        status = "CANCELLED"
    elif booking.status == BookingStatus.REQUESTED:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    component.add("status", status)
    component.add("sequence", int(booking.updated_at.timestamp()))
    return component


def resource_ics(resource: SharedResource, bookings: Iterable[Booking]) -> bytes:
    tz = zoneinfo.ZoneInfo(resource.association.time_zone or settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Maillon//Pooled resources//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", resource.name)
    for booking in bookings:
        calendar.add_component(_component(booking, tz))
    calendar.add_missing_timezones()
    return calendar.to_ical()
