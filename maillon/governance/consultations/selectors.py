"""Reads for consultations (proposals, quick polls).
Objects named in a URL are fetched through the ``*_get`` access helpers, which answer
404 for anything outside the current association."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from maillon.associations.models import Association
from maillon.members.models import Person

from ..models import (
    AgendaItem,
    Assembly,
    AssemblyKind,
    AssemblyStatus,
    Ballot,
    Poll,
    PollOption,
    Proposal,
    ProposalComment,
    ProposalStatus,
    ProposalSupport,
)


def _as_id(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


GENERAL_ASSEMBLY_KINDS = (AssemblyKind.ORDINARY, AssemblyKind.EXTRAORDINARY)
PREPARATION_STATUSES = (AssemblyStatus.DRAFT, AssemblyStatus.CONVENED)


def upcoming_general_assemblies(*, association: Association) -> QuerySet[Assembly]:
    """General assemblies still in preparation (draft or convened), soonest first."""
    return Assembly.objects.filter(
        association=association,
        kind__in=GENERAL_ASSEMBLY_KINDS,
        status__in=PREPARATION_STATUSES,
        starts_at__gt=timezone.now(),
    ).order_by("starts_at", "id")


def next_general_assembly(*, association: Association) -> Assembly | None:
    return upcoming_general_assemblies(association=association).first()


# --- proposals -----------------------------------------------------------------------------


def waiting_proposals(*, association: Association) -> QuerySet[Proposal]:
    """Proposals accepted for the agenda but not yet on any assembly's agenda."""
    return (
        Proposal.objects.filter(association=association, status=ProposalStatus.ON_AGENDA)
        .exclude(Exists(AgendaItem.objects.filter(proposal=OuterRef("pk"))))
        .order_by("created_at", "id")
    )


def proposal_list(*, association: Association, person: Person | None = None) -> QuerySet[Proposal]:
    """Proposals with their author, support count, comment count and whether
    ``person`` supports them: a constant number of queries."""
    qs = (
        Proposal.objects.filter(association=association)
        .select_related("author")
        .annotate(
            support_count=Count("supports", distinct=True),
            comment_count=Count("comments", distinct=True),
        )
        .order_by("-created_at", "-id")
    )
    if person is not None:
        qs = qs.annotate(
            supported_by_me=Exists(
                ProposalSupport.objects.filter(proposal=OuterRef("pk"), person=person)
            )
        )
    return qs


def proposal_get(
    *, association: Association, proposal_id: int | str, person: Person | None = None
) -> Proposal:
    """Access helper: a proposal of ``association`` (with its counts) or 404."""
    proposal = (
        proposal_list(association=association, person=person)
        .filter(pk=_as_id(proposal_id))
        .prefetch_related(
            Prefetch(
                "comments",
                queryset=ProposalComment.objects.select_related("author").order_by(
                    "created_at", "id"
                ),
            )
        )
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def agenda_item_of(*, proposal: Proposal) -> AgendaItem | None:
    return AgendaItem.objects.filter(proposal=proposal).select_related("assembly").first()


# --- quick polls ---------------------------------------------------------------------------


def quick_poll_list(*, association: Association) -> QuerySet[Poll]:
    return (
        Poll.objects.filter(association=association, assembly__isnull=True)
        .annotate(answer_count=Count("ballots", distinct=True))
        .order_by("-created_at", "-id")
    )


def quick_poll_get(*, association: Association, poll_id: int | str) -> Poll:
    """Access helper: a quick poll (outside assemblies) of ``association`` or 404."""
    poll = (
        Poll.objects.filter(association=association, assembly__isnull=True, pk=_as_id(poll_id))
        .prefetch_related(Prefetch("options", queryset=PollOption.objects.order_by("position")))
        .first()
    )
    if poll is None:
        raise Http404
    return poll


@dataclass(frozen=True)
class OptionCount:
    option: PollOption
    count: int


@dataclass(frozen=True)
class QuickPollCounts:
    answers: int
    blank: int  # answers that ticked nothing
    options: list[OptionCount]

    @property
    def best(self) -> int:
        return max((o.count for o in self.options), default=0)


def quick_poll_counts(*, poll: Poll) -> QuickPollCounts:
    """How many people ticked each option (live: quick polls are consultative)."""
    counter: Counter[int] = Counter()
    answers = blank = 0
    for choice in Ballot.objects.filter(poll=poll).values_list("choice", flat=True):
        answers += 1
        if not choice:
            blank += 1
        counter.update(int(i) for i in choice)
    options = list(PollOption.objects.filter(poll=poll).order_by("position", "id"))
    return QuickPollCounts(
        answers=answers,
        blank=blank,
        options=[OptionCount(option=o, count=counter.get(o.pk, 0)) for o in options],
    )
