"""An association the caller belongs to."""

from django.http import HttpRequest
from ninja import Router

from maillon.members.permissions import Perm

from ..schemas.associations import AssociationOut
from ..schemas.common import ErrorOut
from ..tenancy import association_endpoint

router = Router(tags=["associations"])


@router.get(
    "/{slug}",
    response={200: AssociationOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    operation_id="association_get",
    summary="Association profile",
    description="The profile of an association where the caller holds a role. 404 for any "
    "other association, whether it exists or not.",
)
@association_endpoint(Perm.VIEW_BACKOFFICE)
def association_get(request: HttpRequest, slug: str):
    return AssociationOut.from_association(request.association)
