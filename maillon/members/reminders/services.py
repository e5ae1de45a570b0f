"""Fee reminders: the daily round (before the end, once after it, once more later),
by email or as a letter to print for people without an email address; the
unsubscribe link; printing the letters.

The unique constraint of ``FeeReminder`` (person, period end, stage) is the guard:
two runs on the same day, or two workers at once, never remind anyone twice."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import in_association_scope

from ..models import FeeReminder, FeeSchedule, Person, ReminderChannel
from ..permissions import Perm, check_permission
from .selectors import (
    fee_reminders_due,
    letters_to_print,
    schedules_with_reminders_across_associations,
)


@in_association_scope
def fee_reminders_send(
    *, association: Association, schedule: FeeSchedule, today: datetime.date
) -> int:
    """Record and send today's reminders of one association; returns how many."""
    created: list[FeeReminder] = []
    for due in fee_reminders_due(association=association, schedule=schedule, today=today):
        reminder = FeeReminder(
            association=association,
            person=due.person,
            period_end=due.period_end,
            stage=due.stage,
            channel=ReminderChannel.EMAIL if due.person.email else ReminderChannel.LETTER,
        )
        try:
            with transaction.atomic():
                reminder.save()
        except IntegrityError:
            continue  # another run recorded it first
        created.append(reminder)
    if created:
        audit_log(
            association=association,
            actor=None,
            action="members.fee_reminders_sent",
            obj=None,
            data={
                "emails": sum(r.channel == ReminderChannel.EMAIL for r in created),
                "letters": sum(r.channel == ReminderChannel.LETTER for r in created),
            },
        )
        _send_emails(association, [r for r in created if r.channel == ReminderChannel.EMAIL])
    return len(created)


def fee_reminders_send_across_associations(*, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return sum(
        fee_reminders_send(association=schedule.association, schedule=schedule, today=today)
        for schedule in schedules_with_reminders_across_associations()
    )


def _send_emails(association: Association, reminders: list[FeeReminder]) -> None:
    messages = []
    for reminder in reminders:
        person = reminder.person
        language = person.user.language if person.user_id and person.user else ""
        with translation.override(language or settings.LANGUAGE_CODE):
            messages.append(
                EmailMessage(
                    subject=_("Your membership of %(association)s")
                    % {"association": association.name},
                    body=render_to_string(
                        "members/email/fee_reminder.txt", reminder_context(association, reminder)
                    ),
                    to=[person.email],
                    headers={"List-Unsubscribe": f"<{_unsubscribe_url(reminder)}>"},
                )
            )
    get_connection().send_messages(messages)


def _unsubscribe_url(reminder: FeeReminder) -> str:
    return settings.SITE_URL + reverse("fee_reminders:off", args=[reminder.token])


def reminder_context(association: Association, reminder: FeeReminder) -> dict:
    return {
        "association": association,
        "person": reminder.person,
        "reminder": reminder,
        "expired": reminder.period_end < timezone.localdate(),
        "renew_url": settings.SITE_URL
        + reverse("my:membership", kwargs={"association_slug": association.slug}),
        "unsubscribe_url": _unsubscribe_url(reminder),
    }


@transaction.atomic
def fee_reminders_turn_off(*, reminder: FeeReminder) -> Person:
    """The unsubscribe link of a reminder: no more fee reminders for that person."""
    with scope(association=reminder.association):
        person = Person.objects.select_for_update().get(pk=reminder.person_id)
    if person.fee_reminders_off_at is None:
        person.fee_reminders_off_at = timezone.now()
        person.save(update_fields=["fee_reminders_off_at"])
        audit_log(
            association=reminder.association,
            actor=None,
            action="members.fee_reminders_turned_off",
            obj=person,
            data={"source": "email_link"},
        )
    return person


@transaction.atomic
def fee_reminder_letters_print(*, association: Association, actor: User) -> list[FeeReminder]:
    """The letters not printed yet, marked printed (the caller makes the PDF)."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    letters = list(letters_to_print(association=association).select_for_update(of=("self",)))
    if letters:
        FeeReminder.objects.filter(pk__in=[r.pk for r in letters]).update(printed_at=timezone.now())
        audit_log(
            association=association,
            actor=actor,
            action="members.fee_reminder_letters_printed",
            data={"letters": len(letters)},
        )
    return letters
