"""Reads for the fee reminders: who is due which reminder today, the letters still to
print, a reminder by its unsubscribe token."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Max, Q
from django_scopes import scopes_disabled

from maillon.associations.models import Association

from ..models import FeeReminder, FeeSchedule, Person, ReminderChannel, ReminderStage

# A job missed for a few days still sends the second reminder, not one years late.
AGAIN_GRACE_DAYS = 30


@dataclass(frozen=True)
class DueReminder:
    person: Person
    period_end: datetime.date
    stage: str


def reminder_stage(
    *, period_end: datetime.date, today: datetime.date, days_before: int, again_after: int
) -> str | None:
    """The stage of the reminder due ``today`` for a membership ending on ``period_end``:
    before the end (within ``days_before`` days), once after the end, then once more
    ``again_after`` days after the end."""
    if period_end - datetime.timedelta(days=days_before) <= today <= period_end:
        return ReminderStage.BEFORE
    again_on = period_end + datetime.timedelta(days=again_after)
    if period_end < today < again_on:
        return ReminderStage.AFTER
    if again_on <= today < again_on + datetime.timedelta(days=AGAIN_GRACE_DAYS):
        return ReminderStage.AGAIN
    return None


def fee_reminders_due(
    *, association: Association, schedule: FeeSchedule, today: datetime.date
) -> list[DueReminder]:
    """People of the register (present, not opted out) whose latest paid period ends
    in a reminder window today, and who have not had that stage's reminder yet."""
    earliest = today - datetime.timedelta(days=schedule.remind_again_after_days + AGAIN_GRACE_DAYS)
    latest = today + datetime.timedelta(days=schedule.remind_days_before)
    paid = Q(membership_periods__fee_paid=True, membership_periods__cancelled_at__isnull=True)
    people = (
        Person.objects.filter(
            association=association,
            left_on__isnull=True,
            anonymised_at__isnull=True,
            fee_reminders_off_at__isnull=True,
        )
        .select_related("user")
        .annotate(paid_until=Max("membership_periods__end", filter=paid))
        .filter(paid_until__gte=earliest, paid_until__lte=latest)
        .order_by("pk")
    )
    sent = set(
        FeeReminder.objects.filter(association=association, period_end__gte=earliest).values_list(
            "person_id", "period_end", "stage"
        )
    )
    due = []
    for person in people:
        stage = reminder_stage(
            period_end=person.paid_until,
            today=today,
            days_before=schedule.remind_days_before,
            again_after=schedule.remind_again_after_days,
        )
        if stage and (person.pk, person.paid_until, stage) not in sent:
            due.append(DueReminder(person, person.paid_until, stage))
    return due


def schedules_with_reminders_across_associations() -> list[FeeSchedule]:
    """Every association's schedule that asks for reminders (the daily job's round)."""
    with scopes_disabled():
        return list(
            FeeSchedule.objects.filter(reminders_enabled=True).select_related("association")
        )


def letters_to_print(*, association: Association):
    return (
        FeeReminder.objects.filter(
            association=association, channel=ReminderChannel.LETTER, printed_at__isnull=True
        )
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def fee_reminder_for_token(*, token: str) -> FeeReminder | None:
    """A reminder from its email's unsubscribe link (no association in the URL)."""
    with scopes_disabled():
        return (
            FeeReminder.objects.select_related("person", "association").filter(token=token).first()
        )
