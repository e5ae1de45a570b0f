"""Reads of polls: the access helpers (404 for anything outside the association),
the voter's seats (own roll entry and the proxies they hold), the attendance numbers
the results need, and the published ballot list."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Sum
from django.http import Http404
from django_scopes import scopes_disabled

from ..models import (
    Assembly,
    Ballot,
    Participation,
    Poll,
    PollStatus,
    RollEntry,
)


def assembly_for_polls_get(*, association, assembly_id: int) -> Assembly:
    with scopes_disabled():
        assembly = Assembly.objects.filter(association=association, pk=assembly_id).first()
    if assembly is None:
        raise Http404
    return assembly


def poll_get(*, association, poll_id: int) -> Poll:
    """A poll of ``association`` with its assembly and options, or 404."""
    with scopes_disabled():
        poll = (
            # Quick polls (no assembly) have their own pages under consultations.
            Poll.objects.filter(association=association, pk=poll_id, assembly__isnull=False)
            .select_related("assembly", "agenda_item")
            .prefetch_related("options")
            .first()
        )
    if poll is None:
        raise Http404
    return poll


def poll_for_cast_get(*, association, poll_id: int) -> Poll:
    """``poll_get`` for casting a ballot: the poll and its assembly, or 404, without
    the options (``ballot_cast`` reads what it needs under the poll's lock)."""
    with scopes_disabled():
        poll = (
            Poll.objects.filter(association=association, pk=poll_id, assembly__isnull=False)
            .select_related("assembly")
            .first()
        )
    if poll is None:
        raise Http404
    return poll


def own_roll_entry_for_cast(*, poll: Poll, person) -> RollEntry | None:
    """``person``'s roll entry in ``poll``'s assembly (the caller's own seat)."""
    if poll.assembly_id is None or person is None:
        return None
    with scopes_disabled():
        return RollEntry.objects.filter(
            association_id=poll.association_id, assembly_id=poll.assembly_id, person=person
        ).first()


def polls_of_assembly(*, association, assembly) -> list[Poll]:
    with scopes_disabled():
        return list(
            Poll.objects.filter(association=association, assembly=assembly).select_related(
                "agenda_item"
            )
        )


def results_visible(*, poll: Poll, permissions) -> bool:
    """Nothing of the count before close; the bureau sees it from close, everyone
    from publication."""
    from maillon.members.permissions import Perm

    if poll.status == PollStatus.PUBLISHED:
        return True
    return poll.status == PollStatus.CLOSED and Perm.MANAGE_ASSEMBLIES in permissions


def participation_count(*, poll: Poll) -> int:
    """How many roll entries have voted. Shown while the poll is open: it is the
    émargement, not a partial count (it says nothing of what was voted)."""
    with scopes_disabled():
        return Participation.objects.filter(poll=poll).count()


@dataclass(frozen=True)
class Seat:
    """A roll entry the user may vote for: their own or a represented giver's."""

    entry: RollEntry
    is_proxy: bool
    has_voted: bool


def voter_seats(*, poll: Poll, person) -> list[Seat]:
    """The user's own roll entry first, then each giver whose active proxy they hold."""
    if poll.assembly_id is None or person is None:
        return []
    voted = Participation.objects.filter(poll=poll, entry=OuterRef("pk"))
    with scopes_disabled():
        own = (
            RollEntry.objects.filter(assembly_id=poll.assembly_id, person=person)
            .select_related("person")
            .annotate(voted=Exists(voted))
            .first()
        )
        if own is None:
            return []
        givers = (
            RollEntry.objects.filter(
                assembly_id=poll.assembly_id,
                proxies_given__holder=own,
                proxies_given__revoked_at__isnull=True,
            )
            .select_related("person")
            .annotate(voted=Exists(voted))
            .order_by("person__last_name", "person__first_name", "id")
        )
        seats = [Seat(own, False, own.voted)]
        seats += [Seat(g, True, g.voted) for g in givers]
    return seats


def roll_entry_get(*, poll: Poll, entry_id: int) -> RollEntry:
    with scopes_disabled():
        entry = (
            RollEntry.objects.filter(
                association_id=poll.association_id, assembly_id=poll.assembly_id, pk=entry_id
            )
            .select_related("person")
            .first()
        )
    if entry is None:
        raise Http404
    return entry


def roll_for_recording(*, poll: Poll) -> list[RollEntry]:
    """Voters of the roll who have not voted yet (for the secretary's form)."""
    voted = Participation.objects.filter(poll=poll, entry=OuterRef("pk"))
    with scopes_disabled():
        return list(
            RollEntry.objects.filter(assembly_id=poll.assembly_id, may_vote=True)
            .select_related("person")
            .annotate(voted=Exists(voted))
            .filter(voted=False)
        )


def present_or_represented_weight(*, assembly) -> int:
    """Weights of the voters present or represented, counted as the quorum is (a
    proxy counts when its holder is present and its giver is not)."""
    from ..assemblies.selectors import quorum_status

    if assembly is None:
        return 0
    with scopes_disabled():
        return quorum_status(assembly=assembly).counted


def roll_weight(*, assembly) -> int:
    if assembly is None:
        return 0
    with scopes_disabled():
        total = RollEntry.objects.filter(assembly=assembly, may_vote=True).aggregate(
            total=Sum("weight")
        )["total"]
    return int(total or 0)


def ballots_for_count(*, poll: Poll) -> list[tuple]:
    with scopes_disabled():
        return list(Ballot.objects.filter(poll=poll).values_list("choice", "weight"))


def published_ballots(*, poll: Poll):
    """The published ballot list: receipt, choice and weight, sorted by receipt
    (random codes: the order says nothing of who voted when). No voter."""
    with scopes_disabled():
        return (
            Ballot.objects.filter(poll=poll)
            .order_by("receipt")
            .values_list("receipt", "choice", "weight")
        )


def receipt_published(*, poll: Poll, receipt: str) -> bool:
    if poll.status != PollStatus.PUBLISHED or not receipt:
        return False
    with scopes_disabled():
        return Ballot.objects.filter(poll=poll, receipt=receipt.strip().lower()).exists()
