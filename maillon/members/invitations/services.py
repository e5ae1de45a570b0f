"""Invitations: a person of the register gets an email link that ties their account
to their record."""

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

from ..models import Invitation, Person
from ..permissions import Perm, check_permission


def _send_invitation_email(association: Association, invitation_id: int) -> None:
    with scope(association=association):
        invitation = Invitation.objects.select_related("association", "person", "invited_by").get(
            pk=invitation_id
        )
    user = invitation.person.user
    language = user.language if user is not None else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "invitation": invitation,
            "association": invitation.association,
            "url": settings.SITE_URL + reverse("invitations:accept", args=[invitation.token]),
        }
        send_mail(
            subject=_("%(association)s invites you to Maillon")
            % {"association": invitation.association.name},
            message=render_to_string("members/email/invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )


@transaction.atomic
def invitation_send(
    *, association: Association, actor: User, person: Person, email: str = ""
) -> Invitation:
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
    transaction.on_commit(lambda: _send_invitation_email(association, invitation.pk))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Person:
    """Link ``user`` to the invited person. Called outside any association scope."""
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
