"""How a person with an account is named on a page: by name, never by email when a
name is known."""

from __future__ import annotations

from typing import Any

from maillon.members.models import Person


def display_name(user: Any, association: Any = None) -> str:
    """The account's full name; else the name the association's register gives the
    person linked to it; else, only when no name is known, the email address."""
    if user is None:
        return ""
    full_name = (getattr(user, "full_name", "") or "").strip()
    if full_name:
        return full_name
    if association is not None and getattr(user, "pk", None):
        person = (
            Person.objects.filter(association=association, user_id=user.pk)
            .only("first_name", "last_name")
            .first()
        )
        if person is not None and str(person):
            return str(person)
    return getattr(user, "email", "") or str(user)
