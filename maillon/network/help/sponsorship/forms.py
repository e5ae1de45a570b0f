from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField

DATE = forms.DateInput(attrs={"type": "date"})


class AgreementForm(forms.Form):
    tasks = forms.CharField(
        label=_("Tasks"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What the lent employees will do, and what the association gets at the end."),
    )
    starts_on = DateField(label=_("Start date"), widget=DATE)
    ends_on = DateField(label=_("End date"), widget=DATE)
    planned_hours = forms.DecimalField(
        label=_("Planned hours (in all)"), min_value=Decimal("0.5"), max_digits=7, decimal_places=1
    )
    association_signatory = forms.CharField(
        label=_("Signatory for the association (name and title)"), max_length=200, required=False
    )
    company_signatory = forms.CharField(
        label=_("Signatory for the company (name and title)"), max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The agreement must end after it starts."))
        return data


class AgreementEmployeeForm(forms.Form):
    employee = forms.ModelChoiceField(label=_("Employee"), queryset=None)
    hourly_cost = forms.DecimalField(
        label=_("Hourly cost: gross salary + employer charges (€)"),
        min_value=Decimal("0.01"),
        max_value=Decimal("10000"),
        max_digits=8,
        decimal_places=2,
    )
    planned_hours = forms.DecimalField(
        label=_("Planned hours"), min_value=Decimal("0.5"), max_digits=7, decimal_places=1
    )

    def __init__(self, *args, employees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employee"].queryset = employees


class TimesheetEntryForm(forms.Form):
    """Hours are checked by the service (more than zero, at most 24 a day, inside the
    agreement's period), which says what is wrong."""

    date = DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    hours = forms.DecimalField(label=_("Hours"), max_digits=6, decimal_places=2)
    description = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CompanyTimesheetEntryForm(TimesheetEntryForm):
    row = forms.ModelChoiceField(label=_("Employee"), queryset=None)
    field_order = ["row", "date", "hours", "description"]

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["row"].queryset = rows
        self.fields["row"].label_from_instance = lambda row: row.employee.full_name


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("validate", _("Validate")), ("reject", _("Reject"))], widget=forms.HiddenInput
    )
    reason = forms.CharField(label=_("Reason (if you reject)"), max_length=1000, required=False)


class ReceiptForm(forms.Form):
    company = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2000, max_value=2100)
