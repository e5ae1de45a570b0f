"""Volunteering in the "your turn" panel (``core.your_turn``): for the person who
applied, an application where the association wrote last (their answer is awaited); for
who manages missions, the applications of their association nobody has answered yet."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Count, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_scopes import scopes_disabled

from maillon.accounts.models import User
from maillon.associations.models import Association, Module
from maillon.core.your_turn import TurnItem, TurnMembership, TurnSource
from maillon.members.permissions import Perm

from .applications.selectors import unanswered_q
from .models import (
    ACTIVE_APPLICATION_STATUSES,
    Application,
    ApplicationMessage,
    ApplicationStatus,
)


def my_applications_awaiting_my_answer(
    *, user: User, association: Association | None = None
) -> list[Application]:
    """``user``'s active applications whose last message came from the association."""
    with scopes_disabled():
        last_from_association = Subquery(
            ApplicationMessage.objects.filter(application=OuterRef("pk"))
            .order_by("-created_at", "-id")
            .values("from_association")[:1]
        )
        applications = Application.objects.filter(
            user=user, status__in=ACTIVE_APPLICATION_STATUSES, submitted_at__isnull=False
        ).annotate(last_from_association=last_from_association)
        if association is not None:
            applications = applications.filter(association=association)
        return list(
            applications.filter(last_from_association=True)
            .select_related("mission", "association")
            .order_by("-submitted_at", "-id")
        )


def my_applications_to_answer(*, association_ids: Sequence[int]) -> dict[int, int]:
    """Submitted applications nobody answered yet, per association of ``association_ids``
    (those where the person manages missions): one query."""
    if not association_ids:
        return {}
    with scopes_disabled():
        rows = (
            Application.objects.filter(
                unanswered_q(), association_id__in=association_ids, submitted_at__isnull=False
            )
            .values_list("association_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        return dict(rows)


def volunteering_turn(
    *, user: User, memberships: Sequence[TurnMembership], association: Association | None
) -> list[TurnItem]:
    items = []
    for application in my_applications_awaiting_my_answer(user=user, association=association):
        items.append(
            TurnItem(
                association=application.association,
                kind="application_reply",
                title=application.mission.title,
                detail=_("The association wrote to you about your application"),
                action=_("Reply"),
                url=reverse("volunteer:application_detail", args=[application.pk]),
                when=application.submitted_at,
            )
        )
    managed = {
        m.association.pk: m.association
        for m in memberships
        if m.allows(Perm.MANAGE_MISSIONS, Module.VOLUNTEERING)
    }
    for association_id, count in my_applications_to_answer(association_ids=list(managed)).items():
        managed_association = managed[association_id]
        items.append(
            TurnItem(
                association=managed_association,
                kind="applications",
                title=ngettext(
                    "%(count)s application waiting for an answer",
                    "%(count)s applications waiting for an answer",
                    count,
                )
                % {"count": count},
                action=_("Answer"),
                url=reverse("volunteering:applications", args=[managed_association.slug])
                + f"?status={ApplicationStatus.NEW}",
            )
        )
    return items


SOURCE = TurnSource(name="volunteering", items=volunteering_turn, order=40)
