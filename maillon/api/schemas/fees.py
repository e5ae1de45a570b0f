"""Shapes of a member's own membership (fees)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema


class MyFeeOut(Schema):
    start: datetime.date
    end: datetime.date
    fee_type: str = Field(description="Name of the fee type, empty when none was chosen.")
    amount: Decimal = Field(description="In euros.")
    method: str = Field(description="`cash`, `cheque`, `transfer`, `card`, `online`...")
    paid: bool
    paid_on: datetime.date | None
    refunded: bool = Field(description="Paid, then refunded: the period no longer counts.")
    receipt_url: str = Field(description="The payment provider's receipt, when paid online.")


class MyMembershipOut(Schema):
    up_to_date: bool = Field(description="Holds a paid membership period covering today.")
    up_to_date_until: datetime.date | None = Field(
        description="End of the latest paid period (in the past when it has lapsed)."
    )
    fees: list[MyFeeOut] = Field(description="The latest 50 periods, newest first.")
