"""The funding module's part of a person's data (see ``accounts.personal_data``):
their donor records, gifts and tax receipts in every association.

At erasure, receipts stay: the association must keep the duplicates of its tax
receipts 6 years (livre des procédures fiscales, art. L. 102 E) and its accounting
records 10 years. The donor record loses its link to the account and its email; a
donor who never got a receipt is anonymised."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone

from maillon.accounts.models import User
from maillon.accounts.personal_data import Forget, PersonalDataSection

from .models import Donation, Donor, Receipt

ANONYMISED = "—"


def _my_donors(user: User):
    mine = Q(person__user=user)
    if user.email:
        mine |= Q(email__iexact=user.email)
    return Donor.objects.filter(mine)


def export(user: User) -> dict[str, Any]:
    donors = list(_my_donors(user).select_related("association"))
    ids = [d.pk for d in donors]
    donations = Donation.objects.filter(donor_id__in=ids).select_related("association", "receipt")
    receipts = Receipt.objects.filter(donor_id__in=ids).select_related("association")
    return {
        "donors": [
            {
                "association": d.association.name,
                "kind": d.kind,
                "first_name": d.first_name,
                "last_name": d.last_name,
                "company_name": d.company_name,
                "siren": d.siren,
                "email": d.email,
                "address": d.address,
                "postal_code": d.postal_code,
                "city": d.city,
            }
            for d in donors
        ],
        "donations": [
            {
                "association": g.association.name,
                "date": g.date.isoformat(),
                "amount": str(g.amount),
                "nature": g.nature,
                "method": g.method,
                "description": g.description,
                "status": g.status,
                "receipt": g.receipt.number if g.receipt else None,
            }
            for g in donations
        ],
        "tax_receipts": [
            {
                "association": r.association.name,
                "number": r.number,
                "kind": r.kind,
                "status": r.status,
                "total": str(r.total),
                "issued_at": r.issued_at.isoformat(),
            }
            for r in receipts
        ],
    }


def erase(user: User, *, forget: Forget) -> None:
    donors = _my_donors(user)
    with_receipt = Donor.objects.filter(pk__in=donors.values("pk"), receipts__isnull=False)
    keep = set(with_receipt.values_list("pk", flat=True))
    ids = list(donors.values_list("pk", flat=True))
    Donor.objects.filter(pk__in=keep).update(person=None, email="")
    anonymise = [pk for pk in ids if pk not in keep]
    Donor.objects.filter(pk__in=anonymise).update(
        person=None,
        email="",
        first_name=ANONYMISED,
        last_name=ANONYMISED,
        company_name=ANONYMISED,
        siren="",
        address="",
        postal_code="",
        city="",
        anonymised_at=timezone.now(),
    )
    forget(Donor, anonymise)


SECTIONS = (PersonalDataSection("funding", export=export, erase=erase, order=40),)
