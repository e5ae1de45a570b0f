"""Events' part of a person's data (see ``accounts.personal_data``): their
registrations."""

from __future__ import annotations

from typing import Any

from maillon.accounts.models import User
from maillon.accounts.personal_data import Forget, PersonalDataSection

from .models import Registration

ANONYMISED = "—"


def export(user: User) -> dict[str, Any]:
    registrations = [
        {
            "association": r.event.association.name,
            "event": r.event.title,
            "starts_at": r.event.starts_at.isoformat(),
            "status": r.status,
            "checked_in": r.checked_in_at is not None,
        }
        for r in Registration.objects.filter(user=user).select_related("event__association")
    ]
    return {"event_registrations": registrations}


def erase(user: User, *, forget: Forget) -> None:
    """Registrations stay for the association's attendance figures, without anything
    personal."""
    registrations = Registration.objects.filter(user=user)
    forget(Registration, list(registrations.values_list("pk", flat=True)))
    registrations.update(first_name=ANONYMISED, last_name=ANONYMISED, email="", user=None)


SECTIONS = (PersonalDataSection("events", export=export, erase=erase, order=30),)
