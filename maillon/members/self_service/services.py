"""A member's own edits of their record (contact details and consents). They go
through the same checks and audit log as the secretary's edits."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ObjectOutsideAssociation, ensure_same_association

from ..models import Person

OWN_FIELDS = (
    "phone",
    "address",
    "postal_code",
    "city",
    "consent_newsletter",
    "consent_directory",
)


@transaction.atomic
def my_details_update(
    *, association: Association, actor: User, person: Person, **fields: Any
) -> Person:
    """Only the person linked to ``actor`` may change their own details here."""
    ensure_same_association(association, person)
    if person.user_id != actor.pk:
        raise ObjectOutsideAssociation
    person = Person.objects.select_for_update().get(pk=person.pk)
    changes = apply_changes(person, {k: v for k, v in fields.items() if k in OWN_FIELDS})
    person.full_clean(exclude=["association", "user"])
    person.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="members.person_updated_by_self",
            obj=person,
            data={"changes": changes},
        )
    return person
