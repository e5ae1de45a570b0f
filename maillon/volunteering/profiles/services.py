"""Writes of a volunteer's own profile.

The profile belongs to the person, not to an association: like the other changes a
person makes to their own account (accounts.services), these are not written to an
association's audit log.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maillon.taxonomy import geo
from maillon.taxonomy.models import Cause, Department, Skill

from ..models import AlertFrequency, TimeSlot, VolunteerProfile

if TYPE_CHECKING:
    from maillon.accounts.models import User


@transaction.atomic
def volunteer_profile_save(
    *,
    user: User,
    skills: Iterable[Skill] = (),
    causes: Iterable[Cause] = (),
    availability: Iterable[str] = (),
    postal_code: str = "",
    remote_ok: bool = False,
    birth_date: datetime.date | None = None,
    about: str = "",
    visible_to_associations: bool = False,
    alerts_enabled: bool = False,
    alert_frequency: str = AlertFrequency.WEEKLY,
) -> VolunteerProfile:
    """Create or update the signed-in person's volunteer profile. The department is
    derived from the postal code."""
    if user is None or not user.is_authenticated:
        raise PermissionError
    slots = sorted(set(availability))
    unknown = set(slots) - set(TimeSlot.values)
    if unknown:
        raise ValidationError({"availability": _("Unknown time slot.")})
    postal_code = geo.normalise_postal_code(postal_code)
    department = None
    if postal_code:
        code = geo.department_code_for_postal_code(postal_code)
        department = Department.objects.filter(code=code).first() if code else None
        if department is None:
            raise ValidationError(
                {"postal_code": _("This postal code matches no French department.")}
            )
    profile = VolunteerProfile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = VolunteerProfile(user=user)
    profile.availability = slots
    profile.postal_code = postal_code
    profile.department = department
    profile.remote_ok = remote_ok
    profile.birth_date = birth_date
    profile.about = (about or "").strip()
    profile.visible_to_associations = visible_to_associations
    profile.alerts_enabled = alerts_enabled
    profile.alert_frequency = alert_frequency
    profile.full_clean(exclude=["user"])
    profile.save()
    profile.skills.set(list(skills))
    profile.causes.set(list(causes))
    return profile


@transaction.atomic
def volunteer_alerts_stop(*, profile: VolunteerProfile) -> VolunteerProfile:
    """Turn the mission alerts off (the unsubscribe link of the emails, no sign-in)."""
    updated = VolunteerProfile.objects.filter(pk=profile.pk, alerts_enabled=True).update(
        alerts_enabled=False
    )
    if updated:
        profile.alerts_enabled = False
    return profile
