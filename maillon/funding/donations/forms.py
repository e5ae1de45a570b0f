from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField

from ..models import Method, Nature

MONEY_METHODS = [(m, label) for m, label in Method.choices if m != Method.NONE]


class DonationForm(forms.Form):
    donor = forms.ModelChoiceField(label=_("Donor"), queryset=None)
    date = DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"})
    )
    nature = forms.ChoiceField(label=_("Nature"), choices=Nature.choices, initial=Nature.MONEY)
    amount = forms.DecimalField(
        label=_("Amount or value (€)"),
        min_value=Decimal("0.01"),
        max_digits=11,
        decimal_places=2,
        help_text=_("For a gift in kind or waived expenses: their value."),
    )
    method = forms.ChoiceField(
        label=_("Payment method"),
        choices=MONEY_METHODS,
        initial=Method.TRANSFER,
        help_text=_("For a gift of money."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=255,
        required=False,
        help_text=_("What was given in kind, or which expenses were given up."),
    )
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, required=False)

    def __init__(self, *args, donors=None, campaigns=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor"].queryset = donors
        self.fields["campaign"].queryset = campaigns


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
