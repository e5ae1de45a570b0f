"""Background tasks of events (django-tasks): the emails of registrations, queued by
the services after their transaction commits. Each task runs inside the scope of
the event's association (``@association_task``); every email is written in the
language its registrant chose."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.associations.tasks import association_task

from .ical import event_ics
from .models import Registration


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


SUBJECTS = {
    "confirm_email": lambda: _("Confirm your registration: %(title)s"),
    "confirmed": lambda: _("You are registered: %(title)s"),
    "waiting": lambda: _("You are on the waiting list: %(title)s"),
    "promoted": lambda: _("A seat is free for you: %(title)s"),
    "cancelled": lambda: _("Cancelled: %(title)s"),
}


def _message(registration: Registration, kind: str) -> EmailMessage:
    event = registration.event
    association = event.association
    with translation.override(registration.language or settings.LANGUAGE_CODE):
        context = {
            "registration": registration,
            "event": event,
            "association": association,
            "time_zone": association.time_zone,
            "manage_url": _absolute(
                reverse("public_events:registration", kwargs={"token": registration.token})
            ),
            "event_url": _absolute(reverse("public_events:event", kwargs={"event_id": event.pk})),
            "kind": kind,
        }
        message = EmailMessage(
            subject=SUBJECTS[kind]() % {"title": event.title},
            body=render_to_string(f"events/email/{kind}.txt", context),
            to=[registration.email],
        )
    if kind in ("confirmed", "promoted", "cancelled"):
        message.attach("event.ics", event_ics([event]), "text/calendar; charset=utf-8")
    return message


@association_task()
def send_registration_email(association: Association, *, registration_id: int, kind: str) -> int:
    registration = (
        Registration.objects.select_related("event", "event__association")
        .filter(association=association, pk=registration_id)
        .first()
    )
    if registration is None or not registration.email:
        return 0
    get_connection().send_messages([_message(registration, kind)])
    return 1


@association_task()
def send_event_cancelled_emails(association: Association, *, registration_ids: list[int]) -> int:
    registrations = list(
        Registration.objects.select_related("event", "event__association").filter(
            association=association, pk__in=list(registration_ids)
        )
    )
    messages = [_message(r, "cancelled") for r in registrations if r.email]
    if messages:
        get_connection().send_messages(messages)
    return len(messages)
