"""Volunteer missions, applications, hours and their valuation through the API: the
same selectors and services as the volunteering pages, so permissions, validation,
the audit log and the emails to candidates are the same.

Two public operations need no token: the mission search (the query string of
/missions/) and a mission's public page. Everything else is under
``/associations/{slug}/`` and needs the permission the matching page needs; an
association that switched the volunteering module off answers 404, like its pages.

Creating writes take an optional ``Idempotency-Key`` header (``api.idempotency``)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from maillon.associations.models import Module
from maillon.members.permissions import Perm
from maillon.members.selectors import person_get
from maillon.taxonomy.models import Cause, Skill
from maillon.volunteering.applications import services as application_services
from maillon.volunteering.applications.selectors import (
    application_counts,
    application_get,
    application_list,
    thread_of,
)
from maillon.volunteering.hours import selectors as hours_selectors
from maillon.volunteering.hours import services as hours_services
from maillon.volunteering.missions import services as mission_services
from maillon.volunteering.missions.forms import MissionSearchForm
from maillon.volunteering.missions.search import PAGE_SIZE, public_mission_search_page, public_mission_get
from maillon.volunteering.missions.selectors import mission_get, mission_list
from maillon.volunteering.models import ACTIVE_APPLICATION_STATUSES, Mission, MissionStatus

from ..errors import READ_ERRORS, STEP_ERRORS, WRITE_ERRORS, conflict
from ..idempotency import checked_key, create_once, idempotency_key_header
from ..schemas.common import ErrorOut, FieldErrorOut, ValidationErrorOut, page_fields
from ..schemas.volunteering import (
    AcceptIn,
    ApplicationDetailOut,
    ApplicationListQuery,
    ApplicationOut,
    ApplicationPageOut,
    HoursIn,
    HoursListQuery,
    HoursOut,
    HoursPageOut,
    HoursTotalsOut,
    MessageOut,
    MissionCreateIn,
    MissionListQuery,
    MissionOut,
    MissionPageOut,
    MissionSearchQuery,
    MissionUpdateIn,
    PublicMissionOut,
    PublicMissionPageOut,
    ReplyIn,
    ValuationActivityOut,
    ValuationMonthOut,
    ValuationOut,
    ValuationQuery,
)
from ..tenancy import association_endpoint

router = Router(tags=["volunteering"])


def volunteering_endpoint(permission: str):
    return association_endpoint(permission, module=Module.VOLUNTEERING)


# --- Public mission search ----------------------------------------------------------------


def _search_form(filters: MissionSearchQuery) -> MissionSearchForm:
    data = QueryDict(mutable=True)
    for name in ("q", "cause", "department", "association", "sort"):
        if getattr(filters, name):
            data[name] = getattr(filters, name)
    data.setlist("skill", filters.skill)
    if filters.remote:
        data["remote"] = "1"
    if filters.date:
        data["date"] = filters.date.isoformat()
    return MissionSearchForm(data)


@router.get(
    "/missions",
    auth=None,
    response={200: PublicMissionPageOut, 422: ValidationErrorOut},
    operation_id="missions_search",
    summary="Search volunteer missions",
    description="The public search of /missions/, no token needed: published missions "
    f"open to everyone, across the network, {PAGE_SIZE} per page. Same parameters as "
    "the page; an unknown skill, cause or department code answers 422.",
)
def missions_search(request: HttpRequest, filters: Query[MissionSearchQuery]):
    form = _search_form(filters)
    if not form.is_valid():
        return Status(
            422,
            ValidationErrorOut(
                detail=[
                    FieldErrorOut(loc=["query", field], msg=str(message), type="validation_error")
                    for field, messages in form.errors.items()
                    for message in messages
                ]
            ),
        )
    page = public_mission_search_page(form.filters(), filters.page, with_description=True)
    return PublicMissionPageOut(
        page=page.number,
        page_size=PAGE_SIZE,
        next=page.next_page_number if page.has_next else None,
        previous=page.previous_page_number if page.has_previous else None,
        items=[PublicMissionOut.from_mission(m) for m in page.missions],
    )


@router.get(
    "/missions/{mission_id}",
    auth=None,
    response={200: PublicMissionOut, 404: ErrorOut},
    operation_id="missions_public_get",
    summary="A public mission",
    description="A mission as its public page shows it, no token needed. A mission that "
    "is full or closed keeps its page (`takes_applications` is false); drafts and "
    "members-only missions answer 404.",
)
def missions_public_get(request: HttpRequest, mission_id: int):
    return PublicMissionOut.from_mission(public_mission_get(mission_id))


# --- Missions of an association -----------------------------------------------------------


def _skills_and_cause(
    codes: list[str] | None, cause_code: str | None
) -> tuple[list[Skill] | None, Cause | None]:
    """Skills and cause from their codes (None: not given); every unknown code is
    reported at once, by field."""
    errors: dict[str, list[str]] = {}
    skills = None
    if codes is not None:
        codes = list(dict.fromkeys(codes))
        skills = list(Skill.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {s.code for s in skills})
        if unknown:
            errors["skills"] = [
                _("Unknown skill codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            ]
    cause = Cause.objects.filter(code=cause_code).first() if cause_code else None
    if cause_code and cause is None:
        errors["cause"] = [_("Unknown cause code: %(code)s.") % {"code": cause_code}]
    if errors:
        raise ValidationError(errors)
    return skills, cause


def _mission_out(association, mission_id: int) -> MissionOut:
    mission = mission_get(association=association, mission_id=mission_id)
    counts = application_counts(association=association, mission_id=mission.pk)
    return MissionOut.from_mission(
        mission,
        applications=sum(counts.values()),
        waiting=sum(counts[s] for s in ACTIVE_APPLICATION_STATUSES),
    )


@router.get(
    "/associations/{slug}/missions",
    response={200: MissionPageOut, **READ_ERRORS},
    operation_id="missions_list",
    summary="List the association's missions",
    description="Every mission of the association (drafts included), the newest first, "
    "with its application counts. Needs `volunteering.view`.",
)
@volunteering_endpoint(Perm.VIEW_VOLUNTEERING)
def missions_list(request: HttpRequest, slug: str, filters: Query[MissionListQuery]):
    missions = mission_list(
        association=request.association, status=filters.status.value if filters.status else ""
    )
    page, page_size = filters.page, filters.page_size
    start = (page - 1) * page_size
    return MissionPageOut(
        **page_fields(count=missions.count(), page=page, page_size=page_size),
        items=[
            MissionOut.from_mission(
                m, applications=m.applications_count, waiting=m.applications_waiting
            )
            for m in missions[start : start + page_size]
        ],
    )


@router.post(
    "/associations/{slug}/missions",
    response={201: MissionOut, **WRITE_ERRORS},
    operation_id="missions_create",
    summary="Create a mission",
    description="A draft, or published at once with `publish`. Needs "
    "`volunteering.manage`. Takes an optional `Idempotency-Key` header.",
)
@volunteering_endpoint(Perm.MANAGE_MISSIONS)
def missions_create(
    request: HttpRequest,
    slug: str,
    payload: MissionCreateIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    key = checked_key(idempotency_key)
    fields = payload.dict(exclude={"skills", "cause", "publish"})
    skills, cause = _skills_and_cause(payload.skills, payload.cause)

    def create() -> int:
        return mission_services.mission_create(
            association=request.association,
            actor=request.user,
            skills=skills,
            cause=cause,
            status=MissionStatus.PUBLISHED if payload.publish else MissionStatus.DRAFT,
            **fields,
        ).pk

    mission_id = create_once(request, scope="missions", key=key, create=create)
    return Status(201, _mission_out(request.association, mission_id))


@router.get(
    "/associations/{slug}/missions/{mission_id}",
    response={200: MissionOut, **READ_ERRORS},
    operation_id="missions_get",
    summary="Mission detail",
    description="One mission of the association. Needs `volunteering.view`.",
)
@volunteering_endpoint(Perm.VIEW_VOLUNTEERING)
def missions_get(request: HttpRequest, slug: str, mission_id: int):
    return _mission_out(request.association, mission_id)


@router.patch(
    "/associations/{slug}/missions/{mission_id}",
    response={200: MissionOut, **WRITE_ERRORS},
    operation_id="missions_update",
    summary="Change a mission",
    description="Partial update: only the fields given change. Needs `volunteering.manage`.",
)
@volunteering_endpoint(Perm.MANAGE_MISSIONS)
def missions_update(request: HttpRequest, slug: str, mission_id: int, payload: MissionUpdateIn):
    mission = mission_get(association=request.association, mission_id=mission_id)
    fields = payload.dict(exclude_unset=True)
    skills, cause = _skills_and_cause(fields.pop("skills", None), fields.get("cause"))
    if "cause" in fields:
        fields["cause"] = cause
    mission_services.mission_update(
        association=request.association,
        actor=request.user,
        mission=mission,
        skills=skills,
        **fields,
    )
    return _mission_out(request.association, mission.pk)


def _mission_step(service):
    def operation(request: HttpRequest, slug: str, mission_id: int):
        mission = mission_get(association=request.association, mission_id=mission_id)
        try:
            service(association=request.association, actor=request.user, mission=mission)
        except ValidationError as error:
            raise conflict(error) from None
        return _mission_out(request.association, mission.pk)

    return operation


@router.post(
    "/associations/{slug}/missions/{mission_id}/publish",
    response={200: MissionOut, **STEP_ERRORS},
    operation_id="missions_publish",
    summary="Publish a mission",
    description="Draft → published (in the public search when open to everyone). 409 "
    "from any other status. Needs `volunteering.manage`.",
)
@volunteering_endpoint(Perm.MANAGE_MISSIONS)
def missions_publish(request: HttpRequest, slug: str, mission_id: int):
    return _mission_step(mission_services.mission_publish)(request, slug, mission_id)


@router.post(
    "/associations/{slug}/missions/{mission_id}/close",
    response={200: MissionOut, **STEP_ERRORS},
    operation_id="missions_close",
    summary="Close a mission",
    description="Draft, published or full → closed: it takes no more applications. 409 "
    "for a mission already closed. Needs `volunteering.manage`.",
)
@volunteering_endpoint(Perm.MANAGE_MISSIONS)
def missions_close(request: HttpRequest, slug: str, mission_id: int):
    return _mission_step(mission_services.mission_close)(request, slug, mission_id)


# --- Applications -------------------------------------------------------------------------


@router.get(
    "/associations/{slug}/applications",
    response={200: ApplicationPageOut, **READ_ERRORS},
    operation_id="applications_list",
    summary="List applications",
    description="Submitted applications (a guest's once their address is confirmed), "
    "the newest first. Needs `volunteering.view`.",
)
@volunteering_endpoint(Perm.VIEW_VOLUNTEERING)
def applications_list(request: HttpRequest, slug: str, filters: Query[ApplicationListQuery]):
    applications = application_list(
        association=request.association,
        status=filters.status.value if filters.status else "",
        mission_id=filters.mission,
    )
    page, page_size = filters.page, filters.page_size
    start = (page - 1) * page_size
    return ApplicationPageOut(
        **page_fields(count=applications.count(), page=page, page_size=page_size),
        items=[ApplicationOut.from_application(a) for a in applications[start : start + page_size]],
    )


def _application_detail(association, application_id: int) -> ApplicationDetailOut:
    application = application_get(association=association, application_id=application_id)
    return ApplicationDetailOut.from_application(
        application, thread=[MessageOut.from_message(m) for m in thread_of(application)]
    )


@router.get(
    "/associations/{slug}/applications/{application_id}",
    response={200: ApplicationDetailOut, **READ_ERRORS},
    operation_id="applications_get",
    summary="Application detail",
    description="One application with its thread of messages. Needs `volunteering.view`.",
)
@volunteering_endpoint(Perm.VIEW_VOLUNTEERING)
def applications_get(request: HttpRequest, slug: str, application_id: int):
    return _application_detail(request.association, application_id)


@router.post(
    "/associations/{slug}/applications/{application_id}/reply",
    response={201: MessageOut, **WRITE_ERRORS, 409: ErrorOut},
    operation_id="applications_reply",
    summary="Write to the candidate",
    description="A message in the application's thread, sent to the candidate by email; "
    "the first message puts a new application in discussion. 409 once the application "
    "is declined or withdrawn. Needs `volunteering.manage`. Takes an optional "
    "`Idempotency-Key` header.",
)
@volunteering_endpoint(Perm.MANAGE_MISSIONS)
def applications_reply(
    request: HttpRequest,
    slug: str,
    application_id: int,
    payload: ReplyIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    key = checked_key(idempotency_key)
    application = application_get(association=request.association, application_id=application_id)

    def create() -> int:
        try:
            return application_services.application_reply(
                association=request.association,
                actor=request.user,
                application=application,
                body=payload.body,
            ).pk
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                raise
            raise conflict(error) from None

    message_id = create_once(request, scope=f"reply:{application.pk}", key=key, create=create)
    message = next(m for m in thread_of(application) if m.pk == message_id)
    return Status(201, MessageOut.from_message(message))


@router.post(
    "/associations/{slug}/applications/{application_id}/accept",
    response={200: ApplicationOut, **STEP_ERRORS, 422: ValidationErrorOut},
    operation_id="applications_accept",
    summary="Accept a candidate",
    description="The candidate becomes a volunteer of the association (their record in "
    "the register gets the volunteer role) and is told by email. 409 for an application "
    "already decided or withdrawn. Needs `volunteering.manage`.",
)
@volunteering_endpoint(Perm.MANAGE_MISSIONS)
def applications_accept(
    request: HttpRequest, slug: str, application_id: int, payload: AcceptIn = None
):
    application = application_get(association=request.association, application_id=application_id)
    try:
        application_services.application_accept(
            association=request.association,
            actor=request.user,
            application=application,
            mark_full_when_complete=payload.mark_full_when_complete if payload else True,
        )
    except ValidationError as error:
        raise conflict(error) from None
    return _application_detail(request.association, application.pk)


@router.post(
    "/associations/{slug}/applications/{application_id}/decline",
    response={200: ApplicationOut, **STEP_ERRORS},
    operation_id="applications_decline",
    summary="Decline a candidate",
    description="The candidate is told by email. 409 for an application already decided "
    "or withdrawn. Needs `volunteering.manage`.",
)
@volunteering_endpoint(Perm.MANAGE_MISSIONS)
def applications_decline(request: HttpRequest, slug: str, application_id: int):
    application = application_get(association=request.association, application_id=application_id)
    try:
        application_services.application_decline(
            association=request.association, actor=request.user, application=application
        )
    except ValidationError as error:
        raise conflict(error) from None
    return _application_detail(request.association, application.pk)


# --- Hours --------------------------------------------------------------------------------


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
@volunteering_endpoint(Perm.LOG_HOURS)
def hours_list(request: HttpRequest, slug: str, filters: Query[HoursListQuery]):
    person_id = filters.person
    if not _manages_hours(request):
        if person_id is not None and person_id != request.person.pk:
            raise PermissionDenied(_("Only who manages volunteer hours sees other people's."))
        person_id = request.person.pk
    entries = hours_selectors.hours_list(
        association=request.association,
        status=filters.status.value if filters.status else "",
        person_id=person_id,
        month=filters.month,
        activity=filters.activity.value if filters.activity else "",
    )
    totals = hours_selectors.hours_totals(entries)
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
@volunteering_endpoint(Perm.LOG_HOURS)
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
        return hours_services.hours_log(
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
    entry = hours_selectors.hours_get(association=association, hours_id=entry_id)
    return Status(201, HoursOut.from_entry(entry))


def _decide(request: HttpRequest, hours_id: int, *, validate: bool) -> HoursOut:
    entry = hours_selectors.hours_get(association=request.association, hours_id=hours_id)
    decided = hours_services.hours_decide(
        association=request.association,
        actor=request.user,
        entry_ids=[entry.pk],
        validate=validate,
    )
    if not decided:
        raise HttpError(409, _("This entry is not waiting for validation."))
    entry = hours_selectors.hours_get(association=request.association, hours_id=entry.pk)
    return HoursOut.from_entry(entry)


@router.post(
    "/associations/{slug}/hours/{hours_id}/validate",
    response={200: HoursOut, **STEP_ERRORS},
    operation_id="hours_validate",
    summary="Validate hours",
    description="Pending → validated: the hours count in the valuation and certificates. "
    "409 for an entry already validated or rejected. Needs `volunteering.hours`.",
)
@volunteering_endpoint(Perm.MANAGE_HOURS)
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
@volunteering_endpoint(Perm.MANAGE_HOURS)
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
@volunteering_endpoint(Perm.MANAGE_HOURS)
def valuation_get(request: HttpRequest, slug: str, filters: Query[ValuationQuery]):
    year = filters.year or timezone.localdate().year
    data = hours_selectors.valuation_for_year(association=request.association, year=year)
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
