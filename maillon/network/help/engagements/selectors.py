"""Reads of engagements (a helper's offer on a help request, and the work after it).

An engagement lives in the asking association's scope. The association reads it
with the scoped selectors below; the helper — the skills volunteer who offered, the
coordinators of the company, the team of the network — reaches it only through the
functions named ``*_across_associations``, each filtered by that helper, and the
access helpers answer 404 for anything else (a third association, a company or a
network outside the engagement)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from maillon.associations.models import Association

from ...models import MembershipStatus, Network, NetworkMembership, NetworkStatus
from ..models import (
    Company,
    Engagement,
    EngagementMessage,
    EngagementStatus,
    HelpAudience,
    HelpRequest,
    HelpRequestStatus,
)

# An offer still running: a helper has one at most per help request.
OPEN_STATUSES = (
    EngagementStatus.OFFERED,
    EngagementStatus.ACCEPTED,
    EngagementStatus.IN_PROGRESS,
    EngagementStatus.DELIVERED,
)
# The helper may withdraw until the work is delivered.
WITHDRAWABLE_STATUSES = (
    EngagementStatus.OFFERED,
    EngagementStatus.ACCEPTED,
    EngagementStatus.IN_PROGRESS,
)
RELATED = ("association", "help_request", "company", "network", "offered_by")
LIST_LIMIT = 200


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


# --- the association's side ---------------------------------------------------------


def engagements_of_association(
    *, association: Association, help_request: HelpRequest | None = None
) -> list[Engagement]:
    with scope(association=association):
        rows = Engagement.objects.filter(association=association)
        if help_request is not None:
            rows = rows.filter(help_request=help_request)
        return list(
            rows.select_related(*RELATED)
            .prefetch_related("employees")
            .order_by("-created_at", "-id")[:LIST_LIMIT]
        )


def engagement_get(*, association: Association, engagement_id: Any) -> Engagement:
    with scope(association=association):
        found = (
            Engagement.objects.filter(association=association, pk=_as_id(engagement_id))
            .select_related(*RELATED)
            .prefetch_related("employees")
            .first()
        )
    if found is None:
        raise Http404
    return found


def engagement_messages(*, engagement: Engagement) -> list[EngagementMessage]:
    """The thread, oldest first (read by both sides: in the association's scope)."""
    with scope(association=engagement.association_id):
        return list(
            EngagementMessage.objects.filter(engagement=engagement)
            .select_related("author")
            .order_by("created_at", "id")
        )


# --- the helpers' side, across associations -------------------------------------------------


def _helper_rows_across_associations(condition: Q) -> list[Engagement]:
    with scopes_disabled():
        return list(
            Engagement.objects.filter(condition)
            .select_related(*RELATED)
            .prefetch_related("employees")
            .order_by("-created_at", "-id")[:LIST_LIMIT]
        )


def _helper_get_across_associations(condition: Q, engagement_id: Any) -> Engagement:
    with scopes_disabled():
        found = (
            Engagement.objects.filter(condition, pk=_as_id(engagement_id))
            .select_related(*RELATED)
            .prefetch_related("employees")
            .first()
        )
    if found is None:
        raise Http404
    return found


def _volunteer(user: Any) -> Q:
    return Q(kind="volunteer", offered_by=user)


def volunteer_engagements_across_associations(*, user: Any) -> list[Engagement]:
    """The offers a skills volunteer made, whatever the association."""
    return _helper_rows_across_associations(_volunteer(user))


def volunteer_engagement_get_across_associations(*, user: Any, engagement_id: Any) -> Engagement:
    return _helper_get_across_associations(_volunteer(user), engagement_id)


def company_engagements_across_associations(*, company: Company) -> list[Engagement]:
    return _helper_rows_across_associations(Q(kind="company", company=company))


def company_engagement_get_across_associations(
    *, company: Company, engagement_id: Any
) -> Engagement:
    return _helper_get_across_associations(Q(kind="company", company=company), engagement_id)


def network_engagements_across_associations(*, network: Network) -> list[Engagement]:
    return _helper_rows_across_associations(Q(kind="network", network=network))


def network_engagement_get_across_associations(
    *, network: Network, engagement_id: Any
) -> Engagement:
    return _helper_get_across_associations(Q(kind="network", network=network), engagement_id)


# --- the help requests a helper may answer ------------------------------------------------


def _asked_of(requests: QuerySet[HelpRequest], audience: str) -> list[int]:
    return [
        pk
        for pk, audiences in requests.values_list("pk", "audiences")
        if audience in (audiences or [])
    ]


def public_help_request_get_across_associations(*, help_request_id: Any) -> HelpRequest:
    """An open request asked of skills volunteers or companies (published by its
    association to helpers outside it); 404 otherwise."""
    with scopes_disabled():
        found = (
            HelpRequest.objects.filter(pk=_as_id(help_request_id), status=HelpRequestStatus.OPEN)
            .select_related("association__department")
            .prefetch_related("skills")
            .first()
        )
    public = {HelpAudience.VOLUNTEERS, HelpAudience.COMPANIES}
    if found is None or not public & set(found.audiences or []):
        raise Http404
    return found


def _member_ids(network: Network) -> QuerySet:
    return NetworkMembership.objects.filter(
        network=network,
        status=MembershipStatus.ACTIVE,
        network__status=NetworkStatus.ACTIVE,
    ).values("association_id")


def network_help_requests_across_associations(*, network: Network) -> list[HelpRequest]:
    """Open requests that member associations (active members) asked of their
    networks, newest first."""
    with scopes_disabled():
        requests = HelpRequest.objects.filter(
            status=HelpRequestStatus.OPEN, association_id__in=_member_ids(network)
        )
        ids = _asked_of(requests, HelpAudience.NETWORKS)
        return list(
            HelpRequest.objects.filter(pk__in=ids)
            .select_related("association")
            .prefetch_related("skills")
            .order_by("-created_at", "-id")[:LIST_LIMIT]
        )


def network_help_request_get_across_associations(
    *, network: Network, help_request_id: Any
) -> HelpRequest:
    """An open request a member association asked of its networks; 404 otherwise."""
    with scopes_disabled():
        found = (
            HelpRequest.objects.filter(
                pk=_as_id(help_request_id),
                status=HelpRequestStatus.OPEN,
                association_id__in=_member_ids(network),
            )
            .select_related("association")
            .prefetch_related("skills")
            .first()
        )
    if found is None or HelpAudience.NETWORKS not in (found.audiences or []):
        raise Http404
    return found


def is_member_of_network_across_associations(*, association_id: int, network: Network) -> bool:
    with scopes_disabled():
        return _member_ids(network).filter(association_id=association_id).exists()


def open_offer_exists(*, help_request: HelpRequest, helper: Q) -> bool:
    with scope(association=help_request.association_id):
        return Engagement.objects.filter(
            helper, help_request=help_request, status__in=OPEN_STATUSES
        ).exists()


# --- response rate and median response time -----------------------------------------------


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def offers_in(association: Association, start: datetime.date | None, end: datetime.date | None):
    """Offers received by ``association`` (in its scope), those made in [start, end]
    when given (dates, inclusive)."""
    rows = Engagement.objects.filter(association=association, offered_at__isnull=False)
    if start is not None:
        rows = rows.filter(offered_at__gte=_start_of(start))
    if end is not None:
        rows = rows.filter(offered_at__lt=_start_of(end + datetime.timedelta(days=1)))
    return rows


@dataclass(frozen=True)
class ResponseStats:
    offers: int
    answered: int
    median: datetime.timedelta | None

    @property
    def rate(self) -> float | None:
        return round(100 * self.answered / self.offers, 1) if self.offers else None

    @property
    def median_hours(self) -> float | None:
        return None if self.median is None else round(self.median.total_seconds() / 3600, 1)


def response_stats(
    *,
    association: Association,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> ResponseStats:
    """How the association answers helpers' offers: the share of offers that got an
    answer (a message, an acceptance or a refusal) and the median time to that first
    answer — as for applications to missions (three queries at most, on PostgreSQL
    and SQLite alike)."""
    with scope(association=association):
        offers = offers_in(association, start, end)
        totals = offers.aggregate(
            offers=Count("pk"), answered=Count("pk", filter=Q(first_response_at__isnull=False))
        )
        median = None
        if totals["answered"]:
            waited = (
                offers.filter(first_response_at__isnull=False)
                .annotate(
                    waited=ExpressionWrapper(
                        F("first_response_at") - F("offered_at"), output_field=DurationField()
                    )
                )
                .order_by("waited", "pk")
                .values_list("waited", flat=True)
            )
            count = totals["answered"]
            middle = list(waited[(count - 1) // 2 : count // 2 + 1])
            median = sum(middle, datetime.timedelta()) / len(middle)
    return ResponseStats(offers=totals["offers"], answered=totals["answered"], median=median)


# --- the practice sheet proposed after closing -------------------------------------------


def practice_sheet_prefill(*, association: Association, engagement_id: Any) -> dict:
    """Initial values of a practice sheet written from a closed engagement of the
    association (404 for any other): the request's need as the problem, the
    deliverable, the outcome and the handover as what was done."""
    engagement = engagement_get(association=association, engagement_id=engagement_id)
    if engagement.status != EngagementStatus.CLOSED:
        raise Http404
    help_request = engagement.help_request
    done = [help_request.deliverable, engagement.handover_notes]
    return {
        "title": help_request.title,
        "problem": help_request.need,
        "what_was_done": "\n\n".join(p for p in done if p),
        "results": engagement.outcome,
        "staff": helper_label(engagement)[:200],
        "time_spent_hours": engagement.hours_offered,
        "size_band": association.size_band,
        "sector": association.sector_id,
    }


def helper_label(engagement: Engagement) -> str:
    """Who helps, as the association reads it."""
    if engagement.kind == "company" and engagement.company is not None:
        names = ", ".join(e.full_name for e in engagement.employees.all())
        return f"{engagement.company.name} ({names})" if names else engagement.company.name
    if engagement.kind == "network" and engagement.network is not None:
        return engagement.network.name
    user = engagement.offered_by
    return (user.get_full_name() or user.email) if user is not None else "—"
