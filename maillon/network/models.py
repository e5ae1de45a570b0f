"""Networks (federations, local networks, collectives), their staff, and the
membership of associations in them with the data each association shares.

A network is not a tenant: its rows carry no association. A membership belongs to
both sides; it carries the association (scoped like every tenant row), and the
network reads its members only through selectors named ``*_across_associations``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from maillon.core.models import TimeStampedModel


class NetworkKind(models.TextChoices):
    FEDERATION = "federation", _("Federation")
    LOCAL_NETWORK = "local_network", _("Local network")
    COLLECTIVE = "collective", _("Collective")


class NetworkStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a check")
    ACTIVE = "active", _("Active")
    REFUSED = "refused", _("Refused")


class Network(TimeStampedModel):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=NetworkKind.choices)
    sector = models.ForeignKey(
        "taxonomy.Sector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sector"),
    )
    departments = models.ManyToManyField(
        "taxonomy.Department", blank=True, related_name="+", verbose_name=_("territory")
    )
    description = models.TextField(_("presentation"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="networks/logos/", blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    is_public = models.BooleanField(_("public page"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NetworkStatus.choices, default=NetworkStatus.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == NetworkStatus.ACTIVE


class NetworkRoleKind(models.TextChoices):
    HEAD = "head", _("Head of network")
    COORDINATOR = "coordinator", _("Coordinator")
    STAFF = "staff", _("Staff")


class NetworkRole(TimeStampedModel):
    """A user's role in a network's team. The head manages the team."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_roles"
    )
    role = models.CharField(_("role"), max_length=12, choices=NetworkRoleKind.choices)

    class Meta:
        ordering = ["network", "role", "id"]
        verbose_name = _("network role")
        verbose_name_plural = _("network roles")
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_role_per_network_user")
        ]

    def __str__(self) -> str:
        return f"{self.network} — {self.get_role_display()}"


class DataFamily(models.TextChoices):
    """What an association may share with a network, beyond its directory card."""

    MEMBERS = "members", _("Member counts and fee status")
    GOVERNANCE = "governance", _("General assembly dates and participation rate")
    VOLUNTEERING = "volunteering", _("Volunteering figures")
    DIAGNOSTIC = "diagnostic", _("Diagnostic scores and level")
    PLAN = "plan", _("Action plan progress")


class MembershipStatus(models.TextChoices):
    INVITED = "invited", _("Invited by the network")
    REQUESTED = "requested", _("Requested by the association")
    ACTIVE = "active", _("Member")
    DECLINED = "declined", pgettext_lazy("network membership", "Declined")
    LEFT = "left", _("Left")


OPEN_STATUSES = (MembershipStatus.INVITED, MembershipStatus.REQUESTED, MembershipStatus.ACTIVE)


class NetworkMembership(TimeStampedModel):
    """An association in a network. Opened by one side (invitation or request),
    accepted by the other; ``shared_families`` is what the association consents to
    show the network, nothing by default."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(_("status"), max_length=10, choices=MembershipStatus.choices)
    shared_families = models.JSONField(_("data shared"), default=list, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("message"), blank=True)
    joined_at = models.DateTimeField(_("joined at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["network__name", "id"]
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "network"],
                condition=Q(status__in=["invited", "requested", "active"]),
                name="one_open_membership_per_network",
            )
        ]
        indexes = [models.Index(fields=["network", "status"])]

    def __str__(self) -> str:
        return f"{self.network} — {self.association}"

    @property
    def shared_family_labels(self) -> list[str]:
        return [
            label for value, label in DataFamily.choices if value in (self.shared_families or [])
        ]

    def shares(self, family: str) -> bool:
        return self.status == MembershipStatus.ACTIVE and family in (self.shared_families or [])


class NetworkLogEntry(models.Model):
    """The network's side of the audit: invitations, answers, consent changes,
    departures, team changes. The association's side is in its own audit log."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="log_entries")
    about_association = models.ForeignKey(
        "associations.Association", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=100)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("network log entry")
        verbose_name_plural = _("network log entries")

    def __str__(self) -> str:
        return self.action


# --- practice sheets -------------------------------------------------------------------


class Visibility(models.TextChoices):
    DRAFT = "draft", _("Draft (your association only)")
    NETWORK = "network", _("Your networks")
    PUBLIC = "public", _("Everyone")


class BudgetBand(models.TextChoices):
    UNKNOWN = "", _("Not given")
    UNDER_10K = "under_10k", _("Under €10,000")
    FROM_10K = "10k_50k", _("€10,000 to €50,000")
    FROM_50K = "50k_200k", _("€50,000 to €200,000")
    FROM_200K = "200k_1m", _("€200,000 to €1 million")
    OVER_1M = "over_1m", _("Over €1 million")


class Licence(models.TextChoices):
    CC_BY_SA = "CC-BY-SA-4.0", "CC BY-SA 4.0"
    CC_BY = "CC-BY-4.0", "CC BY 4.0"
    CC0 = "CC0-1.0", "CC0 1.0"


class ToolKind(models.TextChoices):
    """A short taxonomy of the tools a sheet names (beside the free list)."""

    COLLABORATIVE = "collaborative", _("Shared documents and calendars")
    MESSAGING = "messaging", _("Messaging and chat")
    MEMBER_MANAGEMENT = "member_management", _("Member management")
    PAYMENT = "payment", _("Online payment and donations")
    WEBSITE = "website", _("Website")
    SOCIAL = "social", _("Social networks")
    VIDEO = "video", _("Video meetings")
    SURVEY = "survey", _("Forms and surveys")
    ACCOUNTING = "accounting", _("Accounting")
    OTHER = "other", _("Other")


class PracticeSheet(TimeStampedModel):
    """A practice sheet ("fiche pratique, retour d'expérience") written by an
    association, possibly from a finished action of its digital plan."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("the problem"))
    size_band = models.CharField(_("employees"), max_length=8, blank=True)
    sector = models.ForeignKey(
        "taxonomy.Sector",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sector"),
    )
    budget_band = models.CharField(
        _("yearly budget"), max_length=12, choices=BudgetBand.choices, blank=True
    )
    staff = models.CharField(_("who did it"), max_length=200, blank=True)
    what_was_done = models.TextField(_("what we did"))
    tools = models.JSONField(_("tools"), default=list, blank=True)
    tool_kinds = models.JSONField(_("kinds of tools"), default=list, blank=True)
    time_spent_hours = models.DecimalField(
        _("time spent (hours)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    money_spent = models.DecimalField(
        _("money spent (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    pitfalls = models.JSONField(_("pitfalls met"), default=list, blank=True)
    domains = models.JSONField(_("diagnostic domains"), default=list, blank=True)
    results = models.TextField(_("results"), blank=True)
    licence = models.CharField(
        _("licence"), max_length=16, choices=Licence.choices, default=Licence.CC_BY_SA
    )
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.DRAFT
    )
    networks = models.ManyToManyField(
        Network, through="PracticeSheetNetwork", related_name="practice_sheets", blank=True
    )
    source_action = models.ForeignKey(
        "strategy.Action", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recommendation_code = models.CharField(max_length=100, blank=True)
    # Before/after values of the action's indicators: [{"name", "unit", "before", "after"}].
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    published_at = models.DateTimeField(
        pgettext_lazy("practice sheet", "published at"), null=True, blank=True
    )
    revision = models.PositiveIntegerField(default=1)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Accent- and case-folded text: what the SQLite search reads.
    search_text = models.TextField(blank=True, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("practice sheet")
        verbose_name_plural = _("practice sheets")
        indexes = [models.Index(fields=["visibility", "-published_at"])]

    def __str__(self) -> str:
        return self.title


class PracticeSheetNetwork(models.Model):
    """A sheet shared with a network; the network's coordinator may feature it or
    take it out of the network (``hidden``)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    sheet = models.ForeignKey(PracticeSheet, on_delete=models.CASCADE, related_name="shares")
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="+")
    featured = models.BooleanField(_("featured"), default=False)
    hidden = models.BooleanField(_("unpublished by the network"), default=False)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("sheet shared with a network")
        verbose_name_plural = _("sheets shared with networks")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "network"], name="one_share_per_network")
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} → {self.network_id}"


class PracticeSheetRevision(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    sheet = models.ForeignKey(PracticeSheet, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id} v{self.number}"


class PracticeEndorsement(models.Model):
    """ "We did it too": another association endorses a sheet, with its own outcome.
    Owned by the endorsing association."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    sheet = models.ForeignKey(PracticeSheet, on_delete=models.CASCADE, related_name="endorsements")
    outcome = models.TextField(_("your outcome"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "association"], name="one_endorsement")
        ]

    def __str__(self) -> str:
        return f"{self.association_id} → {self.sheet_id}"


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


class PracticeQuestion(models.Model):
    """A question to the author association; shown once the author publishes it."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    sheet = models.ForeignKey(PracticeSheet, on_delete=models.CASCADE, related_name="questions")
    body = models.TextField(_("question"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=QuestionStatus.choices, default=QuestionStatus.PENDING
    )
    answer = models.TextField(_("answer"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.body[:50]


class PracticeAdoption(models.Model):
    """An action of the association's plan inspired by a practice sheet: adopted from
    the sheet's page or from a diagnostic recommendation that showed the sheet. Kept
    here so that the strategy app does not know about networks."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    action = models.OneToOneField(
        "strategy.Action", on_delete=models.CASCADE, related_name="practice_adoption"
    )
    sheet = models.ForeignKey(PracticeSheet, on_delete=models.CASCADE, related_name="adoptions")
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("practice adopted in the plan")
        verbose_name_plural = _("practices adopted in the plan")

    def __str__(self) -> str:
        return f"{self.sheet_id} → {self.action_id}"


from .help.models import *  # noqa: E402, F403 — help requests
from .help.sponsorship.models import *  # noqa: E402, F403 — skills sponsorship
from .newsletters.models import *  # noqa: E402, F403 — the network's newsletters
from .pooling.models import *  # noqa: E402, F403 — pooled resources and bookings
