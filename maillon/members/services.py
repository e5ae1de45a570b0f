from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ensure_same_association

from .models import (
    Invitation,
    JoinRequest,
    JoinRequestStatus,
    MembershipPeriod,
    Person,
    Role,
    RoleAssignment,
)
from .permissions import Perm, check_permission

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "postal_code",
    "city",
    "birth_date",
    "joined_on",
    "notes",
    "consent_newsletter",
    "consent_directory",
)


def _clean_roles(roles: Iterable[str]) -> list[str]:
    cleaned = sorted({r for r in roles if r in Role.values})
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError(
            {"roles": _("Unknown role: %(role)s") % {"role": ", ".join(sorted(unknown))}}
        )
    return cleaned


@transaction.atomic
def person_create(*, association, actor, roles: Iterable[str] = (Role.MEMBER,), **fields) -> Person:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MEMBERS)
    roles = _clean_roles(roles)
    if set(roles) - {Role.MEMBER, Role.VOLUNTEER}:
        check_permission(association=association, actor=actor, permission=Perm.MANAGE_ROLES)
    person = Person(
        association=association, **{k: v for k, v in fields.items() if k in PERSON_FIELDS}
    )
    person.full_clean(exclude=["association"])
    person.save()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(association=association, person=person, role=r) for r in roles]
    )
    audit_log(
        association=association,
        actor=actor,
        action="members.person_created",
        obj=person,
        data={"roles": roles},
    )
    return person


@transaction.atomic
def person_update(*, association, actor, person: Person, **fields) -> Person:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MEMBERS)
    ensure_same_association(association, person)
    # Compare with the stored record: a ModelForm bound to ``person`` has already set
    # the new values on it, and the audit entry must say what really changed.
    person = Person.objects.select_for_update().get(pk=person.pk)
    changes = apply_changes(person, {k: v for k, v in fields.items() if k in PERSON_FIELDS})
    person.full_clean(exclude=["association"])
    person.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="members.person_updated",
            obj=person,
            data={"changes": changes},
        )
    return person


def _admins_left_after(association, person: Person, new_roles: Iterable[str] | None) -> int:
    others = (
        RoleAssignment.objects.filter(
            association=association, role=Role.ADMIN, person__left_on__isnull=True
        )
        .exclude(person=person)
        .count()
    )
    keeps = new_roles is not None and Role.ADMIN in new_roles
    return others + (1 if keeps else 0)


@transaction.atomic
def person_set_roles(*, association, actor, person: Person, roles: Iterable[str]) -> Person:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ROLES)
    ensure_same_association(association, person)
    roles = _clean_roles(roles)
    current = set(person.role_assignments.values_list("role", flat=True))
    if Role.ADMIN in current and _admins_left_after(association, person, roles) == 0:
        raise ValidationError({"roles": _("The association must keep at least one administrator.")})
    added, removed = set(roles) - current, current - set(roles)
    RoleAssignment.objects.filter(person=person, role__in=removed).delete()
    RoleAssignment.objects.bulk_create(
        [RoleAssignment(association=association, person=person, role=r) for r in sorted(added)]
    )
    if added or removed:
        audit_log(
            association=association,
            actor=actor,
            action="members.roles_changed",
            obj=person,
            data={"added": sorted(added), "removed": sorted(removed)},
        )
    return person


@transaction.atomic
def person_leave(
    *, association, actor, person: Person, left_on: datetime.date | None = None
) -> Person:
    """Record that a person left the association. Their record stays (history,
    minutes) until the retention period ends."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MEMBERS)
    ensure_same_association(association, person)
    if person.left_on is not None:
        raise ValidationError(_("This person has already left."))
    if (
        _admins_left_after(association, person, None) == 0
        and person.role_assignments.filter(role=Role.ADMIN).exists()
    ):
        raise ValidationError(_("The association must keep at least one administrator."))
    person.left_on = left_on or timezone.localdate()
    person.full_clean(exclude=["association"])
    person.save(update_fields=["left_on", "updated_at"])
    Invitation.objects.filter(person=person, accepted_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    audit_log(
        association=association,
        actor=actor,
        action="members.person_left",
        obj=person,
        data={"left_on": person.left_on.isoformat()},
    )
    return person


PERIOD_FIELDS = ("start", "end", "fee_paid", "amount", "method", "paid_on", "note")


@transaction.atomic
def membership_period_add(*, association, actor, person: Person, **fields) -> MembershipPeriod:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    ensure_same_association(association, person)
    period = MembershipPeriod(
        association=association,
        person=person,
        **{k: v for k, v in fields.items() if k in PERIOD_FIELDS},
    )
    period.full_clean(exclude=["association", "person"])
    period.save()
    audit_log(
        association=association,
        actor=actor,
        action="members.fee_recorded",
        obj=person,
        data={
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "amount": str(period.amount),
            "method": period.method,
            "fee_paid": period.fee_paid,
        },
    )
    return period


@transaction.atomic
def membership_period_delete(*, association, actor, period: MembershipPeriod) -> None:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    ensure_same_association(association, period)
    audit_log(
        association=association,
        actor=actor,
        action="members.fee_deleted",
        obj=period.person,
        data={
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "amount": str(period.amount),
        },
    )
    period.delete()


# --- Invitations -----------------------------------------------------------------------


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _send_invitation_email(invitation_id: int) -> None:
    from django_scopes import scopes_disabled

    with scopes_disabled():
        invitation = Invitation.objects.select_related("association", "person", "invited_by").get(
            pk=invitation_id
        )
    language = (
        invitation.person.user.language if invitation.person.user_id else settings.LANGUAGE_CODE
    )
    with translation.override(language):
        context = {
            "invitation": invitation,
            "association": invitation.association,
            "url": _absolute(reverse("invitations:accept", args=[invitation.token])),
        }
        send_mail(
            subject=_("%(association)s invites you to Maillon")
            % {"association": invitation.association.name},
            message=render_to_string("members/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )


@transaction.atomic
def invitation_send(*, association, actor, person: Person, email: str = "") -> Invitation:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_MEMBERS)
    ensure_same_association(association, person)
    email = (email or person.email).strip()
    if not email:
        raise ValidationError({"email": _("Give an email address to send the invitation to.")})
    if person.user_id:
        raise ValidationError(_("This person already has an account linked."))
    if person.left_on:
        raise ValidationError(_("This person has left the association."))
    Invitation.objects.filter(
        person=person, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation = Invitation(association=association, person=person, email=email, invited_by=actor)
    invitation.full_clean(exclude=["association", "person", "invited_by"])
    invitation.save()
    if not person.email:
        person.email = email
        person.save(update_fields=["email", "updated_at"])
    audit_log(
        association=association,
        actor=actor,
        action="members.invitation_sent",
        obj=person,
        data={"email": email},
    )
    transaction.on_commit(lambda: _send_invitation_email(invitation.pk))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Person:
    """Link ``user`` to the invited person. Called outside any association scope."""
    from django_scopes import scope

    with scope(association=invitation.association):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise ValidationError(_("This invitation has expired or was already used."))
        person = Person.objects.select_for_update().get(pk=invitation.person_id)
        if (
            Person.objects.filter(association=invitation.association, user=user)
            .exclude(pk=person.pk)
            .exists()
        ):
            raise ValidationError(
                _("Your account is already linked to another person of this association.")
            )
        person.user = user
        person.save(update_fields=["user", "updated_at"])
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        audit_log(
            association=invitation.association,
            actor=user,
            action="members.invitation_accepted",
            obj=person,
        )
        return person


# --- Join requests --------------------------------------------------------------------


@transaction.atomic
def join_request_submit(
    *, association, user=None, first_name: str, last_name: str, email: str, message: str = ""
) -> JoinRequest:
    """A public request to join; an administrator approves or rejects it."""
    from django_scopes import scope

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
    *, association, actor, join_request: JoinRequest, approve: bool
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
    transaction.on_commit(lambda: _send_join_decision_email(jr.pk))
    return jr


def _send_join_decision_email(join_request_id: int) -> None:
    from django_scopes import scopes_disabled

    with scopes_disabled():
        jr = JoinRequest.objects.select_related("association", "user").get(pk=join_request_id)
    language = jr.user.language if jr.user_id else settings.LANGUAGE_CODE
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
                    "signup_url": _absolute(reverse("account_signup")),
                },
            ),
            from_email=None,
            recipient_list=[jr.email],
        )
