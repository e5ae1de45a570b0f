"""Join requests: a visitor asks to join from the public page; the association
approves or declines."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association

from ..models import JoinRequest, JoinRequestStatus, Person, Role, RoleAssignment
from ..permissions import Perm, check_permission


@transaction.atomic
def join_request_submit(
    *,
    association: Association,
    user: User | None = None,
    first_name: str,
    last_name: str,
    email: str,
    message: str = "",
) -> JoinRequest:
    """A public request to join; an administrator approves or rejects it."""
    if not association.accepts_join_requests:
        raise ValidationError(_("This association does not take join requests online."))
    with scope(association=association):
        if (
            user is not None
            and Person.objects.filter(
                association=association, user=user, left_on__isnull=True
            ).exists()
        ):
            raise ValidationError(_("You are already a member of this association."))
        if (
            user is not None
            and JoinRequest.objects.filter(
                association=association, user=user, status=JoinRequestStatus.PENDING
            ).exists()
        ):
            raise ValidationError(_("Your request is already waiting for an answer."))
        jr = JoinRequest(
            association=association,
            user=user,
            first_name=first_name,
            last_name=last_name,
            email=email,
            message=message,
        )
        jr.full_clean(exclude=["association", "user", "person", "decided_by"])
        jr.save()
        audit_log(
            association=association,
            actor=user,
            action="members.join_requested",
            obj=jr,
        )
    return jr


@transaction.atomic
def join_request_decide(
    *, association: Association, actor: User, join_request: JoinRequest, approve: bool
) -> JoinRequest:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MEMBERS)
    ensure_same_association(association, join_request)
    jr = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if jr.status != JoinRequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))
    jr.decided_by = actor
    jr.decided_at = timezone.now()
    if approve:
        jr.status = JoinRequestStatus.APPROVED
        # A former member who asks again gets their old record back (it holds their
        # account link and history) instead of a second, unlinked one.
        former = (
            Person.objects.select_for_update()
            .filter(association=association, user=jr.user_id, left_on__isnull=False)
            .first()
            if jr.user_id
            else None
        )
        if former is not None:
            person = former
            person.left_on = None
            person.save(update_fields=["left_on", "updated_at"])
        else:
            person = Person(
                association=association,
                first_name=jr.first_name,
                last_name=jr.last_name,
                email=jr.email,
                user=jr.user
                if jr.user_id
                and not Person.objects.filter(association=association, user=jr.user_id).exists()
                else None,
            )
            person.full_clean(exclude=["association", "user"])
            person.save()
        RoleAssignment.objects.get_or_create(
            association=association, person=person, role=Role.MEMBER
        )
        jr.person = person
    else:
        jr.status = JoinRequestStatus.REJECTED
    jr.save()
    audit_log(
        association=association,
        actor=actor,
        action="members.join_approved" if approve else "members.join_rejected",
        obj=jr,
    )
    transaction.on_commit(lambda: _send_join_decision_email(association, jr.pk))
    return jr


def _send_join_decision_email(association: Association, join_request_id: int) -> None:
    with scope(association=association):
        jr = JoinRequest.objects.select_related("association", "user").get(pk=join_request_id)
    language = jr.user.language if jr.user is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        send_mail(
            subject=_("Your request to join %(association)s")
            % {"association": jr.association.name},
            message=render_to_string(
                "members/email/join_decision.txt",
                {
                    "join_request": jr,
                    "association": jr.association,
                    "approved": jr.status == JoinRequestStatus.APPROVED,
                    "signup_url": settings.SITE_URL + reverse("account_signup"),
                },
            ),
            from_email=None,
            recipient_list=[jr.email],
        )
