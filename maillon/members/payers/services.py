"""Remembering a payer email as an alias of a person."""

from __future__ import annotations

from django.db import transaction

from maillon.accounts.models import User
from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ensure_same_association

from ..models import PayerAlias, Person
from ..permissions import Perm, check_permission


@transaction.atomic
def payer_alias_remember(
    *, association: Association, actor: User, person: Person, email: str
) -> PayerAlias | None:
    """Idempotent; nothing to remember when it is the person's own email."""
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_FEES)
    ensure_same_association(association, person)
    email = email.strip()
    if not email or email.lower() == (person.email or "").lower():
        return None
    existing = PayerAlias.objects.filter(association=association, email__iexact=email).first()
    if existing is not None:
        return existing
    alias = PayerAlias(association=association, person=person, email=email)
    alias.full_clean(exclude=["association", "person"])
    alias.save()
    audit_log(
        association=association,
        actor=actor,
        action="members.payer_alias_added",
        obj=person,
        data={"email": email},
    )
    return alias
