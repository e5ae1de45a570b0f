"""Writes of engagements: a helper's offer on a help request, and the steps after it.

    offered → accepted → in progress → delivered → closed
    offered → declined (the association, with a reason)
    offered / accepted / in progress → withdrawn (the helper)

Three kinds of helpers offer: a skills volunteer (a signed-in person with a
volunteer profile), a company's coordinator naming employees it lends, a network's
staff member for an association of that network — each only on a request asked of
their audience, and once while their offer runs. The association's side is acted by
the people who manage its help requests (``Perm.MANAGE_ASSOCIATION``, as the
requests themselves); the helper's side by the volunteer, the company's
coordinators, the network's team.

Every step is a service: it checks who acts, locks the row, checks the status
(anything else is a ``ValidationError`` with a sentence, never a crash), writes the
association's audit entry (and the network's log for a network's engagement), and
tells the other side by email after the commit. The first answer of the
association — a message, an acceptance, a refusal — sets ``first_response_at``,
read by the response rate and median response time. Closing needs a handover (a
document or notes, against single-person dependency) and updates the plan action
the request came from, through the strategy module's services."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ObjectOutsideAssociation, ensure_same_association
from maillon.members.permissions import Perm, check_permission

from ...audit import network_log
from ...models import Network
from ...networks.selectors import my_network_role
from ..companies.selectors import is_company_coordinator
from ..models import (
    Company,
    Engagement,
    EngagementKind,
    EngagementMessage,
    EngagementStatus,
    HelpAudience,
    HelpRequest,
    HelpRequestStatus,
    LentEmployee,
)
from .selectors import (
    OPEN_STATUSES,
    WITHDRAWABLE_STATUSES,
    helper_label,
    is_member_of_network_across_associations,
)
from .tasks import TO_ASSOCIATION, TO_HELPER, send_engagement_email

MANAGE = Perm.MANAGE_ASSOCIATION
S = EngagementStatus

# The handover document: the same kinds and limit as an assembly's documents.
MAX_HANDOVER_SIZE = 10 * 1024 * 1024
HANDOVER_EXTENSIONS = frozenset(
    {".pdf", ".odt", ".ods", ".odp", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx",
     ".txt", ".csv", ".md", ".png", ".jpg", ".jpeg"}
)  # fmt: skip

AUDIENCE_OF_KIND: dict[str, str] = {
    EngagementKind.VOLUNTEER: HelpAudience.VOLUNTEERS,
    EngagementKind.COMPANY: HelpAudience.COMPANIES,
    EngagementKind.NETWORK: HelpAudience.NETWORKS,
}


def _not_asked(kind: str) -> str:
    messages: dict[str, str] = {
        EngagementKind.VOLUNTEER: _("This request is not asked of skills volunteers."),
        EngagementKind.COMPANY: _(
            "This request is not asked of companies: the association did not choose skills "
            "sponsorship for it."
        ),
        EngagementKind.NETWORK: _("This request is not asked of the association’s networks."),
    }
    return messages[kind]


def _notify(engagement: Engagement, *, event: str, to: str, message_id: int | None = None):
    association_id, engagement_id = engagement.association_id, engagement.pk
    transaction.on_commit(
        lambda: send_engagement_email.enqueue(
            association_id=association_id,
            event=event,
            to=to,
            engagement_id=engagement_id,
            message_id=message_id,
        )
    )


def _log(engagement: Engagement, *, actor: Any, action: str, data: dict | None = None) -> None:
    """The association's audit entry; a network's engagement is written in the
    network's log too (as every change between a network and an association)."""
    payload = {
        "help_request": engagement.help_request_id,
        "kind": engagement.kind,
        "status": engagement.status,
        **(data or {}),
    }
    association = engagement.association
    with scope(association=association):
        audit_log(association=association, actor=actor, action=action, obj=engagement, data=payload)
    if engagement.network is not None:
        network_log(
            network=engagement.network,
            actor=actor,
            action=action,
            association=association,
            data={"association": association.slug, **payload},
        )


# --- offers ----------------------------------------------------------------------------------


def _helper_condition(kind: str, actor: Any, company: Company | None, network: Network | None) -> Q:
    if kind == EngagementKind.COMPANY:
        return Q(kind=kind, company=company)
    if kind == EngagementKind.NETWORK:
        return Q(kind=kind, network=network)
    return Q(kind=kind, offered_by=actor)


def _check_helper(
    *,
    kind: str,
    actor: Any,
    help_request: HelpRequest,
    company: Company | None,
    network: Network | None,
    employees: list[LentEmployee],
) -> None:
    if kind == EngagementKind.VOLUNTEER:
        from maillon.volunteering.profiles.selectors import profile_of

        if profile_of(actor) is None:
            raise ValidationError(
                _("Fill in your volunteer profile first: the association reads your skills there.")
            )
    elif kind == EngagementKind.COMPANY:
        if company is None or not is_company_coordinator(company=company, user=actor):
            raise PermissionDenied
        if not employees:
            raise ValidationError({"employees": _("Name at least one employee you lend.")})
        if any(e.company_id != company.pk for e in employees):
            raise PermissionDenied
        if any(not e.is_active for e in employees):
            raise ValidationError(
                {"employees": _("An employee you named is no longer offered by the company.")}
            )
    elif kind == EngagementKind.NETWORK:
        if network is None or not network.is_active:
            raise PermissionDenied
        if my_network_role(network=network, user=actor) is None:
            raise PermissionDenied
        if not is_member_of_network_across_associations(
            association_id=help_request.association_id, network=network
        ):
            raise ValidationError(
                _("%(association)s is not a member of %(network)s.")
                % {"association": help_request.association.name, "network": network.name}
            )
    else:
        raise ValidationError(_("Unknown kind of help."))


@transaction.atomic
def engagement_offer(
    *,
    actor: Any,
    help_request: HelpRequest,
    kind: str,
    message: str,
    company: Company | None = None,
    network: Network | None = None,
    employees: Iterable[LentEmployee] = (),
    hours_offered: Decimal | None = None,
    start_date: datetime.date | None = None,
) -> Engagement:
    """A helper offers to do the work a help request asks for."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    employees = list(employees)
    association = help_request.association
    with scope(association=association):
        # The request's row lock makes two offers of the same helper run one after
        # the other: the second sees the first and is refused.
        help_request = (
            HelpRequest.objects.select_for_update(of=("self",))
            .select_related("association")
            .get(pk=help_request.pk)
        )
        if help_request.status != HelpRequestStatus.OPEN:
            raise ValidationError(_("This request is closed: it takes no more offers."))
        if kind in AUDIENCE_OF_KIND and AUDIENCE_OF_KIND[kind] not in (
            help_request.audiences or []
        ):
            raise ValidationError(_not_asked(kind))
        _check_helper(
            kind=kind,
            actor=actor,
            help_request=help_request,
            company=company,
            network=network,
            employees=employees,
        )
        message = (message or "").strip()
        if not message:
            raise ValidationError({"message": _("Say what you offer to do.")})
        if start_date is not None and start_date < timezone.localdate():
            raise ValidationError({"start_date": _("This date is in the past.")})
        helper = _helper_condition(kind, actor, company, network)
        if Engagement.objects.filter(
            helper, help_request=help_request, status__in=OPEN_STATUSES
        ).exists():
            raise ValidationError(
                _(
                    "You already have an offer running on this request: write to the "
                    "association in its thread."
                )
            )
        engagement = Engagement(
            association=association,
            help_request=help_request,
            kind=kind,
            offered_by=actor,
            company=company if kind == EngagementKind.COMPANY else None,
            network=network if kind == EngagementKind.NETWORK else None,
            message=message,
            hours_offered=hours_offered,
            start_date=start_date,
            offered_at=timezone.now(),
        )
        engagement.full_clean(exclude=["association", "help_request", "offered_by"])
        engagement.save()
        if employees:
            engagement.employees.set(employees)
    _log(
        engagement,
        actor=actor,
        action="network.engagement_offered",
        data={"employees": [e.pk for e in employees]},
    )
    _notify(engagement, event="offered", to=TO_ASSOCIATION)
    return engagement


# --- who acts ----------------------------------------------------------------------------------


def is_helper(*, engagement: Engagement, user: Any) -> bool:
    """``user`` speaks for the helper of ``engagement``."""
    if not getattr(user, "is_authenticated", False):
        return False
    if engagement.kind == EngagementKind.COMPANY:
        company = engagement.company
        return company is not None and is_company_coordinator(company=company, user=user)
    if engagement.kind == EngagementKind.NETWORK:
        network = engagement.network
        return (
            network is not None
            and network.is_active
            and my_network_role(network=network, user=user) is not None
        )
    return engagement.offered_by_id == user.pk


def _side(association: Association | None, actor: Any, engagement: Engagement) -> str:
    """Check that ``actor`` may act on ``engagement``: for the association when
    ``association`` is given (its manager), for the helper otherwise."""
    if association is not None:
        check_permission(association=association, actor=actor, permission=MANAGE)
        ensure_same_association(association, engagement)
        return TO_HELPER  # the side to tell
    if not is_helper(engagement=engagement, user=actor):
        raise ObjectOutsideAssociation
    return TO_ASSOCIATION


def _lock(engagement: Engagement, *, allowed: Iterable[str]) -> Engagement:
    with scope(association=engagement.association_id):
        locked = (
            Engagement.objects.select_for_update(of=("self",))
            .select_related("association", "help_request", "company", "network", "offered_by")
            .get(pk=engagement.pk)
        )
    if locked.status not in allowed:
        raise ValidationError(
            _("This engagement is %(status)s: this step is not possible.")
            % {"status": locked.get_status_display().lower()}
        )
    return locked


def _save(engagement: Engagement, fields: list[str]) -> None:
    with scope(association=engagement.association_id):
        engagement.save(update_fields=[*fields, "updated_at"])


def _answered(engagement: Engagement, now: datetime.datetime, fields: list[str]) -> None:
    if engagement.first_response_at is None:
        engagement.first_response_at = now
        fields.append("first_response_at")


def _step(
    engagement: Engagement,
    *,
    actor: Any,
    to: str,
    allowed: Iterable[str],
    target: str,
    at_field: str | None,
    extra: dict | None = None,
    answers: bool = False,
) -> Engagement:
    engagement = _lock(engagement, allowed=allowed)
    now = timezone.now()
    before = engagement.status
    engagement.status = target
    fields = ["status"]
    if at_field:
        setattr(engagement, at_field, now)
        fields.append(at_field)
    for name, value in (extra or {}).items():
        setattr(engagement, name, value)
        fields.append(name)
    if answers:
        _answered(engagement, now, fields)
    _save(engagement, fields)
    _log(
        engagement,
        actor=actor,
        action=f"network.engagement_{target}",
        data={"from": before, "to": target},
    )
    _notify(engagement, event=target if target != S.IN_PROGRESS else "started", to=to)
    return engagement


# --- the association's answer --------------------------------------------------------------


@transaction.atomic
def engagement_accept(
    *, association: Association, actor: Any, engagement: Engagement
) -> Engagement:
    to = _side(association, actor, engagement)
    return _step(
        engagement,
        actor=actor,
        to=to,
        allowed=(S.OFFERED,),
        target=S.ACCEPTED,
        at_field="accepted_at",
        answers=True,
    )


@transaction.atomic
def engagement_decline(
    *, association: Association, actor: Any, engagement: Engagement, reason: str
) -> Engagement:
    to = _side(association, actor, engagement)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the helper a reason: it helps them next time.")})
    return _step(
        engagement,
        actor=actor,
        to=to,
        allowed=(S.OFFERED,),
        target=S.DECLINED,
        at_field=None,
        extra={"decline_reason": reason},
        answers=True,
    )


# --- the helper's withdrawal -----------------------------------------------------------------


@transaction.atomic
def engagement_withdraw(*, actor: Any, engagement: Engagement) -> Engagement:
    to = _side(None, actor, engagement)
    return _step(
        engagement,
        actor=actor,
        to=to,
        allowed=WITHDRAWABLE_STATUSES,
        target=S.WITHDRAWN,
        at_field=None,
    )


# --- the work: either side -----------------------------------------------------------------


@transaction.atomic
def engagement_start(
    *, actor: Any, engagement: Engagement, association: Association | None = None
) -> Engagement:
    """The work begins (said by the association or the helper)."""
    to = _side(association, actor, engagement)
    return _step(
        engagement,
        actor=actor,
        to=to,
        allowed=(S.ACCEPTED,),
        target=S.IN_PROGRESS,
        at_field="started_at",
    )


@transaction.atomic
def engagement_deliver(
    *, actor: Any, engagement: Engagement, outcome: str, association: Association | None = None
) -> Engagement:
    """The work is handed over (said by the helper or the association)."""
    to = _side(association, actor, engagement)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError({"outcome": _("Say what was delivered.")})
    return _step(
        engagement,
        actor=actor,
        to=to,
        allowed=(S.IN_PROGRESS,),
        target=S.DELIVERED,
        at_field="delivered_at",
        extra={"outcome": outcome},
    )


# --- closing -------------------------------------------------------------------------------------


def validate_handover_document(file: File) -> None:
    extension = os.path.splitext(file.name or "")[1].lower()
    if extension not in HANDOVER_EXTENSIONS:
        raise ValidationError(
            {
                "handover_document": _(
                    "This kind of file is not accepted. Use one of: %(extensions)s."
                )
                % {"extensions": ", ".join(sorted(e.lstrip(".") for e in HANDOVER_EXTENSIONS))}
            }
        )
    if file.size > MAX_HANDOVER_SIZE:
        raise ValidationError(
            {
                "handover_document": _(
                    "The file is too large (%(size)s MB); the limit is %(limit)s MB."
                )
                % {
                    "size": round(file.size / 1024 / 1024, 1),
                    "limit": MAX_HANDOVER_SIZE // 1024 // 1024,
                }
            }
        )


def _plan_note(engagement: Engagement, handover: str) -> str:
    day = formats.date_format(timezone.localdate(), "SHORT_DATE_FORMAT")
    return _(
        "%(day)s — help request “%(request)s”: engagement of %(helper)s closed. "
        "Delivered: %(outcome)s Handover: %(handover)s"
    ) % {
        "day": day,
        "request": engagement.help_request.title,
        "helper": helper_label(engagement),
        "outcome": (engagement.outcome or "—").rstrip(".") + ".",
        "handover": handover,
    }


def _update_plan_action(
    engagement: Engagement, *, association: Association, actor: Any, mark_done: bool, handover: str
) -> str | None:
    """Write the closing in the notes of the plan action the request came from, and
    move it on (done, or at least in progress), through the strategy module's public
    services. Returns the action's new status, None without an action to update."""
    action_id = engagement.help_request.plan_action_id
    if not action_id:
        return None
    try:
        check_permission(association=association, actor=actor, permission=Perm.MANAGE_STRATEGY)
    except PermissionDenied:
        return None  # the plan is not theirs to change: the closing stands without it
    from maillon.strategy.plan.selectors import action_get
    from maillon.strategy.plan.services import action_set_status, action_update

    try:
        action = action_get(association=association, action_id=action_id)
    except Http404:
        return None  # the action was deleted since
    if action.status == "dropped":
        return None
    note = _plan_note(engagement, handover)
    notes = f"{action.notes.rstrip()}\n\n{note}" if action.notes.strip() else note
    action = action_update(association=association, actor=actor, action=action, notes=notes)
    target = "done" if mark_done else ("in_progress" if action.status == "planned" else None)
    if target and action.status != target:
        action = action_set_status(
            association=association, actor=actor, action=action, status=target
        )
    return action.status


@transaction.atomic
def engagement_close(
    *,
    association: Association,
    actor: Any,
    engagement: Engagement,
    handover_document: File | None = None,
    handover_notes: str = "",
    mark_action_done: bool = True,
) -> Engagement:
    """The association closes delivered work. A handover — a document (a procedure,
    access codes kept safe, a user guide) or written notes — is required, so that the
    work does not rest on the helper alone. The plan action the request came from
    gets a note, and is marked done unless ``mark_action_done`` is false."""
    to = _side(association, actor, engagement)
    handover_notes = (handover_notes or "").strip()
    if handover_document is None and not handover_notes:
        raise ValidationError(
            _(
                "Add a handover document or write handover notes before closing: the work "
                "must not rest on one person."
            )
        )
    if handover_document is not None:
        validate_handover_document(handover_document)
        handover_document.name = os.path.basename(handover_document.name or "")
    engagement = _lock(engagement, allowed=(S.DELIVERED,))
    fields = ["status", "closed_at", "handover_notes"]
    engagement.status = S.CLOSED
    engagement.closed_at = timezone.now()
    engagement.handover_notes = handover_notes
    if handover_document is not None:
        engagement.handover_document = handover_document
        fields.append("handover_document")
    _save(engagement, fields)
    handover = handover_notes or _("document “%(name)s”.") % {
        "name": os.path.basename(engagement.handover_document.name)
    }
    with scope(association=association):
        action_status = _update_plan_action(
            engagement,
            association=association,
            actor=actor,
            mark_done=mark_action_done,
            handover=handover,
        )
    _log(
        engagement,
        actor=actor,
        action="network.engagement_closed",
        data={
            "from": S.DELIVERED,
            "to": S.CLOSED,
            "handover_document": bool(handover_document),
            "plan_action": engagement.help_request.plan_action_id,
            "plan_action_status": action_status,
        },
    )
    _notify(engagement, event="closed", to=to)
    return engagement


# --- the thread ---------------------------------------------------------------------------


@transaction.atomic
def engagement_message_post(
    *, actor: Any, engagement: Engagement, body: str, association: Association | None = None
) -> EngagementMessage:
    """A message in the engagement's thread, from the association (``association``
    given) or from the helper. The association's first message is its first answer."""
    to = _side(association, actor, engagement)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    engagement = _lock(engagement, allowed=OPEN_STATUSES)
    now = timezone.now()
    from_association = association is not None
    with scope(association=engagement.association_id):
        message = EngagementMessage(
            association=engagement.association,
            engagement=engagement,
            author=actor,
            from_association=from_association,
            body=body,
        )
        message.full_clean(exclude=["association", "engagement", "author"])
        message.save()
    fields: list[str] = []
    if from_association:
        _answered(engagement, now, fields)
    _save(engagement, fields)
    _log(
        engagement,
        actor=actor,
        action="network.engagement_message_sent"
        if from_association
        else "network.engagement_message_received",
        data={"message_id": message.pk},
    )
    _notify(engagement, event="message", to=to, message_id=message.pk)
    return message
