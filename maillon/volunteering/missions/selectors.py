"""Reads of the missions back-office (inside the association's scope)."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from maillon.associations.models import Association
from maillon.taxonomy.models import Skill

from ..models import ACTIVE_APPLICATION_STATUSES, Mission, MissionStatus, MissionView


def mission_list(*, association: Association, status: str = "") -> QuerySet[Mission]:
    """The association's missions, newest first, with their department, cause, skills
    and counts of submitted and still unanswered applications (one query + skills)."""
    submitted = Q(applications__submitted_at__isnull=False)
    qs = (
        Mission.objects.filter(association=association)
        .select_related("department", "cause")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("position", "code")))
        .annotate(
            applications_count=Count("applications", filter=submitted),
            applications_waiting=Count(
                "applications",
                filter=submitted & Q(applications__status__in=ACTIVE_APPLICATION_STATUSES),
            ),
        )
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-created_at", "-id")


def mission_status_counts(*, association: Association) -> dict[str, int]:
    """{status: number of missions}, every status present (one query)."""
    counts = dict.fromkeys(MissionStatus.values, 0)
    rows = (
        Mission.objects.filter(association=association)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts.update(dict(rows))
    return counts


def mission_get(*, association: Association, mission_id: int) -> Mission:
    """A mission of ``association``, or 404 (never another association's)."""
    mission = (
        Mission.objects.filter(association=association, pk=mission_id)
        .select_related("department", "cause", "created_by")
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("position", "code")))
        .first()
    )
    if mission is None:
        raise Http404
    return mission


def mission_views_by_source(*, mission: Mission, days: int = 30) -> list[tuple[str, int]]:
    """Views of the mission's public page over the last ``days`` days, per source."""
    since = timezone.localdate() - datetime.timedelta(days=days - 1)
    rows = (
        MissionView.objects.filter(association_id=mission.association_id, mission=mission)
        .filter(day__gte=since)
        .values_list("source")
        .annotate(total=Sum("count"))
        .order_by("-total", "source")
    )
    return list(rows)
