"""Forms of the volunteer profile and of the mission alerts."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField
from maillon.taxonomy import geo
from maillon.taxonomy.models import Cause, Skill

from ..models import AlertFrequency, TimeSlot

ABOUT_MAX_LENGTH = 2000
OLDEST_AGE = 120


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class VolunteerProfileForm(forms.Form):
    skills = forms.ModelMultipleChoiceField(
        label=_("What I can do"),
        queryset=Skill.objects.order_by("position", "code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    causes = forms.ModelMultipleChoiceField(
        label=_("Causes I care about"),
        queryset=Cause.objects.order_by("position", "code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    availability = forms.MultipleChoiceField(
        label=_("When I am available"),
        choices=TimeSlot.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=10,
        required=False,
        help_text=_("Only your department is used, to suggest missions near you."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    remote_ok = forms.BooleanField(label=_("I can also help remotely"), required=False)
    birth_date = DateField(
        label=_("Date of birth (optional)"),
        required=False,
        widget=DateInput(attrs={"autocomplete": "bday"}),
        help_text=_(
            "Only used to leave out missions with a minimum age above yours. "
            "Associations never see it."
        ),
    )
    about = forms.CharField(
        label=_("About me"),
        required=False,
        max_length=ABOUT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("A few words on your experience and what you would like to do."),
    )
    visible_to_associations = forms.BooleanField(
        label=_("Associations may find my profile and invite me to apply to their missions"),
        required=False,
    )
    alerts_enabled = forms.BooleanField(
        label=_("Send me new missions that match my profile by email"), required=False
    )
    alert_frequency = forms.ChoiceField(
        label=_("How often"),
        choices=AlertFrequency.choices,
        widget=forms.RadioSelect,
        initial=AlertFrequency.WEEKLY,
    )

    def clean_postal_code(self) -> str:
        value = geo.normalise_postal_code(self.cleaned_data.get("postal_code"))
        if not value:
            return ""
        if not geo.is_valid_postal_code(value):
            raise forms.ValidationError(_("Enter a French postal code of five digits."))
        if geo.department_code_for_postal_code(value) is None:
            raise forms.ValidationError(_("This postal code matches no French department."))
        return value

    def clean_birth_date(self) -> datetime.date | None:
        value = self.cleaned_data.get("birth_date")
        if value is None:
            return None
        today = timezone.localdate()
        if value > today:
            raise forms.ValidationError(_("The date of birth cannot be in the future."))
        if value.year < today.year - OLDEST_AGE:
            raise forms.ValidationError(_("Check the year of the date of birth."))
        return value


class AlertsStopForm(forms.Form):
    """The unsubscribe confirmation (a button: nothing to fill)."""
