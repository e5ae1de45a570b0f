"""The daily round of loans: a return reminder the day before the end, to the
borrower, and an overdue alert to both sides when a lent item is not back. Each
booking gets each message once (``reminder_sent_at``, ``overdue_alert_sent_at``),
so running the job twice a day sends nothing more."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from maillon.core.audit import audit_log

from .models import Booking, BookingStatus


def _recipients(booking: Booking, *, owner_too: bool) -> list[str]:
    emails = []
    if booking.requested_by_id and booking.requested_by.email:
        emails.append(booking.requested_by.email)
    if booking.borrower.contact_email:
        emails.append(booking.borrower.contact_email)
    if owner_too and booking.association.contact_email:
        emails.append(booking.association.contact_email)
    return sorted(set(emails))


def _message(booking: Booking, *, overdue: bool) -> EmailMessage:
    end = formats.date_format(timezone.localtime(booking.ends_at), "DATETIME_FORMAT")
    values = {"resource": booking.resource.name, "owner": booking.association.name, "end": end}
    if overdue:
        subject = _("Overdue: %(resource)s was due back on %(end)s") % values
        body = (
            _(
                "%(resource)s, lent by %(owner)s, was due back on %(end)s and is not recorded "
                "as returned. Please bring it back or agree on a new date."
            )
            % values
        )
    else:
        subject = _("Reminder: %(resource)s is due back on %(end)s") % values
        body = (
            _(
                "%(resource)s, lent by %(owner)s, is due back on %(end)s. Need it longer? "
                "Ask for an extension on the booking page."
            )
            % values
        )
    link = settings.SITE_URL + reverse(
        "pooling:booking",
        kwargs={"association_slug": booking.borrower.slug, "booking_id": booking.pk},
    )
    return EmailMessage(
        subject=subject,
        body=f"{body}\n\n{link}\n",
        to=_recipients(booking, owner_too=overdue),
    )


def _record(booking: Booking, *, field: str, action: str, now: datetime.datetime) -> None:
    setattr(booking, field, now)
    with scope(association=booking.association_id):
        booking.save(update_fields=[field, "updated_at"])
    for side in (booking.association, booking.borrower):
        with scope(association=side):
            audit_log(association=side, actor=None, action=action, obj=booking)


def loan_reminders_send_across_associations(
    *, now: datetime.datetime | None = None
) -> tuple[int, int]:
    """Send the due return reminders and overdue alerts; returns how many of each."""
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    messages: list[EmailMessage] = []
    counts = [0, 0]
    with transaction.atomic(), scopes_disabled():
        related = ("resource", "association", "borrower", "requested_by")
        due = Booking.objects.select_for_update(of=("self",)).filter(
            status__in=(BookingStatus.APPROVED, BookingStatus.CHECKED_OUT),
            reminder_sent_at__isnull=True,
            ends_at__gt=now,
        )
        for booking in due.select_related(*related):
            if timezone.localdate(booking.ends_at) != tomorrow:
                continue
            _record(booking, field="reminder_sent_at", action="network.booking_reminded", now=now)
            messages.append(_message(booking, overdue=False))
            counts[0] += 1
        late = Booking.objects.select_for_update(of=("self",)).filter(
            status=BookingStatus.CHECKED_OUT, overdue_alert_sent_at__isnull=True, ends_at__lt=now
        )
        for booking in late.select_related(*related):
            _record(
                booking, field="overdue_alert_sent_at", action="network.booking_overdue", now=now
            )
            messages.append(_message(booking, overdue=True))
            counts[1] += 1

        def send() -> None:
            to_send = [m for m in messages if m.to]
            if to_send:
                get_connection().send_messages(to_send)

        transaction.on_commit(send)
    return counts[0], counts[1]
