"""Volunteer missions, volunteer profiles, applications and volunteer hours.

Missions, applications and hours belong to an association (scoped). A volunteer
profile belongs to a person's user account: it is theirs, across the network.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from maillon.core.models import TimeStampedModel
from maillon.core.text import fold

# Default hourly rate of volunteer time: the gross hourly SMIC of 2026 (docs/volunteering.md
# says where it comes from and how an association sets its own).
DEFAULT_HOURLY_RATE = Decimal("12.02")


def _token() -> str:
    return secrets.token_urlsafe(24)


class ScheduleKind(models.TextChoices):
    ONE_OFF = "one_off", _("One-off date")
    RECURRING = "recurring", _("Recurring")
    FLEXIBLE = "flexible", _("Flexible")


class TimeSlot(models.TextChoices):
    """When a mission takes place, or when a volunteer is available."""

    WEEKDAY_DAYTIME = "weekday_daytime", _("Weekdays, daytime")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings")
    WEEKEND = "weekend", _("Weekends")


class Audience(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    MEMBERS = "members", _("Members only")


class MissionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("mission status", "Published")
    FULL = "full", _("Full")
    CLOSED = "closed", pgettext_lazy("mission status", "Closed")


class Source(models.TextChoices):
    """Where a visitor or a candidate came from (the engagement dashboard's "where
    volunteers came from")."""

    SEARCH = "search", _("Platform search")
    ASSOCIATION_PAGE = "association_page", _("The association's page")
    WEBSITE = "website", _("The association's website (embedded list)")
    ALERT = "alert", _("Email alert")
    EVENT = "event", _("An event")
    WORD_OF_MOUTH = "word_of_mouth", _("Word of mouth")
    OTHER = "other", _("Other")


class Mission(TimeStampedModel):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="missions"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    skills = models.ManyToManyField(
        "taxonomy.Skill", blank=True, related_name="missions", verbose_name=_("skills wanted")
    )
    cause = models.ForeignKey(
        "taxonomy.Cause",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("cause"),
    )
    is_remote = models.BooleanField(_("can be done remotely"), default=False)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    # Derived from the postal code by the service (taxonomy.geo).
    department = models.ForeignKey(
        "taxonomy.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="missions",
        verbose_name=_("department"),
    )
    schedule_kind = models.CharField(
        _("schedule"), max_length=16, choices=ScheduleKind.choices, default=ScheduleKind.FLEXIBLE
    )
    start_date = models.DateField(_("date or first day"), null=True, blank=True)
    end_date = models.DateField(_("last day"), null=True, blank=True)
    schedule_note = models.CharField(
        _("schedule details"),
        max_length=255,
        blank=True,
        help_text=_("For example: every Saturday morning, 9am to noon."),
    )
    # TimeSlot codes.
    time_slots = models.JSONField(_("when"), default=list, blank=True)
    time_commitment = models.CharField(
        _("time commitment"),
        max_length=150,
        blank=True,
        help_text=_("For example: 3 hours a week for 6 months."),
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(80)],
    )
    volunteers_wanted = models.PositiveSmallIntegerField(
        _("volunteers wanted"), default=1, validators=[MinValueValidator(1)]
    )
    minimum_age = models.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    audience = models.CharField(
        _("open to"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    status = models.CharField(
        _("status"), max_length=16, choices=MissionStatus.choices, default=MissionStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    contact = models.ForeignKey(
        "members.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Accent- and case-folded title, description, city, skills and cause: what the
    # search reads on SQLite (and for short prefixes).
    search_text = models.TextField(blank=True, editable=False)
    # PostgreSQL full-text vector (French configuration, accents folded); kept by the
    # services, unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="mission_ends_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "status"]),
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status="published", audience="public"),
                name="mission_public_recent_idx",
            ),
            models.Index(
                fields=["department", "-published_at"],
                condition=Q(status="published", audience="public"),
                name="mission_public_dept_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def refresh_search_text(self, skill_labels=(), cause_label: str = "") -> None:
        self.search_text = fold(
            " ".join([self.title, self.description, self.city, *skill_labels, cause_label])
        )

    @property
    def is_open(self) -> bool:
        return self.status == MissionStatus.PUBLISHED


class MissionView(models.Model):
    """Views of a mission's public page, per day and source (the funnel's first step).
    One row per (mission, day, source), incremented; no visitor is recorded."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="views")
    day = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.OTHER)
    count = models.PositiveIntegerField(default=0)

    objects = ScopedManager(association="association")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "day", "source"], name="mission_view_one_row_per_day"
            )
        ]
        indexes = [models.Index(fields=["association", "day"])]

    def __str__(self) -> str:
        return f"{self.mission_id} {self.day} {self.source}: {self.count}"


class AlertFrequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class VolunteerProfile(TimeStampedModel):
    """A person's volunteer profile: theirs across the network, not an association's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile"
    )
    skills = models.ManyToManyField("taxonomy.Skill", blank=True, verbose_name=_("skills"))
    causes = models.ManyToManyField(
        "taxonomy.Cause", blank=True, verbose_name=_("causes I care about")
    )
    # TimeSlot codes.
    availability = models.JSONField(_("availability"), default=list, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    department = models.ForeignKey(
        "taxonomy.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    remote_ok = models.BooleanField(_("I can also help remotely"), default=False)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    about = models.TextField(_("about me"), blank=True)
    # Opt-ins: nothing is shown to associations or sent by email without them.
    visible_to_associations = models.BooleanField(
        _("associations may find my profile and suggest missions to me"), default=False
    )
    alerts_enabled = models.BooleanField(
        _("send me new missions that match my profile by email"), default=False
    )
    alert_frequency = models.CharField(
        _("alert frequency"),
        max_length=8,
        choices=AlertFrequency.choices,
        default=AlertFrequency.WEEKLY,
    )
    last_alert_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The unsubscribe link of alert emails works without signing in.
    alert_token = models.CharField(max_length=64, unique=True, default=_token, editable=False)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self) -> str:
        return str(self.user)


class MissionInvitation(models.Model):
    """An association invited a volunteer who made their profile visible to apply to
    one of its missions (at most once per mission). The association never sees the
    volunteer's email address: the platform sends the invitation."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="invitations")
    profile = models.ForeignKey(
        VolunteerProfile, on_delete=models.CASCADE, related_name="mission_invitations"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "profile"], name="mission_invitation_once_per_volunteer"
            )
        ]

    def __str__(self) -> str:
        # No name or email: this label goes into the association's audit log.
        return f"mission {self.mission_id} / volunteer profile {self.profile_id}"


class ApplicationStatus(models.TextChoices):
    NEW = "new", _("New")
    DISCUSSION = "discussion", _("In discussion")
    ACCEPTED = "accepted", pgettext_lazy("application status", "Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


ACTIVE_APPLICATION_STATUSES = (ApplicationStatus.NEW, ApplicationStatus.DISCUSSION)


class Application(TimeStampedModel):
    """A candidate's application to a mission: a user, or a guest whose email
    address is verified before the association sees the application."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="applications")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_applications",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("email"))
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    message = models.TextField(_("message"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ApplicationStatus.choices, default=ApplicationStatus.NEW
    )
    source = models.CharField(
        _("came from"), max_length=20, choices=Source.choices, default=Source.OTHER
    )
    # Guests: the association sees the application once the address is verified.
    email_verified_at = models.DateTimeField(null=True, blank=True)
    # The candidate's link to the application and its thread (guests have no account).
    access_token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # First answer of the association (a message or a decision): the response time.
    first_response_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    last_reminder_at = models.DateTimeField(null=True, blank=True)
    # The association's record of the volunteer, once accepted.
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_applications",
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            # One application in progress per person and mission.
            models.UniqueConstraint(
                Lower("email"),
                "mission",
                condition=Q(status__in=["new", "discussion"]),
                name="application_one_open_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "status", "submitted_at"]),
            models.Index(fields=["mission", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} – {self.mission}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class ApplicationMessage(models.Model):
    """The thread between the association and the candidate."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    from_association = models.BooleanField(default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.body[:50]


class Activity(models.TextChoices):
    FIELD = "field", _("Field work with the public")
    ORGANISATION = "organisation", _("Organisation and logistics")
    ADMINISTRATION = "administration", _("Administration and accounting")
    GOVERNANCE = "governance", _("Governance (board, bureau)")
    COMMUNICATION = "communication", _("Communication")
    TRAINING = "training", _("Training (given or received)")
    EVENT = "event", _("Events")
    OTHER = "other", _("Other")


class HoursStatus(models.TextChoices):
    PENDING = "pending", _("To validate")
    VALIDATED = "validated", pgettext_lazy("hours status", "Validated")
    REJECTED = "rejected", pgettext_lazy("hours status", "Rejected")


class VolunteerHours(models.Model):
    """Time given by a volunteer, logged by them or a manager, validated by a manager."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.CASCADE,
        related_name="volunteer_hours",
        verbose_name=_("volunteer"),
    )
    mission = models.ForeignKey(
        Mission,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hours",
        verbose_name=_("mission"),
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(24)],
    )
    activity = models.CharField(_("activity"), max_length=20, choices=Activity.choices)
    description = models.CharField(_("what was done"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=HoursStatus.choices, default=HoursStatus.PENDING
    )
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("volunteer hours")
        verbose_name_plural = _("volunteer hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="volunteer_hours_in_a_day"
            ),
        ]
        indexes = [
            models.Index(fields=["association", "status", "date"]),
            models.Index(fields=["person", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.date:%Y-%m-%d} {self.hours} h"


class VolunteeringSettings(models.Model):
    """An association's settings of the volunteering module."""

    association = models.OneToOneField(
        "associations.Association", on_delete=models.CASCADE, related_name="volunteering_settings"
    )
    hourly_rate = models.DecimalField(
        _("hourly rate of volunteer time (€)"),
        max_digits=7,
        decimal_places=2,
        default=DEFAULT_HOURLY_RATE,
        validators=[MinValueValidator(0)],
        help_text=_("Used for the years without a rate of their own."),
    )
    valuation_method = models.CharField(
        _("valuation method (for the annual report)"),
        max_length=255,
        blank=True,
        default="",
    )
    remind_after_days = models.PositiveSmallIntegerField(
        _("remind us of unanswered applications after (days)"),
        default=5,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("volunteering settings")
        verbose_name_plural = _("volunteering settings")

    def __str__(self) -> str:
        return str(self.association)


class YearlyHourlyRate(models.Model):
    """The hourly rate of one year's valuation (a year keeps its rate once the
    accounts are closed, even when the default changes)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    hourly_rate = models.DecimalField(
        _("hourly rate (€)"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)]
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["association", "year"], name="one_rate_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.hourly_rate} €"
