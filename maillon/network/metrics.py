"""Indicators the network app publishes in the metrics registry: practice sheets an
association published (shared with a network or everyone) and the endorsements ("we
did it too") its sheets received, over the period."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from maillon.metrics.registry import Metric, register

from .models import PracticeEndorsement, PracticeSheet, Visibility


def practices_published_many(association_ids, start, end):
    with scopes_disabled():
        rows = (
            PracticeSheet.objects.filter(
                association_id__in=association_ids,
                visibility__in=[Visibility.NETWORK, Visibility.PUBLIC],
                published_at__date__gte=start,
                published_at__date__lte=end,
            )
            .values("association_id")
            .annotate(n=Count("id"))
        )
        counts = {row["association_id"]: row["n"] for row in rows}
    return {pk: counts.get(pk, 0) for pk in association_ids}


def practices_published(association, start, end):
    return practices_published_many([association.pk], start, end)[association.pk]


def practices_endorsed_many(association_ids, start, end):
    """Endorsements received by the association's sheets (the endorsements belong to
    the endorsing associations: read across associations)."""
    with scopes_disabled():
        rows = (
            PracticeEndorsement.objects.filter(
                sheet__association_id__in=association_ids,
                created_at__date__gte=start,
                created_at__date__lte=end,
            )
            .values("sheet__association_id")
            .annotate(n=Count("id"))
        )
        counts = {row["sheet__association_id"]: row["n"] for row in rows}
    return {pk: counts.get(pk, 0) for pk in association_ids}


def practices_endorsed(association, start, end):
    return practices_endorsed_many([association.pk], start, end)[association.pk]


def register_metrics() -> None:
    register(
        Metric(
            code="network.practices_published",
            label=_("Practice sheets published"),
            unit=_("sheets"),
            compute=practices_published,
            compute_many=practices_published_many,
        )
    )
    register(
        Metric(
            code="network.practices_endorsed",
            label=_("Endorsements of the association’s practice sheets"),
            unit=_("endorsements"),
            compute=practices_endorsed,
            compute_many=practices_endorsed_many,
        )
    )
