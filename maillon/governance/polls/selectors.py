"""Reads of polls: the access helpers (404 for anything outside the association, and
for a poll the caller may not see yet), the voter's seats (own roll entry and the
proxies they hold), the attendance numbers the results need, and the published
ballot list.

They run inside the association's scope (a request, an API call, or a service of
``polls.services`` / ``polls.ballots``, which open it)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404

from maillon.associations.models import Association
from maillon.core import process_memo
from maillon.core.db.instances import instance_copy
from maillon.members.models import Person
from maillon.members.permissions import Perm

from ..assemblies.selectors import quorum_status
from ..models import (
    Assembly,
    AssemblyStatus,
    Attendance,
    AttendanceMode,
    Ballot,
    Participation,
    Poll,
    PollStatus,
    Proxy,
    RollEntry,
)


def poll_visible_to(poll: Poll, *, permissions: Collection[str]) -> bool:
    """Who may see a poll: who prepares assemblies sees them all; anyone else sees
    neither a poll not opened yet nor the polls of an assembly still in draft."""
    if Perm.MANAGE_ASSEMBLIES in permissions:
        return True
    if poll.status == PollStatus.CREATED:
        return False
    return poll.assembly is None or poll.assembly.status != AssemblyStatus.DRAFT


def assembly_for_polls_get(*, association: Association, assembly_id: int) -> Assembly:
    assembly = Assembly.objects.filter(association=association, pk=assembly_id).first()
    if assembly is None:
        raise Http404
    return assembly


def _visible(poll: Poll | None, permissions: Collection[str]) -> Poll:
    if poll is None or not poll_visible_to(poll, permissions=permissions):
        raise Http404
    return poll


def poll_get(*, association: Association, poll_id: int, permissions: Collection[str]) -> Poll:
    """Access helper: a poll of ``association`` the caller (with ``permissions``)
    may see, with its assembly and options, or 404."""
    poll = (
        # Quick polls (no assembly) have their own pages under consultations.
        Poll.objects.filter(association=association, pk=poll_id, assembly__isnull=False)
        .select_related("assembly", "agenda_item")
        .prefetch_related("options")
        .first()
    )
    return _visible(poll, permissions)


def poll_for_vote_get(
    *, association: Association, poll_id: int, permissions: Collection[str]
) -> Poll:
    """``poll_get`` for the ballot form's POST: the poll with its assembly and
    options, or 404. Kept a few seconds per process once visible to every member,
    as ``poll_for_cast_get`` (what a ballot form is checked against never changes
    once the poll is open: kind, options, rules); the status, the assembly's state
    and the rest are read again under the poll's lock by ``ballot_cast``. What is
    shown of the poll's state is read fresh (``poll_get``)."""
    memo_key = ("governance.poll_for_vote", association.pk, poll_id)
    kept = process_memo.recall(memo_key)
    if kept is not None:
        return instance_copy(kept)
    poll = poll_get(association=association, poll_id=poll_id, permissions=permissions)
    if _visible_to_every_member(poll):
        process_memo.remember(memo_key, instance_copy(poll))
    return poll


def _visible_to_every_member(poll: Poll) -> bool:
    # Neither a poll's status nor its assembly's ever goes back to these.
    return (
        poll.status != PollStatus.CREATED
        and poll.assembly is not None
        and poll.assembly.status != AssemblyStatus.DRAFT
    )


def _cast_memo_key(association: Association, poll_id: int) -> tuple:
    return ("governance.poll_for_cast", association.pk, poll_id)


def poll_for_cast_get(
    *, association: Association, poll_id: int, permissions: Collection[str], fresh: bool = False
) -> Poll:
    """``poll_get`` for casting a ballot: the poll and its assembly, or 404, without
    the options. ``ballot_cast`` reads all it checks (status, rules, the assembly's
    state) again under the poll's lock, so once a poll is visible to every member
    (opened, its assembly out of draft: neither ever goes back) it is kept a few
    seconds per process (``maillon.core.process_memo``) and a vote does not read it
    twice. ``fresh``: read it from the database (what a refusal is explained with)."""
    memo_key = _cast_memo_key(association, poll_id)
    if not fresh:
        kept = process_memo.recall(memo_key)
        if kept is not None:
            return instance_copy(kept)
    poll = (
        Poll.objects.filter(association=association, pk=poll_id, assembly__isnull=False)
        .select_related("assembly")
        .first()
    )
    poll = _visible(poll, permissions)
    if _visible_to_every_member(poll):
        process_memo.remember(memo_key, instance_copy(poll))
    return poll


def forget_poll(*, association_id: int, poll_id: int) -> None:
    """Drops what this process keeps of a poll (when it or its options change or go,
    here: ``GovernanceConfig.ready``; the other processes' copies expire, and are
    never trusted for a decision)."""
    process_memo.forget(("governance.poll_for_cast", association_id, poll_id))
    process_memo.forget(("governance.poll_for_vote", association_id, poll_id))
    process_memo.forget(("governance.poll_options", poll_id))


def polls_of_assembly(
    *, association: Association, assembly: Assembly, permissions: Collection[str]
) -> list[Poll]:
    """The polls of ``assembly`` the caller (with ``permissions``) may see."""
    polls = Poll.objects.filter(association=association, assembly=assembly).select_related(
        "agenda_item"
    )
    visible = []
    for poll in polls:
        poll.assembly = assembly
        if poll_visible_to(poll, permissions=permissions):
            visible.append(poll)
    return visible


def results_visible(*, poll: Poll, permissions: Collection[str]) -> bool:
    """Nothing of the count before close; the bureau sees it from close, everyone
    from publication."""
    if poll.status == PollStatus.PUBLISHED:
        return True
    return poll.status == PollStatus.CLOSED and Perm.MANAGE_ASSEMBLIES in permissions


def participation_count(*, poll: Poll) -> int:
    """How many roll entries have voted. Shown while the poll is open: it is the
    émargement, not a partial count (it says nothing of what was voted)."""
    return Participation.objects.filter(poll=poll).count()


@dataclass(frozen=True)
class Seat:
    """A roll entry the user may vote for: their own or a represented giver's."""

    entry: RollEntry
    is_proxy: bool
    has_voted: bool


def voter_seats(*, poll: Poll, person: Person | None) -> list[Seat]:
    """The user's own roll entry first, then each giver whose active proxy they hold
    (by name). One query: the entries that are the person's or whose active proxy
    the person holds (a holder is on the roll: without an own entry, no seat)."""
    if poll.assembly_id is None or person is None:
        return []
    voted = Participation.objects.filter(poll=poll, entry=OuterRef("pk"))
    held = Proxy.objects.filter(
        giver=OuterRef("pk"),
        holder__person=person,
        holder__assembly_id=poll.assembly_id,
        revoked_at__isnull=True,
    )
    entries = list(
        RollEntry.objects.filter(assembly_id=poll.assembly_id)
        .filter(Q(person=person) | Exists(held))
        .select_related("person")
        .annotate(voted=Exists(voted))
        .order_by("person__last_name", "person__first_name", "id")
    )
    own = next((e for e in entries if e.person_id == person.pk), None)
    if own is None:
        return []
    seats = [Seat(own, False, own.voted)]
    seats += [Seat(e, True, e.voted) for e in entries if e is not own]
    return seats


def roll_entry_get(*, poll: Poll, entry_id: int) -> RollEntry:
    """Access helper: an entry of ``poll``'s electoral roll, or 404."""
    if poll.assembly_id is None:
        raise Http404
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
    if poll.assembly_id is None:
        return []
    voted = Participation.objects.filter(poll=poll, entry=OuterRef("pk"))
    return list(
        RollEntry.objects.filter(assembly_id=poll.assembly_id, may_vote=True)
        .select_related("person")
        .annotate(voted=Exists(voted))
        .filter(voted=False)
    )


def present_or_represented_weight(*, assembly: Assembly | None) -> int:
    """Weights of the voters present or represented, counted as the quorum is (a
    proxy counts when its holder is present and its giver is not)."""
    if assembly is None:
        return 0
    return quorum_status(assembly=assembly).counted


@dataclass(frozen=True)
class RoomVoters:
    """Who can still be counted in the room for a poll, in voting weight: members
    checked in in the room and those they represent (as the quorum counts them),
    less those of them who have voted on the platform (any channel)."""

    present_or_represented: int
    voted_on_platform: int

    @property
    def limit(self) -> int:
        return max(0, self.present_or_represented - self.voted_on_platform)


def room_voters(*, poll: Poll) -> RoomVoters:
    if poll.assembly_id is None:
        return RoomVoters(0, 0)
    present = Attendance.objects.filter(entry=OuterRef("pk"))
    in_room = present.filter(mode=AttendanceMode.ROOM)
    holder_in_room = Attendance.objects.filter(
        entry=OuterRef("holder_id"), mode=AttendanceMode.ROOM
    )
    represented_in_room = Proxy.objects.filter(
        giver=OuterRef("pk"), revoked_at__isnull=True, holder__isnull=False
    ).filter(Exists(holder_in_room))
    room = Q(Exists(in_room)) | (~Q(Exists(present)) & Q(Exists(represented_in_room)))
    voted = Q(Exists(Participation.objects.filter(poll=poll, entry=OuterRef("pk"))))
    totals = RollEntry.objects.filter(assembly_id=poll.assembly_id, may_vote=True).aggregate(
        room=Sum("weight", filter=room), voted=Sum("weight", filter=room & voted)
    )
    return RoomVoters(int(totals["room"] or 0), int(totals["voted"] or 0))


def roll_weight(*, assembly: Assembly | None) -> int:
    if assembly is None:
        return 0
    total = RollEntry.objects.filter(assembly=assembly, may_vote=True).aggregate(
        total=Sum("weight")
    )["total"]
    return int(total or 0)


def ballots_for_count(*, poll: Poll) -> list[tuple[Any, int]]:
    return list(Ballot.objects.filter(poll=poll).values_list("choice", "weight"))


def published_ballots(*, poll: Poll) -> QuerySet[Ballot, tuple[str, Any, int]]:
    """The published ballot list: receipt, choice and weight, sorted by receipt
    (random codes: the order says nothing of who voted when). No voter."""
    return (
        Ballot.objects.filter(poll=poll)
        .order_by("receipt")
        .values_list("receipt", "choice", "weight")
    )


def receipt_published(*, poll: Poll, receipt: str) -> bool:
    if poll.status != PollStatus.PUBLISHED or not receipt:
        return False
    return Ballot.objects.filter(poll=poll, receipt=receipt.strip().lower()).exists()
