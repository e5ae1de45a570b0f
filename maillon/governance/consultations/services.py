"""Consultations between assemblies: member proposals (with supports and comments)
that reach the next general assembly's agenda, and quick polls outside assemblies
(e.g. a date poll to choose a meeting date).

Proposals
    ``ProposalStatus.ON_AGENDA`` means "accepted for the agenda of the next general
    assembly". When the support threshold of the statutes is reached, the proposal
    becomes ON_AGENDA and an agenda item is added to the next general assembly still
    in preparation (draft or convened, starting in the future). When there is none,
    the proposal waits (ON_AGENDA with no agenda item) until the bureau attaches the
    waiting proposals to a new assembly (``proposals_attach_waiting``).

Quick polls
    They reuse ``Poll`` with ``assembly=None``, kind "approval", one option per
    choice. They are consultative and open (``is_secret=False``): there is no
    electoral roll, so no ``RollEntry`` and no ``Participation``. An answer is one
    ``Ballot`` row with ``entry=None``; one answer per person is guaranteed by the
    one idempotency store (``maillon.core.idempotency``): its unique key (user,
    scope "quickpoll:<poll id>", key "answer") keeps the ballot's receipt.
    Answering again replaces the choice of that same ballot while the poll is open.
    This key links a user to their answer: that is acceptable only because quick
    polls are not secret; see docs/governance-threat-model.md.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.idempotency import KeyTaken, store_response, stored_response
from maillon.core.tenancy import ensure_same_association
from maillon.members.models import Person
from maillon.members.permissions import Perm, check_permission

from ..models import (
    AgendaItem,
    Assembly,
    Ballot,
    Poll,
    PollKind,
    PollOption,
    PollStatus,
    Proposal,
    ProposalComment,
    ProposalStatus,
    ProposalSupport,
)
from .selectors import (
    GENERAL_ASSEMBLY_KINDS,
    PREPARATION_STATUSES,
    next_general_assembly,
    quick_poll_counts,
    waiting_proposals,
)

QUICK_POLL_KEY = "answer"


def quick_poll_scope(poll: Poll) -> str:
    return f"quickpoll:{poll.pk}"


def _person_of(*, association: Association, actor: User) -> Person:
    person = Person.objects.filter(
        association=association, user=actor, left_on__isnull=True
    ).first()
    if person is None:
        raise ValidationError(_("You are not a member of this association."))
    return person


# --- proposals ---------------------------------------------------------------------------


@transaction.atomic
def proposal_create(*, association: Association, actor: User, title: str, body: str) -> Proposal:
    check_permission(association=association, actor=actor, permission=Perm.TAKE_PART)
    proposal = Proposal(
        association=association,
        author=_person_of(association=association, actor=actor),
        title=title.strip(),
        body=body.strip(),
    )
    proposal.full_clean()
    proposal.save()
    audit_log(association=association, actor=actor, action="proposal.create", obj=proposal)
    return proposal


def _add_to_agenda(
    *, association: Association, proposal: Proposal, assembly: Assembly
) -> AgendaItem:
    # Lock the assembly so two proposals crossing their threshold together get
    # different positions.
    Assembly.objects.select_for_update().filter(pk=assembly.pk).first()
    last = AgendaItem.objects.filter(assembly=assembly).aggregate(m=Max("position"))["m"]
    item = AgendaItem(
        association=association,
        assembly=assembly,
        position=(last or 0) + 1,
        title=proposal.title,
        description=proposal.body,
        proposal=proposal,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def proposal_support(*, association: Association, actor: User, proposal: Proposal) -> Proposal:
    """Support ``proposal`` (once). Reaching the statutes' threshold puts it on the
    agenda of the next general assembly, or makes it wait for one."""
    check_permission(association=association, actor=actor, permission=Perm.TAKE_PART)
    ensure_same_association(association, proposal)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError(_("This proposal no longer collects support."))
    person = _person_of(association=association, actor=actor)
    try:
        with transaction.atomic():
            ProposalSupport.objects.create(
                association=association, proposal=proposal, person=person
            )
    except IntegrityError:
        raise ValidationError(_("You already support this proposal.")) from None
    audit_log(association=association, actor=actor, action="proposal.support", obj=proposal)

    supports = ProposalSupport.objects.filter(proposal=proposal).count()
    if supports >= association.statutes.proposal_support_threshold:
        proposal.status = ProposalStatus.ON_AGENDA
        proposal.save(update_fields=["status", "updated_at"])
        assembly = next_general_assembly(association=association)
        data = {"supports": supports}
        if assembly is not None:
            item = _add_to_agenda(association=association, proposal=proposal, assembly=assembly)
            data |= {"assembly": assembly.pk, "agenda_item": item.pk}
        audit_log(
            association=association,
            actor=actor,
            action="proposal.on_agenda" if assembly else "proposal.waiting_for_assembly",
            obj=proposal,
            data=data,
        )
    return proposal


@transaction.atomic
def proposal_unsupport(*, association: Association, actor: User, proposal: Proposal) -> Proposal:
    check_permission(association=association, actor=actor, permission=Perm.TAKE_PART)
    ensure_same_association(association, proposal)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.OPEN:
        raise ValidationError(_("Support can only be withdrawn while the proposal is open."))
    person = _person_of(association=association, actor=actor)
    deleted, _rows = ProposalSupport.objects.filter(proposal=proposal, person=person).delete()
    if not deleted:
        raise ValidationError(_("You do not support this proposal."))
    audit_log(association=association, actor=actor, action="proposal.unsupport", obj=proposal)
    return proposal


@transaction.atomic
def proposal_comment_add(
    *, association: Association, actor: User, proposal: Proposal, body: str
) -> ProposalComment:
    check_permission(association=association, actor=actor, permission=Perm.TAKE_PART)
    ensure_same_association(association, proposal)
    if proposal.status == ProposalStatus.WITHDRAWN:
        raise ValidationError(_("This proposal has been withdrawn."))
    comment = ProposalComment(
        association=association,
        proposal=proposal,
        author=_person_of(association=association, actor=actor),
        body=body.strip(),
    )
    comment.full_clean()
    comment.save()
    audit_log(
        association=association,
        actor=actor,
        action="proposal.comment",
        obj=proposal,
        data={"comment": comment.pk},
    )
    return comment


@transaction.atomic
def proposals_attach_waiting(
    *, association: Association, actor: User, assembly: Assembly
) -> list[AgendaItem]:
    """Add every proposal waiting for a general assembly to ``assembly``'s agenda."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    ensure_same_association(association, assembly)
    if (
        assembly.kind not in GENERAL_ASSEMBLY_KINDS
        or assembly.status not in PREPARATION_STATUSES
        or assembly.starts_at <= timezone.now()
    ):
        raise ValidationError(
            _("Proposals can only be added to a general assembly that is still in preparation.")
        )
    items = []
    for proposal in waiting_proposals(association=association).select_for_update():
        items.append(_add_to_agenda(association=association, proposal=proposal, assembly=assembly))
    if items:
        audit_log(
            association=association,
            actor=actor,
            action="proposal.attach_waiting",
            obj=assembly,
            data={"proposals": [i.proposal_id for i in items]},
        )
    return items


# --- quick polls -------------------------------------------------------------------------


def _quick_poll_create(
    *, association: Association, actor: User, title: str, question: str, labels: Sequence[str]
) -> Poll:
    labels = [label.strip() for label in labels if label.strip()]
    if len(labels) < 2:
        raise ValidationError({"options": _("Give at least two choices.")})
    if len(set(labels)) != len(labels):
        raise ValidationError({"options": _("Each choice must be different.")})
    now = timezone.now()
    poll = Poll(
        association=association,
        assembly=None,
        title=title.strip(),
        resolution=question.strip(),
        kind=PollKind.APPROVAL,
        is_secret=False,
        allow_vote_change=True,
        min_choices=0,
        max_choices=None,
        status=PollStatus.OPEN,
        opened_at=now,
    )
    poll.full_clean()
    poll.save()
    options = [
        PollOption(association=association, poll=poll, label=label, position=i)
        for i, label in enumerate(labels, start=1)
    ]
    for option in options:
        option.full_clean(exclude=["poll"])
    PollOption.objects.bulk_create(options)
    audit_log(
        association=association,
        actor=actor,
        action="quick_poll.create",
        obj=poll,
        data={"options": labels},
    )
    return poll


@transaction.atomic
def quick_poll_create(
    *, association: Association, actor: User, title: str, question: str = "", labels: Sequence[str]
) -> Poll:
    """A consultative poll outside any assembly: members tick the choices that suit
    them."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    return _quick_poll_create(
        association=association, actor=actor, title=title, question=question, labels=labels
    )


def date_label(moment: datetime.datetime, *, time_zone: str) -> str:
    local = timezone.localtime(moment, zoneinfo.ZoneInfo(time_zone))
    return _("%(day)s %(date)s at %(time)s") % {
        "day": formats.date_format(local, "l"),
        "date": formats.date_format(local, "DATE_FORMAT"),
        "time": formats.time_format(local, "TIME_FORMAT"),
    }


@transaction.atomic
def date_poll_create(
    *,
    association: Association,
    actor: User,
    title: str,
    question: str = "",
    moments: Sequence[datetime.datetime],
) -> Poll:
    """A quick poll whose choices are candidate dates and times for a meeting."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    if any(timezone.is_naive(m) for m in moments):
        raise ValueError("candidate dates must be aware datetimes")
    labels = [date_label(m, time_zone=association.time_zone) for m in sorted(set(moments))]
    return _quick_poll_create(
        association=association, actor=actor, title=title, question=question, labels=labels
    )


def _check_quick_poll(association: Association, poll: Poll) -> None:
    ensure_same_association(association, poll)
    if poll.assembly_id is not None:
        raise ValidationError(_("This poll belongs to an assembly."))


@transaction.atomic
def quick_poll_answer(
    *, association: Association, actor: User, poll: Poll, option_ids: Sequence[int]
) -> Ballot:
    """Record (or replace) the actor's answer: the options that suit them ([] = none)."""
    check_permission(association=association, actor=actor, permission=Perm.TAKE_PART)
    _check_quick_poll(association, poll)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.status != PollStatus.OPEN:
        raise ValidationError(_("This poll is closed."))
    valid = set(PollOption.objects.filter(poll=poll).values_list("pk", flat=True))
    choice = sorted({int(i) for i in option_ids})
    if not set(choice) <= valid:
        raise ValidationError(_("Choose among the poll's options."))
    _person_of(association=association, actor=actor)
    # Answers to one poll wait for each other on the poll's row lock (above).
    scope = quick_poll_scope(poll)
    stored = stored_response(association=association, user=actor, scope=scope, key=QUICK_POLL_KEY)
    if stored is not None:
        ballot = Ballot.objects.get(poll=poll, receipt=stored["receipt"])
        ballot.choice = choice
        ballot.save(update_fields=["choice"])
        action = "quick_poll.change_answer"
    else:
        ballot = Ballot(association=association, poll=poll, choice=choice, weight=1, entry=None)
        try:
            # The key first: a concurrent second answer fails here, before any
            # ballot, and the whole transaction is rolled back (no savepoint).
            store_response(
                association=association,
                user=actor,
                scope=scope,
                key=QUICK_POLL_KEY,
                response={"receipt": ballot.receipt},
            )
        except KeyTaken:
            raise ValidationError(_("Your answer was already recorded; try again.")) from None
        ballot.save(force_insert=True)
        action = "quick_poll.answer"
    audit_log(association=association, actor=actor, action=action, obj=poll)
    return ballot


def quick_poll_my_answer(*, association: Association, actor: User, poll: Poll) -> list[int] | None:
    """The option ids the actor ticked, or None when they have not answered."""
    stored = stored_response(
        association=association, user=actor, scope=quick_poll_scope(poll), key=QUICK_POLL_KEY
    )
    if stored is None:
        return None
    ballot = Ballot.objects.filter(poll=poll, receipt=stored.get("receipt")).first()
    return list(ballot.choice) if ballot else None


@transaction.atomic
def quick_poll_close(*, association: Association, actor: User, poll: Poll) -> Poll:
    """Close the poll and freeze the counts in ``poll.result``."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSEMBLIES)
    _check_quick_poll(association, poll)
    poll = Poll.objects.select_for_update().get(pk=poll.pk)
    if poll.status != PollStatus.OPEN:
        raise ValidationError(_("This poll is already closed."))
    counts = quick_poll_counts(poll=poll)
    best = max((c.count for c in counts.options), default=0)
    poll.result = {
        "method": "approval",
        "ballots": counts.answers,
        "blank": counts.blank,
        "counts": {str(c.option.pk): c.count for c in counts.options},
        "winners": [str(c.option.pk) for c in counts.options if best and c.count == best],
        "tie": sum(1 for c in counts.options if best and c.count == best) > 1,
    }
    poll.status = PollStatus.CLOSED
    poll.closed_at = timezone.now()
    poll.save(update_fields=["result", "status", "closed_at", "updated_at"])
    audit_log(
        association=association, actor=actor, action="quick_poll.close", obj=poll, data=poll.result
    )
    return poll
