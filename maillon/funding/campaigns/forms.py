from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    goal = forms.DecimalField(
        label=_("Goal (€)"), min_value=Decimal("1"), max_digits=11, decimal_places=2, required=False
    )
    starts_on = DateField(
        label=_("Starts on"),
        initial=timezone.localdate,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    ends_on = DateField(
        label=_("Ends on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    is_public = forms.BooleanField(
        label=_("Public page"),
        required=False,
        help_text=_("Anyone can see the campaign, its goal and its progress (never the donors)."),
    )
