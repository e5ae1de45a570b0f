"""Shapes of the pooled resources and help requests API (read only for now)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema


class ResourceOut(Schema):
    id: int
    name: str
    kind: str = Field(description="`room`, `equipment`, `vehicle` or `skill_slot`.")
    owner: str = Field(description="Slug of the lending association.")
    department: str | None = Field(description="Department code.")
    quantity: int
    capacity: int | None
    deposit: Decimal
    fee: Decimal = Field(description="0 for a free loan.")
    insurance_required: bool
    approval_required: bool
    buffer_minutes: int


class BookingOut(Schema):
    id: int
    resource: str
    owner: str = Field(description="Slug of the lending association.")
    borrower: str = Field(description="Slug of the borrowing association.")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    status: str = Field(
        description="`requested`, `approved`, `checked_out`, `returned`, `closed`, "
        "`declined` or `cancelled`."
    )
    value_in_kind: Decimal


class HelpRequestOut(Schema):
    id: int
    title: str
    need: str
    deliverable: str
    skills: list[str] = Field(description="Skill codes.")
    format: str = Field(description="`remote`, `on_site` or `either`.")
    hours_estimate: Decimal | None
    deadline: datetime.date | None
    audiences: list[str] = Field(description="`volunteers`, `companies`, `networks`.")
    status: str = Field(description="`open` or `closed`.")
