"""A network's newsletter to the boards of its member associations.

It mirrors communication's newsletter (which belongs to one association): the
recipients are frozen when sending is requested, one ``NetworkDelivery`` per email
address (unique per letter), claimed in batches by the sending task so that a retried
task never sends twice. Whoever unsubscribes gets a ``NetworkOptOut`` for that network."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.communication.models import DeliveryStatus, NewsletterStatus
from maillon.core.models import TimeStampedModel

__all__ = ["NetworkDelivery", "NetworkNewsletter", "NetworkOptOut"]


def _token() -> str:
    return secrets.token_urlsafe(32)


class NetworkNewsletter(TimeStampedModel):
    network = models.ForeignKey(
        "network.Network", on_delete=models.CASCADE, related_name="newsletters"
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(
        _("text"),
        max_length=100_000,
        help_text=_("Markdown: # heading, **bold**, *italic*, - list, [link](https://…)."),
    )
    body_html = models.TextField(editable=False, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=NewsletterStatus.choices, default=NewsletterStatus.DRAFT
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    send_requested_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    total_count = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("network newsletter")
        verbose_name_plural = _("network newsletters")

    def __str__(self) -> str:
        return self.subject

    @property
    def done_count(self) -> int:
        return self.sent_count + self.failed_count

    @property
    def progress_percent(self) -> int:
        if not self.total_count:
            return 100 if self.status == NewsletterStatus.SENT else 0
        return min(100, round(100 * self.done_count / self.total_count))


class NetworkDelivery(models.Model):
    """One board member of a member association receiving one network newsletter.
    The token makes the personal unsubscribe link."""

    newsletter = models.ForeignKey(
        NetworkNewsletter, on_delete=models.CASCADE, related_name="deliveries"
    )
    association = models.ForeignKey(
        "associations.Association", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    email = models.EmailField()  # lower-cased
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    claim = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=255, blank=True)

    class Meta:
        verbose_name = _("network newsletter delivery")
        verbose_name_plural = _("network newsletter deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["newsletter", "email"], name="network_delivery_once_per_email"
            )
        ]
        indexes = [models.Index(fields=["newsletter", "status"], name="network_delivery_idx")]

    def __str__(self) -> str:
        return self.email


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
