"""Shapes of the events API: events and their registrations."""

from __future__ import annotations

import datetime

from ninja import Field, Schema

from maillon.events.models import EventAudience, RegistrationStatus

from .common import BodySchema, MultilineText, Page, PageQuery

# --- Events -----------------------------------------------------------------------------


class EventOut(Schema):
    id: int
    title: str
    description: str
    audience: str = Field(description="`public` or `members`.")
    status: str = Field(description="`draft`, `published` or `cancelled`.")
    address: str
    postal_code: str
    city: str
    department: str | None = Field(description="Department code.")
    online_url: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None = Field(description="Null for no limit.")
    seats_taken: int
    seats_left: int | None
    registration_open: bool
    campaign: str | None = Field(description="Slug of the network campaign.")
    published_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None

    @classmethod
    def from_event(cls, event, **extra) -> EventOut:
        """``event.department`` and ``event.campaign`` should be selected."""
        return cls(
            id=event.pk,
            title=event.title,
            description=event.description,
            audience=event.audience,
            status=event.status,
            address=event.address,
            postal_code=event.postal_code,
            city=event.city,
            department=event.department.code if event.department_id else None,
            online_url=event.online_url,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            capacity=event.capacity,
            seats_taken=event.seats_taken,
            seats_left=event.seats_left,
            registration_open=event.registration_open,
            campaign=event.campaign.slug if event.campaign_id else None,
            published_at=event.published_at,
            cancelled_at=event.cancelled_at,
            **extra,
        )


class EventListItemOut(EventOut):
    waiting: int = Field(description="People on the waiting list.")
    checked_in: int


class EventPageOut(Page):
    items: list[EventListItemOut]


class EventCreateIn(BodySchema):
    """A new event, a draft unless ``publish`` is true. Give a place (address and
    postal code), an online link, or both. A date and time without a time zone is
    read in the association's time zone."""

    title: str = Field(min_length=1, max_length=200)
    description: MultilineText = ""
    audience: EventAudience = EventAudience.PUBLIC
    address: str = ""
    postal_code: str = ""
    city: str = ""
    online_url: str = ""
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    capacity: int | None = Field(None, ge=1, le=100_000, description="Null for no limit.")
    registration_open: bool = True
    campaign: str | None = Field(None, description="Slug of a running or coming campaign.")
    publish: bool = Field(False, description="Publish at once instead of saving a draft.")


class RegistrationOut(Schema):
    id: int
    first_name: str
    last_name: str
    email: str
    status: str = Field(
        description="`pending` (email not confirmed), `confirmed`, `waiting` or `cancelled`."
    )
    is_walk_in: bool = Field(description="Checked in without holding a seat.")
    person_id: int | None
    confirmed_at: datetime.datetime | None
    waiting_since: datetime.datetime | None
    checked_in_at: datetime.datetime | None

    @classmethod
    def from_registration(cls, registration) -> RegistrationOut:
        return cls(
            id=registration.pk,
            first_name=registration.first_name,
            last_name=registration.last_name,
            email=registration.email,
            status=registration.status,
            is_walk_in=registration.is_walk_in,
            person_id=registration.person_id,
            confirmed_at=registration.confirmed_at,
            waiting_since=registration.waiting_since,
            checked_in_at=registration.checked_in_at,
        )


class RegistrationPageOut(Page):
    items: list[RegistrationOut]


class RegistrationListQuery(PageQuery):
    status: RegistrationStatus | None = Field(
        None, description="Default: confirmed and waiting (who may come)."
    )
    q: str = Field("", max_length=100, description="Words to find in names or email.")


class CheckInIn(BodySchema):
    present: bool = Field(True, description="False unticks someone checked in by mistake.")
