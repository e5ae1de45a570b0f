"""Volunteer hours and their valuation through the API: the list (everyone's for
who manages hours, one's own otherwise), logging hours, validating or rejecting
them, and the valuation of a year. The same selectors and services as the hours
pages, so permissions, validation and the audit log are the same.

An association that switched the volunteering module off answers 404, like its
pages. Logging hours takes an optional ``Idempotency-Key`` header."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from maillon.associations.models import Module
from maillon.members.permissions import Perm
from maillon.members.register.selectors import person_get
from maillon.volunteering.hours import selectors, services
from maillon.volunteering.models import Mission

from ...errors import READ_ERRORS, STEP_ERRORS, WRITE_ERRORS
from ...idempotency import checked_key, create_once, idempotency_key_header
from ...schemas.common import ValidationErrorOut, page_fields
from ...schemas.volunteering.hours import (
    HoursIn,
    HoursListQuery,
    HoursOut,
    HoursPageOut,
    HoursTotalsOut,
    ValuationActivityOut,
    ValuationMonthOut,
    ValuationOut,
    ValuationQuery,
)
from ...tenancy import association_endpoint

router = Router(tags=["volunteering"])


def _manages_hours(request: HttpRequest) -> bool:
    return Perm.MANAGE_HOURS in request.permissions


@router.get(
    "/associations/{slug}/hours",
    response={200: HoursPageOut, **READ_ERRORS},
    operation_id="hours_list",
    summary="List volunteer hours",
    description="Who manages hours (`volunteering.hours`) sees everyone's, filtered; "
    "anyone else sees their own (`volunteering.log_hours`; asking for someone else's "
    "answers 403). The newest first, with the totals of the filtered list.",
)
@association_endpoint(Perm.LOG_HOURS, module=Module.VOLUNTEERING)
def hours_list(request: HttpRequest, slug: str, filters: Query[HoursListQuery]):
    person_id = filters.person
    if not _manages_hours(request):
        if person_id is not None and person_id != request.person.pk:
            raise PermissionDenied(_("Only who manages volunteer hours sees other people's."))
        person_id = request.person.pk
    entries = selectors.hours_list(
        association=request.association,
        status=filters.status.value if filters.status else "",
        person_id=person_id,
        month=filters.month,
        activity=filters.activity.value if filters.activity else "",
    )
    totals = selectors.hours_totals(entries)
    page, page_size = filters.page, filters.page_size
    start = (page - 1) * page_size
    return HoursPageOut(
        **page_fields(count=entries.count(), page=page, page_size=page_size),
        totals=HoursTotalsOut(**totals),
        items=[HoursOut.from_entry(e) for e in entries[start : start + page_size]],
    )


@router.post(
    "/associations/{slug}/hours",
    response={201: HoursOut, **WRITE_ERRORS},
    operation_id="hours_log",
    summary="Log volunteer hours",
    description="Your own hours (they wait for validation), or, with `person` and "
    "`volunteering.hours`, someone's hours (validated at once), like the pages. A "
    "person or mission outside the association answers 404. Takes an optional "
    "`Idempotency-Key` header: hours logged twice would be valued twice.",
)
@association_endpoint(Perm.LOG_HOURS, module=Module.VOLUNTEERING)
def hours_log(
    request: HttpRequest,
    slug: str,
    payload: HoursIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    key = checked_key(idempotency_key)
    association = request.association
    person = None
    if payload.person is not None and payload.person != request.person.pk:
        if not _manages_hours(request):
            raise PermissionDenied(_("Only who manages volunteer hours logs them for others."))
        person = person_get(association=association, person_id=payload.person)
    mission = None
    if payload.mission is not None:
        mission = Mission.objects.filter(association=association, pk=payload.mission).first()
        if mission is None:
            raise Http404

    def create() -> int:
        return services.hours_log(
            association=association,
            actor=request.user,
            person=person,
            date=payload.date,
            hours=payload.hours,
            activity=payload.activity.value,
            mission=mission,
            description=payload.description,
        ).pk

    entry_id = create_once(request, scope="hours", key=key, create=create)
    entry = selectors.hours_get(association=association, hours_id=entry_id)
    return Status(201, HoursOut.from_entry(entry))


def _decide(request: HttpRequest, hours_id: int, *, validate: bool) -> HoursOut:
    entry = selectors.hours_get(association=request.association, hours_id=hours_id)
    decided = services.hours_decide(
        association=request.association,
        actor=request.user,
        entry_ids=[entry.pk],
        validate=validate,
    )
    if not decided:
        raise HttpError(409, _("This entry is not waiting for validation."))
    entry = selectors.hours_get(association=request.association, hours_id=entry.pk)
    return HoursOut.from_entry(entry)


@router.post(
    "/associations/{slug}/hours/{hours_id}/validate",
    response={200: HoursOut, **STEP_ERRORS},
    operation_id="hours_validate",
    summary="Validate hours",
    description="Pending → validated: the hours count in the valuation and certificates. "
    "409 for an entry already validated or rejected. Needs `volunteering.hours`.",
)
@association_endpoint(Perm.MANAGE_HOURS, module=Module.VOLUNTEERING)
def hours_validate(request: HttpRequest, slug: str, hours_id: int):
    return _decide(request, hours_id, validate=True)


@router.post(
    "/associations/{slug}/hours/{hours_id}/reject",
    response={200: HoursOut, **STEP_ERRORS},
    operation_id="hours_reject",
    summary="Reject hours",
    description="Pending → rejected. 409 for an entry already validated or rejected. "
    "Needs `volunteering.hours`.",
)
@association_endpoint(Perm.MANAGE_HOURS, module=Module.VOLUNTEERING)
def hours_reject(request: HttpRequest, slug: str, hours_id: int):
    return _decide(request, hours_id, validate=False)


@router.get(
    "/associations/{slug}/valuation",
    response={200: ValuationOut, **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="valuation_get",
    summary="Valuation of volunteer time",
    description="The validated hours of a year valued at the year's hourly rate, by "
    "activity and by month (the annual report's figures). Needs `volunteering.hours`.",
)
@association_endpoint(Perm.MANAGE_HOURS, module=Module.VOLUNTEERING)
def valuation_get(request: HttpRequest, slug: str, filters: Query[ValuationQuery]):
    year = filters.year or timezone.localdate().year
    data = selectors.valuation_for_year(association=request.association, year=year)
    return ValuationOut(
        year=data.year,
        hourly_rate=data.rate.rate,
        rate_is_locked=data.rate.is_locked,
        hours=data.hours,
        amount=data.amount,
        entries=data.entries,
        volunteers=data.volunteers,
        by_activity=[
            ValuationActivityOut(**{**row, "label": str(row["label"])}) for row in data.by_activity
        ],
        by_month=[ValuationMonthOut(**row) for row in data.by_month],
    )
