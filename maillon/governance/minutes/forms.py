"""Input of the minutes' page."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MinutesForm(forms.Form):
    body = forms.CharField(
        label=_("Text of the minutes"), widget=forms.Textarea(attrs={"rows": 30})
    )
    president_name = forms.CharField(
        label=_("President of the session"), max_length=200, required=False
    )
    secretary_name = forms.CharField(
        label=_("Secretary of the session"), max_length=200, required=False
    )
