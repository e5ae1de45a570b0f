"""Indicators the digital strategy publishes in the metrics registry: the latest
completed diagnostic's overall score and age, and the progress of the action plan.
They run inside the association's scope (``measure()`` opens it); the ``*_many``
variants read many associations in one query each (a network's table)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from maillon.metrics.registry import Metric, register

from .models import Action, ActionStatus, Diagnostic, DiagnosticStatus


def _latest_diagnostics_many(association_ids, end: datetime.date) -> dict:
    """``{association_id: (completed_at, overall score)}`` of the latest diagnostic
    completed on or before ``end``."""
    with scopes_disabled():
        rows = (
            Diagnostic.objects.filter(
                association_id__in=association_ids,
                status=DiagnosticStatus.COMPLETED,
                completed_at__date__lte=end,
            )
            .order_by("association_id", "-completed_at", "-id")
            .values_list("association_id", "completed_at", "scores__overall")
        )
        latest: dict = {}
        for association_id, completed_at, overall in rows:
            latest.setdefault(association_id, (completed_at, overall))
    return latest


def diagnostic_score_many(association_ids, start, end):
    latest = _latest_diagnostics_many(association_ids, end)
    return {pk: latest[pk][1] if pk in latest else None for pk in association_ids}


def diagnostic_score(association, start, end):
    return diagnostic_score_many([association.pk], start, end)[association.pk]


def days_since_diagnostic_many(association_ids, start, end):
    latest = _latest_diagnostics_many(association_ids, end)
    return {
        pk: (end - latest[pk][0].date()).days if pk in latest else None for pk in association_ids
    }


def days_since_diagnostic(association, start, end):
    return days_since_diagnostic_many([association.pk], start, end)[association.pk]


def latest_diagnostic_many(association_ids, start, end):
    """Score and age of the latest diagnostic from one query (``Metric.batch``)."""
    latest = _latest_diagnostics_many(association_ids, end)
    return {
        "strategy.diagnostic_score": {
            pk: latest[pk][1] if pk in latest else None for pk in association_ids
        },
        "strategy.days_since_diagnostic": {
            pk: (end - latest[pk][0].date()).days if pk in latest else None
            for pk in association_ids
        },
    }


def plan_progress_many(association_ids, start, end):
    """Share of the plan's actions (dropped ones aside) that are done."""
    with scopes_disabled():
        rows = (
            Action.objects.filter(association_id__in=association_ids)
            .exclude(status=ActionStatus.DROPPED)
            .values("association_id")
            .annotate(total=Count("id"), done=Count("id", filter=Q(status=ActionStatus.DONE)))
        )
        counts = {row["association_id"]: row for row in rows}
    return {
        pk: round(100 * counts[pk]["done"] / counts[pk]["total"], 1)
        if pk in counts and counts[pk]["total"]
        else None
        for pk in association_ids
    }


def plan_progress(association, start, end):
    return plan_progress_many([association.pk], start, end)[association.pk]


def register_metrics() -> None:
    for metric in (
        Metric(
            code="strategy.diagnostic_score",
            label=_("Digital maturity score (latest diagnostic)"),
            unit="/100",
            compute=diagnostic_score,
            compute_many=diagnostic_score_many,
            batch=latest_diagnostic_many,
            kind="stock",
        ),
        Metric(
            code="strategy.days_since_diagnostic",
            label=_("Days since the latest diagnostic"),
            unit=_("days"),
            compute=days_since_diagnostic,
            compute_many=days_since_diagnostic_many,
            batch=latest_diagnostic_many,
            kind="stock",
            lower_is_better=True,
        ),
        Metric(
            code="strategy.plan_progress",
            label=_("Actions of the digital plan done"),
            unit="%",
            compute=plan_progress,
            compute_many=plan_progress_many,
            kind="stock",
        ),
    ):
        register(metric)
