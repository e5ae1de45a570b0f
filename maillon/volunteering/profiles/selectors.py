"""Reads of volunteer profiles. A profile belongs to the person, not to an
association: these selectors need no tenant scope (except the person's own export,
which lists the invitations associations sent them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet
from django_scopes import scopes_disabled

from maillon.taxonomy.models import Skill

from ..models import MissionInvitation, VolunteerProfile

if TYPE_CHECKING:
    from maillon.accounts.models import User


def profiles_with_facts() -> QuerySet[VolunteerProfile]:
    return VolunteerProfile.objects.select_related("user", "department__region").prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("position", "code")), "causes"
    )


def profile_of(user: User) -> VolunteerProfile | None:
    """The signed-in person's volunteer profile (None until they save it once)."""
    return profiles_with_facts().filter(user=user).first()


def profile_by_alert_token(token: str) -> VolunteerProfile | None:
    if not token:
        return None
    return VolunteerProfile.objects.filter(alert_token=token).first()


def profile_is_empty(profile: VolunteerProfile | None) -> bool:
    """Nothing to match on yet: no skill, no cause, no place, no availability."""
    if profile is None or profile.pk is None:
        return True
    return not (
        profile.department_id
        or profile.remote_ok
        or profile.availability
        or profile.skills.all()
        or profile.causes.all()
    )


def my_volunteer_profile_export(*, user: User) -> dict | None:
    """The volunteer profile in the person's data export (RGPD right of access),
    with the invitations associations sent them."""
    profile = profile_of(user)
    if profile is None:
        return None
    with scopes_disabled():
        invitations = list(
            MissionInvitation.objects.filter(profile=profile)
            .select_related("association", "mission")
            .order_by("created_at")
        )
    return {
        "skills": [s.code for s in profile.skills.all()],
        "causes": [c.code for c in profile.causes.all()],
        "availability": list(profile.availability or []),
        "postal_code": profile.postal_code,
        "department": profile.department.code if profile.department else None,
        "remote_ok": profile.remote_ok,
        "birth_date": profile.birth_date.isoformat() if profile.birth_date else None,
        "about": profile.about,
        "visible_to_associations": profile.visible_to_associations,
        "alerts_enabled": profile.alerts_enabled,
        "alert_frequency": profile.alert_frequency,
        "last_alert_at": profile.last_alert_at.isoformat() if profile.last_alert_at else None,
        "invitations": [
            {
                "association": i.association.name,
                "mission": i.mission.title,
                "date": i.created_at.isoformat(),
            }
            for i in invitations
        ],
    }
