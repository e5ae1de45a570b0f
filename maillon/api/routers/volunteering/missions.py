"""Volunteer missions through the API: the public search and a mission's public
page (no token needed: the query string of /missions/), and the association's
missions under ``/associations/{slug}/`` (the same selectors and services as the
mission pages, so permissions, validation and the audit log are the same).

An association that switched the volunteering module off answers 404, like its
pages. Creating a mission takes an optional ``Idempotency-Key`` header."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from maillon.associations.models import Association, Module
from maillon.members.permissions import Perm
from maillon.taxonomy.models import Cause, Skill
from maillon.volunteering.applications.selectors import application_counts
from maillon.volunteering.missions import services
from maillon.volunteering.missions.forms import MissionSearchForm
from maillon.volunteering.missions.search import (
    PAGE_SIZE,
    public_mission_get,
    public_mission_search_page,
)
from maillon.volunteering.missions.selectors import mission_get, mission_list
from maillon.volunteering.models import ACTIVE_APPLICATION_STATUSES, MissionStatus

from ...errors import READ_ERRORS, STEP_ERRORS, WRITE_ERRORS, conflict
from ...idempotency import checked_key, create_once, idempotency_key_header
from ...schemas.common import ErrorOut, FieldErrorOut, ValidationErrorOut, page_fields
from ...schemas.volunteering.missions import (
    MissionCreateIn,
    MissionListQuery,
    MissionOut,
    MissionPageOut,
    MissionSearchQuery,
    MissionUpdateIn,
    PublicMissionOut,
    PublicMissionPageOut,
)
from ...tenancy import association_endpoint

router = Router(tags=["volunteering"])


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


def _mission_out(association: Association, mission_id: int) -> MissionOut:
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
@association_endpoint(Perm.VIEW_VOLUNTEERING, module=Module.VOLUNTEERING)
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
@association_endpoint(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
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
        return services.mission_create(
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
@association_endpoint(Perm.VIEW_VOLUNTEERING, module=Module.VOLUNTEERING)
def missions_get(request: HttpRequest, slug: str, mission_id: int):
    return _mission_out(request.association, mission_id)


@router.patch(
    "/associations/{slug}/missions/{mission_id}",
    response={200: MissionOut, **WRITE_ERRORS},
    operation_id="missions_update",
    summary="Change a mission",
    description="Partial update: only the fields given change. Needs `volunteering.manage`.",
)
@association_endpoint(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
def missions_update(request: HttpRequest, slug: str, mission_id: int, payload: MissionUpdateIn):
    mission = mission_get(association=request.association, mission_id=mission_id)
    fields = payload.dict(exclude_unset=True)
    skills, cause = _skills_and_cause(fields.pop("skills", None), fields.get("cause"))
    if "cause" in fields:
        fields["cause"] = cause
    services.mission_update(
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
@association_endpoint(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
def missions_publish(request: HttpRequest, slug: str, mission_id: int):
    return _mission_step(services.mission_publish)(request, slug, mission_id)


@router.post(
    "/associations/{slug}/missions/{mission_id}/close",
    response={200: MissionOut, **STEP_ERRORS},
    operation_id="missions_close",
    summary="Close a mission",
    description="Draft, published or full → closed: it takes no more applications. 409 "
    "for a mission already closed. Needs `volunteering.manage`.",
)
@association_endpoint(Perm.MANAGE_MISSIONS, module=Module.VOLUNTEERING)
def missions_close(request: HttpRequest, slug: str, mission_id: int):
    return _mission_step(services.mission_close)(request, slug, mission_id)
