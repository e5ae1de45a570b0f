"""Writes of help requests: create, update, close; one audit entry each."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association
from maillon.members.permissions import Perm, check_permission

from .models import HelpAudience, HelpRequest, HelpRequestStatus

MANAGE = Perm.MANAGE_ASSOCIATION
FIELDS = ("title", "need", "deliverable", "format", "hours_estimate", "deadline", "audiences")


def _check(help_request: HelpRequest, skills) -> None:
    if not help_request.audiences:
        raise ValidationError(_("Choose who you ask: volunteers, companies or your networks."))
    unknown = set(help_request.audiences) - set(HelpAudience.values)
    if unknown:
        raise ValidationError(_("Unknown audience."))
    if help_request.deadline and help_request.deadline < timezone.localdate():
        raise ValidationError(_("The deadline is in the past."))
    # The creator may have erased their account since (SET_NULL): not a field to check.
    help_request.full_clean(exclude=["created_by"])


@transaction.atomic
def help_request_create(
    *,
    association: Association,
    actor: Any,
    title: str,
    need: str,
    deliverable: str,
    audiences: list[str],
    skills=(),
    format: str = "either",
    hours_estimate: Decimal | None = None,
    deadline: datetime.date | None = None,
    plan_action_id: int | None = None,
    recommendation_code: str = "",
) -> HelpRequest:
    check_permission(association=association, actor=actor, permission=MANAGE)
    with scope(association=association):
        help_request = HelpRequest(
            association=association,
            title=title,
            need=need,
            deliverable=deliverable,
            audiences=list(audiences),
            format=format,
            hours_estimate=hours_estimate,
            deadline=deadline,
            plan_action_id=plan_action_id,
            recommendation_code=recommendation_code,
            created_by=actor,
        )
        _check(help_request, skills)
        help_request.save()
        help_request.skills.set(skills)
        audit_log(
            association=association,
            actor=actor,
            action="network.help_request_created",
            obj=help_request,
            data={
                "audiences": help_request.audiences,
                "plan_action_id": plan_action_id,
                "recommendation": recommendation_code,
            },
        )
    return help_request


@transaction.atomic
def help_request_update(
    *, association: Association, actor: Any, help_request: HelpRequest, skills=None, **fields: Any
) -> HelpRequest:
    check_permission(association=association, actor=actor, permission=MANAGE)
    ensure_same_association(association, help_request)
    if help_request.status != HelpRequestStatus.OPEN:
        raise ValidationError(_("This request is closed."))
    with scope(association=association):
        changed = [n for n in FIELDS if n in fields and getattr(help_request, n) != fields[n]]
        for name in changed:
            setattr(help_request, name, fields[name])
        _check(help_request, skills)
        help_request.save()
        if skills is not None:
            help_request.skills.set(skills)
        audit_log(
            association=association,
            actor=actor,
            action="network.help_request_updated",
            obj=help_request,
            data={"fields": changed},
        )
    return help_request


@transaction.atomic
def help_request_close(
    *, association: Association, actor: Any, help_request: HelpRequest
) -> HelpRequest:
    check_permission(association=association, actor=actor, permission=MANAGE)
    ensure_same_association(association, help_request)
    with scope(association=association):
        locked = HelpRequest.objects.select_for_update().get(pk=help_request.pk)
        if locked.status != HelpRequestStatus.OPEN:
            raise ValidationError(_("This request is already closed."))
        locked.status = HelpRequestStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.save(update_fields=["status", "closed_at", "updated_at"])
        audit_log(
            association=association,
            actor=actor,
            action="network.help_request_closed",
            obj=locked,
        )
    return locked
