"""Help requests: an association asks skills volunteers, companies (skills
sponsorship) or its networks for a piece of skilled work. Written from scratch, or
prefilled from an action of its plan or a diagnostic recommendation (kept as plain
references: the strategy module is read through its selectors only)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from maillon.core.models import TimeStampedModel

__all__ = [
    "Company",
    "CompanyCoordinator",
    "Engagement",
    "EngagementKind",
    "EngagementMessage",
    "EngagementStatus",
    "HelpAudience",
    "HelpFormat",
    "HelpRequest",
    "HelpRequestStatus",
    "LentEmployee",
]


class HelpFormat(models.TextChoices):
    REMOTE = "remote", _("Remote")
    ON_SITE = "on_site", _("On site")
    EITHER = "either", _("Remote or on site")


class HelpAudience(models.TextChoices):
    VOLUNTEERS = "volunteers", _("Skills volunteers")
    COMPANIES = "companies", _("Companies (skills sponsorship)")
    NETWORKS = "networks", _("My networks")


class HelpRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class HelpRequest(TimeStampedModel):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    need = models.TextField(_("the need"))
    deliverable = models.TextField(_("what you expect at the end"))
    skills = models.ManyToManyField(
        "taxonomy.Skill", blank=True, related_name="+", verbose_name=_("skills")
    )
    format = models.CharField(
        _("format"), max_length=8, choices=HelpFormat.choices, default=HelpFormat.EITHER
    )
    hours_estimate = models.DecimalField(
        _("hours estimate"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    audiences = models.JSONField(_("asked of"), default=list)
    status = models.CharField(
        max_length=8, choices=HelpRequestStatus.choices, default=HelpRequestStatus.OPEN
    )
    plan_action_id = models.PositiveIntegerField(null=True, blank=True)
    recommendation_code = models.CharField(max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        indexes = [models.Index(fields=["association", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def audience_labels(self) -> list[str]:
        return [label for value, label in HelpAudience.choices if value in (self.audiences or [])]


def validate_siren(value: str) -> None:
    from stdnum.fr import siren

    if not siren.is_valid(value):
        raise ValidationError(_("This is not a valid SIREN number (9 digits)."))


class Company(TimeStampedModel):
    """A company lending its employees' time (mécénat de compétences). Not a tenant:
    its space is ``/c/<slug>/``, open to its coordinators only."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    siren = models.CharField(
        _("SIREN number"), max_length=9, unique=True, validators=[validate_siren]
    )
    department = models.ForeignKey(
        "taxonomy.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("department"),
    )
    description = models.TextField(_("presentation"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self) -> str:
        return self.name


class CompanyCoordinator(TimeStampedModel):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="coordinators")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_roles"
    )

    class Meta:
        verbose_name = _("company coordinator")
        verbose_name_plural = _("company coordinators")
        constraints = [
            models.UniqueConstraint(fields=["company", "user"], name="one_coordinator_row")
        ]

    def __str__(self) -> str:
        return f"{self.company} — {self.user_id}"


class LentEmployee(TimeStampedModel):
    """An employee the company lends, as its coordinator describes them."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="employees")
    full_name = models.CharField(_("name"), max_length=200)
    job_title = models.CharField(_("job"), max_length=200, blank=True)
    skills = models.ManyToManyField(
        "taxonomy.Skill", blank=True, related_name="+", verbose_name=_("skills")
    )
    remote_ok = models.BooleanField(_("can help remotely"), default=True)
    available_until = models.DateField(_("available until"), null=True, blank=True)
    is_active = models.BooleanField(_("lent at present"), default=True)

    class Meta:
        ordering = ["full_name", "id"]
        verbose_name = _("lent employee")
        verbose_name_plural = _("lent employees")

    def __str__(self) -> str:
        return self.full_name


class EngagementKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("Skills volunteer")
    COMPANY = "company", _("Company skills sponsorship")
    NETWORK = "network", _("Network staff")


class EngagementStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    # In context: the volunteering dashboard's "Accepted" is a plural in French.
    ACCEPTED = "accepted", pgettext_lazy("engagement status", "Accepted")
    IN_PROGRESS = "in_progress", _("In progress")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Engagement(TimeStampedModel):
    """A helper's offer on a help request, and the work that follows it.

    Lives in the asking association's scope; the helper (a skills volunteer, a
    company's coordinator, a network's staff) reaches it through explicit
    selectors. ``offered → accepted → in progress → delivered → closed``; the
    association may decline an offer, the helper may withdraw it before it is
    delivered."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    help_request = models.ForeignKey(
        HelpRequest, on_delete=models.CASCADE, related_name="engagements"
    )
    kind = models.CharField(_("kind of help"), max_length=12, choices=EngagementKind.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=EngagementStatus.choices,
        default=EngagementStatus.OFFERED,
    )
    # Who offers: the user who wrote the offer, and what they speak for.
    offered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, null=True, blank=True, related_name="engagements"
    )
    network = models.ForeignKey(
        "network.Network", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    employees = models.ManyToManyField(
        LentEmployee, blank=True, related_name="engagements", verbose_name=_("employees lent")
    )
    message = models.TextField(_("the offer"), blank=True)
    hours_offered = models.DecimalField(
        _("hours offered"),
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        null=True,
        blank=True,
    )
    start_date = models.DateField(_("can start on"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("reason"), blank=True)
    # Against single-person dependency: no closing without a handover document.
    handover_document = models.FileField(
        _("handover document"), upload_to="help/handover/%Y/", blank=True
    )
    handover_notes = models.TextField(_("handover notes"), blank=True)
    outcome = models.TextField(_("what was delivered"), blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        indexes = [
            models.Index(fields=["association", "status"]),
            models.Index(fields=["offered_by", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="company") | models.Q(company__isnull=False),
                name="engagement_company_named",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="network") | models.Q(network__isnull=False),
                name="engagement_network_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.help_request_id} — {self.get_kind_display()}"


class EngagementMessage(models.Model):
    """One message of an engagement's thread (association ↔ helper)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_association = models.BooleanField(default=False)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("engagement message")
        verbose_name_plural = _("engagement messages")

    def __str__(self) -> str:
        return f"{self.engagement_id}: {self.body[:40]}"
