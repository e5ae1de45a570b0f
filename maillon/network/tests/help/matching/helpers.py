"""Builders shared by the matching tests: help requests, skills volunteers, companies
with lent employees, networks with their team."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone
from django_scopes import scopes_disabled

from maillon.accounts.tests.factories import UserFactory
from maillon.network.models import Company, HelpRequest, LentEmployee
from maillon.network.tests.factories import MembershipFactory, NetworkFactory, network_staff
from maillon.taxonomy.models import Department, Skill
from maillon.volunteering.models import VolunteerProfile

_sirens = itertools.count()
# Checksum-valid SIREN numbers (Luhn).
SIRENS = ["732829320", "552032534", "542051180", "443061841", "552081317", "775665019"]


def skills(n: int) -> list[Skill]:
    found = list(Skill.objects.order_by("position", "code")[:n])
    assert len(found) == n
    return found


def department(code: str) -> Department:
    return Department.objects.select_related("region").get(code=code)


def located(association, code: str = "69"):
    """``association`` placed in department ``code`` (factories leave it unplaced)."""
    association.department = department(code)
    association.save(update_fields=["department"])
    return association


def help_request(association, *, wanted=(), audiences=("volunteers",), days=30, **fields):
    fields.setdefault("format", "remote")
    with scopes_disabled():
        found = HelpRequest.objects.create(
            association=association,
            title=fields.pop("title", "Refaire notre site"),
            need="Le site date de 2012 et ne permet pas l’adhésion en ligne.",
            deliverable="Un site à jour.",
            audiences=list(audiences),
            deadline=timezone.localdate() + datetime.timedelta(days=days) if days else None,
            **fields,
        )
        found.skills.set(wanted)
    return found


def volunteer(*, has=(), visible=True, dept="69", remote_ok=True, about="", **user):
    user.setdefault("full_name", "Camille Martin")
    person = UserFactory(**user)
    profile = VolunteerProfile.objects.create(
        user=person,
        department=department(dept) if dept else None,
        remote_ok=remote_ok,
        visible_to_associations=visible,
        about=about,
        birth_date=datetime.date(1990, 1, 1),
        postal_code="69003",
    )
    profile.skills.set(has)
    return profile


def company(name="Numérique Solidaire", *, dept="69", coordinator=None) -> Company:
    found = Company.objects.create(
        name=name,
        slug=name.lower().replace(" ", "-").replace("é", "e"),
        siren=SIRENS[next(_sirens) % len(SIRENS)],
        department=department(dept) if dept else None,
    )
    if coordinator is not None:
        found.coordinators.create(user=coordinator)
    return found


def employee(company, *, has=(), name="Dominique Bernard", **fields) -> LentEmployee:
    found = LentEmployee.objects.create(company=company, full_name=name, **fields)
    found.skills.set(has)
    return found


def network_with_staff(association, *, name="Fédération du Rhône", depts=("69",), **staff):
    network = NetworkFactory(name=name)
    network.departments.set([department(code) for code in depts])
    MembershipFactory(network=network, association=association)
    staff.setdefault("full_name", "Alix Moreau")
    user = network_staff(network, **staff)
    return network, user
