"""Writes of pooled resources and bookings through the API, with the services of the
pages under /a/<slug>/resources/ (so the no-double-booking rule, the permissions and
the audit log of both parties are the same).

- the owner creates, changes and withdraws its resources (``shared-resources``);
- a borrower requests a booking of a resource of the catalogue; a slot taken answers
  409 naming who holds it and the next free slot, like the page;
- the owner approves or declines; either party cancels or extends. A booking is
  reached by its owner and its borrower only: anyone else gets 404.

Creating a resource or a booking takes an optional ``Idempotency-Key`` header."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from maillon.associations.models import Association
from maillon.members.permissions import Perm
from maillon.network.pooling import services
from maillon.network.pooling.selectors import (
    booking_for_party_across_associations,
    own_resource_get,
    own_resources,
    visible_resource_get_across_associations,
)
from maillon.taxonomy.models import Department

from ...errors import READ_ERRORS, STEP_ERRORS, WRITE_ERRORS, conflict
from ...idempotency import checked_key, create_once, idempotency_key_header
from ...schemas.network.resources import (
    BookingClashOut,
    BookingDetailOut,
    BookingRequestIn,
    CancelIn,
    DecisionIn,
    ExtendIn,
    FreeSlotOut,
    OwnResourceOut,
    ResourceCreateIn,
    ResourceUpdateIn,
)
from ...tenancy import association_endpoint

router = Router(tags=["pooling"])
VIEW = Perm.VIEW_BACKOFFICE
MANAGE = Perm.MANAGE_ASSOCIATION
LIMIT = 200
#: The fields of a resource that may be set to null (the others answer 422).
NULLABLE = ("department", "capacity")
#: A step of a booking: its state refuses it, or the slot is taken (extend).
BOOKING_STEP_ERRORS = {**STEP_ERRORS, 400: WRITE_ERRORS[400], 422: WRITE_ERRORS[422]}


# --- resources of the association ---------------------------------------------------------


def _resource_out(r) -> OwnResourceOut:
    return OwnResourceOut(
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
        description=r.description,
        place=r.place,
        value_in_kind=r.value_in_kind,
        audience=r.audience,
        opening_hours=r.opening_hours,
        is_published=r.is_published,
    )


def _department(fields: dict) -> None:
    """The department code of ``fields`` as a Department (422 when unknown)."""
    if "department" not in fields or fields["department"] is None:
        return
    code = fields["department"]
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise ValidationError(
            {"department": [_("Unknown department code: %(code)s.") % {"code": code}]}
        )
    fields["department"] = department


def _choices(fields: dict) -> None:
    for name in ("kind", "audience"):
        if fields.get(name) is not None:
            fields[name] = str(fields[name].value)


@router.get(
    "/associations/{slug}/shared-resources",
    response={200: list[OwnResourceOut], **READ_ERRORS},
    operation_id="shared_resources_list",
    summary="The association's own resources",
    description="What the association lends (withdrawn ones included), at most 200. "
    "Needs `association.view`.",
)
@association_endpoint(VIEW)
def shared_resources_list(request: HttpRequest, slug: str):
    resources = own_resources(association=request.association).select_related("association")
    return [_resource_out(r) for r in resources.order_by("name", "id")[:LIMIT]]


@router.post(
    "/associations/{slug}/shared-resources",
    response={201: OwnResourceOut, **WRITE_ERRORS},
    operation_id="shared_resources_create",
    summary="Lend a resource",
    description="A room, equipment, a vehicle or a skill slot the association lends, "
    "shown in the catalogue of those who may borrow it (`audience`) unless "
    "`is_published` is false. Needs `association.manage`. Takes an optional "
    "`Idempotency-Key` header.",
)
@association_endpoint(MANAGE)
def shared_resources_create(
    request: HttpRequest,
    slug: str,
    payload: ResourceCreateIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    key = checked_key(idempotency_key)
    fields = payload.dict()
    _department(fields)
    _choices(fields)

    def create() -> int:
        return services.resource_create(
            association=request.association, actor=request.user, **fields
        ).pk

    resource_id = create_once(request, scope="shared_resources", key=key, create=create)
    return Status(
        201,
        _resource_out(own_resource_get(association=request.association, resource_id=resource_id)),
    )


@router.get(
    "/associations/{slug}/shared-resources/{resource_id}",
    response={200: OwnResourceOut, **READ_ERRORS},
    operation_id="shared_resources_get",
    summary="One of the association's resources",
    description="Needs `association.view`.",
)
@association_endpoint(VIEW)
def shared_resources_get(request: HttpRequest, slug: str, resource_id: int):
    return _resource_out(own_resource_get(association=request.association, resource_id=resource_id))


def _update(request: HttpRequest, resource_id: int, fields: dict) -> OwnResourceOut:
    resource = own_resource_get(association=request.association, resource_id=resource_id)
    services.resource_update(
        association=request.association, actor=request.user, resource=resource, **fields
    )
    return _resource_out(own_resource_get(association=request.association, resource_id=resource.pk))


@router.patch(
    "/associations/{slug}/shared-resources/{resource_id}",
    response={200: OwnResourceOut, **WRITE_ERRORS},
    operation_id="shared_resources_update",
    summary="Change a resource",
    description="Partial update: only the fields given change. Bookings already made "
    "keep their period. Needs `association.manage`.",
)
@association_endpoint(MANAGE)
def shared_resources_update(
    request: HttpRequest, slug: str, resource_id: int, payload: ResourceUpdateIn
):
    fields = payload.dict(exclude_unset=True)
    nulls = [n for n, v in fields.items() if v is None and n not in NULLABLE]
    if nulls:
        raise ValidationError({n: [_("This field cannot be null.")] for n in nulls})
    _department(fields)
    _choices(fields)
    return _update(request, resource_id, fields)


@router.post(
    "/associations/{slug}/shared-resources/{resource_id}/withdraw",
    response={200: OwnResourceOut, **STEP_ERRORS},
    operation_id="shared_resources_withdraw",
    summary="Withdraw a resource from the catalogue",
    description="Nobody can book it any more; bookings already made stay (cancel them "
    "one by one if need be). 409 when it is already withdrawn; `PATCH` with "
    "`is_published: true` puts it back. Needs `association.manage`.",
)
@association_endpoint(MANAGE)
def shared_resources_withdraw(request: HttpRequest, slug: str, resource_id: int):
    resource = own_resource_get(association=request.association, resource_id=resource_id)
    if not resource.is_published:
        raise conflict(ValidationError(_("This resource is already withdrawn.")))
    return _update(request, resource.pk, {"is_published": False})


# --- bookings -----------------------------------------------------------------------------


def _booking_out(association: Association, booking_id: int) -> BookingDetailOut:
    b = booking_for_party_across_associations(association=association, booking_id=booking_id)
    return BookingDetailOut(
        id=b.pk,
        resource=b.resource.name,
        owner=b.association.slug,
        borrower=b.borrower.slug,
        starts_at=b.starts_at,
        ends_at=b.ends_at,
        status=b.status,
        value_in_kind=b.value_in_kind,
        unit_number=b.unit_number,
        purpose=b.purpose,
        decision_note=b.decision_note,
        cancellation_reason=b.cancellation_reason,
    )


def _clash(clash: services.BookingClash):
    return Status(
        409,
        BookingClashOut(
            detail=" ".join(str(m) for m in clash.messages),
            holder=clash.holder.name if clash.holder is not None else None,
            next_free=(
                FreeSlotOut(starts_at=clash.next_start, ends_at=clash.next_end)
                if clash.next_start is not None
                else None
            ),
        ),
    )


@router.post(
    "/associations/{slug}/resources/{resource_id}/bookings",
    response={201: BookingDetailOut, 409: BookingClashOut, **WRITE_ERRORS},
    operation_id="bookings_request",
    summary="Book a resource of the catalogue",
    description="The association asks for a resource it may borrow (see "
    "`pooling_catalogue`) over a period: `approved` at once when the owner needs no "
    "approval, `requested` otherwise. A slot taken answers 409 with who holds it and "
    "the next free slot of the same length. A resource outside the catalogue answers "
    "404. Needs `association.manage`. Takes an optional `Idempotency-Key` header.",
)
@association_endpoint(MANAGE)
def bookings_request(
    request: HttpRequest,
    slug: str,
    resource_id: int,
    payload: BookingRequestIn,
    idempotency_key: str | None = idempotency_key_header(),
):
    key = checked_key(idempotency_key)
    resource = visible_resource_get_across_associations(
        viewer=request.association, resource_id=resource_id
    )

    def create() -> int:
        return services.booking_request(
            association=request.association,
            actor=request.user,
            resource=resource,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            purpose=payload.purpose,
        ).pk

    try:
        booking_id = create_once(request, scope="bookings", key=key, create=create)
    except services.BookingClash as clash:
        return _clash(clash)
    return Status(201, _booking_out(request.association, booking_id))


@router.get(
    "/associations/{slug}/bookings/{booking_id}",
    response={200: BookingDetailOut, **READ_ERRORS},
    operation_id="bookings_get",
    summary="A booking",
    description="A booking of the association's resources or one it made: reached by "
    "the owner and the borrower only. Needs `association.view`.",
)
@association_endpoint(VIEW)
def bookings_get(request: HttpRequest, slug: str, booking_id: int):
    return _booking_out(request.association, booking_id)


def _step(request: HttpRequest, booking_id: int, service, *, owner_only=False, **arguments):
    booking = booking_for_party_across_associations(
        association=request.association, booking_id=booking_id
    )
    if owner_only and booking.association_id != request.association.pk:
        # The borrower sees the booking: it is told why it cannot decide.
        raise PermissionDenied(_("Only the association that lends the resource decides."))
    try:
        service(association=request.association, actor=request.user, booking=booking, **arguments)
    except services.BookingClash as clash:
        return _clash(clash)
    except ValidationError as error:
        raise conflict(error) from None
    return _booking_out(request.association, booking.pk)


@router.post(
    "/associations/{slug}/bookings/{booking_id}/approve",
    response={200: BookingDetailOut, **BOOKING_STEP_ERRORS},
    operation_id="bookings_approve",
    summary="Approve a booking request",
    description="The owner approves a `requested` booking (409 from any other status); "
    "the borrower gets 403. Needs `association.manage`.",
)
@association_endpoint(MANAGE)
def bookings_approve(request: HttpRequest, slug: str, booking_id: int, payload: DecisionIn):
    return _step(
        request,
        booking_id,
        services.booking_decide,
        owner_only=True,
        approve=True,
        note=payload.note,
    )


@router.post(
    "/associations/{slug}/bookings/{booking_id}/decline",
    response={200: BookingDetailOut, **BOOKING_STEP_ERRORS},
    operation_id="bookings_decline",
    summary="Decline a booking request",
    description="The owner declines a `requested` booking; the slot goes to the "
    "waiting list; the borrower gets 403. Needs `association.manage`.",
)
@association_endpoint(MANAGE)
def bookings_decline(request: HttpRequest, slug: str, booking_id: int, payload: DecisionIn):
    return _step(
        request,
        booking_id,
        services.booking_decide,
        owner_only=True,
        approve=False,
        note=payload.note,
    )


@router.post(
    "/associations/{slug}/bookings/{booking_id}/cancel",
    response={200: BookingDetailOut, **BOOKING_STEP_ERRORS},
    operation_id="bookings_cancel",
    summary="Cancel a booking",
    description="The owner or the borrower cancels a booking that has not left yet "
    "(`requested` or `approved`; 409 otherwise); the slot goes to the waiting list. "
    "Needs `association.manage`.",
)
@association_endpoint(MANAGE)
def bookings_cancel(request: HttpRequest, slug: str, booking_id: int, payload: CancelIn):
    return _step(request, booking_id, services.booking_cancel, reason=payload.reason)


@router.post(
    "/associations/{slug}/bookings/{booking_id}/extend",
    response={200: BookingDetailOut, **BOOKING_STEP_ERRORS, 409: BookingClashOut},
    operation_id="bookings_extend",
    summary="Extend a loan",
    description="The owner or the borrower moves the end of a booking that holds its "
    "unit later. The new period is checked like a new request: a clash answers 409 "
    "with who holds the slot and the next free one. Needs `association.manage`.",
)
@association_endpoint(MANAGE)
def bookings_extend(request: HttpRequest, slug: str, booking_id: int, payload: ExtendIn):
    return _step(request, booking_id, services.booking_extend, ends_at=payload.ends_at)
