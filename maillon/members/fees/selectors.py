"""Reads about membership fees: who is up to date at a date, one period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from maillon.associations.models import Association

from ..models import FeeSchedule, FeeType, MembershipPeriod, Person
from .periods import PeriodRule


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


def fee_schedule_of(*, association: Association) -> FeeSchedule:
    """The association's schedule, unsaved with the defaults when it never set one."""
    schedule = FeeSchedule.objects.filter(association=association).first()
    return schedule or FeeSchedule(association=association)


def period_rule_of(*, association: Association) -> PeriodRule:
    schedule = fee_schedule_of(association=association)
    return PeriodRule(
        kind=schedule.period_rule,
        season_start_month=schedule.season_start_month,
        season_start_day=schedule.season_start_day,
        custom_start=schedule.custom_start,
        custom_end=schedule.custom_end,
    )


def fee_type_list(*, association: Association, include_archived: bool = False):
    types = FeeType.objects.filter(association=association)
    return types if include_archived else types.filter(archived=False)


def fee_type_get(*, association: Association, fee_type_id: Any) -> FeeType:
    fee_type = FeeType.objects.filter(association=association, pk=fee_type_id).first()
    if fee_type is None:
        raise Http404
    return fee_type


def covered_until(*, person: Person) -> datetime.date | None:
    """End of the person's latest paid (not cancelled) period, or None."""
    latest = (
        person.membership_periods.filter(fee_paid=True, cancelled_at__isnull=True)
        .order_by("-end")
        .values_list("end", flat=True)
        .first()
    )
    return latest


@dataclass(frozen=True)
class Standing:
    """Where a person stands at a date, read as the register reads it: up to date
    when a paid period contains the date."""

    up_to_date: bool
    # Up to date: the end of the run of paid periods from the one containing the date
    # (a fee renewed ahead of time counts). Otherwise the end of the last period
    # before the date, or None.
    until: datetime.date | None
    # Not up to date: the start of the next paid period after the date, if any.
    next_start: datetime.date | None


def standing_of(*, person: Person, at: datetime.date | None = None) -> Standing:
    at = at or timezone.localdate()
    periods = list(
        person.membership_periods.filter(fee_paid=True, cancelled_at__isnull=True)
        .order_by("start", "end")
        .values_list("start", "end")
    )
    covering = [end for start, end in periods if start <= at <= end]
    if covering:
        until = max(covering)
        for start, end in periods:
            if start <= until + datetime.timedelta(days=1) and end > until:
                until = end
        return Standing(up_to_date=True, until=until, next_start=None)
    ended = [end for _start, end in periods if end < at]
    upcoming = [start for start, _end in periods if start > at]
    return Standing(
        up_to_date=False,
        until=max(ended) if ended else None,
        next_start=min(upcoming) if upcoming else None,
    )


def fee_history(*, person: Person):
    return person.membership_periods.select_related("fee_type").order_by("-start", "-id")
