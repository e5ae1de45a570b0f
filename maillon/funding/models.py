"""Donations, donors, campaigns and tax receipts of an association.

Every row belongs to an association (scoped). A receipt is a legal document: it is
never deleted nor changed once issued; it keeps a frozen copy of what it certifies
(``data``), so a cancelled receipt stays readable exactly as it was issued, and a
cancellation is a document of its own, numbered in the same sequence."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from maillon.associations.validators import validate_siren

# The chart-of-accounts mapping of the journal export (French associations' plan
# comptable, règlement ANC 2018-06); each association may change every account.
DEFAULT_ACCOUNTS: dict[str, str] = {
    "donations": "754",  # dons manuels
    "fees": "756",  # cotisations
    "bank": "512",  # banque: transfers, cards
    "cheque": "512",  # cheques (some use 5112 "chèques à encaisser")
    "cash": "530",  # caisse
    "helloasso": "512",  # HelloAsso pays out to the bank account
    "in_kind_use": "860",  # emplois des contributions volontaires en nature
    "in_kind_resource": "870",  # contributions volontaires en nature: dons en nature
    "waived_expenses": "625",  # the expense the volunteer gave up (déplacements...)
}


def default_accounts() -> dict[str, str]:
    return dict(DEFAULT_ACCOUNTS)


class LegalBasis(models.TextChoices):
    """The box ticked on the receipt: which kind of body the association is, under
    articles 200 and 238 bis of the Code général des impôts."""

    GENERAL_INTEREST = (
        "general_interest",
        _("Body of general interest (œuvre ou organisme d’intérêt général)"),
    )
    PUBLIC_UTILITY = (
        "public_utility",
        _("Association or foundation recognised as of public utility"),
    )
    CULTURAL = "cultural", _("Body whose main activity is presenting live shows or exhibitions")
    ALSACE_MOSELLE = (
        "alsace_moselle",
        _("Association of Alsace-Moselle with a mission of public utility"),
    )


class ReceiptMode(models.TextChoices):
    PER_GIFT = "per_gift", _("One receipt per gift")
    YEARLY = "yearly", _("One receipt per donor and year")


class FundingSettings(models.Model):
    """What the tax receipts say about the association, and its accounts."""

    association = models.OneToOneField(
        "associations.Association", on_delete=models.CASCADE, related_name="funding_settings"
    )
    receipts_enabled = models.BooleanField(
        _("the association may issue tax receipts"),
        default=False,
        help_text=_(
            "Only bodies of general interest or of public utility may issue receipts "
            "that give the donor a tax reduction (articles 200 and 238 bis of the CGI)."
        ),
    )
    legal_basis = models.CharField(
        _("legal basis"),
        max_length=20,
        choices=LegalBasis.choices,
        default=LegalBasis.GENERAL_INTEREST,
    )
    recognition_date = models.DateField(
        _("date of the decree of public utility"), null=True, blank=True
    )
    object = models.TextField(_("object of the association (as printed)"), blank=True)
    address = models.CharField(_("postal address (as printed)"), max_length=255, blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory’s title"), max_length=100, blank=True)
    # The signature image's name in the "private" storage (a PNG, re-encoded at upload);
    # each upload gets a new name, so a receipt that printed one keeps it.
    signature_path = models.CharField(_("signature image"), max_length=255, blank=True)
    receipt_mode = models.CharField(
        _("receipts"), max_length=10, choices=ReceiptMode.choices, default=ReceiptMode.YEARLY
    )
    accounts = models.JSONField(_("accounts"), default=default_accounts, blank=True)

    objects = ScopedManager(association="association")

    def __str__(self) -> str:
        return f"funding settings #{self.association_id}"

    def account(self, key: str) -> str:
        return (self.accounts or {}).get(key) or DEFAULT_ACCOUNTS[key]


class DonorKind(models.TextChoices):
    PERSON = "person", _("Individual")
    COMPANY = "company", _("Company")


class Donor(models.Model):
    """Who gives: a person (a member of the register, or someone outside it) or a
    company (with its SIREN)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DonorKind.choices)
    person = models.ForeignKey(
        "members.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("member"),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    company_name = models.CharField(_("company name"), max_length=200, blank=True)
    siren = models.CharField(_("SIREN"), max_length=14, blank=True, validators=[validate_siren])
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("postal address"), max_length=255, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["last_name", "first_name", "company_name", "pk"]
        verbose_name = _("donor")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "person"],
                condition=Q(person__isnull=False),
                name="funding_one_donor_per_member",
            ),
            models.CheckConstraint(
                condition=Q(kind="person") | ~Q(company_name=""),
                name="funding_company_donor_has_a_name",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "last_name", "first_name"]),
            models.Index(Lower("email"), "association", name="funding_donor_email_ci_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.kind == DonorKind.COMPANY:
            return self.company_name
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_company(self) -> bool:
        return self.kind == DonorKind.COMPANY


class Campaign(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    goal = models.DecimalField(
        _("goal (€)"),
        max_digits=11,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    is_public = models.BooleanField(_("public page"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-starts_on", "title"]
        verbose_name = _("campaign")
        constraints = [
            models.UniqueConstraint(fields=["association", "slug"], name="funding_campaign_slug"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="funding_campaign_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Nature(models.TextChoices):
    MONEY = "money", _("Money")
    IN_KIND = "in_kind", _("In kind")
    WAIVED_EXPENSES = "waived_expenses", _("Waived expenses")


class Method(models.TextChoices):
    CASH = "cash", _("Cash")
    CHEQUE = "cheque", _("Cheque")
    TRANSFER = "transfer", _("Transfer")
    CARD = "card", _("Card")
    HELLOASSO = "helloasso", _("HelloAsso")
    NONE = "none", _("No payment (in kind, waived expenses)")


class DonationStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    CANCELLED = "cancelled", _("Cancelled")


class Donation(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    donor = models.ForeignKey(
        Donor, on_delete=models.RESTRICT, related_name="donations", verbose_name=_("donor")
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="donations",
        verbose_name=_("campaign"),
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount or value (€)"),
        max_digits=11,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    nature = models.CharField(
        _("nature"), max_length=16, choices=Nature.choices, default=Nature.MONEY
    )
    method = models.CharField(_("payment method"), max_length=10, choices=Method.choices)
    description = models.CharField(
        _("description (gifts in kind, waived expenses)"), max_length=255, blank=True
    )
    status = models.CharField(
        max_length=10, choices=DonationStatus.choices, default=DonationStatus.RECORDED
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The valid receipt that certifies this gift (none yet, or its receipt was cancelled).
    receipt = models.ForeignKey(
        "Receipt", on_delete=models.RESTRICT, null=True, blank=True, related_name="donations"
    )
    # Online payments: recorded once per provider payment (replays change nothing).
    provider = models.CharField(max_length=20, blank=True)
    provider_order_id = models.CharField(max_length=64, blank=True)
    provider_payment_id = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("donation")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "provider", "provider_payment_id"],
                condition=~Q(provider_payment_id=""),
                name="funding_donation_once_per_payment",
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="funding_donation_positive"),
            models.CheckConstraint(
                condition=Q(
                    nature="money", method__in=["cash", "cheque", "transfer", "card", "helloasso"]
                )
                | (~Q(nature="money") & Q(method="none")),
                name="funding_donation_method_fits_nature",
            ),
        ]
        indexes = [
            models.Index(fields=["association", "date"]),
            models.Index(fields=["association", "donor", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.donor} · {self.date:%Y-%m-%d} · {self.amount} €"


class ReceiptCounter(models.Model):
    """The last number given per association and year: locked (``select_for_update``)
    while a number is taken, so numbers follow each other without gap or duplicate."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    objects = ScopedManager(association="association")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year"], name="funding_one_counter_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class ReceiptKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    CANCELLATION = "cancellation", _("Cancellation")


class ReceiptStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    CANCELLED = "cancelled", _("Cancelled")


class Cerfa(models.TextChoices):
    INDIVIDUAL = "11580", _("Cerfa 11580 (individuals)")
    COMPANY = "16216", _("Cerfa 16216 (companies)")


class Receipt(models.Model):
    """A tax receipt (reçu au titre des dons), or the cancellation of one. Its donor,
    gifts and linked receipts cannot be deleted while it exists (RESTRICT); only the
    deletion of the whole association takes them together."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("number"), max_length=20)
    kind = models.CharField(max_length=12, choices=ReceiptKind.choices, default=ReceiptKind.RECEIPT)
    cerfa = models.CharField(max_length=5, choices=Cerfa.choices)
    is_yearly = models.BooleanField(default=False)
    gift_year = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.VALID
    )
    donor = models.ForeignKey(Donor, on_delete=models.RESTRICT, related_name="receipts")
    total = models.DecimalField(max_digits=12, decimal_places=2)
    # Everything printed, frozen at issue: the document never changes afterwards.
    data = models.JSONField(default=dict)
    cancels = models.ForeignKey(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="cancellations"
    )
    replaces = models.ForeignKey(
        "self", on_delete=models.RESTRICT, null=True, blank=True, related_name="replacements"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=255, blank=True)
    file_path = models.CharField(max_length=255, blank=True)
    # Sent to the donor once: by email (donor with an email, the signed link) or in a
    # printed letter batch (donor without email). Set when claimed, never twice.
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    letter_printed_at = models.DateTimeField(_("printed as a letter at"), null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("tax receipt")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "year", "sequence"], name="funding_receipt_number_once"
            ),
            models.UniqueConstraint(
                fields=["cancels"],
                condition=Q(cancels__isnull=False),
                name="funding_one_cancellation_per_receipt",
            ),
        ]
        indexes = [models.Index(fields=["association", "donor"])]

    def __str__(self) -> str:
        return self.number


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ReceiptBatch(models.Model):
    """The yearly receipts of every donor, issued by a background task."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    gift_year = models.PositiveSmallIntegerField()
    status = models.CharField(
        max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total_donors = models.PositiveIntegerField(default=0)
    processed_donors = models.PositiveIntegerField(default=0)
    issued = models.PositiveIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    failure_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"receipts {self.gift_year}"

    @property
    def progress_percent(self) -> int:
        if not self.total_donors:
            return 100 if self.status == BatchStatus.DONE else 0
        return int(100 * self.processed_donors / self.total_donors)
