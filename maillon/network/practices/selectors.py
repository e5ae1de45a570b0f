"""Reads of practice sheets. The association's own sheets run inside its scope; what
other associations and visitors see crosses associations and says so (``public_*``,
``my_*``, ``*_across_associations``): a public sheet, or a sheet shared with a
network the reader belongs to (as a member association's person or as its team),
that the network did not take out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django_scopes import scopes_disabled

from maillon.associations.models import Association
from maillon.core.text import fold
from maillon.members.models import RoleAssignment

from ..models import (
    MembershipStatus,
    NetworkMembership,
    NetworkRole,
    NetworkStatus,
    PracticeAdoption,
    PracticeEndorsement,
    PracticeQuestion,
    PracticeSheet,
    PracticeSheetNetwork,
    PracticeSheetRevision,
    QuestionStatus,
    Visibility,
)

SEARCH_CONFIG = "maillon_fr"
PAGE_SIZE = 20


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def json_has(field: str, code: str) -> Q:
    """The JSON list ``field`` holds ``code`` (containment on PostgreSQL; the quoted
    code in the list's text on SQLite)."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__contains": [code]})
    return Q(**{f"{field}__icontains": f'"{code}"'})


# --- the association's own sheets ----------------------------------------------------


def practice_sheets_of(*, association: Association) -> QuerySet[PracticeSheet]:
    return (
        PracticeSheet.objects.filter(association=association)
        .annotate(endorsement_count=Count("endorsements", distinct=True))
        .order_by("-updated_at", "-id")
    )


def practice_sheet_get(*, association: Association, sheet_id: Any) -> PracticeSheet:
    sheet = (
        PracticeSheet.objects.filter(association=association, pk=_as_id(sheet_id))
        .prefetch_related("networks")
        .first()
    )
    if sheet is None:
        raise Http404
    return sheet


def sheet_revisions(*, association: Association, sheet: PracticeSheet) -> list:
    return list(
        PracticeSheetRevision.objects.filter(association=association, sheet=sheet).select_related(
            "author"
        )
    )


def questions_to_moderate_across_associations(*, sheet: PracticeSheet) -> list[PracticeQuestion]:
    """Questions asked (by other associations) about ``sheet``, for its author."""
    with scopes_disabled():
        return list(
            PracticeQuestion.objects.filter(sheet=sheet)
            .select_related("association", "author")
            .order_by("status", "created_at")
        )


def question_get_across_associations(*, sheet: PracticeSheet, question_id: Any) -> PracticeQuestion:
    with scopes_disabled():
        question = (
            PracticeQuestion.objects.filter(sheet=sheet, pk=_as_id(question_id))
            .select_related("association")
            .first()
        )
    if question is None:
        raise Http404
    return question


# --- who reads what ------------------------------------------------------------------------


def my_network_ids(*, user: Any) -> set[int]:
    """Networks whose shared sheets ``user`` may read: those of the associations they
    hold a role in (active memberships), and those whose team they are on."""
    if not getattr(user, "is_authenticated", False):
        return set()
    with scopes_disabled():
        mine = RoleAssignment.objects.filter(
            person__user=user, person__left_on__isnull=True
        ).values("association_id")
        as_member = NetworkMembership.objects.filter(
            association_id__in=mine,
            status=MembershipStatus.ACTIVE,
            network__status=NetworkStatus.ACTIVE,
        ).values_list("network_id", flat=True)
        ids = set(as_member)
    ids |= set(
        NetworkRole.objects.filter(user=user, network__status=NetworkStatus.ACTIVE).values_list(
            "network_id", flat=True
        )
    )
    return ids


def _visible_q(network_ids: set[int]) -> Q:
    shared = PracticeSheetNetwork.objects.filter(
        sheet=OuterRef("pk"), network_id__in=network_ids, hidden=False
    )
    q = Q(visibility=Visibility.PUBLIC)
    if network_ids:
        q |= Q(visibility=Visibility.NETWORK) & Q(Exists(shared))
    return q


@dataclass
class PracticeFilters:
    q: str = ""
    domain: str = ""
    pitfall: str = ""
    size_band: str = ""
    sector: str = ""


def _full_text(qs: QuerySet[PracticeSheet], text: str) -> QuerySet[PracticeSheet]:
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config=SEARCH_CONFIG)
            + SearchVector("problem", "what_was_done", weight="B", config=SEARCH_CONFIG)
            + SearchVector("results", weight="C", config=SEARCH_CONFIG)
        )
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        return qs.annotate(search=vector).filter(search=query)
    for word in fold(text).split()[:8]:
        word = word.strip("\"'+-()*")
        if word:
            qs = qs.filter(search_text__contains=word)
    return qs


def public_practice_sheets(
    *, network_ids: set[int] | None = None, filters: PracticeFilters | None = None
) -> QuerySet[PracticeSheet]:
    """Published sheets a reader of ``network_ids`` may see, matching ``filters``,
    newest first, with their association and endorsement count."""
    filters = filters or PracticeFilters()
    with scopes_disabled():
        qs: QuerySet[PracticeSheet] = PracticeSheet.objects.filter(_visible_q(network_ids or set()))
        if filters.q.strip():
            qs = _full_text(qs, filters.q)
        if filters.domain:
            qs = qs.filter(json_has("domains", filters.domain))
        if filters.pitfall:
            qs = qs.filter(json_has("pitfalls", filters.pitfall))
        if filters.size_band:
            qs = qs.filter(size_band=filters.size_band)
        if filters.sector:
            qs = qs.filter(sector__code=filters.sector)
        return (
            qs.select_related("association", "sector")
            .annotate(endorsement_count=Count("endorsements", distinct=True))
            .order_by("-published_at", "-id")
        )


def public_practice_sheet_get(
    *, sheet_id: Any, network_ids: set[int], association: Association | None = None
) -> PracticeSheet:
    """A sheet the reader may read (or 404); ``association``'s own sheets too when
    the reader acts for it (the services then refuse to endorse one's own sheet)."""
    with scopes_disabled():
        visible = _visible_q(network_ids)
        if association is not None:
            visible |= Q(association=association)
        sheet = (
            PracticeSheet.objects.filter(visible, pk=_as_id(sheet_id))
            .select_related("association", "sector", "author")
            .first()
        )
    if sheet is None:
        raise Http404
    return sheet


def public_sheet_thread(*, sheet: PracticeSheet) -> tuple[list, list]:
    """Endorsements and published questions of a sheet (with their associations)."""
    with scopes_disabled():
        endorsements = list(
            PracticeEndorsement.objects.filter(sheet=sheet).select_related("association")
        )
        questions = list(
            PracticeQuestion.objects.filter(sheet=sheet, status=QuestionStatus.PUBLISHED)
            .select_related("association")
            .order_by("created_at")
        )
    return endorsements, questions


def public_feed_sheets(limit: int = 50) -> list[PracticeSheet]:
    return list(public_practice_sheets()[:limit])


def network_sheets_across_associations(*, network) -> list[PracticeSheetNetwork]:
    """The sheets shared with ``network`` (taken out ones included, for its team)."""
    with scopes_disabled():
        return list(
            PracticeSheetNetwork.objects.filter(
                network=network, sheet__visibility__in=[Visibility.NETWORK, Visibility.PUBLIC]
            )
            .select_related("sheet", "sheet__association")
            .annotate(endorsement_count=Count("sheet__endorsements", distinct=True))
            .order_by("-featured", "-sheet__published_at")
        )


def network_share_get_across_associations(*, network, share_id: Any) -> PracticeSheetNetwork:
    with scopes_disabled():
        share = (
            PracticeSheetNetwork.objects.filter(network=network, pk=_as_id(share_id))
            .select_related("sheet", "association")
            .first()
        )
    if share is None:
        raise Http404
    return share


LIKE_YOURS_WINDOW = 500


def sheets_like_yours_across_associations(
    *, association: Association, network_ids: set[int]
) -> list[PracticeSheet]:
    """The latest sheets (at most LIKE_YOURS_WINDOW) the association may read, of
    other associations of the same size or sector: one query for a whole results
    page, which then picks those of each recommendation (``sheets_on_topic``)."""
    like = Q(size_band=association.size_band)
    if association.sector_id:
        like |= Q(sector_id=association.sector_id)
    with scopes_disabled():
        return list(
            PracticeSheet.objects.filter(_visible_q(network_ids))
            .exclude(association=association)
            .filter(like)
            .select_related("association")
            .only("pk", "title", "recommendation_code", "domains", "association__name")
            .order_by("-published_at", "-id")[:LIKE_YOURS_WINDOW]
        )


def sheets_on_topic(
    sheets: list[PracticeSheet], *, recommendation_code: str, domain: str
) -> list[PracticeSheet]:
    """Sheets written from the same recommendation or on the same diagnostic domain."""
    return [
        s
        for s in sheets
        if (recommendation_code and s.recommendation_code == recommendation_code)
        or domain in (s.domains or [])
    ]


def sheet_network_ids_across_associations(*, sheet: PracticeSheet) -> set[int]:
    """The networks ``sheet`` is shared with and that did not take it out."""
    with scopes_disabled():
        return set(
            PracticeSheetNetwork.objects.filter(sheet=sheet, hidden=False).values_list(
                "network_id", flat=True
            )
        )


def question_for_author_across_associations(
    *, association: Association, question_id: int
) -> PracticeQuestion | None:
    """A question (the asker's row) about a sheet of ``association``."""
    with scopes_disabled():
        return (
            PracticeQuestion.objects.filter(pk=question_id, sheet__association=association)
            .select_related("sheet", "association")
            .first()
        )


def sheet_prefill_from_action(*, association: Association, action_id: Any) -> tuple[Any, dict]:
    """A finished action of the association's plan (or 404) and the initial values of
    a sheet written from it: the action, the recommendation it came from, the
    association's context and its latest diagnostic's budget band, and the
    before/after values of the action's indicators."""
    from maillon.strategy.diagnostic.selectors import diagnostic_answers
    from maillon.strategy.plan.selectors import (
        action_get,
        indicator_evaluations,
        latest_completed_diagnostic,
    )

    from .content import recommendation_texts

    action = action_get(association=association, action_id=action_id)
    if action.status != "done":
        raise Http404
    title, why, domain = recommendation_texts(action.recommendation_code)
    diagnostic = latest_completed_diagnostic(association=association)
    answers = diagnostic_answers(diagnostic=diagnostic) if diagnostic else {}
    evidence = []
    for evaluation in indicator_evaluations(association=association):
        if evaluation.indicator.action_id != action.pk:
            continue
        latest = evaluation.latest
        evidence.append(
            {
                "name": evaluation.indicator.name,
                "unit": evaluation.indicator.unit,
                "before": None if evaluation.baseline is None else str(evaluation.baseline),
                "after": None if latest is None else str(latest.value),
            }
        )
    initial = {
        "title": action.title,
        "problem": why or action.description,
        "what_was_done": "\n\n".join(p for p in (action.description, action.notes) if p),
        "recommendation_code": action.recommendation_code,
        "domains": [domain] if domain else [],
        "size_band": association.size_band,
        "sector": association.sector_id,
        "budget_band": answers.get("profile.budget_band") or "",
        "evidence": evidence,
        "recommendation_title": title,
    }
    return action, initial


def finished_actions(*, association: Association) -> list:
    from maillon.strategy.plan.selectors import action_list

    return [a for a in action_list(association=association) if a.status == "done"]


def adoptions_by_action(*, association: Association) -> dict[int, PracticeSheet]:
    """The sheets that inspired actions of the association's plan, by action id."""
    return {
        adoption.action_id: adoption.sheet
        for adoption in PracticeAdoption.objects.filter(association=association).select_related(
            "sheet"
        )
    }
