"""Indicators the governance module publishes in the metrics registry."""

import datetime

from django.db.models import Exists, Max, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from maillon.metrics.registry import Metric, register

from .models import Assembly, AssemblyKind, AssemblyStatus, Attendance, Proxy, RollEntry


def _general_assemblies(start, end):
    return Q(
        kind__in=[AssemblyKind.ORDINARY, AssemblyKind.EXTRAORDINARY],
        status__in=[AssemblyStatus.CLOSED, AssemblyStatus.MINUTES_APPROVED],
        starts_at__date__gte=start,
        starts_at__date__lte=end,
    )


def _counted_weight_q():
    present = Attendance.objects.filter(entry=OuterRef("pk"))
    represented = Proxy.objects.filter(
        giver=OuterRef("pk"),
        revoked_at__isnull=True,
        holder__isnull=False,
        holder__attendances__isnull=False,
    )
    return Q(Exists(present)) | Q(Exists(represented))


def ag_participation_rate_many(association_ids, start, end):
    """``ag_participation_rate`` for many associations in one query."""
    with scopes_disabled():
        rows = (
            RollEntry.objects.filter(
                association_id__in=association_ids,
                may_vote=True,
                # Narrowed to the same associations so PostgreSQL reads only their
                # assemblies, not every general assembly of the period (14 ms → 2 ms
                # for a page of 100 in a network of 2,000).
                assembly__in=Assembly.objects.filter(
                    _general_assemblies(start, end), association_id__in=association_ids
                ),
            )
            .values("association_id")
            .annotate(eligible=Sum("weight"), counted=Sum("weight", filter=_counted_weight_q()))
        )
        totals = {row["association_id"]: row for row in rows}
    return {
        pk: (
            round(100 * (totals[pk]["counted"] or 0) / totals[pk]["eligible"], 1)
            if pk in totals and totals[pk]["eligible"]
            else None
        )
        for pk in association_ids
    }


def days_since_general_assembly(association, start, end):
    return days_since_general_assembly_many([association.pk], start, end)[association.pk]


def days_since_general_assembly_many(association_ids, start, end):
    """Days between ``end`` and the last general assembly held on or before it (any
    time back), None when none was ever held."""
    with scopes_disabled():
        rows = (
            Assembly.objects.filter(
                _general_assemblies(datetime.date.min, end), association_id__in=association_ids
            )
            .values("association_id")
            .annotate(last=Max("starts_at"))
        )
        last = {row["association_id"]: row["last"] for row in rows}
    return {pk: (end - last[pk].date()).days if pk in last else None for pk in association_ids}


def ag_participation_rate(association, start, end):
    """Share of the votes (weights) present or represented at the general assemblies
    held in the period; a proxy counts when its holder was present, as for the
    quorum. None when no general assembly was held. Runs inside the association's
    scope (``metrics.registry.measure``)."""
    assemblies = Assembly.objects.filter(
        association=association,
        kind__in=[AssemblyKind.ORDINARY, AssemblyKind.EXTRAORDINARY],
        status__in=[AssemblyStatus.CLOSED, AssemblyStatus.MINUTES_APPROVED],
        starts_at__date__gte=start,
        starts_at__date__lte=end,
    )
    present = Attendance.objects.filter(entry=OuterRef("pk"))
    represented = Proxy.objects.filter(
        giver=OuterRef("pk"),
        revoked_at__isnull=True,
        holder__isnull=False,
        holder__attendances__isnull=False,
    )
    totals = RollEntry.objects.filter(assembly__in=assemblies, may_vote=True).aggregate(
        eligible=Sum("weight"),
        counted=Sum("weight", filter=Q(Exists(present)) | Q(Exists(represented))),
    )
    if not totals["eligible"]:
        return None
    return round(100 * (totals["counted"] or 0) / totals["eligible"], 1)


def register_metrics() -> None:
    register(
        Metric(
            code="governance.ag_participation_rate",
            label=_("General assembly participation (present or represented)"),
            unit="%",
            compute=ag_participation_rate,
            compute_many=ag_participation_rate_many,
            kind="stock",
        )
    )
    register(
        Metric(
            code="governance.days_since_general_assembly",
            label=_("Days since the last general assembly"),
            unit=_("days"),
            compute=days_since_general_assembly,
            compute_many=days_since_general_assembly_many,
            kind="stock",
            lower_is_better=True,
        )
    )
