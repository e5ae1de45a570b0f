"""Volunteering's part of a person's data (see ``accounts.personal_data``): their
volunteer profile, applications with their thread, and volunteer hours."""

from __future__ import annotations

from typing import Any

from maillon.accounts.models import User
from maillon.accounts.personal_data import Forget, PersonalDataSection

from .models import (
    ACTIVE_APPLICATION_STATUSES,
    Application,
    ApplicationMessage,
    ApplicationStatus,
    VolunteerHours,
)
from .profiles.selectors import my_volunteer_profile_export

ANONYMISED = "—"


def _date(value):
    return value.isoformat() if value else None


def export(user: User) -> dict[str, Any]:
    applications = [
        {
            "association": a.association.name,
            "mission": a.mission.title,
            "first_name": a.first_name,
            "last_name": a.last_name,
            "email": a.email,
            "phone": a.phone,
            "message": a.message,
            "status": a.status,
            "came_from": a.source,
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
            "thread": [
                {
                    "date": m.created_at.isoformat(),
                    "from_association": m.from_association,
                    "message": m.body,
                }
                for m in a.messages.all()
            ],
        }
        for a in Application.objects.filter(user=user)
        .select_related("association", "mission")
        .prefetch_related("messages")
    ]
    hours = [
        {
            "association": h.association.name,
            "date": _date(h.date),
            "hours": str(h.hours),
            "activity": h.activity,
            "mission": h.mission.title if h.mission is not None else None,
            "description": h.description,
            "status": h.status,
        }
        for h in VolunteerHours.objects.filter(person__user=user).select_related(
            "association", "mission"
        )
    ]
    return {
        "volunteer_profile": my_volunteer_profile_export(user=user),
        "volunteer_applications": applications,
        "volunteer_hours": hours,
    }


def erase(user: User, *, forget: Forget) -> None:
    """Applications (and their thread) name the person: the rows stay for the
    associations' statistics, without anything personal. The volunteer profile goes
    with the account."""
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
    forget(Application, ids)


SECTIONS = (PersonalDataSection("volunteering", export=export, erase=erase, order=20),)
