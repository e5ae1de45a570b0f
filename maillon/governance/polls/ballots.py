"""Casting a ballot, counted exactly once.

- **Who voted** is a ``Participation`` (one per poll and roll entry, enforced by a
  unique constraint); **what was voted** is a ``Ballot``. A secret ballot has no
  voter, no timestamp and a random primary key; its weight is the voter's.
- **The channel**: the service works it out from the actor and the roll entry: the
  actor's own entry votes online, another member's through the proxy the actor
  holds; the secretary's recording for a member (told or on paper) is asked for.
- **Retries and double clicks**: the client sends an idempotency key (the browser
  form carries one made when the form was drawn). The answer (the receipt) is stored
  in the one idempotency store (``maillon.core.idempotency``) under (user,
  "poll:<id>:entry:<id>", key) in the same transaction as the ballot; a retry with
  the same key gets the same receipt and adds nothing; the same key with another
  choice is refused (``KeyReused``), never answered with the first receipt as if the
  new choice had counted. The keys are deleted when the poll is published (they tie a
  user to a receipt).
- **Races**: the unique constraints decide. The losing transaction's insert fails
  and the whole transaction is rolled back (no savepoint); if it carried the
  winner's key it replays the winner's receipt, otherwise the voter is told they
  have already voted.
- **Closing**: a cast holds a shared lock on the poll row and re-reads its status;
  closing takes the row for update, so it waits for casts in flight and later casts
  see the poll closed. No ballot is stored after the count.
- **Taking part**: a member who casts their own ballot on the platform is checked
  in (online, or in the room for an assembly held in the room only) if they were
  not, in the same transaction: ballots never outnumber those present or
  represented in the quorum and the minutes.
- **Changing one's vote**: only for open ballots of a poll that allows it (the
  ballot is replaced in place, same receipt). See ``polls.services`` for why secret
  ballots never allow it.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Model
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core import process_memo
from maillon.core.audit import audit_entry
from maillon.core.db.cursors import bound_cursor
from maillon.core.db.instances import instance_copy
from maillon.core.db.rows import insert_rows, violated_constraint
from maillon.core.idempotency import (
    KeyReused,
    KeyTaken,
    is_key_taken,
    normalised_key,
    payload_fingerprint,
    response_row,
    stored_response,
)
from maillon.core.tenancy import in_association_scope
from maillon.members.models import Person
from maillon.members.permissions import Perm, check_permission

from ..models import (
    Assembly,
    AssemblyMode,
    AssemblyStatus,
    Attendance,
    AttendanceMode,
    Ballot,
    Participation,
    Poll,
    PollKind,
    PollOption,
    PollStatus,
    RollEntry,
    VoteChannel,
)

#: Channels of a ballot recorded by the secretary for a member.
RECORDING_CHANNELS = (VoteChannel.SECRETARY, VoteChannel.PAPER)
#: The choice of a blank ballot: asked for as such, never inferred from nothing.
BLANK = "blank"
NOTHING_CHOSEN = gettext_lazy(
    "Nothing was chosen: choose an option, or a blank vote (“blank”) to cast a blank ballot."
)


def _is_nothing(choice: Any) -> bool:
    return choice is None or (isinstance(choice, str | list | tuple | dict) and not choice)


class AlreadyVoted(ValidationError):
    """This roll entry has already voted in this poll."""


def idempotency_scope(poll: Poll, entry: RollEntry | Seat) -> str:
    return f"poll:{poll.pk}:entry:{entry.pk}"


@dataclass(frozen=True)
class Seat:
    """A roll entry as read under the poll's lock: what a cast checks and writes
    (its rows name it by id; no model instance to build on the vote's hot path)."""

    pk: int
    assembly_id: int | None
    may_vote: bool
    weight: int
    person_id: int


@dataclass(frozen=True)
class AssemblyState:
    """An assembly's state as read under the poll's lock (``voting_window_open``)."""

    pk: int
    status: str
    mode: str


@dataclass(frozen=True)
class _Locked:
    """What ``_lock_for_cast`` read under the poll's lock."""

    poll: Poll
    assembly: AssemblyState | None
    entry: Seat | None  # None: no such seat on the poll's roll
    own: bool  # the entry's person is the actor's active person
    holds_proxy: bool  # the actor's active person holds the entry's active proxy


_POLL_COLUMNS = (
    "status",
    "kind",
    "seats",
    "min_choices",
    "max_choices",
    "is_secret",
    "allow_vote_change",
    "grades",
    "assembly_id",
    "title",
)
_ENTRY_COLUMNS = ("id", "may_vote", "weight", "person_id")
# Built from the constant column names above; values are always parameters.
_SELECT_FOR_CAST = (
    "SELECT "  # noqa: S608
    + ", ".join(f"p.{c}" for c in _POLL_COLUMNS)
    + ", a.status, a.mode, "
    + ", ".join(f"e.{c}" for c in _ENTRY_COLUMNS)
    + ", (ep.user_id = %(user)s AND ep.left_on IS NULL),"
    " EXISTS (SELECT 1 FROM governance_proxy x"
    " INNER JOIN governance_rollentry h ON h.id = x.holder_id"
    " INNER JOIN members_person hp ON hp.id = h.person_id"
    " WHERE x.giver_id = e.id AND x.assembly_id = e.assembly_id AND x.revoked_at IS NULL"
    " AND hp.user_id = %(user)s AND hp.left_on IS NULL)"
    " FROM governance_poll p"
    " LEFT OUTER JOIN governance_assembly a ON a.id = p.assembly_id"
    " LEFT OUTER JOIN governance_rollentry e ON {seat}"
    " AND e.association_id = p.association_id"
    " AND (e.assembly_id = p.assembly_id OR (e.assembly_id IS NULL AND p.assembly_id IS NULL))"
    " LEFT OUTER JOIN members_person ep ON ep.id = e.person_id"
    " WHERE p.id = %(poll)s AND p.association_id = %(association)s"
)
#: The seat: a roll entry named by its id, or the actor's own (by their active
#: person in the association, known or looked up by user).
_SEAT_BY_ID = "e.id = %(entry)s"
_SEAT_OF_PERSON = "e.person_id = %(person)s"
_SEAT_OF_USER = (
    "e.person_id IN (SELECT pp.id FROM members_person pp WHERE pp.user_id = %(user)s"
    " AND pp.association_id = p.association_id AND pp.left_on IS NULL)"
)


def _lock_for_cast(*, cast: _Cast) -> _Locked:
    """ONE statement that takes the shared lock on the poll row (PostgreSQL: ``FOR
    SHARE OF`` the poll; closing takes it for update, so it waits for this cast) and
    reads, fresh under that lock, everything the cast checks: the poll's status and
    voting columns, its assembly's state, the seat (the named roll entry, or the
    actor's own), whether the seat is the actor's and whether the actor holds its
    proxy. SQLite serialises writers on the whole database. Nothing kept in memory
    decides anything here."""
    association, actor = cast.association, cast.actor
    params: dict[str, Any] = {
        "user": actor.pk,
        "poll": cast.poll.pk,
        "association": association.pk,
    }
    if cast.entry is not None:
        seat, params["entry"] = _SEAT_BY_ID, cast.entry.pk
    elif cast.resolved is not None:
        seat, params["person"] = _SEAT_OF_PERSON, cast.resolved.person.pk
    else:
        seat = _SEAT_OF_USER
    sql = _SELECT_FOR_CAST.format(seat=seat)
    if connection.vendor == "postgresql":
        sql += " FOR SHARE OF p"
    with bound_cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:  # gone, or not of this association
        raise Http404
    n_poll, n_entry = len(_POLL_COLUMNS), len(_ENTRY_COLUMNS)
    poll = instance_copy(cast.poll)
    for attribute, value in zip(_POLL_COLUMNS, row[:n_poll], strict=True):
        setattr(poll, attribute, value)
    # Raw SQL: SQLite answers booleans as integers, JSON as text (so may psycopg).
    poll.is_secret, poll.allow_vote_change = bool(poll.is_secret), bool(poll.allow_vote_change)
    if isinstance(poll.grades, str | bytes):
        poll.grades = json.loads(poll.grades)
    assembly = None
    if poll.assembly_id is not None:
        assembly = AssemblyState(pk=poll.assembly_id, status=row[n_poll], mode=row[n_poll + 1])
    entry_id, may_vote, weight, person_id = row[n_poll + 2 : n_poll + 2 + n_entry]
    entry = None
    if entry_id is not None:
        entry = Seat(
            pk=entry_id,
            assembly_id=poll.assembly_id,  # the join takes the poll's
            may_vote=bool(may_vote),
            weight=weight,
            person_id=person_id,
        )
    own, holds_proxy = row[-2:]
    return _Locked(
        poll=poll,
        assembly=assembly,
        entry=entry,
        own=entry is not None and bool(own),
        holds_proxy=entry is not None and bool(holds_proxy),
    )


def voting_window_open(assembly: Assembly | AssemblyState | None) -> bool:
    """Votes are cast while the assembly is in session; an online assembly also
    votes between its convocation and its close (the poll's own window)."""
    if assembly is None:
        return True
    if assembly.status == AssemblyStatus.OPEN:
        return True
    return assembly.mode == AssemblyMode.ONLINE and assembly.status == AssemblyStatus.CONVENED


@dataclass(frozen=True)
class _Actor:
    """The actor's active person in the association and its permissions, when the
    caller resolved them earlier in the same request (API tenancy decorator)."""

    person: Person
    permissions: frozenset[str]


def _resolved_actor(
    *,
    association: Association,
    actor: User,
    actor_person: Person | None,
    actor_permissions: Collection[str] | None,
) -> _Actor | None:
    """``actor_person`` and ``actor_permissions`` if they are consistent with
    ``actor`` and ``association``; None otherwise (then the service reads them)."""
    if actor_person is None or actor_permissions is None:
        return None
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if (
        actor_person.pk is None
        or actor_person.user_id != actor.pk
        or actor_person.association_id != association.pk
        or actor_person.left_on is not None
    ):
        return None
    return _Actor(person=actor_person, permissions=frozenset(actor_permissions))


def _check_permission(
    *, association: Association, actor: User, resolved: _Actor | None, permission: str
) -> None:
    if resolved is None:
        check_permission(association=association, actor=actor, permission=permission)
    elif permission not in resolved.permissions:
        raise PermissionDenied


def _check_channel_permission(cast: _Cast) -> None:
    """Before anything is read: the secretary's ``recorded_as`` needs
    RECORD_FOR_MEMBERS, voting (own seat or by proxy) TAKE_PART."""
    if cast.recorded_as is not None:
        if cast.recorded_as not in RECORDING_CHANNELS:
            raise ValidationError(_("Unknown voting channel."))
        permission = Perm.RECORD_FOR_MEMBERS
    else:
        permission = Perm.TAKE_PART
    _check_permission(
        association=cast.association,
        actor=cast.actor,
        resolved=cast.resolved,
        permission=permission,
    )


def _voting_channel(cast: _Cast, locked: _Locked) -> str:
    """The ballot's channel: the secretary's ``recorded_as``; otherwise ONLINE for
    the actor's own roll entry and PROXY for a member whose active proxy the actor
    holds (both read under the poll's lock)."""
    if cast.recorded_as is not None:
        return cast.recorded_as
    if locked.own:
        return VoteChannel.ONLINE
    if not locked.holds_proxy:
        raise PermissionDenied(_("You do not hold a proxy from this member."))
    return VoteChannel.PROXY


def _distinct_options(choice: Any, option_ids: list[int]) -> list[int]:
    if isinstance(choice, int | str):
        choice = [choice]
    try:
        ids = [int(x) for x in choice]
    except (TypeError, ValueError):
        raise ValidationError(_("This choice is not valid.")) from None
    if len(set(ids)) != len(ids):
        raise ValidationError(_("An option is chosen twice."))
    if not set(ids) <= set(option_ids):
        raise ValidationError(_("This option is not on the ballot."))
    return ids


def validate_choice(poll: Poll, options: list[PollOption], choice: Any) -> Any:
    """The choice as stored (see ``Ballot.choice``). A blank ballot is asked for
    explicitly (:data:`BLANK`, stored as ``[]``); no choice at all is refused, so
    nothing is ever cast that the voter did not choose."""
    if _is_nothing(choice):
        raise ValidationError(NOTHING_CHOSEN)
    if choice == BLANK:
        return []
    option_ids = [o.pk for o in options]
    kind = poll.kind
    if kind == PollKind.YES_NO:
        if isinstance(choice, list | tuple) and len(choice) == 1:
            choice = choice[0]
        if choice not in ("yes", "no", "abstain"):
            raise ValidationError(_("Answer yes, no or abstain."))
        return choice
    if kind == PollKind.MAJORITY_JUDGMENT:
        if not isinstance(choice, dict):
            raise ValidationError(_("Give a grade to each candidate."))
        grades = {}
        for option_id in option_ids:
            value: Any = choice.get(str(option_id), choice.get(option_id))
            try:
                grade = int(value)
            except (TypeError, ValueError):
                raise ValidationError(_("Give a grade to each candidate.")) from None
            if not 0 <= grade < len(poll.grades):
                raise ValidationError(_("This grade is not on the scale."))
            grades[str(option_id)] = grade
        if set(map(str, choice)) - set(grades):
            raise ValidationError(_("This option is not on the ballot."))
        return grades
    ids = _distinct_options(choice, option_ids)
    if kind == PollKind.SINGLE and len(ids) > 1:
        raise ValidationError(_("Choose only one option."))
    if kind == PollKind.MULTIPLE:
        top = poll.max_choices or len(option_ids)
        if not poll.min_choices <= len(ids) <= top:
            raise ValidationError(
                ngettext(
                    "Choose between %(min)s and %(max)s option.",
                    "Choose between %(min)s and %(max)s options.",
                    top,
                )
                % {"min": poll.min_choices, "max": top}
            )
    if kind == PollKind.ELECTION and len(ids) > poll.seats:
        raise ValidationError(
            ngettext(
                "Choose at most %(seats)s candidate.",
                "Choose at most %(seats)s candidates.",
                poll.seats,
            )
            % {"seats": poll.seats}
        )
    return ids


@in_association_scope
def ballot_cast(
    *,
    association: Association,
    actor: User,
    poll: Poll,
    entry: RollEntry | int | None,
    choice: Any,
    channel: str | None = None,
    idempotency_key: str | None = None,
    actor_person: Person | None = None,
    actor_permissions: Collection[str] | None = None,
) -> str:
    """Casts ``entry``'s ballot and returns its receipt.

    ``entry``: a roll entry of the poll, or its id (checked under the poll's lock: 404
    if it is not on the poll's roll), or None for the actor's own seat
    (``PermissionDenied`` if the actor is not on the roll). The entry is read again
    under the lock in every case.

    The channel is worked out here: ``online`` for the actor's own roll entry,
    ``proxy`` for a member whose active proxy the actor holds. ``channel`` is given
    only to record a ballot for a member: ``secretary`` (told to the secretary) or
    ``paper`` (a paper ballot handed in the room); both need RECORD_FOR_MEMBERS.
    ``actor_person`` and ``actor_permissions``: the actor's active person in
    ``association`` and its permissions, when the caller resolved them in the same
    request (the API's tenancy decorator); the permission is still checked here,
    and without them (or if they are not the actor's) the service reads them.
    Raises ``AlreadyVoted`` (a ``ValidationError``) for a second ballot,
    ``ValidationError`` for a closed poll or an invalid choice, ``PermissionDenied``.
    """
    key = normalised_key(idempotency_key)
    if isinstance(entry, int):
        if not -(2**63) <= entry < 2**63:
            raise Http404  # no such roll entry (and no database integer that big)
        entry = RollEntry(pk=entry, association_id=association.pk)
        entry.assembly_id = poll.assembly_id  # type: ignore[assignment]  # checked under lock
    cast = _Cast(
        association=association,
        actor=actor,
        poll=poll,
        entry=entry,
        seat=entry,
        choice=choice,
        recorded_as=channel,
        key=key,
        resolved=_resolved_actor(
            association=association,
            actor=actor,
            actor_person=actor_person,
            actor_permissions=actor_permissions,
        ),
    )
    try:
        return _cast_or_replay(cast, change=False)
    except _AlreadyCast as conflict:
        # The unique constraint refused a second participation (the transaction was
        # rolled back): a retry of a counted vote gets its receipt.
        receipt = _replay(cast)
        if receipt is not None:
            return receipt
        if conflict.poll.is_secret or not conflict.poll.allow_vote_change:
            raise AlreadyVoted(_("A vote has already been cast for this member.")) from None
        return _cast_or_replay(cast, change=True)
    except ValidationError:
        # Whatever happened since (poll closed, ...), a retry of a counted vote gets
        # its receipt, as the key was looked up before these checks.
        receipt = _replay(cast)
        if receipt is not None:
            return receipt
        raise


@dataclass
class _Cast:
    """What ``ballot_cast`` was asked (``recorded_as``: its ``channel`` argument;
    ``entry``: None for the actor's own seat). ``seat``: the roll entry, once read
    under the poll's lock (it names the idempotency key's scope)."""

    association: Association
    actor: User
    poll: Poll
    entry: RollEntry | None
    seat: RollEntry | Seat | None
    choice: Any
    recorded_as: str | None
    key: str | None
    resolved: _Actor | None


class _AlreadyCast(Exception):
    """The entry already has a participation in the poll (fresh ``poll`` attached)."""

    def __init__(self, poll: Poll) -> None:
        super().__init__()
        self.poll = poll


def _fingerprint(cast: _Cast) -> str:
    """What the key is bound to: the choice and the recording channel (the roll entry
    is part of the key's scope)."""
    return payload_fingerprint({"choice": cast.choice, "channel": cast.recorded_as})


def _replay(cast: _Cast) -> str | None:
    """The receipt stored for the cast's idempotency key, or None; ``KeyReused`` when
    the key was stored with another choice."""
    if not cast.key or cast.seat is None:
        return None
    try:
        stored = stored_response(
            association=cast.association,
            user=cast.actor,
            scope=idempotency_scope(cast.poll, cast.seat),
            key=cast.key,
            fingerprint=_fingerprint(cast),
        )
    except KeyReused:
        raise KeyReused(
            _("This ballot was already sent with another choice: the first one counts.")
        ) from None
    return stored.get("receipt") if stored else None


def _cast_or_replay(cast: _Cast, *, change: bool) -> str:
    try:
        return _cast(cast, change=change)
    except KeyTaken:
        receipt = _replay(cast)
        if receipt is None:  # pragma: no cover - the key row cannot vanish before publish
            raise AlreadyVoted(_("You have already voted in this poll.")) from None
        return receipt


@transaction.atomic
def _cast(cast: _Cast, *, change: bool) -> str:
    """One transaction: the lock-and-read statement, then the rows in one statement
    (PostgreSQL). An ``IntegrityError`` (participation or key already there) leaves
    it as ``_AlreadyCast`` / ``KeyTaken`` and rolls ALL of it back, so the inserts
    need no savepoint; ``ballot_cast`` then replays or refuses."""
    association, actor = cast.association, cast.actor
    if cast.poll.association_id != association.pk:
        raise Http404
    if cast.entry is not None and (
        cast.entry.association_id != association.pk
        or cast.entry.assembly_id != cast.poll.assembly_id
    ):
        raise Http404
    _check_channel_permission(cast)
    # Status, the columns the choice is checked against, the assembly's state and
    # the seat, read under the shared lock on the poll row.
    locked = _lock_for_cast(cast=cast)
    poll, assembly, entry = locked.poll, locked.assembly, locked.entry
    if entry is None:
        if cast.entry is not None:
            raise Http404  # not on this poll's roll
        raise PermissionDenied(_("You are not on the electoral roll of this assembly."))
    cast.seat = entry
    channel = _voting_channel(cast, locked)
    _check_cast_allowed(poll=poll, assembly=assembly, entry=entry, channel=channel, cast=cast)
    stored_choice = validate_choice(poll, _options_of(poll), cast.choice)
    audit = audit_entry(
        association=association,
        actor=actor,
        action="governance.vote_changed" if change else "governance.vote_cast",
        obj=poll,
        # Who voted and how, never what (nor the receipt, which leads to the choice).
        data={"entry": entry.pk, "channel": str(channel)},
    )
    if change:
        ballot = _ballot_replaced(poll=poll, entry=entry, choice=stored_choice)
        rows: list[tuple[Model, bool]] = [(audit, False)]
    else:
        # The rows name what they refer to by id (read under the lock just before).
        ballot = Ballot(
            association_id=association.pk,
            poll_id=poll.pk,
            choice=stored_choice,
            weight=entry.weight,
            entry_id=None if poll.is_secret else entry.pk,
        )
        participation = Participation(
            association_id=association.pk,
            poll_id=poll.pk,
            entry_id=entry.pk,
            channel=channel,
            cast_by_id=actor.pk,
        )
        rows = [(participation, False), (ballot, False)]
        if channel == VoteChannel.ONLINE and assembly is not None:
            rows.append((_check_in_by_voting(cast, assembly=assembly, entry=entry), True))
        rows.append((audit, False))
    if cast.key:
        key_row = response_row(
            association=association,
            user=actor,
            scope=idempotency_scope(poll, entry),
            key=cast.key,
            response={"receipt": ballot.receipt},
            fingerprint=_fingerprint(cast),
        )
        rows.insert(len(rows) - 1, (key_row, False))
    try:
        insert_rows(rows)
    except IntegrityError as error:
        constraint = violated_constraint(error)
        if is_key_taken(constraint):
            raise KeyTaken from None
        if change or not _is_already_cast(constraint):
            raise
        # The participation (or, for an open ballot, the ballot) is already there.
        raise _AlreadyCast(poll) from None
    return ballot.receipt


#: The unique constraints a second ballot for the same seat runs into.
_ONE_VOTE_CONSTRAINTS = ("one_participation_per_voter", "one_open_ballot_per_voter")


def _is_already_cast(constraint: str) -> bool:
    # PostgreSQL names the constraint; SQLite names the table and columns (the index,
    # for a partial unique constraint).
    return any(name in constraint for name in _ONE_VOTE_CONSTRAINTS) or constraint.startswith(
        (
            f"UNIQUE constraint failed: {Participation._meta.db_table}.",
            f"UNIQUE constraint failed: {Ballot._meta.db_table}.",
        )
    )


def _options_of(poll: Poll) -> list[PollOption]:
    """The options a choice is checked against (none for a yes/no poll). Kept a
    few seconds per process: a poll's options never change once it is open, and
    they are only read for an open poll (checked under the lock just before)."""
    if poll.kind == PollKind.YES_NO:
        return []
    memo_key = ("governance.poll_options", poll.pk)
    options = process_memo.recall(memo_key)
    if options is None:
        options = list(PollOption.objects.filter(poll=poll))
        process_memo.remember(memo_key, options)
    return options


def _check_cast_allowed(
    *, poll: Poll, assembly: AssemblyState | None, entry: Seat, channel: str, cast: _Cast
) -> None:
    if poll.status != PollStatus.OPEN:
        raise ValidationError(_("This poll is not open for voting."))
    if not voting_window_open(assembly):
        raise ValidationError(_("Votes are cast while the assembly is in session."))
    if (
        channel == VoteChannel.ONLINE
        and cast.resolved is not None
        and entry.person_id != cast.resolved.person.pk
    ):
        raise PermissionDenied(_("You can only vote for yourself."))
    if not entry.may_vote:
        raise ValidationError(_("This member may not vote in this assembly."))


def _check_in_by_voting(cast: _Cast, *, assembly: AssemblyState, entry: Seat) -> Attendance:
    """A member who votes on the platform takes part in the assembly: checked in
    (online; in the room when the assembly meets in the room only), unless they
    already were, so the attendance sheet, the quorum and the minutes never count
    fewer people present than ballots. Written with the vote's other rows, ``ON
    CONFLICT DO NOTHING``: a check-in stays as it was."""
    in_room = assembly.mode == AssemblyMode.IN_PERSON
    return Attendance(
        association_id=cast.association.pk,
        assembly_id=assembly.pk,
        entry_id=entry.pk,
        mode=AttendanceMode.ROOM if in_room else AttendanceMode.ONLINE,
        recorded_by_id=cast.actor.pk,
    )


def _ballot_replaced(*, poll: Poll, entry: Seat, choice: Any) -> Ballot:
    ballot = Ballot.objects.select_for_update().get(poll=poll, entry_id=entry.pk)
    ballot.choice = choice
    ballot.weight = entry.weight
    ballot.save(update_fields=["choice", "weight"])
    return ballot
