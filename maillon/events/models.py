"""Events of associations, registrations (with a waiting list), calendars and
network-wide campaigns.

Events and registrations belong to an association (scoped). A campaign belongs to the
network: the instance staff create it in the Django admin and associations attach
their events to it. A calendar feed token belongs to a user account.

Seats
    ``Event.seats_taken`` counts the registrations that hold a seat
    (``Registration.holds_seat``). It is changed only by the services, under a lock on
    the event row, and a check constraint keeps it within the capacity: even a write
    that forgot the lock cannot overbook the event.

Guests
    A guest (no account) gets a confirmation link by email; the seat is given only
    once the address is confirmed (then a seat or the waiting list, whatever is free
    at that moment). An unconfirmed registration holds nothing, so nothing has to be
    released later and a robot typing addresses cannot fill an event.
"""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from maillon.core.collation import FRENCH
from maillon.core.models import TimeStampedModel


def _token() -> str:
    return secrets.token_urlsafe(24)


class Campaign(TimeStampedModel):
    """A network-wide mobilisation (e.g. "Semaine de l'engagement") grouping events
    of many associations. Created by the network operator."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    # The network that runs it from its back-office (/n/<slug>/campaigns/); empty for
    # a campaign of the whole platform created by the instance staff.
    network = models.ForeignKey(
        "network.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name=_("network"),
    )

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="campaign_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventAudience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members only")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


class Event(TimeStampedModel):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="events"
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("campaign"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(
        _("open to"), max_length=16, choices=EventAudience.choices, default=EventAudience.PUBLIC
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Derived from the postal code by the services (taxonomy.geo).
    department = models.ForeignKey(
        "taxonomy.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("department"),
    )
    online_url = models.URLField(_("online link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty for no limit."),
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    status = models.CharField(
        _("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancellation_reason = models.TextField(_("reason for the cancellation"), blank=True)
    # Registrations holding a seat; kept by the services under a lock on this row.
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="event_seats_within_capacity",
            ),
            models.CheckConstraint(
                condition=~Q(address="", postal_code="", online_url=""),
                name="event_has_a_place_or_a_link",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "starts_at"]),
            models.Index(
                fields=["starts_at", "id"],
                condition=Q(status="published", audience="public"),
                name="event_public_upcoming_idx",
            ),
            models.Index(fields=["campaign", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_online(self) -> bool:
        return bool(self.online_url)

    @property
    def has_place(self) -> bool:
        return bool(self.address or self.postal_code or self.city)

    @property
    def is_hybrid(self) -> bool:
        return self.is_online and self.has_place

    @property
    def place_label(self) -> str:
        city = " ".join(p for p in (self.postal_code, self.city) if p)
        return ", ".join(p for p in (self.address, city) if p)

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for email confirmation")
    CONFIRMED = "confirmed", _("Registered")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", pgettext_lazy("registration status", "Cancelled")


ACTIVE_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
)


class Registration(TimeStampedModel):
    """Someone's registration for an event: an account holder, a guest (name and
    email), or a person of the register checked in at the door."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("person of the register"),
    )
    # French order in the lists of registrations (``core.collation``).
    first_name = models.CharField(_("first name"), max_length=100, db_collation=FRENCH)
    last_name = models.CharField(_("last name"), max_length=100, blank=True, db_collation=FRENCH)
    # Lower-cased by the services; empty for someone of the register without email.
    email = models.EmailField(_("email"), blank=True)
    language = models.CharField(max_length=8, default=settings.LANGUAGE_CODE)
    status = models.CharField(_("status"), max_length=16, choices=RegistrationStatus.choices)
    holds_seat = models.BooleanField(default=False, editable=False)
    # Checked in at the door without having registered (or from the waiting list).
    is_walk_in = models.BooleanField(_("came without a seat"), default=False)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # Waiting-list order: the first to wait is the first promoted.
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    promoted_at = models.DateTimeField(
        _("promoted from the waiting list at"), null=True, blank=True
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False) & Q(status__in=["pending", "confirmed", "waiting"]),
                name="registration_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(email="") & Q(status__in=["pending", "confirmed", "waiting"]),
                name="registration_once_per_email",
            ),
            models.UniqueConstraint(
                fields=["event", "person"],
                condition=Q(person__isnull=False)
                & Q(status__in=["pending", "confirmed", "waiting"]),
                name="registration_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(holds_seat=False) | Q(status="confirmed"),
                name="registration_seat_only_when_confirmed",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "waiting_since", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_checked_in(self) -> bool:
        return self.checked_in_at is not None


class CalendarFeedToken(models.Model):
    """The secret in the address of a user's "my events" calendar feed: calendar
    apps cannot sign in. A new token replaces the old one (the old address stops)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="events_feed_token"
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("calendar feed address")
        verbose_name_plural = _("calendar feed addresses")

    def __str__(self) -> str:
        return str(self.user)
