"""Skills sponsorship (mécénat de compétences) of a company engagement: the written
agreement (convention), the lent employees' costing, and their time sheets.

Every row lives in the asking association's scope (like the engagement); the
company's coordinators reach them through the selectors named ``*_for_company``."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_scopes import ScopedManager

from maillon.core.models import TimeStampedModel

__all__ = [
    "AgreementEmployee",
    "SponsorshipAgreement",
    "TimesheetEntry",
    "TimesheetStatus",
]


class SponsorshipAgreement(TimeStampedModel):
    """The convention de mécénat de compétences of one accepted company engagement.

    Drafted by either side; both sides see it; each side marks it signed. Any change
    of the terms clears both signatures; once both sides signed, the terms are
    fixed and time may be entered."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    engagement = models.OneToOneField(
        "network.Engagement", on_delete=models.PROTECT, related_name="sponsorship_agreement"
    )
    company = models.ForeignKey(
        "network.Company", on_delete=models.PROTECT, related_name="sponsorship_agreements"
    )
    tasks = models.TextField(_("tasks"))
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"))
    planned_hours = models.DecimalField(
        _("planned hours (in all)"),
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    association_signatory = models.CharField(
        _("signatory for the association"), max_length=200, blank=True
    )
    company_signatory = models.CharField(_("signatory for the company"), max_length=200, blank=True)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    drafted_by_company = models.BooleanField(default=False)
    association_signed_at = models.DateTimeField(null=True, blank=True)
    association_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    company_signed_at = models.DateTimeField(null=True, blank=True)
    company_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("skills sponsorship agreement")
        verbose_name_plural = _("skills sponsorship agreements")
        indexes = [models.Index(fields=["association", "company"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="sponsorship_period_in_order"
            )
        ]

    def __str__(self) -> str:
        return f"{self.company_id} → {self.association_id} ({self.starts_on:%Y-%m-%d})"

    @property
    def is_signed(self) -> bool:
        return self.association_signed_at is not None and self.company_signed_at is not None


def new_link_key() -> str:
    return secrets.token_urlsafe(12)


class AgreementEmployee(models.Model):
    """One lent employee on the agreement, with the hourly cost (salary plus employer
    charges) that the company states, and the hours planned."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    agreement = models.ForeignKey(
        SponsorshipAgreement, on_delete=models.CASCADE, related_name="employees"
    )
    employee = models.ForeignKey(
        "network.LentEmployee",
        on_delete=models.PROTECT,
        related_name="agreement_rows",
        verbose_name=_("employee"),
    )
    hourly_cost = models.DecimalField(
        _("hourly cost (salary + employer charges, €)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10000"))],
    )
    planned_hours = models.DecimalField(
        _("planned hours"),
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    # Part of the employee's signed link to enter their own time; a new key revokes it.
    link_key = models.CharField(max_length=32, default=new_link_key)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["employee__full_name", "id"]
        verbose_name = _("employee of an agreement")
        verbose_name_plural = _("employees of an agreement")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "employee"], name="sponsorship_employee_once"
            ),
            models.CheckConstraint(
                condition=Q(hourly_cost__gt=0), name="sponsorship_hourly_cost_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} @ {self.hourly_cost} €/h"


class TimesheetStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for validation")
    VALIDATED = "validated", _("Validated")
    REJECTED = "rejected", _("Rejected")


class TimesheetEntry(TimeStampedModel):
    """Time one lent employee spent on the agreement's tasks on one day. Entered by
    the company (or the employee through their link); only the hours the
    association validated count."""

    association = models.ForeignKey(
        "associations.Association", on_delete=models.CASCADE, related_name="+"
    )
    agreement = models.ForeignKey(
        SponsorshipAgreement, on_delete=models.CASCADE, related_name="timesheet"
    )
    agreement_employee = models.ForeignKey(
        AgreementEmployee,
        on_delete=models.PROTECT,
        related_name="timesheet",
        verbose_name=_("employee"),
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    description = models.TextField(_("what was done"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TimesheetStatus.choices,
        default=TimesheetStatus.SUBMITTED,
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_through_link = models.BooleanField(default=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reason"), blank=True)

    objects = ScopedManager(association="association")

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("time sheet entry")
        verbose_name_plural = _("time sheet entries")
        indexes = [
            models.Index(fields=["association", "status", "date"]),
            models.Index(fields=["agreement", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=24), name="sponsorship_hours_in_a_day"
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""),
                name="sponsorship_rejection_has_a_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.hours} h"
