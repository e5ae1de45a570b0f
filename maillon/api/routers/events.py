"""Events, their registrations and the check-in at the door through the API: the
same selectors and services as the event pages (seats, waiting list, audit log).
An association that switched the events module off answers 404, like its pages."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from maillon.associations.models import Module
from maillon.events import services
from maillon.events.models import Campaign
from maillon.events.selectors import (
    campaigns_for_event,
    event_get,
    event_list,
    registration_get,
    registration_rows,
)
from maillon.members.permissions import Perm

from ..errors import READ_ERRORS, WRITE_ERRORS, conflict
from ..idempotency import checked_key, create_once, idempotency_key_header
from ..schemas.common import ErrorOut, PageQuery, ValidationErrorOut, page_fields
from ..schemas.events import (
    CheckInIn,
    EventCreateIn,
    EventListItemOut,
    EventOut,
    EventPageOut,
    RegistrationListQuery,
    RegistrationOut,
    RegistrationPageOut,
)
from ..tenancy import association_endpoint

router = Router(tags=["events"])


def events_endpoint(permission: str):
    return association_endpoint(permission, module=Module.EVENTS)


@router.get(
    "/associations/{slug}/events",
    response={200: EventPageOut, **READ_ERRORS},
    operation_id="events_list",
    summary="List events",
    description="The association's events, the latest first, with their waiting lists "
    "and check-ins. Drafts only for who manages events (`events.manage`). Needs "
    "`association.view`.",
)
@events_endpoint(Perm.VIEW_BACKOFFICE)
def events_list(request: HttpRequest, slug: str, filters: Query[PageQuery]):
    events = event_list(
        association=request.association,
        include_drafts=Perm.MANAGE_EVENTS in request.permissions,
    )
    page, page_size = filters.page, filters.page_size
    start = (page - 1) * page_size
    return EventPageOut(
        **page_fields(count=events.count(), page=page, page_size=page_size),
        items=[
            EventListItemOut.from_event(e, waiting=e.waiting_count, checked_in=e.checked_in_count)
            for e in events[start : start + page_size]
        ],
    )


def _local(value: datetime.datetime, time_zone: str) -> datetime.datetime:
    """A date and time without a time zone is the association's local time."""
    if timezone.is_aware(value):
        return value
    return timezone.make_aware(value, zoneinfo.ZoneInfo(time_zone or settings.TIME_ZONE))


def _campaign(slug: str | None) -> Campaign | None:
    if not slug:
        return None
    campaign = campaigns_for_event().filter(slug=slug).first()
    if campaign is None:
        message = _("No running or coming campaign has this slug: %(slug)s.") % {"slug": slug}
        raise ValidationError({"campaign": [message]})
    return campaign


@router.post(
    "/associations/{slug}/events",
    response={201: EventOut, **WRITE_ERRORS},
    operation_id="events_create",
    summary="Create an event",
    description="A draft, or published at once with `publish`. Needs `events.manage`. "
    "Takes an optional `Idempotency-Key` header.",
)
@events_endpoint(Perm.MANAGE_EVENTS)
def events_create(
    request: HttpRequest,
    slug: str,
    payload: EventCreateIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    key = checked_key(idempotency_key)
    association = request.association
    fields = payload.dict(exclude={"publish", "campaign"})
    fields["starts_at"] = _local(payload.starts_at, association.time_zone)
    fields["ends_at"] = _local(payload.ends_at, association.time_zone)
    fields["audience"] = payload.audience.value
    fields["campaign"] = _campaign(payload.campaign)

    def create() -> int:
        with transaction.atomic():
            event = services.event_create(association=association, actor=request.user, **fields)
            if payload.publish:
                event = services.event_publish(
                    association=association, actor=request.user, event=event
                )
        return event.pk

    event_id = create_once(request, scope="events", key=key, create=create)
    return Status(201, EventOut.from_event(event_get(association=association, event_id=event_id)))


@router.get(
    "/associations/{slug}/events/{event_id}/registrations",
    response={200: RegistrationPageOut, **READ_ERRORS},
    operation_id="events_registrations",
    summary="Registrations of an event",
    description="Who registered, by name: confirmed and waiting by default, or one "
    "status. Needs `events.manage`.",
)
@events_endpoint(Perm.MANAGE_EVENTS)
def events_registrations(
    request: HttpRequest, slug: str, event_id: int, filters: Query[RegistrationListQuery]
):
    event = event_get(association=request.association, event_id=event_id)
    rows = registration_rows(
        event=event, search=filters.q, status=filters.status.value if filters.status else ""
    )
    page, page_size = filters.page, filters.page_size
    start = (page - 1) * page_size
    return RegistrationPageOut(
        **page_fields(count=rows.count(), page=page, page_size=page_size),
        items=[RegistrationOut.from_registration(r) for r in rows[start : start + page_size]],
    )


@router.post(
    "/associations/{slug}/events/{event_id}/registrations/{registration_id}/check-in",
    response={200: RegistrationOut, **READ_ERRORS, 409: ErrorOut, 422: ValidationErrorOut},
    operation_id="events_check_in",
    summary="Check someone in",
    description="Ticks (or with `present: false` unticks) a registration at the door; "
    "someone from the waiting list is checked in as having come without a seat. Checking "
    "in twice changes nothing. 409 for an event not published or a cancelled "
    "registration. Needs `events.manage`.",
)
@events_endpoint(Perm.MANAGE_EVENTS)
def events_check_in(
    request: HttpRequest,
    slug: str,
    event_id: int,
    registration_id: int,
    payload: CheckInIn = None,
):
    association = request.association
    event = event_get(association=association, event_id=event_id)
    registration = registration_get(
        association=association, event=event, registration_id=registration_id
    )
    try:
        registration = services.registration_check_in(
            association=association,
            actor=request.user,
            registration=registration,
            present=payload.present if payload else True,
        )
    except ValidationError as error:
        raise conflict(error) from None
    return RegistrationOut.from_registration(registration)
