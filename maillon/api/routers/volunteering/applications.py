"""Applications to the association's missions through the API: the list, one
application with its thread, writing to the candidate and the decisions. The same
selectors and services as the application pages, so permissions, the audit log and
the emails to candidates are the same.

An association that switched the volunteering module off answers 404, like its
pages. Writing to a candidate takes an optional ``Idempotency-Key`` header."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Status

from maillon.associations.models import Association, Module
from maillon.members.permissions import Perm
from maillon.volunteering.applications import services
from maillon.volunteering.applications.selectors import (
    application_get,
    application_list,
    thread_of,
)

from ...errors import READ_ERRORS, STEP_ERRORS, WRITE_ERRORS, conflict
from ...idempotency import checked_key, create_once, idempotency_key_header
from ...schemas.common import ErrorOut, ValidationErrorOut, page_fields
from ...schemas.volunteering.applications import (
    AcceptIn,
    ApplicationDetailOut,
    ApplicationListQuery,
    ApplicationOut,
    ApplicationPageOut,
    MessageOut,
    ReplyIn,
)
from ...tenancy import association_endpoint

router = Router(tags=["volunteering"])


@router.get(
    "/associations/{slug}/applications",
    response={200: ApplicationPageOut, **READ_ERRORS},
    operation_id="applications_list",
    summary="List applications",
    description="Submitted applications (a guest's once their address is confirmed), "
    "the newest first. Needs `volunteering.view`.",
)
@association_endpoint(Perm.VIEW_VOLUNTEERING, module=Module.VOLUNTEERING)
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


def _application_detail(association: Association, application_id: int) -> ApplicationDetailOut:
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
@association_endpoint(Perm.VIEW_VOLUNTEERING, module=Module.VOLUNTEERING)
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
@association_endpoint(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
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
            return services.application_reply(
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
@association_endpoint(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
def applications_accept(
    request: HttpRequest, slug: str, application_id: int, payload: AcceptIn = None
):
    application = application_get(association=request.association, application_id=application_id)
    try:
        services.application_accept(
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
@association_endpoint(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
def applications_decline(request: HttpRequest, slug: str, application_id: int):
    application = application_get(association=request.association, application_id=application_id)
    try:
        services.application_decline(
            association=request.association, actor=request.user, application=application
        )
    except ValidationError as error:
        raise conflict(error) from None
    return _application_detail(request.association, application.pk)
