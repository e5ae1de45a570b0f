"""Writes of donors: a member of the register, a person outside it, or a company."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from maillon.associations.models import Association
from maillon.associations.validators import normalise_identifier
from maillon.core.audit import audit_log
from maillon.core.services import apply_changes
from maillon.core.tenancy import ensure_same_association, in_association_scope
from maillon.members.models import Person

from ..models import Donor, DonorKind
from ..permissions import check_funding

if TYPE_CHECKING:
    from maillon.accounts.models import User

DONOR_FIELDS = (
    "first_name",
    "last_name",
    "company_name",
    "siren",
    "email",
    "address",
    "postal_code",
    "city",
)


def _clean(donor: Donor, *, require_siren: bool = True) -> None:
    donor.siren = normalise_identifier(donor.siren)
    if donor.kind == DonorKind.COMPANY:
        if not donor.company_name:
            raise ValidationError({"company_name": _("A company needs its name.")})
        if require_siren and not donor.siren:
            raise ValidationError({"siren": _("A company needs its SIREN number.")})
    elif not donor.last_name:
        raise ValidationError({"last_name": _("A person needs a last name.")})
    donor.full_clean(exclude=["association", "person"])


def _from_member(person: Person) -> dict[str, str]:
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "address": person.address,
        "postal_code": person.postal_code,
        "city": person.city,
    }


@in_association_scope
@transaction.atomic
def donor_create(
    *,
    association: Association,
    actor: User | None,
    kind: str,
    person: Person | None = None,
    **fields: Any,
) -> Donor:
    """A donor. With ``person`` (a member), the details come from the register unless
    given; a member is a donor once. ``actor`` None: a payer of an online payment
    (a company's SIREN, which HelloAsso does not give, is then completed later)."""
    if actor is not None:
        check_funding(association, actor)
    ensure_same_association(association, person)
    values = {k: v for k, v in fields.items() if k in DONOR_FIELDS and v is not None}
    if person is not None:
        kind = DonorKind.PERSON
        existing = Donor.objects.filter(association=association, person=person).first()
        if existing is not None:
            raise ValidationError(_("This member is already a donor."))
        values = {**_from_member(person), **{k: v for k, v in values.items() if v}}
    donor = Donor(association=association, kind=kind, person=person, **values)
    _clean(donor, require_siren=actor is not None)
    donor.save()
    audit_log(
        association=association,
        actor=actor,
        action="funding.donor_created",
        obj=donor,
        data={"kind": donor.kind, "member": person.pk if person else None},
    )
    return donor


@in_association_scope
@transaction.atomic
def donor_update(*, association: Association, actor: User, donor: Donor, **fields: Any) -> Donor:
    check_funding(association, actor)
    ensure_same_association(association, donor)
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    changes = apply_changes(donor, {k: v for k, v in fields.items() if k in DONOR_FIELDS})
    _clean(donor)
    donor.save()
    if changes:
        audit_log(
            association=association,
            actor=actor,
            action="funding.donor_updated",
            obj=donor,
            data={"changes": changes},
        )
    return donor
