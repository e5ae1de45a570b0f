"""Reads about membership fees: who is up to date at a date, one period."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from maillon.associations.models import Association

from ..models import MembershipPeriod, Person


def up_to_date_q(at: datetime.date) -> Q:
    """Q on Person: holds a paid membership period that contains ``at``."""
    return Q(
        Exists(
            MembershipPeriod.objects.filter(
                person=OuterRef("pk"), fee_paid=True, start__lte=at, end__gte=at
            )
        )
    )


def membership_period_get(
    *, association: Association, person: Person, period_id: Any
) -> MembershipPeriod:
    period = MembershipPeriod.objects.filter(
        association=association, person=person, pk=period_id
    ).first()
    if period is None:
        raise Http404
    return period


def is_up_to_date(*, person: Person, at: datetime.date | None = None) -> bool:
    at = at or timezone.localdate()
    return person.membership_periods.filter(fee_paid=True, start__lte=at, end__gte=at).exists()
