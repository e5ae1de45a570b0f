"""Reads of help requests, and the prefill from the association's plan."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import Http404
from django_scopes import scope, scopes_disabled

from maillon.associations.models import Association

from .models import HelpAudience, HelpRequest, HelpRequestStatus


def help_requests(*, association: Association) -> QuerySet[HelpRequest]:
    with scope(association=association):
        return HelpRequest.objects.filter(association=association).prefetch_related("skills")


def help_request_get(*, association: Association, help_request_id: int) -> HelpRequest:
    with scope(association=association):
        found = (
            HelpRequest.objects.filter(association=association, pk=help_request_id)
            .prefetch_related("skills")
            .first()
        )
    if found is None:
        raise Http404
    return found


def public_open_help_requests(*, audience: str = "", limit: int = 200) -> list[HelpRequest]:
    """Open requests asked of skills volunteers or companies (published by their
    association to helpers outside it), newest first."""
    with scopes_disabled():
        requests = HelpRequest.objects.filter(status=HelpRequestStatus.OPEN).select_related(
            "association__department__region"
        )
        public = [HelpAudience.VOLUNTEERS, HelpAudience.COMPANIES]
        wanted = [audience] if audience in public else public
        ids = [
            pk
            for pk, audiences in HelpRequest.objects.filter(
                status=HelpRequestStatus.OPEN
            ).values_list("pk", "audiences")
            if set(audiences or []) & set(wanted)
        ]
        return list(requests.filter(pk__in=ids).prefetch_related("skills")[:limit])


# What a diagnostic recommendation asks for, as audiences of the request.
RECOMMENDATION_AUDIENCES = {
    "skills_volunteer": [HelpAudience.VOLUNTEERS],
    "company_sponsorship": [HelpAudience.COMPANIES],
    "pool_with_network": [HelpAudience.NETWORKS],
    "network": [HelpAudience.NETWORKS],
}


@dataclass
class Prefill:
    initial: dict = field(default_factory=dict)
    plan_action_id: int | None = None
    recommendation_code: str = ""
    source_label: str = ""


def help_request_prefill(
    *, association: Association, action_id: str = "", recommendation: str = ""
) -> Prefill:
    """Initial values from an action of the plan (``?action=``) or a diagnostic
    recommendation (``?recommendation=``); an unknown action answers 404."""
    prefill = Prefill()
    if action_id:
        from maillon.strategy.plan.selectors import action_get

        action = action_get(association=association, action_id=action_id)
        prefill.plan_action_id = action.pk
        prefill.recommendation_code = action.recommendation_code
        prefill.source_label = action.title
        prefill.initial.update(
            title=action.title,
            need=action.description,
            deadline=action.due_date,
        )
        recommendation = recommendation or action.recommendation_code
    if recommendation in RECOMMENDATION_AUDIENCES:
        prefill.recommendation_code = recommendation
        prefill.initial["audiences"] = [a.value for a in RECOMMENDATION_AUDIENCES[recommendation]]
    return prefill
