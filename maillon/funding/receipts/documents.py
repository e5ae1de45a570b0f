"""What a receipt prints, frozen at issue (``Receipt.data``): the beneficiary
association and its legal basis, the donor, each gift (date, amount, nature, method)
and the total. The PDF is drawn from this copy only, so a receipt reads the same
years later, whatever changed in the register since."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils import timezone

from maillon.associations.models import Association

from ..models import Donation, Donor, FundingSettings, Nature


def association_part(association: Association, settings: FundingSettings) -> dict[str, Any]:
    return {
        "association": {
            "name": association.name,
            "address": settings.address,
            "postal_code": association.postal_code,
            "city": association.city,
            "object": settings.object or association.purpose,
            "rna": association.rna,
            "siren": association.siren,
        },
        "legal_basis": settings.legal_basis,
        "recognition_date": (
            settings.recognition_date.isoformat() if settings.recognition_date else None
        ),
        "signatory": {
            "name": settings.signatory_name,
            "title": settings.signatory_title,
            # The image's name in the private storage (kept while a receipt prints it).
            "signature": settings.signature_path,
        },
    }


def donor_part(donor: Donor) -> dict[str, Any]:
    return {
        "kind": donor.kind,
        "first_name": donor.first_name,
        "last_name": donor.last_name,
        "company_name": donor.company_name,
        "siren": donor.siren,
        "address": donor.address,
        "postal_code": donor.postal_code,
        "city": donor.city,
    }


def gift_lines(donations: Iterable[Donation]) -> tuple[list[dict[str, str]], dict[str, str]]:
    lines, totals = [], {nature: Decimal("0") for nature in Nature.values}
    for d in sorted(donations, key=lambda d: (d.date, d.pk)):
        lines.append(
            {
                "date": d.date.isoformat(),
                "amount": str(d.amount),
                "nature": d.nature,
                "method": d.method,
                "description": d.description,
            }
        )
        totals[d.nature] += d.amount
    return lines, {k: str(v) for k, v in totals.items()}


def receipt_data(
    *,
    base: dict[str, Any],
    donor: Donor,
    donations: Iterable[Donation],
    issued_on: datetime.date | None = None,
    **extra: Any,
) -> tuple[dict[str, Any], Decimal]:
    lines, totals = gift_lines(donations)
    total = sum((Decimal(line["amount"]) for line in lines), Decimal("0"))
    data = {
        **base,
        "donor": donor_part(donor),
        "lines": lines,
        "totals": totals,
        "total": str(total),
        "issued_on": (issued_on or timezone.localdate()).isoformat(),
        **extra,
    }
    return data, total
