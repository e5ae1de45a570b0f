import zoneinfo
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from maillon.core.models import TimeStampedModel
from maillon.core.text import fold

from .validators import validate_rna, validate_siren


class SizeBand(models.TextChoices):
    NO_STAFF = "none", _("No employees")
    STAFF_1_2 = "1-2", _("1–2 employees")
    STAFF_3_9 = "3-9", _("3–9 employees")
    STAFF_10_49 = "10-49", _("10–49 employees")
    STAFF_50_PLUS = "50+", _("50 employees or more")


class Module(models.TextChoices):
    """Feature modules an association can switch on or off."""

    MEMBERS = "members", _("Members")
    GOVERNANCE = "governance", _("General assemblies and votes")
    VOLUNTEERING = "volunteering", _("Volunteer missions")
    EVENTS = "events", _("Events")
    COMMUNICATION = "communication", _("News and newsletters")
    STRATEGY = "strategy", _("Digital strategy")
    NETWORK = "network", _("Network: practices, resources, help")
    FUNDING = "funding", _("Donations and tax receipts")


def default_modules() -> list[str]:
    return [Module.MEMBERS.value]


TIME_ZONE_CHOICES = [(tz, tz) for tz in sorted(zoneinfo.available_timezones()) if "/" in tz]


class Association(TimeStampedModel):
    """The tenant. Every association-owned row points here."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    purpose = models.TextField(_("purpose"), blank=True)
    sector = models.ForeignKey(
        "taxonomy.Sector",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="associations",
        verbose_name=_("sector"),
    )
    size_band = models.CharField(
        _("employees"), max_length=8, choices=SizeBand.choices, default=SizeBand.NO_STAFF
    )
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    department = models.ForeignKey(
        "taxonomy.Department",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="associations",
        verbose_name=_("department"),
    )
    rna = models.CharField(_("RNA number"), max_length=10, blank=True, validators=[validate_rna])
    siren = models.CharField(
        _("SIREN or SIRET"), max_length=14, blank=True, validators=[validate_siren]
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Paris", choices=TIME_ZONE_CHOICES
    )
    enabled_modules = models.JSONField(_("enabled modules"), default=default_modules, blank=True)
    is_listed = models.BooleanField(
        _("listed in the public directory"),
        default=True,
    )
    accepts_join_requests = models.BooleanField(_("accepts join requests"), default=True)
    require_2fa_for_bureau = models.BooleanField(
        _("require two-factor authentication for the bureau"), default=False
    )
    # Accent- and case-folded name, purpose and city: what the directory search reads.
    search_text = models.TextField(blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        indexes = [models.Index(fields=["is_listed", "name"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(" ".join([self.name, self.city, self.purpose]))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def has_module(self, module: str) -> bool:
        return module in (self.enabled_modules or [])

    @property
    def region(self):
        return self.department.region if self.department_id else None


class MajorityRule(models.TextChoices):
    SIMPLE = "simple", _("Simple majority of votes cast")
    ABSOLUTE = "absolute", _("Absolute majority of members present or represented")
    TWO_THIRDS = "two_thirds", _("Two-thirds of votes cast")
    CUSTOM = "custom", _("Custom fraction of votes cast")


class VotingEligibility(models.TextChoices):
    FEE_UP_TO_DATE = (
        "fee_up_to_date",
        _("Members up to date with their fee at the convocation date"),
    )
    ALL_MEMBERS = "all_members", _("All members")


class Statutes(models.Model):
    """The rules of the association's statutes and internal rules that the platform
    applies. Every field is a setting with a common default, never a constant."""

    association = models.OneToOneField(
        Association, on_delete=models.CASCADE, related_name="statutes"
    )
    ag_notice_days = models.PositiveSmallIntegerField(
        _("notice period for general assemblies (days)"),
        default=15,
        validators=[MaxValueValidator(365)],
    )
    quorum_fraction = models.DecimalField(
        _("quorum (fraction of members present or represented)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.250"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=_("0 means no quorum; 0.25 means a quarter of the members."),
    )
    second_convocation_without_quorum = models.BooleanField(
        _("a second convocation may hold without quorum"), default=True
    )
    ordinary_majority = models.CharField(
        _("majority for ordinary decisions"),
        max_length=16,
        choices=MajorityRule.choices,
        default=MajorityRule.SIMPLE,
    )
    ordinary_majority_fraction = models.DecimalField(
        _("custom fraction for ordinary decisions"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )
    extraordinary_majority = models.CharField(
        _("majority for extraordinary decisions"),
        max_length=16,
        choices=MajorityRule.choices,
        default=MajorityRule.TWO_THIRDS,
    )
    extraordinary_majority_fraction = models.DecimalField(
        _("custom fraction for extraordinary decisions"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("1"))],
    )
    blank_counts_as_cast = models.BooleanField(_("blank votes count as votes cast"), default=False)
    abstention_counts_as_cast = models.BooleanField(
        _("abstentions count as votes cast"), default=False
    )
    max_proxies_per_holder = models.PositiveSmallIntegerField(
        _("maximum proxies per holder"), default=2, validators=[MaxValueValidator(100)]
    )
    unnamed_proxy_to_president = models.BooleanField(
        _("an unnamed proxy goes to the president"), default=True
    )
    resolutions_secret_ballot = models.BooleanField(
        _("resolutions are voted by secret ballot"),
        default=True,
        help_text=_(
            "Elections are always by secret ballot. Untick it if your statutes have "
            "resolutions voted openly (show of hands): online, the published list of "
            "ballots then names the voters. Each vote may still be set otherwise."
        ),
    )
    proposal_support_threshold = models.PositiveSmallIntegerField(
        _("supports that put a member proposal on the next general assembly's agenda"),
        default=10,
        validators=[MinValueValidator(1)],
    )
    voting_eligibility = models.CharField(
        _("who may vote"),
        max_length=20,
        choices=VotingEligibility.choices,
        default=VotingEligibility.FEE_UP_TO_DATE,
    )

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("statutes settings")
        verbose_name_plural = _("statutes settings")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(ordinary_majority="custom")
                | models.Q(ordinary_majority_fraction__isnull=False),
                name="statutes_ordinary_custom_fraction_set",
            ),
            models.CheckConstraint(
                condition=~models.Q(extraordinary_majority="custom")
                | models.Q(extraordinary_majority_fraction__isnull=False),
                name="statutes_extraordinary_custom_fraction_set",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Statutes of %(name)s") % {"name": self.association.name})

    def clean(self):
        errors = {}
        for kind in ("ordinary", "extraordinary"):
            rule = getattr(self, f"{kind}_majority")
            if rule == MajorityRule.CUSTOM and getattr(self, f"{kind}_majority_fraction") is None:
                errors[f"{kind}_majority_fraction"] = _("Give the fraction for a custom majority.")
        if errors:
            raise ValidationError(errors)
