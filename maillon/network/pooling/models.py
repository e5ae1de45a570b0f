"""Pooled resources: what an association lends (rooms, equipment, vehicles, skill
slots) and the bookings other associations make of it.

A resource and its bookings live in the OWNER's scope (``association`` is the owner).
The borrowing association reaches its bookings only through the selectors named
``*_across_associations`` in ``pooling/selectors.py``.

No double booking: each booking holds one unit (``unit_number``, 1..quantity) over
``[starts_at, blocks_until)`` where ``blocks_until`` is the end plus the resource's
buffer. On PostgreSQL an exclusion constraint (btree_gist, migration
``0002_pooling_and_help``) forbids two live bookings of the same unit whose blocked
periods overlap; on SQLite the booking service checks under a write lock."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from maillon.core.models import TimeStampedModel

__all__ = [
    "HOLDING_STATUSES",
    "Booking",
    "BookingStatus",
    "BookingWaitlistEntry",
    "BorrowerAudience",
    "ResourceBlackout",
    "ResourceKind",
    "ResourcePhoto",
    "SharedResource",
    "WaitlistStatus",
]


class ResourceKind(models.TextChoices):
    ROOM = "room", _("Room")
    EQUIPMENT = "equipment", _("Equipment")
    VEHICLE = "vehicle", _("Vehicle")
    SKILL_SLOT = "skill_slot", _("Skill slot")


class BorrowerAudience(models.TextChoices):
    NETWORKS = "networks", _("Associations of my networks")
    ASSOCIATIONS = "associations", _("Any association")
    PUBLIC = "public", _("Anyone (public)")


class SharedResource(TimeStampedModel):
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=ResourceKind.choices)
    description = models.TextField(_("description"), blank=True)
    department = models.ForeignKey(
        "taxonomy.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    place = models.CharField(_("place"), max_length=200, blank=True)
    quantity = models.PositiveSmallIntegerField(
        _("units"), default=1, validators=[MinValueValidator(1)]
    )
    capacity = models.PositiveIntegerField(_("capacity (people or seats)"), null=True, blank=True)
    deposit = models.DecimalField(_("deposit (€)"), max_digits=9, decimal_places=2, default=0)
    fee = models.DecimalField(
        _("fee per loan (€)"),
        max_digits=9,
        decimal_places=2,
        default=0,
        help_text=_("0 for a free loan."),
    )
    value_in_kind = models.DecimalField(
        _("value of a free loan (€)"),
        max_digits=9,
        decimal_places=2,
        default=0,
        help_text=_(
            "What a free loan is worth (e.g. the rental price elsewhere): counted as a "
            "contribution in kind for both associations."
        ),
    )
    insurance_required = models.BooleanField(_("borrower's insurance required"), default=False)
    audience = models.CharField(
        _("who may borrow"),
        max_length=12,
        choices=BorrowerAudience.choices,
        default=BorrowerAudience.NETWORKS,
    )
    approval_required = models.BooleanField(
        _("each booking needs our approval"),
        default=True,
        help_text=_("Untick for instant booking."),
    )
    buffer_minutes = models.PositiveIntegerField(_("buffer between loans (minutes)"), default=0)
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=300,
        blank=True,
        help_text=_("E.g. “Monday to Friday, 9 am to 6 pm; key at the reception”."),
    )
    is_published = models.BooleanField(_("shown in the catalogue"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("shared resource")
        verbose_name_plural = _("shared resources")
        indexes = [models.Index(fields=["association", "kind"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_free(self) -> bool:
        return not self.fee


class ResourcePhoto(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    resource = models.ForeignKey(SharedResource, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo"), upload_to="resources/photos/")
    caption = models.CharField(_("description of the photo"), max_length=200)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.caption


class ResourceBlackout(models.Model):
    """Days the resource is not lent (maintenance, the owner's own use)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    resource = models.ForeignKey(SharedResource, on_delete=models.CASCADE, related_name="blackouts")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to (included)"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("unavailable dates")
        verbose_name_plural = _("unavailable dates")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="blackout_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} – {self.ends_on}"


class BookingStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    CHECKED_OUT = "checked_out", _("Lent out")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", pgettext_lazy("booking", "Cancelled")


# A booking in one of these statuses holds its unit: the constraint applies to them.
HOLDING_STATUSES = (
    BookingStatus.REQUESTED,
    BookingStatus.APPROVED,
    BookingStatus.CHECKED_OUT,
)


class Booking(TimeStampedModel):
    association = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("owner"),
    )
    borrower = models.ForeignKey(
        "associations.Association",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("borrower"),
    )
    resource = models.ForeignKey(SharedResource, on_delete=models.CASCADE, related_name="bookings")
    unit_number = models.PositiveSmallIntegerField(_("unit"), default=1)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    blocks_until = models.DateTimeField(_("unit free again at"))
    status = models.CharField(
        _("status"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.REQUESTED
    )
    purpose = models.CharField(_("what it is for"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)
    checkout_condition = models.TextField(_("condition when lent"), blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    checkin_condition = models.TextField(_("condition when returned"), blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    cancelled_by_owner = models.BooleanField(null=True, blank=True)
    cancellation_reason = models.CharField(_("reason"), max_length=300, blank=True)
    value_in_kind = models.DecimalField(
        _("value in kind (€)"), max_digits=9, decimal_places=2, default=0
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    overdue_alert_sent_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="booking_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(blocks_until__gte=models.F("ends_at")),
                name="booking_blocks_after_end",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "resource", "starts_at"]),
            models.Index(fields=["borrower", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.resource} — {self.borrower}"

    @property
    def holds_unit(self) -> bool:
        return self.status in HOLDING_STATUSES


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    PROMOTED = "promoted", _("Booked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class BookingWaitlistEntry(TimeStampedModel):
    """A borrower waiting for a slot that is taken; the first one that fits is booked
    when a booking of the resource is cancelled or declined."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    borrower = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    resource = models.ForeignKey(SharedResource, on_delete=models.CASCADE, related_name="waitlist")
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    purpose = models.CharField(_("what it is for"), max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("waiting list entry")
        verbose_name_plural = _("waiting list entries")

    def __str__(self) -> str:
        return f"{self.resource} — {self.borrower}"
