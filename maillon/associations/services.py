from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.text import slugify

from maillon.accounts.models import User
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.members.models import Person, Role, RoleAssignment
from maillon.members.permissions import Perm, check_permission
from maillon.taxonomy.geo import department_code_for_postal_code
from maillon.taxonomy.models import Department

from .models import Association, Module, Statutes
from .validators import normalise_identifier

ASSOCIATION_FIELDS = (
    "name",
    "purpose",
    "sector",
    "size_band",
    "postal_code",
    "city",
    "rna",
    "siren",
    "website",
    "contact_email",
    "phone",
    "time_zone",
    "is_listed",
    "accepts_join_requests",
    "require_2fa_for_bureau",
)


def unique_slug(name: str) -> str:
    base = slugify(name)[:60] or "association"
    slug, n = base, 2
    while Association.objects.filter(slug=slug).exists():
        slug = f"{base}-{n}"
        n += 1
    return slug


def _normalise(association: Association) -> None:
    association.rna = normalise_identifier(association.rna)
    association.siren = normalise_identifier(association.siren)
    code = department_code_for_postal_code(association.postal_code or "")
    association.department = Department.objects.filter(code=code).first() if code else None


@transaction.atomic
def association_create(
    *, actor: User, first_name: str = "", last_name: str = "", **fields: Any
) -> Association:
    """Create an association; ``actor`` becomes its first administrator (and member)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied("Only a signed-in person can create an association.")
    slug = fields.pop("slug", "") or unique_slug(fields["name"])
    association = Association(
        slug=slug, **{k: v for k, v in fields.items() if k in ASSOCIATION_FIELDS}
    )
    _normalise(association)
    association.full_clean()
    association.save()
    statutes = Statutes(association=association)
    statutes.full_clean(exclude=["association"])
    statutes.save()
    person = Person(
        association=association,
        user=actor,
        first_name=first_name or actor.full_name.partition(" ")[0] or actor.email.split("@")[0],
        last_name=last_name or actor.full_name.partition(" ")[2],
        email=actor.email,
    )
    person.save()
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(association=association, person=person, role=role)
            for role in (Role.ADMIN, Role.MEMBER)
        ]
    )
    audit_log(
        association=association,
        actor=actor,
        action="association.created",
        obj=association,
        data={"slug": slug},
    )
    return association


@transaction.atomic
def association_update(*, association: Association, actor: User, **fields: Any) -> Association:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSOCIATION)
    # Compare with the stored row: a ModelForm bound to ``association`` has already set
    # the new values on it, and the audit entry must say what really changed.
    association = Association.objects.select_for_update().get(pk=association.pk)
    changes = apply_changes(
        association, {k: v for k, v in fields.items() if k in ASSOCIATION_FIELDS}
    )
    _normalise(association)
    association.full_clean()
    association.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="association.updated",
            obj=association,
            data={"changes": changes},
        )
    return association


STATUTES_FIELDS = (
    "ag_notice_days",
    "quorum_fraction",
    "second_convocation_without_quorum",
    "ordinary_majority",
    "ordinary_majority_fraction",
    "extraordinary_majority",
    "extraordinary_majority_fraction",
    "blank_counts_as_cast",
    "abstention_counts_as_cast",
    "max_proxies_per_holder",
    "unnamed_proxy_to_president",
    "resolutions_secret_ballot",
    "proposal_support_threshold",
    "voting_eligibility",
)


@transaction.atomic
def statutes_update(*, association: Association, actor: User, **fields: Any) -> Statutes:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSOCIATION)
    statutes = Statutes.objects.select_for_update().get(association=association)
    changes = apply_changes(statutes, {k: v for k, v in fields.items() if k in STATUTES_FIELDS})
    statutes.full_clean()
    statutes.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="association.statutes_updated",
            obj=statutes,
            data={"changes": changes},
        )
    return statutes


@transaction.atomic
def modules_update(*, association: Association, actor: User, modules: list[str]) -> Association:
    check_permission(association=association, actor=actor, permission=Perm.MANAGE_ASSOCIATION)
    valid = [m for m in Module.values if m in set(modules)]
    if Module.MEMBERS not in valid:
        valid.insert(0, Module.MEMBERS.value)  # the register is the platform's base
    old = list(association.enabled_modules or [])
    association.enabled_modules = valid
    association.save(update_fields=["enabled_modules", "updated_at"])
    if old != valid:
        audit_log(
            association=association,
            actor=actor,
            action="association.modules_updated",
            obj=association,
            data={"before": old, "after": valid},
        )
    return association
