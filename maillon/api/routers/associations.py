"""An association the caller belongs to."""

from django.http import HttpRequest
from ninja import Router

from maillon.members.permissions import Perm

from ..errors import READ_ERRORS
from ..schemas.associations import AssociationOut
from ..tenancy import association_endpoint

router = Router(tags=["associations"])


@router.get(
    "/{slug}",
    response={200: AssociationOut, **READ_ERRORS},
    operation_id="association_get",
    summary="Association profile",
    description="The profile of an association where the caller holds a role. 404 for any "
    "other association, whether it exists or not.",
)
@association_endpoint(Perm.VIEW_BACKOFFICE)
def association_get(request: HttpRequest, slug: str):
    return AssociationOut.from_association(request.association)
