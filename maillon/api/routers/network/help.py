"""Help requests through the API: list, read and write them (create, change, close)
and read the helpers suggested for one, with the same services, selectors and permissions as the
pages under /a/<slug>/help/. Creating a request
takes an optional ``Idempotency-Key`` header."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from maillon.associations.models import Association
from maillon.members.permissions import Perm
from maillon.network.help import services
from maillon.network.help.matching.selectors import helpers_for_request
from maillon.network.help.selectors import help_request_get, help_requests
from maillon.taxonomy.models import Skill

from ...errors import READ_ERRORS, STEP_ERRORS, WRITE_ERRORS, conflict
from ...idempotency import checked_key, create_once, idempotency_key_header
from ...schemas.common import ErrorOut
from ...schemas.network.help import (
    HelpRequestCreateIn,
    HelpRequestUpdateIn,
    SuggestedHelperOut,
)
from ...schemas.network.pooling import HelpRequestOut
from ...tenancy import association_endpoint

router = Router(tags=["help requests"])
VIEW = Perm.VIEW_BACKOFFICE
MANAGE = Perm.MANAGE_ASSOCIATION
LIMIT = 200


def _skills(codes: list[str] | None) -> list[Skill] | None:
    """Skills from their codes (None: not given); unknown codes answer 422."""
    if codes is None:
        return None
    codes = list(dict.fromkeys(codes))
    skills = list(Skill.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {s.code for s in skills})
    if unknown:
        raise ValidationError(
            {"skills": [_("Unknown skill codes: %(codes)s.") % {"codes": ", ".join(unknown)}]}
        )
    return skills


def _out(association: Association, help_request_id: int) -> HelpRequestOut:
    return _help_request_out(
        help_request_get(association=association, help_request_id=help_request_id)
    )


def _help_request_out(h) -> HelpRequestOut:
    """``h.skills`` prefetched."""
    return HelpRequestOut(
        id=h.pk,
        title=h.title,
        need=h.need,
        deliverable=h.deliverable,
        skills=[s.code for s in h.skills.all()],
        format=h.format,
        hours_estimate=h.hours_estimate,
        deadline=h.deadline,
        audiences=list(h.audiences or []),
        status=h.status,
    )


@router.get(
    "/associations/{slug}/help-requests",
    response={200: list[HelpRequestOut], **READ_ERRORS},
    operation_id="help_requests_list",
    summary="Help requests",
    description="The association's requests for skilled help, newest first (200 at "
    "most). Needs `association.view`.",
)
@association_endpoint(VIEW)
def help_requests_list(request: HttpRequest, slug: str):
    return [_help_request_out(h) for h in help_requests(association=request.association)[:LIMIT]]


@router.post(
    "/associations/{slug}/help-requests",
    response={201: HelpRequestOut, **WRITE_ERRORS},
    operation_id="help_requests_create",
    summary="Ask for skilled help",
    description="A request published at once to the helpers asked (`audiences`). Needs "
    "`association.manage`. Takes an optional `Idempotency-Key` header.",
)
@association_endpoint(MANAGE)
def help_requests_create(
    request: HttpRequest,
    slug: str,
    payload: HelpRequestCreateIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    key = checked_key(idempotency_key)
    skills = _skills(payload.skills)
    fields = payload.dict(exclude={"skills"})
    fields["format"] = payload.format.value
    fields["audiences"] = [a.value for a in payload.audiences]

    def create() -> int:
        return services.help_request_create(
            association=request.association, actor=request.user, skills=skills or [], **fields
        ).pk

    help_request_id = create_once(request, scope="help_requests", key=key, create=create)
    return Status(201, _out(request.association, help_request_id))


@router.get(
    "/associations/{slug}/help-requests/{help_request_id}",
    response={200: HelpRequestOut, **READ_ERRORS},
    operation_id="help_requests_get",
    summary="A help request",
    description="One request of the association. Needs `association.view`.",
)
@association_endpoint(VIEW)
def help_requests_get(request: HttpRequest, slug: str, help_request_id: int):
    return _out(request.association, help_request_id)


@router.patch(
    "/associations/{slug}/help-requests/{help_request_id}",
    response={200: HelpRequestOut, **WRITE_ERRORS, 409: ErrorOut},
    operation_id="help_requests_update",
    summary="Change a help request",
    description="Partial update of an open request: only the fields given change; a "
    "closed request answers 409. Needs `association.manage`.",
)
@association_endpoint(MANAGE)
def help_requests_update(
    request: HttpRequest, slug: str, help_request_id: int, payload: HelpRequestUpdateIn
):
    help_request = help_request_get(
        association=request.association, help_request_id=help_request_id
    )
    if help_request.status != "open":
        raise conflict(ValidationError(_("This request is closed.")))
    fields = payload.dict(exclude_unset=True)
    skills = _skills(fields.pop("skills", None))
    if fields.get("format") is not None:
        fields["format"] = str(fields["format"].value)
    if fields.get("audiences") is not None:
        fields["audiences"] = [a.value for a in fields["audiences"]]
    for name in ("title", "need", "deliverable", "format", "audiences"):
        if name in fields and fields[name] is None:
            raise ValidationError({name: [_("This field cannot be null.")]})
    services.help_request_update(
        association=request.association,
        actor=request.user,
        help_request=help_request,
        skills=skills,
        **fields,
    )
    return _out(request.association, help_request.pk)


@router.post(
    "/associations/{slug}/help-requests/{help_request_id}/close",
    response={200: HelpRequestOut, **STEP_ERRORS},
    operation_id="help_requests_close",
    summary="Close a help request",
    description="Open → closed: it is no longer shown to helpers. 409 for a request "
    "already closed. Needs `association.manage`.",
)
@association_endpoint(MANAGE)
def help_requests_close(request: HttpRequest, slug: str, help_request_id: int):
    help_request = help_request_get(
        association=request.association, help_request_id=help_request_id
    )
    try:
        services.help_request_close(
            association=request.association, actor=request.user, help_request=help_request
        )
    except ValidationError as error:
        raise conflict(error) from None
    return _out(request.association, help_request.pk)


@router.get(
    "/associations/{slug}/help-requests/{help_request_id}/suggested-helpers",
    response={200: list[SuggestedHelperOut], **READ_ERRORS},
    operation_id="help_requests_suggested_helpers",
    summary="Helpers suggested for a help request",
    description="Skills volunteers who let associations find their profile, employees "
    "that companies lend, the teams of the association's networks, of the kinds the "
    "request was asked of only, best suited first (30 at most), with the reasons. Only "
    "what the helpers agreed to show. A closed request suggests nobody. Needs "
    "`association.manage`, like the request's page.",
)
@association_endpoint(MANAGE)
def help_requests_suggested_helpers(request: HttpRequest, slug: str, help_request_id: int):
    help_request = help_request_get(
        association=request.association, help_request_id=help_request_id
    )
    suggestions = helpers_for_request(association=request.association, help_request=help_request)
    return [SuggestedHelperOut.from_helper(h) for h in suggestions.helpers]
