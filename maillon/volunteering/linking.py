"""A guest's applications (made with an email address, without an account), linked
to the account when its owner confirms the association's records are theirs
(``members.linking``). The hours and certificates follow the register's record the
application led to, which ``members.linking`` links itself."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import Count
from django.db.models.functions import Lower
from django.utils.translation import ngettext

from maillon.members.linking.registry import GuestRecords

from .models import Application


def _guest_applications(emails: Collection[str]):
    return Application.objects.annotate(email_ci=Lower("email")).filter(
        email_ci__in=list(emails), user__isnull=True
    )


def count_guest_applications(emails: Collection[str]) -> dict[int, int]:
    rows = (
        _guest_applications(emails)
        .order_by()
        .values("association_id")
        .annotate(number=Count("id"))
        .values_list("association_id", "number")
    )
    return dict(rows)


def link_guest_applications(*, association, user, emails: Collection[str]) -> int:
    return _guest_applications(emails).filter(association=association).update(user=user)


def _describe(number: int) -> str:
    return ngettext(
        "%(count)s application to a mission", "%(count)s applications to missions", number
    ) % {"count": number}


SOURCE = GuestRecords(
    name="volunteering.applications",
    count=count_guest_applications,
    describe=_describe,
    link=link_guest_applications,
)
