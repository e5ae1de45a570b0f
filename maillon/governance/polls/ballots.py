"""Casting a ballot, counted exactly once.

- **Who voted** is a ``Participation`` (one per poll and roll entry, enforced by a
  unique constraint); **what was voted** is a ``Ballot``. A secret ballot has no
  voter, no timestamp and a random primary key; its weight is the voter's.
- **Retries and double clicks**: the client sends an idempotency key (the browser
  form carries one made when the form was drawn). The answer (the receipt) is stored
  under (user, "poll:<id>:entry:<id>", key) in the same transaction as the ballot; a
  retry with the same key gets the same receipt and adds nothing. The keys are
  deleted when the poll is published (they tie a user to a receipt).
- **Races**: the unique constraint decides. The losing transaction's insert fails
  in a savepoint; if it carried the winner's key it replays the winner's receipt,
  otherwise the voter is told they have already voted.
- **Closing**: a cast holds a shared lock on the poll row and re-reads its status;
  closing takes the row for update, so it waits for casts in flight and later casts
  see the poll closed. No ballot is stored after the count.
- **Changing one's vote**: only for open ballots of a poll that allows it (the
  ballot is replaced in place, same receipt). See ``polls.services`` for why secret
  ballots never allow it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from maillon.core.audit import audit_log
from maillon.core.models import IdempotencyKey
from maillon.members.permissions import Perm, check_permission

from ..models import (
    Assembly,
    AssemblyMode,
    AssemblyStatus,
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


class AlreadyVoted(ValidationError):
    """This roll entry has already voted in this poll."""


class _KeyTaken(Exception):
    """The same idempotency key was stored by a concurrent request."""


def idempotency_scope(poll: Poll, entry: RollEntry) -> str:
    return f"poll:{poll.pk}:entry:{entry.pk}"


def _replayed(*, association, actor, scope: str, key: str) -> str | None:
    with scopes_disabled():
        stored = (
            IdempotencyKey.objects.filter(association=association, user=actor, scope=scope, key=key)
            .values_list("response", flat=True)
            .first()
        )
    return stored.get("receipt") if stored else None


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


def _lock_for_cast(*, association, poll: Poll, entry: RollEntry):
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


def _resolved_actor(*, association, actor, actor_person, actor_permissions):
    """The caller's person and permissions as resolved earlier in the same request
    (API tenancy decorator), if they are consistent with ``actor`` and
    ``association``; None otherwise (then the service reads them itself)."""
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
    return actor_person, frozenset(actor_permissions)


def _check_permission(*, association, actor, resolved, permission: str) -> None:
    if resolved is None:
        check_permission(association=association, actor=actor, permission=permission)
    elif permission not in resolved[1]:
        raise PermissionDenied


def _check_actor(
    *, association, actor, poll: Poll, entry: RollEntry, channel: str, resolved=None
) -> None:
    if channel in (VoteChannel.SECRETARY, VoteChannel.PAPER):
        _check_permission(
            association=association,
            actor=actor,
            resolved=resolved,
            permission=Perm.RECORD_FOR_MEMBERS,
        )
        return
    _check_permission(
        association=association, actor=actor, resolved=resolved, permission=Perm.TAKE_PART
    )
    with scopes_disabled():
        if channel == VoteChannel.ONLINE:
            if resolved is not None:
                # The caller's active person in this association is resolved; the
                # entry's person is checked again under the poll's lock (``_cast``).
                own = entry.person_id == resolved[0].pk
            else:
                own = RollEntry.objects.filter(
                    pk=entry.pk, person__user=actor, person__left_on__isnull=True
                ).exists()
            if not own:
                raise PermissionDenied(_("You can only vote for yourself."))
            return
        if channel == VoteChannel.PROXY:
            holders = (
                {"holder__person": resolved[0]}
                if resolved is not None
                else {"holder__person__user": actor, "holder__person__left_on__isnull": True}
            )
            holds = Proxy.objects.filter(
                assembly_id=poll.assembly_id, giver=entry, revoked_at__isnull=True, **holders
            ).exists()
            if not holds:
                raise PermissionDenied(_("You do not hold a proxy from this member."))
            return
    raise ValidationError(_("Unknown voting channel."))


def _distinct_options(choice: Any, option_ids: list[int]) -> list[int]:
    if choice in (None, "", [], {}):
        return []
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
    """The choice as stored (see ``Ballot.choice``); an empty choice is a blank ballot."""
    option_ids = [o.pk for o in options]
    kind = poll.kind
    if kind == PollKind.YES_NO:
        if choice in (None, "", [], {}):
            return []
        if isinstance(choice, list | tuple) and len(choice) == 1:
            choice = choice[0]
        if choice not in ("yes", "no", "abstain"):
            raise ValidationError(_("Answer yes, no or abstain."))
        return choice
    if kind == PollKind.MAJORITY_JUDGMENT:
        if choice in (None, "", [], {}):
            return []
        if not isinstance(choice, dict):
            raise ValidationError(_("Give a grade to each candidate."))
        grades = {}
        for option_id in option_ids:
            value = choice.get(str(option_id), choice.get(option_id))
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
    if not ids:
        return []
    if kind == PollKind.SINGLE and len(ids) > 1:
        raise ValidationError(_("Choose only one option."))
    if kind == PollKind.MULTIPLE:
        top = poll.max_choices or len(option_ids)
        if not poll.min_choices <= len(ids) <= top:
            raise ValidationError(
                _("Choose between %(min)s and %(max)s options.")
                % {"min": poll.min_choices, "max": top}
            )
    if kind == PollKind.ELECTION and len(ids) > poll.seats:
        raise ValidationError(_("Choose at most %(seats)s candidates.") % {"seats": poll.seats})
    return ids


def ballot_cast(
    *,
    association,
    actor,
    poll: Poll,
    entry: RollEntry,
    choice: Any,
    channel: str = VoteChannel.ONLINE,
    idempotency_key: str | None = None,
    actor_person=None,
    actor_permissions=None,
) -> str:
    """Casts ``entry``'s ballot and returns its receipt.

    ``channel``: ``online`` (the actor's own entry), ``proxy`` (the actor holds the
    entry's active proxy), ``secretary`` (recorded for a member) or ``paper`` (a
    paper ballot handed in the room); the last two need RECORD_FOR_MEMBERS.
    ``actor_person`` and ``actor_permissions``: the actor's active person in
    ``association`` and its permissions, when the caller resolved them in the same
    request (the API's tenancy decorator); the permission is still checked here,
    and without them (or if they are not the actor's) the service reads them.
    Raises ``AlreadyVoted`` (a ``ValidationError``) for a second ballot,
    ``ValidationError`` for a closed poll or an invalid choice, ``PermissionDenied``.
    """
    key = (idempotency_key or "").strip()[:100] or None
    resolved = _resolved_actor(
        association=association,
        actor=actor,
        actor_person=actor_person,
        actor_permissions=actor_permissions,
    )
    cast = {
        "association": association,
        "actor": actor,
        "poll": poll,
        "entry": entry,
        "choice": choice,
        "channel": channel,
        "key": key,
        "resolved": resolved,
    }
    try:
        return _cast_or_replay(**cast, change=False)
    except _AlreadyCast as conflict:
        # The unique constraint refused a second participation (the transaction was
        # rolled back): a retry of a counted vote gets its receipt.
        receipt = _replay(association=association, actor=actor, poll=poll, entry=entry, key=key)
        if receipt is not None:
            return receipt
        if conflict.poll.is_secret or not conflict.poll.allow_vote_change:
            raise AlreadyVoted(_("A vote has already been cast for this member.")) from None
        return _cast_or_replay(**cast, change=True)
    except ValidationError:
        # Whatever happened since (poll closed, ...), a retry of a counted vote gets
        # its receipt, as the key was looked up before these checks.
        receipt = _replay(association=association, actor=actor, poll=poll, entry=entry, key=key)
        if receipt is not None:
            return receipt
        raise


class _AlreadyCast(Exception):
    """The entry already has a participation in the poll (fresh ``poll`` attached)."""

    def __init__(self, poll: Poll):
        super().__init__()
        self.poll = poll


def _replay(*, association, actor, poll, entry, key) -> str | None:
    if not key:
        return None
    return _replayed(
        association=association, actor=actor, scope=idempotency_scope(poll, entry), key=key
    )


def _cast_or_replay(*, association, actor, poll, entry, key, **cast) -> str:
    try:
        return _cast(association=association, actor=actor, poll=poll, entry=entry, key=key, **cast)
    except _KeyTaken:
        receipt = _replay(association=association, actor=actor, poll=poll, entry=entry, key=key)
        if receipt is None:  # pragma: no cover - the key row cannot vanish before publish
            raise AlreadyVoted(_("You have already voted in this poll.")) from None
        return receipt


@transaction.atomic
def _cast(*, association, actor, poll, entry, choice, channel, key, resolved, change) -> str:
    """One transaction. An ``IntegrityError`` (participation or key already there)
    leaves it as ``_AlreadyCast`` / ``_KeyTaken`` and rolls ALL of it back, so the
    inserts need no savepoint; ``ballot_cast`` then replays or refuses."""
    if poll.association_id != association.pk or entry.association_id != association.pk:
        raise Http404
    if entry.assembly_id != poll.assembly_id:
        raise Http404
    _check_actor(
        association=association,
        actor=actor,
        poll=poll,
        entry=entry,
        channel=channel,
        resolved=resolved,
    )
    scope = idempotency_scope(poll, entry)

    with scopes_disabled():
        # Status, the columns the choice is checked against, the assembly's state
        # and the entry, re-read under the shared lock on the poll row.
        poll, assembly, entry = _lock_for_cast(association=association, poll=poll, entry=entry)
        if poll.status != PollStatus.OPEN:
            raise ValidationError(_("This poll is not open for voting."))
        if not voting_window_open(assembly):
            raise ValidationError(_("Votes are cast while the assembly is in session."))
        if channel == VoteChannel.ONLINE and resolved and entry.person_id != resolved[0].pk:
            raise PermissionDenied(_("You can only vote for yourself."))
        if not entry.may_vote:
            raise ValidationError(_("This member may not vote in this assembly."))
        # A yes/no ballot is checked without its options.
        options = [] if poll.kind == PollKind.YES_NO else list(PollOption.objects.filter(poll=poll))
        stored_choice = validate_choice(poll, options, choice)

        if change:
            ballot = Ballot.objects.select_for_update().get(poll=poll, entry=entry)
            ballot.choice = stored_choice
            ballot.weight = entry.weight
            ballot.save(update_fields=["choice", "weight"])
        else:
            try:
                Participation.objects.create(
                    association=association,
                    poll=poll,
                    entry=entry,
                    channel=channel,
                    cast_by=actor,
                )
            except IntegrityError:
                raise _AlreadyCast(poll) from None
            ballot = Ballot.objects.create(
                association=association,
                poll=poll,
                choice=stored_choice,
                weight=entry.weight,
                entry=None if poll.is_secret else entry,
            )
        receipt = ballot.receipt

        if key:
            try:
                IdempotencyKey.objects.create(
                    association=association,
                    user=actor,
                    key=key,
                    scope=scope,
                    response={"receipt": receipt},
                )
            except IntegrityError:
                raise _KeyTaken from None

    # Who voted and how, never what (nor the receipt, which leads to the choice).
    audit_log(
        association=association,
        actor=actor,
        action="governance.vote_changed" if change else "governance.vote_cast",
        obj=poll,
        data={"entry": entry.pk, "channel": str(channel)},
    )
    return receipt
