"""Indicators the governance module publishes in the metrics registry."""

from django.db.models import Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from maillon.metrics.registry import Metric, register

from .models import Assembly, AssemblyKind, AssemblyStatus, Attendance, Proxy, RollEntry


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
            kind="stock",
        )
    )
