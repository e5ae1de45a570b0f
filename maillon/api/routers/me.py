"""The caller's own account and the associations where they hold a role."""

from django.http import HttpRequest
from ninja import Router

from maillon.members.permissions import permissions_for_roles
from maillon.members.roles.selectors import my_associations

from ..schemas.common import ErrorOut
from ..schemas.me import MeOut, MyAssociationOut

router = Router(tags=["me"])


@router.get(
    "",
    response={200: MeOut, 401: ErrorOut},
    operation_id="me_get",
    summary="Current user",
    description="The account the token belongs to.",
)
def me_get(request: HttpRequest):
    user = request.user
    return MeOut(email=user.email, name=user.full_name, language=user.language)


@router.get(
    "/associations",
    response={200: list[MyAssociationOut], 401: ErrorOut},
    operation_id="me_associations",
    summary="My associations",
    description="Every association where the caller holds at least one role, with those "
    "roles and the permissions they give. Use the `slug` in the other paths.",
)
def me_associations(request: HttpRequest):
    return [
        MyAssociationOut(
            slug=association.slug,
            name=association.name,
            roles=list(roles),
            permissions=sorted(permissions_for_roles(roles)),
        )
        for association, roles in my_associations(user=request.user)
    ]
