"""Forms of volunteer hours, the valuation settings and the certificate period."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField

from ..models import Activity, HoursStatus, VolunteeringSettings


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class CommaDecimalField(forms.DecimalField):
    """A decimal number written with a comma (1,5) or a dot (1.5), whatever the
    interface language."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "decimal", "size": "8"})

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
            value = value.replace(",", ".")
            if value:
                try:
                    Decimal(value)
                except InvalidOperation:
                    raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return super().to_python(value)


class HoursField(CommaDecimalField):
    """Hours of one day: 0.25 to 24."""

    default_error_messages = {"invalid": _("Enter a number of hours, for example 2 or 1,5.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", Decimal("0.25"))
        kwargs.setdefault("max_value", Decimal("24"))
        kwargs.setdefault("max_digits", 5)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)


class HoursForm(forms.Form):
    """One entry of hours; ``with_person`` for a manager logging for a volunteer."""

    person = forms.ModelChoiceField(label=_("Volunteer"), queryset=None, required=True)
    date = DateField(label=_("Date"), widget=DateInput(), initial=timezone.localdate)
    hours = HoursField(
        label=_("Hours"),
        help_text=_("From 0.25 (a quarter of an hour) to 24; 1.5 or 1,5 for an hour and a half."),
    )
    activity = forms.ChoiceField(label=_("Activity"), choices=Activity.choices)
    mission = forms.ModelChoiceField(
        label=_("Mission"),
        queryset=None,
        required=False,
        empty_label=_("No particular mission"),
    )
    description = forms.CharField(
        label=_("What was done"), max_length=255, required=False, widget=forms.TextInput()
    )

    def __init__(self, *args, missions, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].queryset = missions
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people
            self.fields["person"].label_from_instance = lambda p: f"{p.last_name} {p.first_name}"


class HoursFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + HoursStatus.choices, required=False
    )
    person = forms.ModelChoiceField(
        label=_("Volunteer"), queryset=None, required=False, empty_label=_("Everyone")
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"}),
        help_text=_("Year and month, for example 2026-03."),
    )
    activity = forms.ChoiceField(
        label=_("Activity"), choices=[("", _("All"))] + Activity.choices, required=False
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda p: f"{p.last_name} {p.first_name}"

    def clean_month(self):
        month = self.cleaned_data["month"].strip()
        if not month:
            return ""
        try:
            datetime.datetime.strptime(month, "%Y-%m")
        except ValueError:
            raise ValidationError(_("Give the month as year-month, for example 2026-03.")) from None
        return month

    def filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data["status"],
            "person_id": data["person"].pk if data["person"] else None,
            "month": data["month"],
            "activity": data["activity"],
        }


class DecideForm(forms.Form):
    """Validate or reject the entries ticked in the list (``entries``: their ids)."""

    decision = forms.ChoiceField(choices=[("validate", "validate"), ("reject", "reject")])

    def entry_ids(self) -> list[int]:
        ids = self.data.getlist("entries") if hasattr(self.data, "getlist") else []
        return [int(i) for i in ids if str(i).isdigit()][:500]


class VolunteeringSettingsForm(forms.ModelForm):
    class Meta:
        model = VolunteeringSettings
        fields = ["hourly_rate", "valuation_method", "remind_after_days"]
        help_texts = {
            "valuation_method": _(
                "How the volunteer time is valued, as it should read in the annual report. "
                "Leave empty for the default statement (hours × hourly rate)."
            ),
        }

    hourly_rate = CommaDecimalField(
        label=_("Hourly rate of volunteer time (€)"),
        min_value=0,
        max_digits=7,
        decimal_places=2,
        help_text=_("Used for the years without a rate of their own."),
    )


class YearlyRateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    hourly_rate = CommaDecimalField(
        label=_("Hourly rate (€)"), min_value=0, max_digits=7, decimal_places=2
    )


def _year_choices(years):
    return [(str(y), str(y)) for y in years]


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices(years)


class CertificateForm(forms.Form):
    """The certificate's period: a year, or dates."""

    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    start = DateField(label=_("From"), widget=DateInput(), required=False)
    end = DateField(label=_("To"), widget=DateInput(), required=False)

    def period(self) -> tuple[datetime.date, datetime.date]:
        this_year = timezone.localdate().year
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            if data["start"] and data["end"] and data["start"] <= data["end"]:
                return data["start"], data["end"]
            if data["year"]:
                return datetime.date(data["year"], 1, 1), datetime.date(data["year"], 12, 31)
        return datetime.date(this_year, 1, 1), datetime.date(this_year, 12, 31)
