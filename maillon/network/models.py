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
    DECLINED = "declined", _("Declined")
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


from .help.models import *  # noqa: E402, F403 — help requests
from .pooling.models import *  # noqa: E402, F403 — pooled resources and bookings
