from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _


class GiveForm(forms.Form):
    """What HelloAsso's checkout asks of the payer, and the amount."""

    amount = forms.DecimalField(
        label=_("Amount (€)"), min_value=Decimal("1"), max_digits=9, decimal_places=2
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"))
    company = forms.CharField(
        label=_("Company name"),
        max_length=200,
        required=False,
        help_text=_("Only if you give on behalf of a company."),
    )
