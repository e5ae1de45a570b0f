"""Indicators the member register publishes in the metrics registry. They run inside
the association's scope, which ``measure()`` opens."""

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from maillon.metrics.registry import Metric, register

from .fees.selectors import up_to_date_q
from .models import MembershipPeriod, Person


def _active_at(association, day):
    return Person.objects.filter(association=association, joined_on__lte=day).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def active_members(association, start, end):
    return _active_at(association, end).count()


def new_members(association, start, end):
    return Person.objects.filter(
        association=association, joined_on__gte=start, joined_on__lte=end
    ).count()


def up_to_date_share(association, start, end):
    active = _active_at(association, end)
    total = active.count()
    if not total:
        return None
    return round(100 * active.filter(up_to_date_q(end)).count() / total, 1)


def renewal_rate(association, start, end):
    """Of the members whose paid membership ended in the period, the share who paid
    the following one (at any time up to now); None when nobody's ended."""
    paid = MembershipPeriod.objects.filter(
        association=association, fee_paid=True, cancelled_at__isnull=True
    )
    ending = paid.filter(end__gte=start, end__lte=end).annotate(
        renewed=Exists(paid.filter(person=OuterRef("person"), start__gt=OuterRef("end")))
    )
    people = ending.values("person").distinct().count()
    if not people:
        return None
    renewed = ending.filter(renewed=True).values("person").distinct().count()
    return round(100 * renewed / people, 1)


def _active_counts_many(association_ids, end, **extra):
    with scopes_disabled():
        rows = (
            Person.objects.filter(association_id__in=association_ids, joined_on__lte=end)
            .filter(Q(left_on__isnull=True) | Q(left_on__gt=end))
            .values("association_id")
            .annotate(total=Count("id"), **extra)
        )
        return {row["association_id"]: row for row in rows}


def active_members_many(association_ids, start, end):
    counts = _active_counts_many(association_ids, end)
    return {pk: counts[pk]["total"] if pk in counts else 0 for pk in association_ids}


def up_to_date_share_many(association_ids, start, end):
    with scopes_disabled():  # up_to_date_q builds a subquery on a scoped model
        counts = _active_counts_many(association_ids, end, up=Count("id", filter=up_to_date_q(end)))
    return {
        pk: round(100 * counts[pk]["up"] / counts[pk]["total"], 1) if pk in counts else None
        for pk in association_ids
    }


def active_and_up_to_date_many(association_ids, start, end):
    """Both stocks from the same rows, in one query (``Metric.batch``)."""
    with scopes_disabled():
        counts = _active_counts_many(association_ids, end, up=Count("id", filter=up_to_date_q(end)))
    return {
        "members.active": {
            pk: counts[pk]["total"] if pk in counts else 0 for pk in association_ids
        },
        "members.up_to_date_share": {
            pk: round(100 * counts[pk]["up"] / counts[pk]["total"], 1) if pk in counts else None
            for pk in association_ids
        },
    }


def register_metrics() -> None:
    register(
        Metric(
            code="members.active",
            label=_("Active members"),
            unit=_("people"),
            compute=active_members,
            compute_many=active_members_many,
            batch=active_and_up_to_date_many,
            kind="stock",
        )
    )
    register(
        Metric(
            code="members.new",
            label=_("New members"),
            unit=_("people"),
            compute=new_members,
        )
    )
    register(
        Metric(
            code="members.up_to_date_share",
            label=_("Members up to date with their fee"),
            unit="%",
            compute=up_to_date_share,
            compute_many=up_to_date_share_many,
            batch=active_and_up_to_date_many,
            kind="stock",
        )
    )
    register(
        Metric(
            code="members.renewal_rate",
            label=_("Membership renewal rate"),
            unit="%",
            compute=renewal_rate,
            description=_(
                "Of the members whose paid membership ended in the period, the share who "
                "paid for the following one."
            ),
        )
    )
