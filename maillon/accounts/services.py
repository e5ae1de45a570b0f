from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_scopes import scopes_disabled

from maillon.core.audit import audit_log
from maillon.core.models import AuditEntry
from maillon.events.models import Registration
from maillon.members.models import Invitation, JoinRequest, MembershipPeriod, Person
from maillon.members.roles.selectors import my_associations_where_sole_admin
from maillon.volunteering.models import (
    ACTIVE_APPLICATION_STATUSES,
    Application,
    ApplicationMessage,
    ApplicationStatus,
)

from .models import ApiToken, User


@transaction.atomic
def user_set_language(*, user, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[ApiToken, str]:
    raw, digest = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, key_hash=digest, key_hint=raw[:8])
    return token, raw


@transaction.atomic
def api_token_revoke(*, user, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise PermissionError
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])


ANONYMISED = "—"


@transaction.atomic
def _erase_mobilisation(user, forget_in_audit_log) -> None:
    """Applications (and their thread) and event registrations name the person: the
    rows stay for the associations' statistics, without anything personal. The
    volunteer profile goes with the account."""
    applications = Application.objects.filter(user=user)
    ids = list(applications.values_list("pk", flat=True))
    # A person who leaves the platform no longer applies.
    applications.filter(status__in=ACTIVE_APPLICATION_STATUSES).update(
        status=ApplicationStatus.WITHDRAWN
    )
    ApplicationMessage.objects.filter(application_id__in=ids).update(body="")
    applications.update(
        first_name=ANONYMISED, last_name=ANONYMISED, email="", phone="", message="", user=None
    )
    forget_in_audit_log(Application, ids)
    registrations = Registration.objects.filter(user=user)
    forget_in_audit_log(Registration, list(registrations.values_list("pk", flat=True)))
    registrations.update(first_name=ANONYMISED, last_name=ANONYMISED, email="", user=None)


def my_account_erase(*, user: User) -> None:
    """RGPD erasure, asked by the person themself: the account goes; each member
    record, in every association, is anonymised (the association may still need the
    row for legal records such as minutes), and the person's name disappears from
    audit entries."""
    blocking = my_associations_where_sole_admin(user=user)
    if blocking:
        raise ValidationError(
            _(
                "You are the only administrator of %(associations)s. Appoint another "
                "administrator first, so that its members keep someone to manage it."
            )
            % {"associations": ", ".join(a.name for a in blocking)}
        )

    def forget_in_audit_log(model, ids) -> None:
        # The entries stay (what was done, when, by whom), but not who it was about:
        # their label and details (old names, email addresses) go.
        AuditEntry.objects.filter(
            object_type=model._meta.label_lower, object_id__in=[str(pk) for pk in ids]
        ).update(object_repr=ANONYMISED, data={})

    now = timezone.now()
    with scopes_disabled():
        people = list(Person.objects.select_for_update().filter(user=user))
        for person in people:
            person.first_name = ANONYMISED
            person.last_name = ANONYMISED
            person.email = ""
            person.phone = ""
            person.address = ""
            person.postal_code = ""
            person.city = ""
            person.birth_date = None
            person.notes = ""
            person.consent_newsletter = False
            person.consent_directory = False
            person.user = None
            person.anonymised_at = now
            if person.left_on is None:
                person.left_on = max(timezone.localdate(), person.joined_on)
            person.save()
            MembershipPeriod.objects.filter(person=person).update(note="")
            Invitation.objects.filter(person=person).delete()
            forget_in_audit_log(Person, [person.pk])
            # Written after the anonymisation, so that it does not name the person either.
            audit_log(
                association=person.association,
                actor=None,
                action="members.person_anonymised",
                obj=person,
                data={"reason": "erasure requested by the person"},
            )
        _erase_mobilisation(user, forget_in_audit_log)
        join_requests = JoinRequest.objects.filter(user=user)
        forget_in_audit_log(JoinRequest, list(join_requests.values_list("pk", flat=True)))
        join_requests.delete()
        AuditEntry.objects.filter(actor=user).update(actor_label=ANONYMISED, actor=None)
    user.delete()
