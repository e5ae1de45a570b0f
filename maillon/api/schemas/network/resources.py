"""Shapes of the writes of pooled resources and bookings
(``routers/network/resources.py``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from maillon.network.models import BorrowerAudience, ResourceKind

from ..common import BodySchema, MultilineText
from .pooling import BookingOut, ResourceOut

MONEY = {"ge": 0, "max_digits": 9, "decimal_places": 2}


class OwnResourceOut(ResourceOut):
    description: str
    place: str
    value_in_kind: Decimal = Field(description="What a free loan is worth (€).")
    audience: str = Field(description="`networks`, `associations` or `public`.")
    opening_hours: str
    is_published: bool = Field(description="False once withdrawn from the catalogue.")


class ResourceCreateIn(BodySchema):
    name: str = Field(min_length=1, max_length=200)
    kind: ResourceKind = Field(description="`room`, `equipment`, `vehicle` or `skill_slot`.")
    description: MultilineText = ""
    department: str | None = Field(None, description="Department code, e.g. `69`.")
    place: str = Field("", max_length=200)
    quantity: int = Field(1, ge=1, le=32767, description="Units that can be lent at once.")
    capacity: int | None = Field(None, ge=0, description="People or seats.")
    deposit: Decimal = Field(Decimal(0), **MONEY)
    fee: Decimal = Field(Decimal(0), **MONEY, description="0 for a free loan.")
    value_in_kind: Decimal = Field(Decimal(0), **MONEY)
    insurance_required: bool = False
    audience: BorrowerAudience = Field(BorrowerAudience.NETWORKS)
    approval_required: bool = Field(True, description="False for instant booking.")
    buffer_minutes: int = Field(0, ge=0, le=100_000, description="Between two loans.")
    opening_hours: str = Field("", max_length=300)
    is_published: bool = True


class ResourceUpdateIn(BodySchema):
    """Partial update: only the fields given change."""

    name: str = Field(None, min_length=1, max_length=200)
    kind: ResourceKind = Field(None)
    description: MultilineText = Field(None)
    department: str | None = Field(None, description="Department code; null for none.")
    place: str = Field(None, max_length=200)
    quantity: int = Field(None, ge=1, le=32767)
    capacity: int | None = Field(None, ge=0)
    deposit: Decimal = Field(None, **MONEY)
    fee: Decimal = Field(None, **MONEY)
    value_in_kind: Decimal = Field(None, **MONEY)
    insurance_required: bool = Field(None)
    audience: BorrowerAudience = Field(None)
    approval_required: bool = Field(None)
    buffer_minutes: int = Field(None, ge=0, le=100_000)
    opening_hours: str = Field(None, max_length=300)
    is_published: bool = Field(None, description="False withdraws it from the catalogue.")


class BookingRequestIn(BodySchema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    purpose: str = Field("", max_length=300, description="What it is for.")


class BookingDetailOut(BookingOut):
    unit_number: int
    purpose: str
    decision_note: str
    cancellation_reason: str


class DecisionIn(BodySchema):
    note: str = Field("", max_length=300, description="Shown to the borrower.")


class CancelIn(BodySchema):
    reason: str = Field("", max_length=300)


class ExtendIn(BodySchema):
    ends_at: datetime.datetime = Field(description="The new end, after the current one.")


class FreeSlotOut(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class BookingClashOut(Schema):
    detail: str = Field(description="Who holds the slot and the next free one, in words.")
    holder: str | None = Field(None, description="Name of the association holding the slot.")
    next_free: FreeSlotOut | None = Field(
        None, description="The next free slot of the same length; null when there is none."
    )
