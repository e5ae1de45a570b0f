"""Time sheets of skills sponsorship through the API: the association lists them and
validates or rejects each entry; a company's coordinator lists its entries and
enters time. The same selectors and services as the pages, with the same reach: an
association where the caller holds no role, a company the caller does not
coordinate, an entry or agreement outside them answer 404."""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from maillon.members.permissions import Perm
from maillon.network.help.companies.selectors import company_by_slug, is_company_coordinator
from maillon.network.help.sponsorship import selectors, services
from maillon.network.help.sponsorship.models import TimesheetStatus
from maillon.network.models import Company

from ...errors import READ_ERRORS, STEP_ERRORS, WRITE_ERRORS
from ...schemas.common import ValidationErrorOut
from ...schemas.network.sponsorship import (
    TimesheetEntryIn,
    TimesheetEntryOut,
    TimesheetQuery,
    TimesheetRejectIn,
)
from ...tenancy import association_endpoint

router = Router(tags=["skills sponsorship"])


def _coordinated(request: HttpRequest, company_slug: str) -> Company:
    company = company_by_slug(company_slug)
    if company is None or not is_company_coordinator(company=company, user=request.user):
        raise Http404
    return company


@router.get(
    "/associations/{slug}/timesheets",
    response={200: list[TimesheetEntryOut], **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="sponsorship_timesheets_list",
    summary="Time sheets of skills sponsorship",
    description="Time entered by the companies lending employees to the association, "
    "newest first (200 at most), filtered by status and year. Needs `association.view`.",
)
@association_endpoint(Perm.VIEW_BACKOFFICE)
def timesheets_list(request: HttpRequest, slug: str, filters: Query[TimesheetQuery]):
    entries = selectors.timesheet_entries(
        association=request.association,
        status=filters.status.value if filters.status else "",
        year=filters.year,
    )
    return [TimesheetEntryOut.from_entry(e, association_slug=slug) for e in entries]


def _decide(request: HttpRequest, entry_id: int, *, validate: bool, reason: str = ""):
    entry = selectors.timesheet_entry_get(association=request.association, entry_id=entry_id)
    if entry.status != TimesheetStatus.SUBMITTED:
        raise HttpError(409, _("This entry has already been decided."))
    services.timesheet_decide(
        association=request.association,
        actor=request.user,
        entry=entry,
        validate=validate,
        reason=reason,
    )
    entry = selectors.timesheet_entry_get(association=request.association, entry_id=entry_id)
    return TimesheetEntryOut.from_entry(entry, association_slug=request.association.slug)


@router.post(
    "/associations/{slug}/timesheets/{entry_id}/validate",
    response={200: TimesheetEntryOut, **STEP_ERRORS},
    operation_id="sponsorship_timesheet_validate",
    summary="Validate time of skills sponsorship",
    description="Submitted → validated: the hours count in the company's yearly total "
    "and its receipt. 409 for an entry already decided. Needs `association.manage`.",
)
@association_endpoint(Perm.MANAGE_ASSOCIATION)
def timesheet_validate(request: HttpRequest, slug: str, entry_id: int):
    return _decide(request, entry_id, validate=True)


@router.post(
    "/associations/{slug}/timesheets/{entry_id}/reject",
    response={200: TimesheetEntryOut, **STEP_ERRORS, 422: ValidationErrorOut},
    operation_id="sponsorship_timesheet_reject",
    summary="Reject time of skills sponsorship",
    description="Submitted → rejected, with the reason the company reads. 409 for an "
    "entry already decided. Needs `association.manage`.",
)
@association_endpoint(Perm.MANAGE_ASSOCIATION)
def timesheet_reject(request: HttpRequest, slug: str, entry_id: int, payload: TimesheetRejectIn):
    return _decide(request, entry_id, validate=False, reason=payload.reason)


@router.get(
    "/companies/{company_slug}/timesheets",
    response={200: list[TimesheetEntryOut], **READ_ERRORS, 422: ValidationErrorOut},
    operation_id="sponsorship_company_timesheets_list",
    summary="A company's time sheets",
    description="Time entered for the company's agreements with every association, "
    "newest first (200 at most). For the company's coordinators; anyone else gets 404.",
)
def company_timesheets_list(
    request: HttpRequest, company_slug: str, filters: Query[TimesheetQuery]
):
    company = _coordinated(request, company_slug)
    entries = selectors.timesheet_entries_for_company_across_associations(
        company=company,
        status=filters.status.value if filters.status else "",
        year=filters.year,
    )
    return [TimesheetEntryOut.from_entry(e) for e in entries]


@router.post(
    "/companies/{company_slug}/timesheets",
    response={201: TimesheetEntryOut, **WRITE_ERRORS},
    operation_id="sponsorship_company_timesheet_enter",
    summary="Enter time of a lent employee",
    description="Time of one employee named on one of the company's agreements, signed "
    "by both sides; it waits for the association's validation. Hours outside the "
    "agreement's period, not more than zero, or above 24 for the employee's day answer "
    "422 with the reason. For the company's coordinators; anyone else gets 404.",
)
def company_timesheet_enter(request: HttpRequest, company_slug: str, payload: TimesheetEntryIn):
    company = _coordinated(request, company_slug)
    agreement = selectors.agreement_get_for_company_across_associations(
        company=company, agreement_id=payload.agreement
    )
    row = selectors.agreement_employee_get(agreement=agreement, employee_id=payload.employee)
    entry = services.timesheet_enter(
        association=agreement.association,
        actor=request.user,
        company=company,
        row=row,
        date=payload.date,
        hours=payload.hours,
        description=payload.description,
    )
    entry = selectors.timesheet_entry_get_for_company_across_associations(
        company=company, entry_id=entry.pk
    )
    return Status(201, TimesheetEntryOut.from_entry(entry))
