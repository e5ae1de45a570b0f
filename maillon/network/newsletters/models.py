"""A network's newsletter to the boards of its member associations.

It shares communication's newsletter bases (whose newsletter belongs to one association): the
recipients are frozen when sending is requested, one ``NetworkDelivery`` per email
address (unique per letter), claimed in batches by the sending task so that a retried
task never sends twice. Whoever unsubscribes gets a ``NetworkOptOut`` for that network."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.communication.models import (
    DeliveryBase,
    NewsletterBase,
    _token,  # noqa: F401 — named by migration 0005
)

__all__ = ["NetworkDelivery", "NetworkNewsletter", "NetworkOptOut"]


class NetworkNewsletter(NewsletterBase):
    network = models.ForeignKey(
        "network.Network", on_delete=models.CASCADE, related_name="newsletters"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("network newsletter")
        verbose_name_plural = _("network newsletters")


class NetworkDelivery(DeliveryBase):
    """One board member of a member association receiving one network newsletter."""

    newsletter = models.ForeignKey(
        NetworkNewsletter, on_delete=models.CASCADE, related_name="deliveries"
    )
    association = models.ForeignKey(
        "associations.Association", on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("network newsletter delivery")
        verbose_name_plural = _("network newsletter deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "email"], name="network_delivery_once_per_email"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "status"], name="network_delivery_idx")]


class NetworkOptOut(models.Model):
    """This email address asked for no more newsletters from this network."""

    network = models.ForeignKey("network.Network", on_delete=models.CASCADE, related_name="+")
    email = models.EmailField(_("email"))  # lower-cased
    source = models.CharField(_("source"), max_length=32)
    created_at = models.DateTimeField(_("date"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("network newsletter opt-out")
        verbose_name_plural = _("network newsletter opt-outs")
        constraints = [
            models.UniqueConstraint(
                fields=["network", "email"], name="network_optout_once_per_email"
            )
        ]

    def __str__(self) -> str:
        return self.email
