"""Writes of polls: create, update, delete while created; then open, close (the
count is frozen in ``Poll.result``), publish; and the room's counts of a hybrid
assembly. Casting lives in :mod:`maillon.governance.polls.ballots`.

Why a secret ballot never allows changing one's vote: to replace a ballot the
platform would have to know which ballot is the voter's, i.e. keep a link from the
voter to their ballot that the secret ballot exists to avoid (see DESIGN.md, "who
voted is stored apart from what was voted"). Open ballots name their voter, so they
may be replaced until the poll closes."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from maillon.accounts.models import User
from maillon.associations.models import Association, MajorityRule, Statutes
from maillon.core.audit import audit_log
from maillon.core.idempotency import forget_responses
from maillon.core.tenancy import ensure_same_association, in_association_scope
from maillon.members.permissions import Perm, check_permission

from ..models import AgendaItem, Assembly, AssemblyKind, Poll, PollKind, PollOption, PollStatus
from . import results, selectors

SECRET_NO_CHANGE = gettext_lazy(
    "A secret ballot cannot allow changing one's vote: replacing a ballot would need "
    "a link between the voter and their ballot, which a secret ballot must never keep."
)
CHOICE_KINDS = {PollKind.MULTIPLE, PollKind.APPROVAL, PollKind.ELECTION}
#: Kinds that elect candidates to seats: secret ballot unless asked otherwise.
ELECTION_KINDS = frozenset(
    {PollKind.ELECTION, PollKind.RANKED, PollKind.CONDORCET, PollKind.MAJORITY_JUDGMENT}
)


def idempotency_scope_prefix(poll: Poll) -> str:
    return f"poll:{poll.pk}:"


def _statutes(association: Association) -> Statutes:
    statutes, _created = Statutes.objects.get_or_create(association=association)
    return statutes


def default_rules(*, association: Association, assembly: Assembly) -> dict:
    """The majority and counting rules of the statutes for this assembly's kind."""
    statutes = _statutes(association)
    kind = "extraordinary" if assembly.kind == AssemblyKind.EXTRAORDINARY else "ordinary"
    return {
        "majority_rule": getattr(statutes, f"{kind}_majority"),
        "majority_fraction": getattr(statutes, f"{kind}_majority_fraction"),
        "blank_counts_as_cast": statutes.blank_counts_as_cast,
        "abstention_counts_as_cast": statutes.abstention_counts_as_cast,
        "resolutions_secret_ballot": statutes.resolutions_secret_ballot,
    }


def default_secrecy(*, kind: str, resolutions_secret_ballot: bool) -> bool:
    """Whether a poll of ``kind`` is a secret ballot when nobody said otherwise:
    elections always, resolutions as the statutes say."""
    return True if kind in ELECTION_KINDS else resolutions_secret_ballot


def _labels(options: Sequence[str]) -> list[str]:
    """The options' labels as stored: stripped, in NFC (the counting engine and the
    ``tally`` command name candidates by these labels)."""
    return [unicodedata.normalize("NFC", label.strip()) for label in options if label.strip()]


def _validate(poll: Poll, options: Sequence[str]) -> None:
    errors: dict[str, list] = {}
    labels = _labels(options)
    if len(set(labels)) != len(labels):
        errors.setdefault("options", []).append(_("Each option must be different."))
    if poll.kind != PollKind.YES_NO and len(labels) < 2:
        errors.setdefault("options", []).append(_("Give at least two options."))
    if poll.kind in (PollKind.ELECTION, PollKind.RANKED) and poll.seats >= max(len(labels), 1):
        errors.setdefault("seats", []).append(_("There must be more candidates than seats."))
    if poll.kind not in (PollKind.ELECTION, PollKind.RANKED, PollKind.MAJORITY_JUDGMENT):
        poll.seats = 1
    if poll.kind == PollKind.MULTIPLE:
        top = poll.max_choices or len(labels)
        if poll.min_choices > top or top > max(len(labels), 1):
            errors.setdefault("max_choices", []).append(
                _("The minimum and maximum choices must fit the number of options.")
            )
    else:
        poll.min_choices, poll.max_choices = 0, None
    if poll.kind == PollKind.MAJORITY_JUDGMENT:
        poll.grades = [g.strip() for g in (poll.grades or results.DEFAULT_GRADES) if g.strip()]
        if len(poll.grades) < 2 or len(set(poll.grades)) != len(poll.grades):
            errors.setdefault("grades", []).append(_("Give at least two different grades."))
    else:
        poll.grades = []
    if poll.is_secret and poll.allow_vote_change:
        errors.setdefault("allow_vote_change", []).append(SECRET_NO_CHANGE)
    if poll.majority_rule == MajorityRule.CUSTOM and poll.majority_fraction is None:
        errors.setdefault("majority_fraction", []).append(
            _("Give the fraction for a custom majority.")
        )
    if errors:
        raise ValidationError(errors)
    poll.full_clean(exclude=["association", "assembly", "agenda_item"])


def _save_options(poll: Poll, options: Sequence[str]) -> None:
    poll.options.all().delete()
    if poll.kind == PollKind.YES_NO:
        return
    labels = _labels(options)
    PollOption.objects.bulk_create(
        PollOption(association_id=poll.association_id, poll=poll, label=label, position=i)
        for i, label in enumerate(labels)
    )


POLL_FIELDS = (
    "title",
    "resolution",
    "kind",
    "seats",
    "min_choices",
    "max_choices",
    "is_secret",
    "allow_vote_change",
    "majority_rule",
    "majority_fraction",
    "blank_counts_as_cast",
    "abstention_counts_as_cast",
    "grades",
    "agenda_item",
)


@in_association_scope
@transaction.atomic
def poll_create(
    *,
    association: Association,
    actor: User,
    assembly: Assembly,
    title: str,
    kind: str,
    options: Sequence[str] = (),
    resolution: str = "",
    seats: int = 1,
    min_choices: int = 0,
    max_choices: int | None = None,
    is_secret: bool | None = None,
    allow_vote_change: bool = False,
    majority_rule: str | None = None,
    majority_fraction: Decimal | None = None,
    blank_counts_as_cast: bool | None = None,
    abstention_counts_as_cast: bool | None = None,
    grades: Sequence[str] | None = None,
    agenda_item: AgendaItem | None = None,
) -> Poll:
    """A poll on ``assembly``; unset rules come from the statutes (an extraordinary
    assembly takes the extraordinary majority; ``is_secret`` None: elections by
    secret ballot, resolutions as the statutes say)."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly, agenda_item)
    defaults = default_rules(association=association, assembly=assembly)
    if is_secret is None:
        is_secret = default_secrecy(
            kind=kind, resolutions_secret_ballot=defaults["resolutions_secret_ballot"]
        )
    poll = Poll(
        association=association,
        assembly=assembly,
        agenda_item=agenda_item,
        title=title,
        resolution=resolution,
        kind=kind,
        seats=seats,
        min_choices=min_choices,
        max_choices=max_choices,
        is_secret=is_secret,
        allow_vote_change=allow_vote_change,
        majority_rule=majority_rule or defaults["majority_rule"],
        majority_fraction=(majority_fraction if majority_rule else defaults["majority_fraction"]),
        blank_counts_as_cast=(
            defaults["blank_counts_as_cast"]
            if blank_counts_as_cast is None
            else blank_counts_as_cast
        ),
        abstention_counts_as_cast=(
            defaults["abstention_counts_as_cast"]
            if abstention_counts_as_cast is None
            else abstention_counts_as_cast
        ),
        grades=list(grades or []),
    )
    _validate(poll, options)
    poll.save()
    _save_options(poll, options)
    audit_log(
        association=association,
        actor=actor,
        action="governance.poll_created",
        obj=poll,
        data={"assembly": assembly.pk, "kind": kind, "secret": is_secret},
    )
    return poll


def _locked(poll: Poll) -> Poll:
    return (
        Poll.objects.select_for_update(of=("self",))
        .select_related("assembly", "association")
        .get(pk=poll.pk)
    )


@in_association_scope
@transaction.atomic
def poll_update(
    *, association: Association, actor: User, poll: Poll, options: Sequence[str], **fields: Any
) -> Poll:
    """Changes a poll that has not been opened yet (options replaced)."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, poll, fields.get("agenda_item"))
    poll = _locked(poll)
    if poll.status != PollStatus.CREATED:
        raise ValidationError(_("A poll can no longer be changed once it has been opened."))
    unknown = set(fields) - set(POLL_FIELDS)
    if unknown:
        raise TypeError(f"unknown poll fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(poll, name, value)
    if poll.is_secret is None:  # as the statutes say, for the poll's (new) kind
        statutes = _statutes(association)
        poll.is_secret = default_secrecy(
            kind=poll.kind, resolutions_secret_ballot=statutes.resolutions_secret_ballot
        )
    _validate(poll, options)
    poll.save()
    _save_options(poll, options)
    audit_log(association=association, actor=actor, action="governance.poll_updated", obj=poll)
    return poll


@in_association_scope
@transaction.atomic
def poll_delete(*, association: Association, actor: User, poll: Poll) -> None:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, poll)
    poll = _locked(poll)
    if poll.status != PollStatus.CREATED:
        raise ValidationError(_("Only a poll that has not been opened can be deleted."))
    audit_log(association=association, actor=actor, action="governance.poll_deleted", obj=poll)
    poll.delete()


@in_association_scope
@transaction.atomic
def poll_open(*, association: Association, actor: User, poll: Poll) -> Poll:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, poll)
    poll = _locked(poll)
    if poll.status != PollStatus.CREATED:
        raise ValidationError(_("Only a poll that has not been opened yet can be opened."))
    poll.status = PollStatus.OPEN
    poll.opened_at = timezone.now()
    poll.save(update_fields=["status", "opened_at", "updated_at"])
    audit_log(association=association, actor=actor, action="governance.poll_opened", obj=poll)
    return poll


def _quorum(poll: Poll, present: int) -> dict | None:
    assembly = poll.assembly
    if assembly is None:
        return None
    statutes = _statutes(poll.association)
    fraction = (
        assembly.quorum_fraction
        if assembly.quorum_fraction is not None
        else statutes.quorum_fraction
    )
    waived = bool(assembly.is_second_convocation and statutes.second_convocation_without_quorum)
    return results.quorum_statement(
        present_or_represented=present,
        roll_weight=selectors.roll_weight(assembly=assembly),
        fraction=fraction,
        waived=waived,
    )


def poll_count(*, poll: Poll) -> dict:
    """Counts the poll's ballots and room counts (no write)."""
    present = selectors.present_or_represented_weight(assembly=poll.assembly)
    spec = results.spec_for_poll(poll, PollOption.objects.filter(poll=poll))
    return results.compute_result(
        spec,
        selectors.ballots_for_count(poll=poll),
        room_counts=poll.room_counts,
        present_or_represented=present,
        quorum=_quorum(poll, present),
    )


@in_association_scope
@transaction.atomic
def poll_close(*, association: Association, actor: User, poll: Poll) -> Poll:
    """Stops the vote and freezes the count. The row lock waits for the casts in
    progress (they hold a shared lock on the poll), so none is left out."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, poll)
    poll = _locked(poll)
    if poll.status != PollStatus.OPEN:
        raise ValidationError(_("Only an open poll can be closed."))
    if poll.room_counts:
        spec = results.spec_for_poll(poll, PollOption.objects.filter(poll=poll))
        excess = _room_excess(poll, spec, poll.room_counts)
        if excess is not None:
            raise ValidationError(
                _(
                    "The room's counts give more votes than the room can: votes counted in "
                    "the room: %(count)s; members present or represented in the room who have "
                    "not voted online: %(limit)s (voted online since: %(voted)s). Correct the "
                    "room's counts before closing the vote."
                )
                % excess
            )
    poll.status = PollStatus.CLOSED
    poll.closed_at = timezone.now()
    poll.result = poll_count(poll=poll)
    poll.save(update_fields=["status", "closed_at", "result", "updated_at"])
    audit_log(
        association=association,
        actor=actor,
        action="governance.poll_closed",
        obj=poll,
        data={"ballots": poll.result["ballots"], "winners": poll.result["winners"]},
    )
    return poll


@in_association_scope
@transaction.atomic
def poll_publish(*, association: Association, actor: User, poll: Poll) -> Poll:
    """Publishes the result and the ballot list, and forgets the idempotency keys
    (they tie a user to a receipt)."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, poll)
    poll = _locked(poll)
    if poll.status != PollStatus.CLOSED:
        raise ValidationError(_("Only a closed poll can be published."))
    poll.status = PollStatus.PUBLISHED
    poll.published_at = timezone.now()
    poll.save(update_fields=["status", "published_at", "updated_at"])
    forget_responses(association=association, scope_prefix=idempotency_scope_prefix(poll))
    audit_log(association=association, actor=actor, action="governance.poll_published", obj=poll)
    return poll


@in_association_scope
@transaction.atomic
def poll_set_room_counts(
    *, association: Association, actor: User, poll: Poll, counts: Mapping[str, int]
) -> Poll:
    """The room's counts per option (show of hands or counted paper ballots) of a
    hybrid or in-person assembly, for yes/no, single, multiple, approval and election
    polls; ``blank`` counts blank paper ballots, and ``ballots`` the paper ballots
    (blank ones included) where a ballot may name several options, which it must
    then give. Replaces the previous counts. Refused when the counts cannot be
    ballots of this poll, or when they exceed the members who can still be counted
    in the room (:func:`selectors.room_voters`)."""
    check_permission(association=association, actor=actor, permission=Perm.RECORD_FOR_MEMBERS)
    ensure_same_association(association, poll)
    poll = _locked(poll)
    if poll.kind not in results.ROOM_COUNT_KINDS:
        raise ValidationError(_("Enter the room's paper ballots of this kind of poll one by one."))
    if poll.status not in (PollStatus.OPEN,):
        raise ValidationError(_("The room's counts are entered while the poll is open."))
    spec = results.spec_for_poll(poll, PollOption.objects.filter(poll=poll))
    clean = _room_counts_clean(spec, counts)
    _check_room_ballots(spec, clean)
    _check_room_voters(poll, spec, clean)
    poll.room_counts = clean
    poll.save(update_fields=["room_counts", "updated_at"])
    # Room counts are public in the room; kept in the audit log as entered.
    audit_log(
        association=association,
        actor=actor,
        action="governance.poll_room_counts_set",
        obj=poll,
        data={"counts": clean},
    )
    return poll


def _room_counts_clean(spec: results.PollSpec, counts: Mapping[str, Any]) -> dict[str, int]:
    allowed = set(spec.keys) | {"blank"}
    if spec.kind in results.MULTI_MARK_KINDS:
        allowed.add("ballots")
    clean: dict[str, int] = {}
    for key, value in counts.items():
        if str(key) not in allowed:
            raise ValidationError(_("Unknown option in the room's counts."))
        number = _whole_number(value)
        if number is None:
            raise ValidationError(_("Counts must be whole numbers, zero or more."))
        if number:
            clean[str(key)] = number
    if spec.kind in results.MULTI_MARK_KINDS and clean and "ballots" not in clean:
        raise ValidationError(
            _(
                "Give the number of ballots counted in the room, blank ones included: a "
                "ballot may name several candidates, so the marks are not the ballots."
            )
        )
    return clean


def _whole_number(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None


def _check_room_ballots(spec: results.PollSpec, counts: Mapping[str, int]) -> None:
    """Marks that paper ballots of this poll can carry (kinds naming several options)."""
    if "ballots" not in counts:
        return
    ballots, blank = counts["ballots"], counts.get("blank", 0)
    if blank > ballots:
        raise ValidationError(
            _(
                "Blank ballots: %(blank)s; ballots: %(ballots)s. There cannot be more "
                "blank ballots than ballots."
            )
            % {"blank": blank, "ballots": ballots}
        )
    filled = ballots - blank
    for key, label in spec.labels.items():
        if counts.get(key, 0) > filled:
            raise ValidationError(
                _(
                    "Marks for %(label)s: %(marks)s; ballots that are not blank: %(filled)s. "
                    "A ballot names a candidate once at most."
                )
                % {"label": label, "marks": counts[key], "filled": filled}
            )
    marks = sum(counts.get(key, 0) for key in spec.keys)
    least, most = spec.marks_per_ballot()
    values = {"marks": marks, "filled": filled, "most": most, "max": most * filled}
    if marks > most * filled:
        raise ValidationError(
            ngettext(
                "%(marks)s marks for %(filled)s ballots that are not blank: a ballot names "
                "at most %(most)s candidate, so there can be at most %(max)s marks.",
                "%(marks)s marks for %(filled)s ballots that are not blank: a ballot names "
                "at most %(most)s candidates, so there can be at most %(max)s marks.",
                most,
            )
            % values
        )
    if marks < least * filled:
        raise ValidationError(
            ngettext(
                "%(marks)s marks for %(filled)s ballots that are not blank: a ballot that "
                "is not blank names at least %(least)s candidate, so there must be at "
                "least %(min)s marks.",
                "%(marks)s marks for %(filled)s ballots that are not blank: a ballot that "
                "is not blank names at least %(least)s candidates, so there must be at "
                "least %(min)s marks.",
                least,
            )
            % {**values, "least": least, "min": least * filled}
        )


def _room_excess(poll: Poll, spec: results.PollSpec, counts: Mapping[str, int]) -> dict | None:
    """The figures when the counts exceed who can still be counted in the room."""
    count = results.room_ballot_count(spec, counts)
    room = selectors.room_voters(poll=poll)
    if count <= room.limit:
        return None
    return {
        "count": count,
        "limit": room.limit,
        "present": room.present_or_represented,
        "voted": room.voted_on_platform,
    }


def _check_room_voters(poll: Poll, spec: results.PollSpec, counts: Mapping[str, int]) -> None:
    excess = _room_excess(poll, spec, counts)
    if excess is None:
        return
    if excess["voted"]:
        text = _(
            "Votes in the room's count: %(count)s; the most the room can give: %(limit)s "
            "(members present or represented in the room: %(present)s, less those who "
            "already voted online: %(voted)s)."
        )
    else:
        text = _(
            "Votes in the room's count: %(count)s; the most the room can give: %(limit)s "
            "(members present or represented in the room: %(present)s; check in the "
            "members who are there on the attendance sheet)."
        )
    raise ValidationError(text % excess)
