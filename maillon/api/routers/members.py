"""The member register of an association: the same selectors and services as the
back-office pages, so permissions, validation and the audit log are the same."""

from django.http import HttpRequest
from ninja import Query, Router, Status

from maillon.members.fees.selectors import is_up_to_date
from maillon.members.permissions import Perm
from maillon.members.register import services
from maillon.members.register.selectors import person_get, person_slice

from ..errors import READ_ERRORS, WRITE_ERRORS
from ..schemas.members import (
    MemberCreateIn,
    MemberListQuery,
    MemberOut,
    MemberPageOut,
    MemberUpdateIn,
)
from ..tenancy import association_endpoint

router = Router(tags=["members"])


@router.get(
    "/{slug}/members",
    response={200: MemberPageOut, **READ_ERRORS},
    operation_id="members_list",
    summary="List members",
    description="The member register, filtered and paginated, ordered by last name then "
    "first name. Needs the `members.view` permission.",
)
@association_endpoint(Perm.VIEW_MEMBERS)
def members_list(request: HttpRequest, slug: str, filters: Query[MemberListQuery]):
    page, page_size = filters.page, filters.page_size
    start = (page - 1) * page_size
    count, exact, more, people = person_slice(
        association=request.association,
        offset=start,
        limit=page_size,
        search=filters.search,
        role=filters.role.value if filters.role else "",
        up_to_date=filters.up_to_date or "",
        status=filters.status,
    )
    items = [MemberOut.from_row(row) for row in people]
    return MemberPageOut(
        count=count,
        count_is_capped=not exact,
        page=page,
        page_size=page_size,
        next=page + 1 if more else None,
        previous=page - 1 if page > 1 else None,
        items=items,
    )


def _member_out(person) -> MemberOut:
    return MemberOut.from_person(person, is_up_to_date=is_up_to_date(person=person))


@router.get(
    "/{slug}/members/{person_id}",
    response={200: MemberOut, **READ_ERRORS},
    operation_id="members_get",
    summary="Member detail",
    description="One person of the register. 404 for anyone outside this association.",
)
@association_endpoint(Perm.VIEW_MEMBERS)
def members_get(request: HttpRequest, slug: str, person_id: int):
    return _member_out(person_get(association=request.association, person_id=person_id))


@router.post(
    "/{slug}/members",
    response={201: MemberOut, **WRITE_ERRORS},
    operation_id="members_create",
    summary="Add a member",
    description="Adds a person to the register with the given roles (default: `member`). "
    "Needs `members.manage`; roles other than `member` and `volunteer` also need "
    "`members.roles`. The change is recorded in the audit log.",
)
@association_endpoint(Perm.MANAGE_MEMBERS)
def members_create(request: HttpRequest, slug: str, payload: MemberCreateIn):
    fields = payload.dict(exclude_unset=True, exclude={"roles"})
    person = services.person_create(
        association=request.association,
        actor=request.user,
        roles=[role.value for role in payload.roles],
        **fields,
    )
    person = person_get(association=request.association, person_id=person.pk)
    return Status(201, _member_out(person))


@router.patch(
    "/{slug}/members/{person_id}",
    response={200: MemberOut, **WRITE_ERRORS},
    operation_id="members_update",
    summary="Change a member",
    description="Partial update: only the fields given in the body change. Needs "
    "`members.manage`. The change is recorded in the audit log.",
)
@association_endpoint(Perm.MANAGE_MEMBERS)
def members_update(request: HttpRequest, slug: str, person_id: int, payload: MemberUpdateIn):
    person = person_get(association=request.association, person_id=person_id)
    person = services.person_update(
        association=request.association,
        actor=request.user,
        person=person,
        **payload.dict(exclude_unset=True),
    )
    return _member_out(person)
