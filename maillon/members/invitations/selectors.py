"""Reads of invitations. An invitation is reached from an email link, before its
association is known: ``invitation_for_token`` looks across associations."""

from __future__ import annotations

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from maillon.associations.models import Association

from ..models import Invitation


def invitation_list(*, association: Association) -> QuerySet[Invitation]:
    return Invitation.objects.filter(association=association).select_related("person", "invited_by")


def invitation_for_token(token: str) -> Invitation | None:
    """Invitations are reached from an email link, outside any association scope."""
    with scopes_disabled():
        return (
            Invitation.objects.filter(token=token).select_related("association", "person").first()
        )
