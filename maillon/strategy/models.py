"""Digital strategy: diagnostics, the action plan, indicators and measurements.

The questionnaire and the recommendation rules are versioned data
(``strategy/content``); a diagnostic keeps the version it was taken with, so a new
questionnaire never changes a past result."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_scopes import ScopedManager

from maillon.core.models import TimeStampedModel


class DiagnosticStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class Diagnostic(TimeStampedModel):
    """A self-diagnostic of an association. Several people can contribute answers."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    questionnaire_version = models.PositiveSmallIntegerField(_("questionnaire version"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DiagnosticStatus.choices,
        default=DiagnosticStatus.IN_PROGRESS,
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    # Frozen at completion: {"domains": {code: {"score", "level", ...}}, "overall", "level"}.
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    # Set when the diagnostic was first taken anonymously and attached afterwards.
    attached_from_anonymous_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("diagnostic")
        verbose_name_plural = _("diagnostics")
        constraints = [
            models.UniqueConstraint(
                fields=["association"],
                condition=Q(status="in_progress"),
                name="one_diagnostic_in_progress_per_association",
            )
        ]

    def __str__(self) -> str:
        return str(_("Diagnostic of %(date)s") % {"date": f"{self.created_at:%Y-%m-%d}"})


class DiagnosticAnswer(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="answers")
    question_id = models.CharField(max_length=100)
    value = models.JSONField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["diagnostic", "question_id"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return self.question_id


def _anonymous_token() -> str:
    return secrets.token_urlsafe(24)


class AnonymousDiagnostic(models.Model):
    """A diagnostic taken without an account. Its answers are stored under a random
    id, apart from any identity, until someone attaches it to an association."""

    token = models.CharField(max_length=64, unique=True, default=_anonymous_token, editable=False)
    questionnaire_version = models.PositiveSmallIntegerField()
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("anonymous diagnostic")
        verbose_name_plural = _("anonymous diagnostics")

    def __str__(self) -> str:
        return f"{self.token[:6]}…"


class ActionStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("action status", "Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", pgettext_lazy("action status", "Done")
    DROPPED = "dropped", pgettext_lazy("action status", "Dropped")


class Action(TimeStampedModel):
    """An action of the association's digital plan: adopted from a recommendation
    or written by the association."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    diagnostic = models.ForeignKey(
        Diagnostic, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    recommendation_code = models.CharField(max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    objective = models.CharField(_("objective served"), max_length=50, blank=True)
    owner = models.ForeignKey(
        "members.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    objects = ScopedManager(association="association")

    # Set by the plan's selectors for the pages and the document (not stored).
    overdue: bool
    objective_label: str

    class Meta:
        ordering = ["status", "due_date", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "recommendation_code"],
                condition=~Q(recommendation_code="") & ~Q(status="dropped"),
                name="recommendation_adopted_once",
            )
        ]

    def __str__(self) -> str:
        return self.title


class IndicatorSource(models.TextChoices):
    MANUAL = "manual", _("Measured by hand")
    METRIC = "metric", _("Computed by Maillon")


class Indicator(TimeStampedModel):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    source = models.CharField(
        _("source"), max_length=16, choices=IndicatorSource.choices, default=IndicatorSource.MANUAL
    )
    metric_code = models.CharField(_("Maillon indicator"), max_length=100, blank=True)
    baseline = models.DecimalField(
        _("baseline"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    target_date = models.DateField(_("target date"), null=True, blank=True)
    lower_is_better = models.BooleanField(_("a lower value is better"), default=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(source="manual") | ~Q(metric_code=""),
                name="metric_indicator_has_metric_code",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Measurement(models.Model):
    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    date = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=255, blank=True)
    is_automatic = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["indicator", "date", "id"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "date"],
                condition=Q(is_automatic=True),
                name="one_automatic_measurement_per_date",
            )
        ]
        indexes = [models.Index(fields=["association", "indicator", "date"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.date}: {self.value}"


class DiagnosticReminder(models.Model):
    """The yearly reminder to re-take the diagnostic, sent once per diagnostic."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    diagnostic = models.OneToOneField(Diagnostic, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    objects = ScopedManager(association="association")

    class Meta:
        verbose_name = _("diagnostic reminder")
        verbose_name_plural = _("diagnostic reminders")

    def __str__(self) -> str:
        return f"{self.association_id} {self.sent_at:%Y-%m-%d}"
