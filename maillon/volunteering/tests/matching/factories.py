"""Test helpers of the matching part: volunteer profiles and missions with their
skills, cause and place."""

from __future__ import annotations

from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.taxonomy.models import Cause, Department, Skill
from maillon.volunteering.models import VolunteerProfile
from maillon.volunteering.profiles.services import volunteer_profile_save
from maillon.volunteering.tests.factories import MissionFactory


def make_profile(
    user=None,
    *,
    skills=(),
    causes=(),
    availability=(),
    postal_code="69001",
    remote_ok=False,
    birth_date=None,
    about="",
    visible=False,
    alerts=False,
    frequency="weekly",
    **user_fields,
) -> VolunteerProfile:
    user = user or UserFactory(**user_fields)
    return volunteer_profile_save(
        user=user,
        skills=Skill.objects.filter(code__in=skills),
        causes=Cause.objects.filter(code__in=causes),
        availability=availability,
        postal_code=postal_code,
        remote_ok=remote_ok,
        birth_date=birth_date,
        about=about,
        visible_to_associations=visible,
        alerts_enabled=alerts,
        alert_frequency=frequency,
    )


def make_mission(association, *, skills=(), cause=None, department="69", **fields):
    """A published public mission (MissionFactory) with skills, cause and department
    given by code."""
    fields.setdefault("published_at", timezone.now())
    mission = MissionFactory(
        association=association,
        department=Department.objects.get(code=department) if department else None,
        cause=Cause.objects.get(code=cause) if cause else None,
        **fields,
    )
    if skills:
        with scopes_disabled():
            mission.skills.set(Skill.objects.filter(code__in=skills))
    return mission
