"""The observatory: population margins, yearly waves, anonymous snapshots.

A snapshot never names its association: it keeps the answers and the profile under a
random id. While a wave is open, ``SnapshotLink`` remembers which association (or
anonymous diagnostic) a snapshot came from, so that a consent withdrawn or a newer
diagnostic replaces it instead of counting twice; publication deletes those links."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from maillon.core.models import TimeStampedModel


class WeightingVariable(models.TextChoices):
    SIZE_BAND = "size_band", _("Size (employees)")
    SECTOR = "sector", _("Sector")
    REGION = "region", _("Region")


class MarginSet(TimeStampedModel):
    """Population shares used to weight a wave, with where they come from."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("reference year"))
    source = models.TextField(_("source"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = _("population margins")
        verbose_name_plural = _("population margins")

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Margin(models.Model):
    margin_set = models.ForeignKey(MarginSet, on_delete=models.CASCADE, related_name="margins")
    variable = models.CharField(_("variable"), max_length=20, choices=WeightingVariable.choices)
    category = models.CharField(_("category"), max_length=50)
    share = models.FloatField(_("share"))
    source = models.CharField(_("source of this share"), max_length=300, blank=True)
    placeholder = models.BooleanField(
        _("placeholder"), default=False, help_text=_("No public source was found for it.")
    )

    class Meta:
        ordering = ["variable", "id"]
        verbose_name = _("margin")
        verbose_name_plural = _("margins")
        constraints = [
            models.UniqueConstraint(
                fields=["margin_set", "variable", "category"], name="one_share_per_category"
            ),
            models.CheckConstraint(
                condition=models.Q(share__gte=0, share__lte=1), name="share_between_0_and_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variable}={self.category}: {self.share}"


class WaveStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PUBLISHED = "published", _("Published")


class Wave(TimeStampedModel):
    """One yearly edition of the observatory: national (``network`` empty, opened by
    an instance administrator) or a network's own (opened by its head; its figures
    show on the network's page only, never on the national pages or API)."""

    year = models.PositiveSmallIntegerField(_("year"))
    network = models.ForeignKey(
        "network.Network",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=WaveStatus.choices, default=WaveStatus.OPEN
    )
    # Empty for a network wave without margins of its own: published unweighted.
    margin_set = models.ForeignKey(
        MarginSet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="waves",
        verbose_name=_("margins"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(
        pgettext_lazy("observatory wave", "published at"), null=True, blank=True
    )
    # Frozen at publication (never recomputed): the margins used, the weighting
    # report, the mapping version and every published table.
    margins = models.JSONField(default=dict, blank=True)
    weighting = models.JSONField(default=dict, blank=True)
    mapping_version = models.PositiveSmallIntegerField(null=True, blank=True)
    min_cell = models.PositiveSmallIntegerField(null=True, blank=True)
    results = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(network__isnull=True),
                name="one_national_wave_per_year",
            ),
            models.UniqueConstraint(
                fields=["network", "year"],
                condition=models.Q(network__isnull=False),
                name="one_network_wave_per_year",
            ),
        ]
        verbose_name = _("wave")
        verbose_name_plural = _("waves")

    def __str__(self) -> str:
        return str(_("Observatory %(year)s") % {"year": self.year})


class WaveConsent(models.Model):
    """An association's answer to "count our diagnostic in this wave" (default no)."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="consents")
    consented = models.BooleanField(_("consented"), default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("observatory consent")
        verbose_name_plural = _("observatory consents")
        constraints = [
            models.UniqueConstraint(fields=["association", "wave"], name="one_consent_per_wave")
        ]

    def __str__(self) -> str:
        return f"{self.wave_id}: {self.consented}"


class AnonymousOptIn(models.Model):
    """The taker of an anonymous diagnostic agreed to count it in the observatory.
    Keyed by the diagnostic's token (its only key); the region is optional."""

    token = models.CharField(max_length=64, unique=True)
    region = models.CharField(_("region"), max_length=3, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("anonymous opt-in")
        verbose_name_plural = _("anonymous opt-ins")

    def __str__(self) -> str:
        return f"{self.token[:6]}…"


def _snapshot_id() -> str:
    return secrets.token_urlsafe(16)


class Snapshot(models.Model):
    """A frozen, anonymous diagnostic of a wave: no association, no person."""

    id = models.CharField(primary_key=True, max_length=32, default=_snapshot_id, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="snapshots")
    questionnaire_version = models.PositiveSmallIntegerField()
    size_band = models.CharField(max_length=20)
    sector = models.CharField(max_length=50)
    region = models.CharField(max_length=20)
    budget_band = models.CharField(max_length=20)
    answers = models.JSONField(default=dict)
    weight = models.FloatField(null=True, blank=True)

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")

    def __str__(self) -> str:
        return self.id


class SnapshotLink(models.Model):
    """Where an open wave's snapshot came from, against double counting. Deleted when
    the wave is published."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="+")
    snapshot = models.OneToOneField(Snapshot, on_delete=models.CASCADE, related_name="+")
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, null=True, related_name="+"
    )
    anonymous_token = models.CharField(max_length=64, blank=True)
    source_updated_at = models.DateTimeField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["wave", "association"],
                condition=models.Q(association__isnull=False),
                name="one_snapshot_per_association_and_wave",
            ),
            models.UniqueConstraint(
                fields=["wave", "anonymous_token"],
                condition=~models.Q(anonymous_token=""),
                name="one_snapshot_per_anonymous_and_wave",
            ),
        ]

    def __str__(self) -> str:
        return str(self.snapshot_id)
