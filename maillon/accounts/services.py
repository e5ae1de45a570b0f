from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.core.audit import audit_log

from .models import ApiToken

User = get_user_model()


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
def user_erase(*, user) -> None:
    """RGPD erasure: the account goes; each member record is anonymised (the
    association may still need the row for legal records such as minutes), and the
    person's name disappears from audit entries."""
    from maillon.members.models import Invitation, JoinRequest, MembershipPeriod, Person

    now = timezone.now()
    with scopes_disabled():
        people = list(Person.objects.select_for_update().filter(user=user))
        for person in people:
            audit_log(
                association=person.association, actor=None, action="members.person_anonymised",
                obj=person, data={"reason": "erasure requested by the person"},
            )
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
        JoinRequest.objects.filter(user=user).delete()
        from maillon.core.models import AuditEntry

        AuditEntry.objects.filter(actor=user).update(actor_label=ANONYMISED, actor=None)
    user.delete()
