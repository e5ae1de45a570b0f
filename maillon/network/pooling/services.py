"""Writes of pooled resources and bookings. A booking concerns two associations: each
change is written in the owner's audit log and in the borrower's.

No double booking: every service that gives a unit to a booking first takes a write
lock on the resource's row (an UPDATE: a row lock on PostgreSQL, the database write
lock on SQLite), then looks for a free unit; on PostgreSQL the exclusion constraint
``booking_no_overlap_per_unit`` refuses an overlap whatever the code does."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django_scopes import scope

from maillon.associations.models import Association
from maillon.core.audit import audit_log
from maillon.core.tenancy import ObjectOutsideAssociation, ensure_same_association
from maillon.members.permissions import Perm, check_permission

from .models import (
    HOLDING_STATUSES,
    Booking,
    BookingStatus,
    BookingWaitlistEntry,
    ResourceBlackout,
    ResourcePhoto,
    SharedResource,
    WaitlistStatus,
)
from .selectors import may_borrow

MANAGE = Perm.MANAGE_ASSOCIATION
RESOURCE_FIELDS = (
    "name",
    "kind",
    "description",
    "department",
    "place",
    "quantity",
    "capacity",
    "deposit",
    "fee",
    "value_in_kind",
    "insurance_required",
    "audience",
    "approval_required",
    "buffer_minutes",
    "opening_hours",
    "is_published",
)
MAX_CANDIDATES = 200


def _when(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


# --- resources ---------------------------------------------------------------------------


@transaction.atomic
def resource_create(*, association: Association, actor: Any, **fields: Any) -> SharedResource:
    check_permission(association=association, actor=actor, permission=MANAGE)
    with scope(association=association):
        resource = SharedResource(association=association, created_by=actor)
        for name in RESOURCE_FIELDS:
            if name in fields:
                setattr(resource, name, fields[name])
        resource.full_clean()
        resource.save()
        audit_log(
            association=association,
            actor=actor,
            action="network.resource_created",
            obj=resource,
            data={"kind": resource.kind, "audience": resource.audience},
        )
    return resource


@transaction.atomic
def resource_update(
    *, association: Association, actor: Any, resource: SharedResource, **fields: Any
) -> SharedResource:
    check_permission(association=association, actor=actor, permission=MANAGE)
    ensure_same_association(association, resource)
    with scope(association=association):
        changed = [n for n in RESOURCE_FIELDS if n in fields and getattr(resource, n) != fields[n]]
        for name in changed:
            setattr(resource, name, fields[name])
        # The creator may have erased their account since (SET_NULL).
        resource.full_clean(exclude=["created_by"])
        resource.save()
        audit_log(
            association=association,
            actor=actor,
            action="network.resource_updated",
            obj=resource,
            data={"fields": changed},
        )
    return resource


@transaction.atomic
def resource_blackout_add(
    *,
    association: Association,
    actor: Any,
    resource: SharedResource,
    starts_on: datetime.date,
    ends_on: datetime.date,
    reason: str = "",
) -> ResourceBlackout:
    check_permission(association=association, actor=actor, permission=MANAGE)
    ensure_same_association(association, resource)
    with scope(association=association):
        blackout = ResourceBlackout(
            association=association,
            resource=resource,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
        )
        if ends_on < starts_on:
            raise ValidationError(_("The last day comes before the first."))
        blackout.full_clean()
        blackout.save()
        audit_log(
            association=association,
            actor=actor,
            action="network.resource_blackout_added",
            obj=resource,
            data={"from": starts_on.isoformat(), "to": ends_on.isoformat()},
        )
    return blackout


@transaction.atomic
def resource_photo_add(
    *, association: Association, actor: Any, resource: SharedResource, image: Any, caption: str
) -> ResourcePhoto:
    check_permission(association=association, actor=actor, permission=MANAGE)
    ensure_same_association(association, resource)
    with scope(association=association):
        photo = ResourcePhoto(
            association=association, resource=resource, image=image, caption=caption
        )
        photo.full_clean()
        photo.save()
        audit_log(
            association=association,
            actor=actor,
            action="network.resource_photo_added",
            obj=resource,
            data={"caption": caption},
        )
    return photo


# --- finding a unit ------------------------------------------------------------------------


class BookingClash(ValidationError):
    """The slot is taken. ``holder`` is the association holding it (None for
    unavailable dates); ``next_start``/``next_end`` the next free slot of the same
    length, when there is one."""

    def __init__(self, message: str, *, holder=None, next_start=None, next_end=None):
        super().__init__(message, code="clash")
        self.holder = holder
        self.next_start = next_start
        self.next_end = next_end


def _lock_resource(resource: SharedResource) -> None:
    # An UPDATE takes the row lock (PostgreSQL) or the database write lock (SQLite)
    # before anything is read: two requests for the same resource run one after the other.
    SharedResource.objects.filter(pk=resource.pk).update(updated_at=timezone.now())


def _blocks_until(resource: SharedResource, ends_at: datetime.datetime) -> datetime.datetime:
    return ends_at + datetime.timedelta(minutes=resource.buffer_minutes)


def _holders(resource, starts_at, blocks_until, exclude_id=None):
    return (
        Booking.objects.filter(
            resource=resource,
            status__in=HOLDING_STATUSES,
            starts_at__lt=blocks_until,
            blocks_until__gt=starts_at,
        )
        .exclude(pk=exclude_id or 0)
        .select_related("borrower")
        .order_by("starts_at")
    )


def _blackout(resource, starts_at, ends_at) -> ResourceBlackout | None:
    return ResourceBlackout.objects.filter(
        resource=resource,
        starts_on__lte=timezone.localdate(ends_at),
        ends_on__gte=timezone.localdate(starts_at),
    ).first()


def _free_unit(resource, starts_at, ends_at, exclude_id=None) -> int | None:
    if _blackout(resource, starts_at, ends_at):
        return None
    taken = {
        b.unit_number
        for b in _holders(resource, starts_at, _blocks_until(resource, ends_at), exclude_id)
    }
    return next((n for n in range(1, resource.quantity + 1) if n not in taken), None)


def next_free_slot(
    resource: SharedResource,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    exclude_id: int | None = None,
) -> tuple[datetime.datetime, datetime.datetime] | None:
    """The earliest slot of the same length, at or after ``starts_at``, with a free
    unit: tried at the moments a unit comes free or unavailable dates end."""
    length = ends_at - starts_at
    candidates = set(
        Booking.objects.filter(
            resource=resource, status__in=HOLDING_STATUSES, blocks_until__gt=starts_at
        )
        .exclude(pk=exclude_id or 0)
        .order_by("blocks_until")
        .values_list("blocks_until", flat=True)[:MAX_CANDIDATES]
    )
    for blackout in ResourceBlackout.objects.filter(
        resource=resource, ends_on__gte=timezone.localdate(starts_at)
    ):
        day_after = blackout.ends_on + datetime.timedelta(days=1)
        local = timezone.localtime(starts_at)
        candidates.add(
            timezone.make_aware(datetime.datetime.combine(day_after, local.time()), local.tzinfo)
        )
    for start in sorted(c for c in candidates if c >= starts_at):
        if _free_unit(resource, start, start + length, exclude_id) is not None:
            return start, start + length
    return None


def _clash(resource, starts_at, ends_at, exclude_id=None) -> BookingClash:
    holder_booking = _holders(
        resource, starts_at, _blocks_until(resource, ends_at), exclude_id
    ).first()
    following = next_free_slot(resource, starts_at, ends_at, exclude_id)
    if holder_booking is not None:
        message = _("This slot is taken: %(holder)s holds %(resource)s until %(until)s.") % {
            "holder": holder_booking.borrower.name,
            "resource": resource.name,
            "until": _when(holder_booking.blocks_until),
        }
    else:
        message = _("%(resource)s is not lent on these dates.") % {"resource": resource.name}
    if following:
        message += " " + _("Next free slot: from %(start)s to %(end)s.") % {
            "start": _when(following[0]),
            "end": _when(following[1]),
        }
    else:
        message += " " + _("No free slot of this length later on.")
    return BookingClash(
        message,
        holder=holder_booking.borrower if holder_booking else None,
        next_start=following[0] if following else None,
        next_end=following[1] if following else None,
    )


def _check_period(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(_("The end must come after the start."))
    if starts_at < timezone.now() - datetime.timedelta(minutes=5):
        raise ValidationError(_("This slot is in the past."))


def _save_holding(booking: Booking) -> None:
    """Save a booking that holds a unit; the exclusion constraint (PostgreSQL) has
    the last word."""
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError as error:
        raise BookingClash(_("This slot has just been taken. Choose another one.")) from error


def _log_both(booking: Booking, *, actor: Any, action: str, data: dict | None = None) -> None:
    payload = {
        "resource": booking.resource.name,
        "owner": booking.association.slug,
        "borrower": booking.borrower.slug,
        **(data or {}),
    }
    for association in (booking.association, booking.borrower):
        with scope(association=association):
            audit_log(
                association=association, actor=actor, action=action, obj=booking, data=payload
            )


# --- bookings ---------------------------------------------------------------------------------


@transaction.atomic
def booking_request(
    *,
    association: Association,
    actor: Any,
    resource: SharedResource,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str = "",
) -> Booking:
    """``association`` (the borrower) asks for ``resource`` over the period. Instant
    booking when the owner needs no approval. Raises ``BookingClash`` when no unit
    is free, naming who holds the slot and the next free one."""
    check_permission(association=association, actor=actor, permission=MANAGE)
    if not may_borrow(viewer=association, resource=resource):
        raise PermissionDenied
    _check_period(starts_at, ends_at)
    owner = resource.association
    with scope(association=owner):
        _lock_resource(resource)
        resource.refresh_from_db()
        unit = _free_unit(resource, starts_at, ends_at)
        if unit is None:
            raise _clash(resource, starts_at, ends_at)
        instant = not resource.approval_required
        booking = Booking(
            association=owner,
            borrower=association,
            resource=resource,
            unit_number=unit,
            starts_at=starts_at,
            ends_at=ends_at,
            blocks_until=_blocks_until(resource, ends_at),
            status=BookingStatus.APPROVED if instant else BookingStatus.REQUESTED,
            decided_at=timezone.now() if instant else None,
            purpose=purpose,
            requested_by=actor,
            value_in_kind=resource.value_in_kind if resource.is_free else Decimal(0),
        )
        booking.full_clean()
        _save_holding(booking)
    _log_both(
        booking,
        actor=actor,
        action="network.booking_approved" if instant else "network.booking_requested",
        data={"unit": unit, "from": starts_at.isoformat(), "to": ends_at.isoformat()},
    )
    return booking


def _lock_booking(booking: Booking, *, statuses) -> Booking:
    with scope(association=booking.association_id):
        locked = (
            Booking.objects.select_for_update()
            .select_related("resource", "association", "borrower")
            .get(pk=booking.pk)
        )
    if locked.status not in statuses:
        raise ValidationError(_("This booking has moved on; reload the page."))
    return locked


def _owner_only(association: Association, actor: Any, booking: Booking) -> None:
    check_permission(association=association, actor=actor, permission=MANAGE)
    ensure_same_association(association, booking)


def _party(association: Association, actor: Any, booking: Booking) -> bool:
    """Check that ``association`` is a party; True when it is the owner."""
    check_permission(association=association, actor=actor, permission=MANAGE)
    if association.pk == booking.association_id:
        return True
    if association.pk == booking.borrower_id:
        return False
    raise ObjectOutsideAssociation


@transaction.atomic
def booking_decide(
    *, association: Association, actor: Any, booking: Booking, approve: bool, note: str = ""
) -> Booking:
    _owner_only(association, actor, booking)
    booking = _lock_booking(booking, statuses=(BookingStatus.REQUESTED,))
    booking.status = BookingStatus.APPROVED if approve else BookingStatus.DECLINED
    booking.decided_at = timezone.now()
    booking.decision_note = note
    with scope(association=association):
        booking.save(update_fields=["status", "decided_at", "decision_note", "updated_at"])
    _log_both(
        booking,
        actor=actor,
        action="network.booking_approved" if approve else "network.booking_declined",
    )
    if not approve:
        _promote_waitlist(booking, actor=actor)
    return booking


def _hand_over(
    association, actor, booking, condition, *, missing, from_status, to_status, fields, action
) -> Booking:
    """Check-out or check-in: the owner records the item's condition as it changes hands
    (``fields``: the booking's condition field and time field for that side)."""
    _owner_only(association, actor, booking)
    if not condition.strip():
        raise ValidationError(missing)
    booking = _lock_booking(booking, statuses=(from_status,))
    booking.status = to_status
    condition_field, at_field = fields
    setattr(booking, condition_field, condition)
    setattr(booking, at_field, timezone.now())
    with scope(association=association):
        booking.save(update_fields=["status", condition_field, at_field, "updated_at"])
    _log_both(booking, actor=actor, action=action)
    return booking


@transaction.atomic
def booking_check_out(
    *, association: Association, actor: Any, booking: Booking, condition: str
) -> Booking:
    return _hand_over(
        association,
        actor,
        booking,
        condition,
        missing=_("Describe the condition of the item when it leaves."),
        from_status=BookingStatus.APPROVED,
        to_status=BookingStatus.CHECKED_OUT,
        fields=("checkout_condition", "checked_out_at"),
        action="network.booking_checked_out",
    )


@transaction.atomic
def booking_check_in(
    *, association: Association, actor: Any, booking: Booking, condition: str
) -> Booking:
    return _hand_over(
        association,
        actor,
        booking,
        condition,
        missing=_("Describe the condition of the item when it comes back."),
        from_status=BookingStatus.CHECKED_OUT,
        to_status=BookingStatus.RETURNED,
        fields=("checkin_condition", "checked_in_at"),
        action="network.booking_checked_in",
    )


@transaction.atomic
def booking_close(
    *,
    association: Association,
    actor: Any,
    booking: Booking,
    value_in_kind: Decimal | None = None,
) -> Booking:
    """The owner closes a returned loan; a free loan keeps the value the owner
    enters, counted in kind for both associations."""
    _owner_only(association, actor, booking)
    booking = _lock_booking(booking, statuses=(BookingStatus.RETURNED,))
    booking.status = BookingStatus.CLOSED
    if value_in_kind is not None:
        if value_in_kind < 0:
            raise ValidationError(_("The value cannot be negative."))
        booking.value_in_kind = value_in_kind if booking.resource.is_free else Decimal(0)
    with scope(association=association):
        booking.save(update_fields=["status", "value_in_kind", "updated_at"])
    _log_both(
        booking,
        actor=actor,
        action="network.booking_closed",
        data={"value_in_kind": str(booking.value_in_kind)},
    )
    return booking


@transaction.atomic
def booking_cancel(
    *, association: Association, actor: Any, booking: Booking, reason: str = ""
) -> Booking:
    """Either side cancels a booking that has not left yet; the slot goes to the
    waiting list."""
    by_owner = _party(association, actor, booking)
    booking = _lock_booking(booking, statuses=(BookingStatus.REQUESTED, BookingStatus.APPROVED))
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_by_owner = by_owner
    booking.cancellation_reason = reason
    with scope(association=booking.association_id):
        booking.save(
            update_fields=["status", "cancelled_by_owner", "cancellation_reason", "updated_at"]
        )
    _log_both(
        booking,
        actor=actor,
        action="network.booking_cancelled",
        data={"by": "owner" if by_owner else "borrower"},
    )
    _promote_waitlist(booking, actor=actor)
    return booking


@transaction.atomic
def booking_extend(
    *, association: Association, actor: Any, booking: Booking, ends_at: datetime.datetime
) -> Booking:
    """A longer loan: the new end is checked against the other bookings like a new
    request (``BookingClash`` when the unit is needed after)."""
    _party(association, actor, booking)
    with scope(association=booking.association_id):
        _lock_resource(booking.resource)
        booking = _lock_booking(booking, statuses=HOLDING_STATUSES)
        if ends_at <= booking.ends_at:
            raise ValidationError(_("The new end must come after the current one."))
        resource = booking.resource
        holders = _holders(
            resource, booking.starts_at, _blocks_until(resource, ends_at), booking.pk
        ).filter(unit_number=booking.unit_number)
        if holders.exists() or _blackout(resource, booking.starts_at, ends_at):
            raise _clash(resource, booking.starts_at, ends_at, exclude_id=booking.pk)
        previous = booking.ends_at
        booking.ends_at = ends_at
        booking.blocks_until = _blocks_until(resource, ends_at)
        booking.reminder_sent_at = None
        booking.overdue_alert_sent_at = None
        _save_holding(booking)
    _log_both(
        booking,
        actor=actor,
        action="network.booking_extended",
        data={"from": previous.isoformat(), "to": ends_at.isoformat()},
    )
    return booking


# --- waiting list ---------------------------------------------------------------------------


@transaction.atomic
def waitlist_join(
    *,
    association: Association,
    actor: Any,
    resource: SharedResource,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    purpose: str = "",
) -> BookingWaitlistEntry:
    check_permission(association=association, actor=actor, permission=MANAGE)
    if not may_borrow(viewer=association, resource=resource):
        raise PermissionDenied
    _check_period(starts_at, ends_at)
    with scope(association=resource.association_id):
        entry = BookingWaitlistEntry(
            association=resource.association,
            borrower=association,
            resource=resource,
            starts_at=starts_at,
            ends_at=ends_at,
            purpose=purpose,
            requested_by=actor,
        )
        entry.full_clean()
        entry.save()
    for side in (resource.association, association):
        with scope(association=side):
            audit_log(
                association=side,
                actor=actor,
                action="network.booking_waitlisted",
                obj=entry,
                data={"resource": resource.name, "borrower": association.slug},
            )
    return entry


@dataclass(frozen=True)
class Promotion:
    entry: BookingWaitlistEntry
    booking: Booking


def _promote_waitlist(freed: Booking, *, actor: Any) -> Promotion | None:
    """The first waiting borrower whose slot now fits gets a booking (requested, or
    approved for an instant resource)."""
    resource = freed.resource
    with scope(association=freed.association_id):
        _lock_resource(resource)
        entries = BookingWaitlistEntry.objects.filter(
            resource=resource,
            status=WaitlistStatus.WAITING,
            starts_at__lt=freed.blocks_until,
            ends_at__gt=freed.starts_at,
            starts_at__gte=timezone.now(),
        ).select_related("borrower", "association", "resource")
        for entry in entries.order_by("created_at", "id"):
            unit = _free_unit(resource, entry.starts_at, entry.ends_at)
            if unit is None:
                continue
            instant = not resource.approval_required
            booking = Booking(
                association=freed.association,
                borrower=entry.borrower,
                resource=resource,
                unit_number=unit,
                starts_at=entry.starts_at,
                ends_at=entry.ends_at,
                blocks_until=_blocks_until(resource, entry.ends_at),
                status=BookingStatus.APPROVED if instant else BookingStatus.REQUESTED,
                purpose=entry.purpose,
                requested_by=entry.requested_by,
                value_in_kind=resource.value_in_kind if resource.is_free else Decimal(0),
            )
            _save_holding(booking)
            entry.status = WaitlistStatus.PROMOTED
            entry.booking = booking
            entry.save(update_fields=["status", "booking", "updated_at"])
            _log_both(booking, actor=actor, action="network.booking_promoted_from_waitlist")
            return Promotion(entry=entry, booking=booking)
    return None
