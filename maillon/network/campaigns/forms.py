from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    starts_on = DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError(_("The last day comes after the first."))
        return data


class CampaignInviteForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the member associations"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
