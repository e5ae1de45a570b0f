from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from maillon.core.text import fold

from .models import Association, Module, Statutes


def association_by_slug(slug: str) -> Association | None:
    return (
        Association.objects.select_related("department__region", "sector").filter(slug=slug).first()
    )


def public_association_get(slug: str) -> Association:
    association = association_by_slug(slug)
    if association is None or not association.is_listed:
        raise Http404
    return association


def association_directory(
    *, search: str = "", sector: str = "", department: str = ""
) -> QuerySet[Association]:
    """Published directory: only associations that chose to be listed."""
    qs = Association.objects.filter(is_listed=True).select_related("sector", "department")
    if search:
        for word in fold(search).split()[:5]:
            qs = qs.filter(search_text__contains=word)
    if sector:
        qs = qs.filter(sector__code=sector)
    if department:
        qs = qs.filter(department__code=department)
    return qs.order_by("name", "id")


def statutes_of(association: Association) -> Statutes:
    return Statutes.objects.get(association=association)


@dataclass(frozen=True)
class FirstStep:
    code: str
    done: bool


#: Roles that make someone part of the bureau, for the "invite the bureau" step.
BUREAU_ROLES = ("president", "treasurer", "secretary", "board", "admin")


def first_steps(*, association: Association, person) -> list[FirstStep]:
    """The new association's checklist, on its overview until every step is done:
    statutes settings, modules switched on, members imported (or entered), the bureau
    invited. Four small queries."""
    from maillon.core.models import AuditEntry
    from maillon.members.models import Invitation, Person, RoleAssignment

    statutes = AuditEntry.objects.filter(
        association=association, action="association.statutes_updated"
    ).exists()
    modules = len([m for m in association.enabled_modules or [] if m != Module.MEMBERS]) > 0
    members = Person.objects.filter(association=association).exclude(pk=person.pk).exists()
    bureau = (
        RoleAssignment.objects.filter(association=association, role__in=BUREAU_ROLES)
        .exclude(person=person)
        .exists()
        or Invitation.objects.filter(association=association).exists()
    )
    return [
        FirstStep("statutes", statutes),
        FirstStep("modules", modules),
        FirstStep("members", members),
        FirstStep("bureau", bureau),
    ]
