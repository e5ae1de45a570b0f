"""A guest's event registrations (made with an email address, without an account),
linked to the account when its owner confirms the association's records are theirs
(``members.linking``)."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count
from django.db.models.functions import Lower
from django.utils.translation import ngettext

from maillon.members.linking.registry import GuestRecords

from .models import ACTIVE_STATUSES, Registration


def _guest_registrations(emails: Collection[str]):
    return Registration.objects.annotate(email_ci=Lower("email")).filter(
        email_ci__in=list(emails), user__isnull=True
    )


def count_guest_registrations(emails: Collection[str]) -> dict[int, int]:
    rows = (
        _guest_registrations(emails)
        .order_by()
        .values("association_id")
        .annotate(number=Count("id"))
        .values_list("association_id", "number")
    )
    return dict(rows)


def link_guest_registrations(*, association, user, emails: Collection[str]) -> int:
    # An event the account is already registered for keeps that registration only.
    taken = Registration.objects.filter(
        association=association, user=user, status__in=ACTIVE_STATUSES
    ).values("event_id")
    return (
        _guest_registrations(emails)
        .filter(association=association)
        .exclude(event_id__in=taken, status__in=ACTIVE_STATUSES)
        .update(user=user)
    )


def _describe(number: int) -> str:
    return ngettext("%(count)s event registration", "%(count)s event registrations", number) % {
        "count": number
    }


SOURCE = GuestRecords(
    name="events.registrations",
    count=count_guest_registrations,
    describe=_describe,
    link=link_guest_registrations,
)
