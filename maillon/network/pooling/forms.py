"""Forms of the catalogue, the owner's resources and the booking steps; each form
serves one operation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField
from maillon.taxonomy.models import Department

from .models import ResourceKind, SharedResource

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: str, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
    )


class CatalogueSearchForm(forms.Form):
    starts_at = _datetime_field(_("Needed from"), required=False)
    ends_at = _datetime_field(_("Until"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *ResourceKind.choices]
    )
    department = forms.ModelChoiceField(
        label=_("Department"),
        required=False,
        queryset=Department.objects.all(),
        empty_label=_("All departments"),
    )
    network = forms.ChoiceField(label=_("Network"), required=False)

    def __init__(self, *args, networks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].choices = [("", _("All")), *((n.pk, n.name) for n in networks)]

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The end must come after the start."))
        return data


class SharedResourceForm(forms.ModelForm):
    class Meta:
        model = SharedResource
        fields = [
            "name",
            "kind",
            "description",
            "department",
            "place",
            "quantity",
            "capacity",
            "deposit",
            "fee",
            "value_in_kind",
            "insurance_required",
            "audience",
            "approval_required",
            "buffer_minutes",
            "opening_hours",
            "is_published",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo"))
    caption = forms.CharField(label=_("Description of the photo"), max_length=200)


class BlackoutForm(forms.Form):
    starts_on = DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DateField(label=_("To (included)"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class BookingRequestForm(forms.Form):
    starts_at = _datetime_field(_("From"))
    ends_at = _datetime_field(_("Until"))
    purpose = forms.CharField(label=_("What it is for"), max_length=300, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("decline", _("Decline"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("Note to the borrower"), max_length=300, required=False)


class ConditionForm(forms.Form):
    condition = forms.CharField(
        label=_("Condition of the item"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Fuel, mileage, scratches, missing parts, cleanliness…"),
    )


class CloseForm(forms.Form):
    value_in_kind = forms.DecimalField(
        label=_("Value of this free loan (€)"),
        min_value=0,
        max_digits=9,
        decimal_places=2,
        required=False,
        help_text=_("Counted as a contribution in kind for both associations."),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class ExtendForm(forms.Form):
    ends_at = _datetime_field(_("New end"))
