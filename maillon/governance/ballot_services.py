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
  ballot is replaced in place, same receipt). See ``poll_services`` for why secret
  ballots never allow it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from maillon.core.audit import audit_log
from maillon.core.models import IdempotencyKey
from maillon.members.permissions import Perm, check_permission

from .models import (
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


def _lock_poll_shared(poll: Poll) -> str:
    """The poll's current status, holding a lock that closing must wait for."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT status FROM governance_poll WHERE id = %s FOR SHARE", [poll.pk])
            row = cursor.fetchone()
        return row[0]
    # SQLite serialises writers on the whole database.
    with scopes_disabled():
        return Poll.objects.filter(pk=poll.pk).values_list("status", flat=True).get()


def voting_window_open(assembly: Assembly | None) -> bool:
    """Votes are cast while the assembly is in session; an online assembly also
    votes between its convocation and its close (the poll's own window)."""
    if assembly is None:
        return True
    if assembly.status == AssemblyStatus.OPEN:
        return True
    return assembly.mode == AssemblyMode.ONLINE and assembly.status == AssemblyStatus.CONVENED


def _check_actor(*, association, actor, poll: Poll, entry: RollEntry, channel: str) -> None:
    if channel in (VoteChannel.SECRETARY, VoteChannel.PAPER):
        check_permission(association=association, actor=actor, permission=Perm.RECORD_FOR_MEMBERS)
        return
    check_permission(association=association, actor=actor, permission=Perm.TAKE_PART)
    with scopes_disabled():
        if channel == VoteChannel.ONLINE:
            own = RollEntry.objects.filter(
                pk=entry.pk, person__user=actor, person__left_on__isnull=True
            ).exists()
            if not own:
                raise PermissionDenied(_("You can only vote for yourself."))
            return
        if channel == VoteChannel.PROXY:
            holds = Proxy.objects.filter(
                assembly_id=poll.assembly_id,
                giver=entry,
                revoked_at__isnull=True,
                holder__person__user=actor,
                holder__person__left_on__isnull=True,
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
) -> str:
    """Casts ``entry``'s ballot and returns its receipt.

    ``channel``: ``online`` (the actor's own entry), ``proxy`` (the actor holds the
    entry's active proxy), ``secretary`` (recorded for a member) or ``paper`` (a
    paper ballot handed in the room); the last two need RECORD_FOR_MEMBERS.
    Raises ``AlreadyVoted`` (a ``ValidationError``) for a second ballot,
    ``ValidationError`` for a closed poll or an invalid choice, ``PermissionDenied``.
    """
    key = (idempotency_key or "").strip()[:100] or None
    try:
        return _cast(
            association=association,
            actor=actor,
            poll=poll,
            entry=entry,
            choice=choice,
            channel=channel,
            key=key,
        )
    except _KeyTaken:
        receipt = _replayed(
            association=association, actor=actor, scope=idempotency_scope(poll, entry), key=key
        )
        if receipt is None:  # pragma: no cover - the key row cannot vanish before publish
            raise AlreadyVoted(_("You have already voted in this poll.")) from None
        return receipt


@transaction.atomic
def _cast(*, association, actor, poll, entry, choice, channel, key) -> str:
    if poll.association_id != association.pk or entry.association_id != association.pk:
        raise Http404
    if entry.assembly_id != poll.assembly_id:
        raise Http404
    _check_actor(association=association, actor=actor, poll=poll, entry=entry, channel=channel)
    scope = idempotency_scope(poll, entry)
    if key:
        receipt = _replayed(association=association, actor=actor, scope=scope, key=key)
        if receipt is not None:
            return receipt

    with scopes_disabled():
        status = _lock_poll_shared(poll)
        if status != PollStatus.OPEN:
            raise ValidationError(_("This poll is not open for voting."))
        poll = Poll.objects.select_related("assembly").get(pk=poll.pk)
        if not voting_window_open(poll.assembly):
            raise ValidationError(_("Votes are cast while the assembly is in session."))
        entry = RollEntry.objects.get(pk=entry.pk)
        if not entry.may_vote:
            raise ValidationError(_("This member may not vote in this assembly."))
        options = list(PollOption.objects.filter(poll=poll))
        stored_choice = validate_choice(poll, options, choice)

        changed = False
        try:
            with transaction.atomic():
                Participation.objects.create(
                    association=association,
                    poll=poll,
                    entry=entry,
                    channel=channel,
                    cast_by=actor,
                )
        except IntegrityError:
            if key:
                receipt = _replayed(association=association, actor=actor, scope=scope, key=key)
                if receipt is not None:
                    return receipt
            if poll.is_secret or not poll.allow_vote_change:
                raise AlreadyVoted(_("A vote has already been cast for this member.")) from None
            ballot = Ballot.objects.select_for_update().get(poll=poll, entry=entry)
            ballot.choice = stored_choice
            ballot.weight = entry.weight
            ballot.save(update_fields=["choice", "weight"])
            receipt, changed = ballot.receipt, True
        else:
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
                with transaction.atomic():
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
        action="governance.vote_changed" if changed else "governance.vote_cast",
        obj=poll,
        data={"entry": entry.pk, "channel": str(channel)},
    )
    return receipt
