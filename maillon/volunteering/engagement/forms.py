"""The engagement dashboard's period."""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField

from ..hours.forms import DateInput


class PeriodForm(forms.Form):
    """A period of dates; ``default`` is used when the form is empty or invalid."""

    start = DateField(label=_("From"), widget=DateInput())
    end = DateField(label=_("To"), widget=DateInput())

    MAX_DAYS = 366 * 5

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end:
            if end < start:
                raise ValidationError(_("The end of the period comes before its start."))
            if (end - start).days > self.MAX_DAYS:
                raise ValidationError(_("Choose a period of five years at most."))
        return cleaned

    def period(self, default: tuple[datetime.date, datetime.date]):
        if self.is_bound and self.is_valid():
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return default


def last_twelve_months(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """From the first day of the month eleven months ago to today."""
    today = today or timezone.localdate()
    month_index = today.year * 12 + today.month - 1 - 11
    return datetime.date(month_index // 12, month_index % 12 + 1, 1), today
