"""Shapes of the hours API (``routers/volunteering/hours.py``): volunteer hours and
the valuation of a year."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from maillon.volunteering.models import Activity, HoursStatus

from ..common import BodySchema, InputSchema, Page, PageQuery
from .applications import ApplicationMissionOut


class HoursPersonOut(Schema):
    id: int
    first_name: str
    last_name: str


class HoursOut(Schema):
    id: int
    person: HoursPersonOut
    mission: ApplicationMissionOut | None
    date: datetime.date
    hours: Decimal
    activity: str
    description: str
    status: str = Field(description="`pending`, `validated` or `rejected`.")
    validated_at: datetime.datetime | None
    created_at: datetime.datetime

    @classmethod
    def from_entry(cls, entry) -> HoursOut:
        person, mission = entry.person, entry.mission
        return cls(
            id=entry.pk,
            person=HoursPersonOut(
                id=person.pk, first_name=person.first_name, last_name=person.last_name
            ),
            mission=ApplicationMissionOut(id=mission.pk, title=mission.title) if mission else None,
            date=entry.date,
            hours=entry.hours,
            activity=entry.activity,
            description=entry.description,
            status=entry.status,
            validated_at=entry.validated_at,
            created_at=entry.created_at,
        )


class HoursTotalsOut(Schema):
    validated: Decimal = Field(description="Validated hours of the filtered list.")
    pending: Decimal = Field(description="Hours waiting for validation.")
    pending_count: int


class HoursPageOut(Page):
    totals: HoursTotalsOut
    items: list[HoursOut]


class HoursListQuery(PageQuery):
    status: HoursStatus | None = None
    person: int | None = Field(
        None, ge=1, description="Only this person's hours (for who manages hours)."
    )
    month: str = Field("", pattern=r"^(\d{4}-\d{2})?$", description="Year and month: `2026-03`.")
    activity: Activity | None = None


class HoursIn(BodySchema):
    date: datetime.date
    hours: Decimal = Field(ge=Decimal("0.25"), le=24, max_digits=5, decimal_places=2)
    activity: Activity
    mission: int | None = Field(None, description="A mission of the association.")
    description: str = Field("", max_length=255)
    person: int | None = Field(
        None,
        description="Whose hours (a member id). Omit to log your own; logging for "
        "someone else needs `volunteering.hours`.",
    )


class ValuationActivityOut(Schema):
    activity: str
    label: str
    hours: Decimal
    volunteers: int
    amount: Decimal


class ValuationMonthOut(Schema):
    month: datetime.date
    hours: Decimal
    volunteers: int
    amount: Decimal


class ValuationOut(Schema):
    year: int
    hourly_rate: Decimal = Field(description="€ per hour used for this year.")
    rate_is_locked: bool = Field(description="The year has a rate of its own.")
    hours: Decimal = Field(description="Validated hours of the year.")
    amount: Decimal = Field(description="Their value in €.")
    entries: int
    volunteers: int
    by_activity: list[ValuationActivityOut]
    by_month: list[ValuationMonthOut]


class ValuationQuery(InputSchema):
    year: int | None = Field(None, ge=2000, le=2100, description="Defaults to this year.")
