import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from maillon.core.collation import FRENCH
from maillon.core.models import TimeStampedModel
from maillon.core.text import fold


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    VOLUNTEER = "volunteer", _("Volunteer")
    BOARD = "board", _("Board member")
    PRESIDENT = "president", _("President")
    TREASURER = "treasurer", _("Treasurer")
    SECRETARY = "secretary", _("Secretary")
    STAFF = "staff", _("Staff")
    ADMIN = "admin", _("Administrator")


class Person(TimeStampedModel):
    """Someone in an association's register, with or without a user account. A
    member without an email address is a full member: the secretary records for them."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="people"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
        verbose_name=_("user account"),
    )
    # French order in every list and export (``core.collation``).
    first_name = models.CharField(_("first name"), max_length=100, db_collation=FRENCH)
    last_name = models.CharField(_("last name"), max_length=100, db_collation=FRENCH)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    address = models.CharField(_("postal address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    consent_newsletter = models.BooleanField(_("agrees to receive the newsletter"), default=False)
    consent_directory = models.BooleanField(
        _("agrees to appear in the members' directory"), default=False
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    # Fee reminders are service messages, but a person may still turn them off.
    fee_reminders_off_at = models.DateTimeField(
        _("fee reminders turned off at"), null=True, blank=True
    )
    # Accent- and case-folded names, email and city: what the register search reads.
    search_text = models.CharField(max_length=600, blank=True, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user"],
                condition=Q(user__isnull=False),
                name="person_one_record_per_user_and_association",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="person_left_after_joined",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "last_name", "first_name"]),
            models.Index(Lower("email"), "association", name="person_email_ci_idx"),
            # The current register in display order: counts and deep pages become
            # index-only scans (docs/benchmarks.md).
            models.Index(
                fields=["association", "last_name", "first_name", "id"],
                condition=Q(left_on__isnull=True),
                name="person_active_register_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def save(self, *args, **kwargs):
        self.refresh_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def refresh_search_text(self) -> None:
        """Derived column; bulk inserts (imports, seeds) call this themselves."""
        self.search_text = fold(" ".join([self.first_name, self.last_name, self.email, self.city]))[
            :600
        ]

    @property
    def full_name(self) -> str:
        return str(self)

    @property
    def is_active_member(self) -> bool:
        return self.left_on is None


class RoleAssignment(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    since = models.DateField(_("since"), default=timezone.localdate)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="role_once_per_person")
        ]
        indexes = [
            models.Index(
                fields=["association", "role", "person"], name="role_assoc_role_person_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} – {self.get_role_display()}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    TRANSFER = "transfer", _("Bank transfer")
    CARD = "card", _("Card")
    ONLINE = "online", _("Online payment")
    EXEMPT = "exempt", _("Exempt")
    OTHER = "other", _("Other")


class FeePeriodRule(models.TextChoices):
    CALENDAR_YEAR = "calendar_year", _("Calendar year (1 January – 31 December)")
    SEASON = "season", _("Season starting on a set day")
    ROLLING = "rolling", _("12 months from the payment")
    CUSTOM = "custom", _("Custom dates")


class FeeSchedule(models.Model):
    """An association's fee settings: which period a paid fee covers and when members
    are reminded. One per association; absent means the calendar year."""

    association = models.OneToOneField(
        "associations.Association", on_delete=models.CASCADE, related_name="fee_schedule"
    )
    period_rule = models.CharField(
        _("period covered by a fee"),
        max_length=16,
        choices=FeePeriodRule.choices,
        default=FeePeriodRule.CALENDAR_YEAR,
    )
    season_start_day = models.PositiveSmallIntegerField(_("season starts on day"), default=1)
    season_start_month = models.PositiveSmallIntegerField(_("season starts in month"), default=9)
    custom_start = models.DateField(_("custom period start"), null=True, blank=True)
    custom_end = models.DateField(_("custom period end"), null=True, blank=True)
    reminders_enabled = models.BooleanField(_("send fee reminders"), default=True)
    remind_days_before = models.PositiveSmallIntegerField(
        _("remind this many days before the end"), default=30
    )
    remind_again_after_days = models.PositiveSmallIntegerField(
        _("remind again this many days after the end"), default=30
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        constraints = [
            models.CheckConstraint(
                condition=Q(season_start_month__gte=1, season_start_month__lte=12)
                & Q(season_start_day__gte=1, season_start_day__lte=31),
                name="fee_schedule_season_start_valid",
            ),
            models.CheckConstraint(
                condition=Q(custom_start__isnull=True)
                | Q(custom_end__isnull=True)
                | Q(custom_end__gte=models.F("custom_start")),
                name="fee_schedule_custom_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_period_rule_display())


class FeeKind(models.TextChoices):
    FULL = "full", _("Full rate")
    REDUCED = "reduced", _("Reduced rate")
    FAMILY = "family", _("Family")
    HONORARY = "honorary", _("Honorary member")


class FeePricing(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    FREE = "free", _("Free amount")


class FeeType(models.Model):
    """One fee of the schedule (full, reduced, family, honorary), with a fixed amount
    or an amount the member chooses above an optional minimum."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=FeeKind.choices, default=FeeKind.FULL)
    pricing = models.CharField(
        _("pricing"), max_length=8, choices=FeePricing.choices, default=FeePricing.FIXED
    )
    amount = models.DecimalField(_("amount (€)"), max_digits=9, decimal_places=2, default=0)
    minimum_amount = models.DecimalField(
        _("minimum amount (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    online = models.BooleanField(_("members may pay it online"), default=True)
    archived = models.BooleanField(_("archived"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("fee type")
        verbose_name_plural = _("fee types")
        constraints = [
            models.UniqueConstraint(fields=["association", "name"], name="fee_type_name_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_type_amount_positive"),
            models.CheckConstraint(
                condition=Q(minimum_amount__isnull=True) | Q(minimum_amount__gte=0),
                name="fee_type_minimum_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MembershipPeriod(models.Model):
    """A membership period and its fee. "Up to date at date X" means a paid period
    that contains X."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="membership_periods")
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    fee_paid = models.BooleanField(_("fee paid"), default=True)
    amount = models.DecimalField(_("amount (€)"), max_digits=9, decimal_places=2, default=0)
    method = models.CharField(
        _("payment method"), max_length=16, choices=PaymentMethod.choices, blank=True
    )
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    fee_type = models.ForeignKey(
        FeeType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fee type"),
    )
    # The payment provider's receipt of a fee paid online (HelloAsso's payment receipt).
    receipt_url = models.URLField(_("receipt"), max_length=500, blank=True)
    # A refunded fee stays in the history, no longer paid.
    cancelled_at = models.DateTimeField(
        pgettext_lazy("membership fee", "cancelled at"), null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-start"]
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="membership_period_end_after_start"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="membership_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["association", "start", "end"]),
            # "Paid and current" answered from the index.
            models.Index(
                fields=["association", "end", "start", "person"],
                condition=Q(fee_paid=True),
                name="period_paid_current_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.start:%Y-%m-%d}–{self.end:%Y-%m-%d}"


class PayerAlias(models.Model):
    """Another email address a person pays with (a parent, a shared address): the
    HelloAsso reconciliation remembers it to match that payer next time."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="payer_aliases")
    email = models.EmailField(_("email"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("payer email")
        verbose_name_plural = _("payer emails")
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "association", name="payer_alias_email_once_per_association"
            )
        ]

    def __str__(self) -> str:
        return self.email


class ReminderStage(models.TextChoices):
    BEFORE = "before", _("Before the end")
    AFTER = "after", _("After the end")
    AGAIN = "again", _("Second reminder after the end")


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


def _reminder_token() -> str:
    return secrets.token_urlsafe(24)


class FeeReminder(models.Model):
    """One reminder of one stage for the period ending on ``period_end``: the unique
    constraint is what keeps a person from being reminded twice in the same window."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="fee_reminders")
    period_end = models.DateField(_("period end"))
    stage = models.CharField(_("stage"), max_length=8, choices=ReminderStage.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=ReminderChannel.choices)
    token = models.CharField(max_length=64, default=_reminder_token, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    printed_at = models.DateTimeField(_("printed at"), null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("fee reminder")
        verbose_name_plural = _("fee reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "person", "period_end", "stage"],
                name="fee_reminder_once_per_stage",
            )
        ]
        indexes = [models.Index(fields=["association", "channel", "printed_at"])]

    def __str__(self) -> str:
        return f"{self.person} {self.period_end:%Y-%m-%d} {self.stage}"


def _invitation_token() -> str:
    return secrets.token_urlsafe(32)


def _invitation_expiry():
    return timezone.now() + timedelta(days=30)


class Invitation(models.Model):
    """An email inviting a person of the register to link their user account."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=64, unique=True, default=_invitation_token, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(default=_invitation_expiry)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.person}"

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class JoinRequest(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="join_requests",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=JoinRequestStatus.choices,
        default=JoinRequestStatus.PENDING,
    )
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user"],
                condition=Q(status="pending", user__isnull=False),
                name="one_pending_join_request_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    PREVIEWED = "previewed", _("Checked")
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MemberImport(models.Model):
    """One upload of a member file: parsed, mapped, checked row by row, then
    imported all at once (or not at all)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(max_length=8)
    # The decoded table (header + rows) is kept so mapping, preview and import all
    # read exactly what was uploaded, whatever worker runs them.
    headers = models.JSONField(default=list)
    rows = models.JSONField(default=list)
    encoding = models.CharField(max_length=32, blank=True)
    delimiter = models.CharField(max_length=4, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED
    )
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    failure_message = models.TextField(blank=True)
    # Who confirmed the import: the background run acts (and is audited) in their name.
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # True when the user agreed to skip the rows listed in ``errors``.
    skip_invalid_rows = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member import")
        verbose_name_plural = _("member imports")

    def __str__(self) -> str:
        return self.file_name

    @property
    def progress_percent(self) -> int:
        if not self.valid_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, round(100 * self.processed_rows / self.valid_rows))


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Preparing")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class MemberExport(models.Model):
    """A large export of the (filtered) register, prepared by a background task and
    kept in the private storage until it is downloaded or its retention ends
    (``members/retention.py``)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file_format = models.CharField(max_length=8)
    # The register's filters when the export was asked for (search, role, status...).
    filters = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    # The file's name in the "private" storage; empty until it is ready, and again
    # once the retention rule has deleted it.
    file_path = models.CharField(max_length=255, blank=True)
    failure_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("member export")
        verbose_name_plural = _("member exports")
        indexes = [models.Index(fields=["association", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.file_format} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ExportStatus.DONE else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class RecordLinkDeclined(models.Model):
    """A user answered "this is not me" to the offer to link the records an
    association holds under their verified email address: the offer is not made again."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="record_links_declined"
    )
    declined_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("declined record link")
        verbose_name_plural = _("declined record links")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "user"], name="record_link_declined_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ≠ {self.association_id}"
