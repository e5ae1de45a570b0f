"""Pooled resources and bookings through the API, the reads: the same selectors as the
pages, under the association's scope. The writes are in ``resources.py``; help
requests in ``help.py``."""

from django.http import HttpRequest
from ninja import Router

from maillon.members.permissions import Perm
from maillon.network.pooling.selectors import (
    borrowed_bookings_across_associations,
    catalogue_across_associations,
    owner_bookings,
)

from ...errors import READ_ERRORS
from ...schemas.network.pooling import BookingOut, ResourceOut
from ...tenancy import association_endpoint

router = Router(tags=["pooling"])
LIMIT = 200


def _resource(r) -> ResourceOut:
    return ResourceOut(
        id=r.pk,
        name=r.name,
        kind=r.kind,
        owner=r.association.slug,
        department=r.department.code if r.department else None,
        quantity=r.quantity,
        capacity=r.capacity,
        deposit=r.deposit,
        fee=r.fee,
        insurance_required=r.insurance_required,
        approval_required=r.approval_required,
        buffer_minutes=r.buffer_minutes,
    )


def _booking(b) -> BookingOut:
    return BookingOut(
        id=b.pk,
        resource=b.resource.name,
        owner=b.association.slug,
        borrower=b.borrower.slug,
        starts_at=b.starts_at,
        ends_at=b.ends_at,
        status=b.status,
        value_in_kind=b.value_in_kind,
    )


@router.get(
    "/associations/{slug}/resources",
    response={200: list[ResourceOut], **READ_ERRORS},
    operation_id="pooling_catalogue",
    summary="Resources the association may borrow",
    description="Rooms, equipment, vehicles and skill slots of other associations that "
    "this one may borrow (its networks' or open to any association), at most 200. "
    "Needs `association.view`.",
)
@association_endpoint(Perm.VIEW_BACKOFFICE)
def pooling_catalogue(request: HttpRequest, slug: str):
    resources = catalogue_across_associations(viewer=request.association)[:LIMIT]
    return [_resource(r) for r in resources]


@router.get(
    "/associations/{slug}/bookings",
    response={200: list[BookingOut], **READ_ERRORS},
    operation_id="pooling_bookings",
    summary="Bookings lent and borrowed",
    description="The latest bookings of the association's resources and those it made "
    "of other associations' resources (200 of each at most). Needs `association.view`.",
)
@association_endpoint(Perm.VIEW_BACKOFFICE)
def pooling_bookings(request: HttpRequest, slug: str):
    association = request.association
    lent = owner_bookings(association=association)
    borrowed = borrowed_bookings_across_associations(borrower=association)
    for booking in lent:
        booking.association = association
    for booking in borrowed:
        booking.borrower = association
    return [_booking(b) for b in [*lent, *borrowed]]
