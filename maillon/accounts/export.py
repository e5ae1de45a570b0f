"""Everything the platform holds about one user, as plain data (RGPD access and
portability). ``my_data_export`` reads across every association where the person
appears, for the person themself: the one place it disables scopes; each module's
section (``accounts.personal_data``) runs inside it."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django_scopes import scopes_disabled

from maillon.core.models import AuditEntry

from .models import User
from .personal_data import registered_sections

#: The audit log keeps every action; the export shows the latest ones.
AUDIT_ACTIONS_SHOWN = 5000


def my_data_export(*, user: User) -> dict[str, Any]:
    """The account, each module's section (``accounts.personal_data``), and the
    person's latest actions in the audit log."""
    with scopes_disabled():
        data: dict[str, Any] = {"account": _account(user)}
        for section in registered_sections():
            data.update(section.export(user))
        data["actions_in_audit_log"] = _audit_actions(user)
        return data


def _account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "language": user.language,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user)
        ],
        "api_tokens": [
            {
                "name": t.name,
                "created_at": t.created_at.isoformat(),
                "revoked": t.revoked_at is not None,
            }
            for t in user.api_tokens.all()
        ],
    }


def _audit_actions(user: User) -> list[dict[str, Any]]:
    return [
        {
            "date": e.created_at.isoformat(),
            "association": e.association.name if e.association is not None else None,
            "action": e.action,
            "object": e.object_repr,
        }
        for e in AuditEntry.objects.filter(actor=user).select_related("association")[
            :AUDIT_ACTIONS_SHOWN
        ]
    ]
