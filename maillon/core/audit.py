"""Writing the audit log. Every service that changes an association's data calls
``audit_log`` inside its transaction, so the entry exists exactly when the change does."""

from __future__ import annotations

from typing import Any

from django.db import models

from .models import AuditEntry


def audit_log(
    *,
    association,
    actor,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    is_staff_action: bool = False,
) -> AuditEntry:
    entry = audit_entry(
        association=association,
        actor=actor,
        action=action,
        obj=obj,
        data=data,
        is_staff_action=is_staff_action,
    )
    entry.save()
    return entry


def audit_entry(
    *,
    association,
    actor,
    action: str,
    obj: models.Model | None = None,
    data: dict[str, Any] | None = None,
    is_staff_action: bool = False,
) -> AuditEntry:
    """The entry ``audit_log`` writes, not saved yet: for a service that writes it in
    the same statement as its other rows (``maillon.core.db.rows.insert_rows``)."""
    actor_user = actor if getattr(actor, "is_authenticated", False) else None
    # By id: a vote writes one of these on its hot path.
    return AuditEntry(
        association_id=association.pk if association is not None else None,
        actor_id=actor_user.pk if actor_user else None,
        actor_label=(actor_user.email if actor_user else ""),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:255] if obj is not None else "",
        data=data or {},
        is_staff_action=is_staff_action,
    )
