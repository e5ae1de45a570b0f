"""Shapes of the skills sponsorship time sheets API (``routers/network/sponsorship.py``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from ninja import Field, Schema

from maillon.network.help.sponsorship.models import TimesheetStatus

from ..common import BodySchema, InputSchema, MultilineText


class TimesheetEntryOut(Schema):
    id: int
    association: str = Field(description="Slug of the association helped.")
    company: str = Field(description="Slug of the company's space.")
    agreement: int
    employee: int = Field(description="Id of the lent employee.")
    employee_name: str
    date: datetime.date
    hours: Decimal
    description: str
    status: str = Field(description="`submitted`, `validated` or `rejected`.")
    rejection_reason: str
    decided_at: datetime.datetime | None
    created_at: datetime.datetime

    @classmethod
    def from_entry(cls, entry, *, association_slug: str | None = None) -> TimesheetEntryOut:
        return cls(
            id=entry.pk,
            association=association_slug or entry.association.slug,
            company=entry.agreement.company.slug,
            agreement=entry.agreement_id,
            employee=entry.agreement_employee.employee_id,
            employee_name=entry.agreement_employee.employee.full_name,
            date=entry.date,
            hours=entry.hours,
            description=entry.description,
            status=entry.status,
            rejection_reason=entry.rejection_reason,
            decided_at=entry.decided_at,
            created_at=entry.created_at,
        )


class TimesheetQuery(InputSchema):
    status: TimesheetStatus | None = None
    year: int | None = Field(None, ge=2000, le=2100)


class TimesheetEntryIn(BodySchema):
    agreement: int = Field(description="An agreement of the company, signed by both sides.")
    employee: int = Field(description="Id of a lent employee named on the agreement.")
    date: datetime.date = Field(description="A day inside the agreement's period, not ahead.")
    hours: Decimal = Field(
        description="More than 0, at most 24 for the employee's day, in quarters of an hour.",
        max_digits=6,
        decimal_places=2,
    )
    description: MultilineText = Field(min_length=1, max_length=2000)


class TimesheetRejectIn(BodySchema):
    reason: MultilineText = Field(min_length=1, max_length=1000)
