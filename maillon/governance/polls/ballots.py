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

import copy
import json
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.idempotency import (
    KeyReused,
    KeyTaken,
    normalised_key,
    payload_fingerprint,
    store_response,
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
    Proxy,
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


def idempotency_scope(poll: Poll, entry: RollEntry) -> str:
    return f"poll:{poll.pk}:entry:{entry.pk}"


_CAST_COLUMNS = (
    # (object, attribute) of each column read by ``_SELECT_FOR_CAST``, in order.
    ("poll", "status"),
    ("poll", "kind"),
    ("poll", "seats"),
    ("poll", "min_choices"),
    ("poll", "max_choices"),
    ("poll", "is_secret"),
    ("poll", "allow_vote_change"),
    ("poll", "grades"),
    ("poll", "assembly_id"),
    ("assembly", "status"),
    ("assembly", "mode"),
    ("entry", "may_vote"),
    ("entry", "weight"),
    ("entry", "person_id"),
)
_SELECT_FOR_CAST = (
    "SELECT p.status, p.kind, p.seats, p.min_choices, p.max_choices, p.is_secret,"
    " p.allow_vote_change, p.grades, p.assembly_id, a.status, a.mode,"
    " e.may_vote, e.weight, e.person_id"
    " FROM governance_poll p"
    " LEFT OUTER JOIN governance_assembly a ON a.id = p.assembly_id"
    " INNER JOIN governance_rollentry e ON e.id = %s"
    " AND e.association_id = p.association_id"
    " AND (e.assembly_id = p.assembly_id OR (e.assembly_id IS NULL AND p.assembly_id IS NULL))"
    " WHERE p.id = %s AND p.association_id = %s"
)


def _lock_for_cast(
    *, association: Association, poll: Poll, entry: RollEntry
) -> tuple[Poll, Assembly | None, RollEntry]:
    """Fresh copies of ``poll`` (and its assembly, or None) and ``entry`` with what
    a cast needs, read in ONE statement that also takes the shared lock on the poll
    row (PostgreSQL: ``FOR SHARE OF`` the poll; closing takes it for update, so it
    waits for this cast). SQLite serialises writers on the whole database."""
    sql = _SELECT_FOR_CAST
    if connection.vendor == "postgresql":
        sql += " FOR SHARE OF p"
    with connection.cursor() as cursor:
        cursor.execute(sql, [entry.pk, poll.pk, association.pk])
        row = cursor.fetchone()
    if row is None:  # gone, or not of this association / assembly
        raise Http404
    poll, entry = copy.copy(poll), copy.copy(entry)
    assembly = Assembly() if row[8] is not None else None
    targets = {"poll": poll, "assembly": assembly, "entry": entry}
    for (name, attribute), value in zip(_CAST_COLUMNS, row, strict=True):
        if targets[name] is not None:
            setattr(targets[name], attribute, value)
    # Raw SQL: SQLite answers booleans as integers, JSON as text (so may psycopg).
    poll.is_secret, poll.allow_vote_change = bool(poll.is_secret), bool(poll.allow_vote_change)
    entry.may_vote = bool(entry.may_vote)
    if isinstance(poll.grades, str | bytes):
        poll.grades = json.loads(poll.grades)
    return poll, assembly, entry


def voting_window_open(assembly: Assembly | None) -> bool:
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


def _is_own_entry(*, actor: User, entry: RollEntry, resolved: _Actor | None) -> bool:
    if resolved is not None:
        # The caller's active person in this association is resolved; the entry's
        # person is checked again under the poll's lock (``_cast``).
        return entry.person_id == resolved.person.pk
    return RollEntry.objects.filter(
        pk=entry.pk, person__user=actor, person__left_on__isnull=True
    ).exists()


def _holds_proxy(*, actor: User, entry: RollEntry, resolved: _Actor | None) -> bool:
    holders: dict[str, Any] = (
        {"holder__person": resolved.person}
        if resolved is not None
        else {"holder__person__user": actor, "holder__person__left_on__isnull": True}
    )
    # ``_cast`` has checked that the entry is on the roll of the poll's assembly.
    return Proxy.objects.filter(
        assembly_id=entry.assembly_id, giver=entry, revoked_at__isnull=True, **holders
    ).exists()


def _voting_channel(
    *,
    association: Association,
    actor: User,
    poll: Poll,
    entry: RollEntry,
    recorded_as: str | None,
    resolved: _Actor | None,
) -> str:
    """The ballot's channel, once the actor is checked for it: the secretary's
    ``recorded_as`` (RECORD_FOR_MEMBERS); otherwise ONLINE for the actor's own roll
    entry and PROXY for a member whose active proxy the actor holds (TAKE_PART)."""
    if recorded_as is not None:
        if recorded_as not in RECORDING_CHANNELS:
            raise ValidationError(_("Unknown voting channel."))
        _check_permission(
            association=association,
            actor=actor,
            resolved=resolved,
            permission=Perm.RECORD_FOR_MEMBERS,
        )
        return recorded_as
    _check_permission(
        association=association, actor=actor, resolved=resolved, permission=Perm.TAKE_PART
    )
    if _is_own_entry(actor=actor, entry=entry, resolved=resolved):
        return VoteChannel.ONLINE
    if not _holds_proxy(actor=actor, entry=entry, resolved=resolved):
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
    entry: RollEntry,
    choice: Any,
    channel: str | None = None,
    idempotency_key: str | None = None,
    actor_person: Person | None = None,
    actor_permissions: Collection[str] | None = None,
) -> str:
    """Casts ``entry``'s ballot and returns its receipt.

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
    cast = _Cast(
        association=association,
        actor=actor,
        poll=poll,
        entry=entry,
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


@dataclass(frozen=True)
class _Cast:
    """What ``ballot_cast`` was asked (``recorded_as``: its ``channel`` argument)."""

    association: Association
    actor: User
    poll: Poll
    entry: RollEntry
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
    if not cast.key:
        return None
    try:
        stored = stored_response(
            association=cast.association,
            user=cast.actor,
            scope=idempotency_scope(cast.poll, cast.entry),
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
    """One transaction. An ``IntegrityError`` (participation or key already there)
    leaves it as ``_AlreadyCast`` / ``KeyTaken`` and rolls ALL of it back, so the
    inserts need no savepoint; ``ballot_cast`` then replays or refuses."""
    association, actor = cast.association, cast.actor
    if cast.poll.association_id != association.pk or cast.entry.association_id != association.pk:
        raise Http404
    if cast.entry.assembly_id != cast.poll.assembly_id:
        raise Http404
    channel = _voting_channel(
        association=association,
        actor=actor,
        poll=cast.poll,
        entry=cast.entry,
        recorded_as=cast.recorded_as,
        resolved=cast.resolved,
    )
    # Status, the columns the choice is checked against, the assembly's state and
    # the entry, re-read under the shared lock on the poll row.
    poll, assembly, entry = _lock_for_cast(
        association=association, poll=cast.poll, entry=cast.entry
    )
    _check_cast_allowed(poll=poll, assembly=assembly, entry=entry, channel=channel, cast=cast)
    # A yes/no ballot is checked without its options.
    options = [] if poll.kind == PollKind.YES_NO else list(PollOption.objects.filter(poll=poll))
    stored_choice = validate_choice(poll, options, cast.choice)
    if change:
        ballot = _ballot_replaced(poll=poll, entry=entry, choice=stored_choice)
    else:
        ballot = _ballot_added(cast, poll=poll, entry=entry, channel=channel, choice=stored_choice)
        if channel == VoteChannel.ONLINE and assembly is not None:
            _check_in_by_voting(cast, assembly=assembly, entry=entry)
    if cast.key:
        store_response(
            association=association,
            user=actor,
            scope=idempotency_scope(poll, entry),
            key=cast.key,
            response={"receipt": ballot.receipt},
            fingerprint=_fingerprint(cast),
        )
    # Who voted and how, never what (nor the receipt, which leads to the choice).
    audit_log(
        association=association,
        actor=actor,
        action="governance.vote_changed" if change else "governance.vote_cast",
        obj=poll,
        data={"entry": entry.pk, "channel": str(channel)},
    )
    return ballot.receipt


def _check_cast_allowed(
    *, poll: Poll, assembly: Assembly | None, entry: RollEntry, channel: str, cast: _Cast
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


def _check_in_by_voting(cast: _Cast, *, assembly: Assembly, entry: RollEntry) -> None:
    """A member who votes on the platform takes part in the assembly: checked in
    (online; in the room when the assembly meets in the room only), unless they
    already were, so the attendance sheet, the quorum and the minutes never count
    fewer people present than ballots. One statement; a check-in stays as it was."""
    in_room = assembly.mode == AssemblyMode.IN_PERSON
    Attendance.objects.bulk_create(
        [
            Attendance(
                association=cast.association,
                assembly_id=entry.assembly_id,
                entry=entry,
                mode=AttendanceMode.ROOM if in_room else AttendanceMode.ONLINE,
                recorded_by=cast.actor,
            )
        ],
        ignore_conflicts=True,
    )


def _ballot_replaced(*, poll: Poll, entry: RollEntry, choice: Any) -> Ballot:
    ballot = Ballot.objects.select_for_update().get(poll=poll, entry=entry)
    ballot.choice = choice
    ballot.weight = entry.weight
    ballot.save(update_fields=["choice", "weight"])
    return ballot


def _ballot_added(
    cast: _Cast, *, poll: Poll, entry: RollEntry, channel: str, choice: Any
) -> Ballot:
    try:
        Participation.objects.create(
            association=cast.association,
            poll=poll,
            entry=entry,
            channel=channel,
            cast_by=cast.actor,
        )
    except IntegrityError:
        raise _AlreadyCast(poll) from None
    return Ballot.objects.create(
        association=cast.association,
        poll=poll,
        choice=choice,
        weight=entry.weight,
        entry=None if poll.is_secret else entry,
    )
