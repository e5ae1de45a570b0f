"""Online payments through a provider (HelloAsso): the association's connected
account, the checkout intents Maillon created, and the payments it recorded.

A payment is recorded only from what Maillon read back from the provider's API, and
each provider payment id once (unique constraint): a replayed or late notification
finds the row and changes nothing."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager


def _webhook_token() -> str:
    return secrets.token_urlsafe(24)


class Provider(models.TextChoices):
    HELLOASSO = "helloasso", "HelloAsso"


class ProviderAccount(models.Model):
    """The association's HelloAsso API client (OAuth2 client credentials)."""

    association = models.OneToOneField(
        "associations.Association", on_delete=models.CASCADE, related_name="payment_account"
    )
    provider = models.CharField(max_length=16, choices=Provider.choices, default=Provider.HELLOASSO)
    organization_slug = models.SlugField(_("HelloAsso organisation slug"), max_length=200)
    client_id = models.CharField(_("client id"), max_length=200)
    client_secret_encrypted = models.TextField(blank=True, editable=False)
    access_token_encrypted = models.TextField(blank=True, editable=False)
    refresh_token_encrypted = models.TextField(blank=True, editable=False)
    token_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    webhook_token = models.CharField(
        max_length=64, default=_webhook_token, unique=True, editable=False
    )
    membership_form_slug = models.CharField(
        _("HelloAsso membership form (for the import)"), max_length=200, blank=True
    )
    donation_form_slug = models.CharField(
        _("HelloAsso donation form (for the import)"), max_length=200, blank=True
    )
    connected_at = models.DateTimeField(default=timezone.now, editable=False)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("payment provider account")
        verbose_name_plural = _("payment provider accounts")

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.organization_slug}"


class IntentStatus(models.TextChoices):
    CREATED = "created", _("Waiting for the payment")
    PAID = "paid", _("Paid")
    REFUNDED = "refunded", _("Refunded")


class CheckoutIntent(models.Model):
    """A payment Maillon asked the provider to collect, for one purpose."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    purpose = models.CharField(_("purpose"), max_length=32)
    # The purpose's own object (a Person for a fee) and its details (fee type...).
    target_id = models.PositiveBigIntegerField()
    details = models.JSONField(default=dict, blank=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    item_name = models.CharField(max_length=250)
    provider_intent_id = models.CharField(max_length=64, blank=True)
    redirect_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(
        max_length=16, choices=IntentStatus.choices, default=IntentStatus.CREATED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("checkout intent")
        verbose_name_plural = _("checkout intents")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "provider_intent_id"],
                condition=~models.Q(provider_intent_id=""),
                name="checkout_intent_provider_id_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.purpose} {self.provider_intent_id or self.pk}"


class Payment(models.Model):
    """A payment read back from the provider's API. One row per provider payment."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    provider = models.CharField(max_length=16, choices=Provider.choices, default=Provider.HELLOASSO)
    intent = models.ForeignKey(
        CheckoutIntent, on_delete=models.PROTECT, null=True, blank=True, related_name="payments"
    )
    purpose = models.CharField(_("purpose"), max_length=32)
    target_id = models.PositiveBigIntegerField()
    result_id = models.PositiveBigIntegerField(null=True, blank=True)
    provider_order_id = models.CharField(_("order number"), max_length=64)
    provider_payment_id = models.CharField(_("payment number"), max_length=64)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"))
    paid_at = models.DateTimeField(_("paid at"))
    payer_email = models.EmailField(_("payer email"), blank=True)
    payer_first_name = models.CharField(_("payer first name"), max_length=100, blank=True)
    payer_last_name = models.CharField(_("payer last name"), max_length=100, blank=True)
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    receipt_url = models.URLField(_("receipt"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-paid_at"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_payment_id"], name="payment_recorded_once"
            )
        ]
        indexes = [models.Index(fields=["association", "purpose", "target_id"])]

    def __str__(self) -> str:
        return f"{self.provider} {self.provider_payment_id}"


class FormKind(models.TextChoices):
    MEMBERSHIP = "membership", _("Membership")
    DONATION = "donation", _("Donation")


class ImportStatus(models.TextChoices):
    MATCHED = "matched", _("Matched to a member")
    UNMATCHED = "unmatched", _("To reconcile")
    TO_IMPORT = "to_import", _("Sent to the member import")
    ERROR = "error", _("Unreadable")
    KEPT = "kept", _("Kept for the donations")


class ImportedOrder(models.Model):
    """An order of the association's HelloAsso membership or donation form, pulled
    from the API (each order once), and what the reconciliation made of it."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    provider_order_id = models.CharField(_("order number"), max_length=64)
    form_kind = models.CharField(_("form"), max_length=16, choices=FormKind.choices)
    order_date = models.DateTimeField(_("date"), null=True, blank=True)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"), default=0)
    payer_email = models.EmailField(_("payer email"), blank=True)
    payer_first_name = models.CharField(_("payer first name"), max_length=100, blank=True)
    payer_last_name = models.CharField(_("payer last name"), max_length=100, blank=True)
    payer_postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    payer_city = models.CharField(_("city"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices)
    error = models.CharField(_("error"), max_length=255, blank=True)
    person = models.ForeignKey(
        "members.Person", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    period_id = models.PositiveBigIntegerField(null=True, blank=True)
    imported_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-order_date", "-id"]
        verbose_name = _("HelloAsso order")
        verbose_name_plural = _("HelloAsso orders")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "provider_order_id"], name="imported_order_once"
            )
        ]
        indexes = [models.Index(fields=["association", "status"])]

    def __str__(self) -> str:
        return f"{self.form_kind} {self.provider_order_id}"

    @property
    def amount(self):
        from decimal import Decimal

        return Decimal(self.amount_cents) / 100
