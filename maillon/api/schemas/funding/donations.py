"""Shapes of the funding API (``routers/funding/``): donations and tax receipts."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from maillon.funding.models import Method, Nature

from ..common import BodySchema, Page, PageQuery


class DonorOut(Schema):
    id: int
    kind: str = Field(description="`person` or `company`.")
    name: str
    member: int | None = Field(description="The member's id in the register, if any.")


class DonationOut(Schema):
    id: int
    donor: DonorOut
    date: datetime.date
    amount: Decimal
    nature: str = Field(description="`money`, `in_kind` or `waived_expenses`.")
    method: str = Field(description="`cash`, `cheque`, `transfer`, `card`, `helloasso`, or `none`.")
    description: str
    campaign: int | None
    status: str = Field(description="`recorded` or `cancelled`.")
    receipt: str | None = Field(description="Number of the valid receipt of the gift, if any.")

    @classmethod
    def from_donation(cls, d) -> DonationOut:
        donor = d.donor
        return cls(
            id=d.pk,
            donor=DonorOut(
                id=donor.pk, kind=donor.kind, name=donor.display_name, member=donor.person_id
            ),
            date=d.date,
            amount=d.amount,
            nature=d.nature,
            method=d.method,
            description=d.description,
            campaign=d.campaign_id,
            status=d.status,
            receipt=d.receipt.number if d.receipt_id else None,
        )


class DonationPageOut(Page):
    items: list[DonationOut]


class DonationListQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100, description="Only the gifts of this year.")
    donor: int | None = Field(None, ge=1, description="Only this donor's gifts.")


class DonationIn(BodySchema):
    donor: int = Field(description="A donor of the association.")
    date: datetime.date
    amount: Decimal = Field(
        gt=0, max_digits=11, decimal_places=2, description="Euros; the value for a gift in kind."
    )
    nature: Nature = Nature.MONEY
    method: Method = Field(Method.TRANSFER, description="For a gift of money.")
    description: str = Field(
        "", max_length=255, description="What was given in kind, the expenses given up."
    )
    campaign: int | None = Field(None, description="A campaign of the association.")


class ReceiptOut(Schema):
    id: int
    number: str
    kind: str = Field(description="`receipt` or `cancellation`.")
    cerfa: str = Field(description="`11580` (individuals) or `16216` (companies).")
    status: str = Field(description="`valid` or `cancelled`.")
    is_yearly: bool
    gift_year: int
    donor: DonorOut
    total: Decimal
    issued_at: datetime.datetime
    cancels: str | None = Field(description="For a cancellation: the number it cancels.")

    @classmethod
    def from_receipt(cls, r) -> ReceiptOut:
        donor = r.donor
        return cls(
            id=r.pk,
            number=r.number,
            kind=r.kind,
            cerfa=r.cerfa,
            status=r.status,
            is_yearly=r.is_yearly,
            gift_year=r.gift_year,
            donor=DonorOut(
                id=donor.pk, kind=donor.kind, name=donor.display_name, member=donor.person_id
            ),
            total=r.total,
            issued_at=r.issued_at,
            cancels=r.cancels.number if r.cancels_id else None,
        )


class ReceiptPageOut(Page):
    items: list[ReceiptOut]


class ReceiptListQuery(PageQuery):
    year: int | None = Field(None, ge=2000, le=2100, description="Year of issue.")
