"""The payments' part of a person's data: what they paid online and the HelloAsso
orders matched to them. At erasure the payer's name and email are removed; amounts,
dates and order numbers stay (accounting records)."""

from __future__ import annotations

from typing import Any

from maillon.accounts.models import User
from maillon.accounts.personal_data import Forget, PersonalDataSection
from maillon.members.models import Person

from .models import ImportedOrder, Payment


def _people(user: User) -> list[int]:
    return list(Person.objects.filter(user=user).values_list("pk", flat=True))


def export(user: User) -> dict[str, Any]:
    people = _people(user)
    payments = Payment.objects.filter(purpose="membership_fee", target_id__in=people)
    return {
        "online_payments": [
            {
                "association": payment.association.name,
                "order": payment.provider_order_id,
                "amount_cents": payment.amount_cents,
                "paid_at": payment.paid_at.isoformat(),
                "payer_email": payment.payer_email,
                "refunded": payment.refunded_at is not None,
            }
            for payment in payments.select_related("association")
        ]
    }


def erase(user: User, *, forget: Forget) -> None:
    people = _people(user)
    Payment.objects.filter(purpose="membership_fee", target_id__in=people).update(
        payer_email="", payer_first_name="", payer_last_name=""
    )
    ImportedOrder.objects.filter(person_id__in=people).update(
        payer_email="", payer_first_name="", payer_last_name="", payer_postal_code="", payer_city=""
    )


# Before the register's section, which anonymises the records these rows point to.
SECTIONS = (PersonalDataSection("payments", export=export, erase=erase, order=5),)
