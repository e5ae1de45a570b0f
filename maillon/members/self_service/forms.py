from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import FeeType, Person


class MyDetailsForm(forms.ModelForm):
    """What a member may change in their own record."""

    class Meta:
        model = Person
        fields = [
            "phone",
            "address",
            "postal_code",
            "city",
            "consent_newsletter",
            "consent_directory",
        ]


class RenewOnlineForm(forms.Form):
    """A member's online renewal: which fee, and the amount when it is free."""

    fee_type = forms.ModelChoiceField(label=_("Fee"), queryset=FeeType.objects.none())
    amount = forms.DecimalField(
        label=_("Amount (€)"),
        required=False,
        min_value=0,
        max_digits=9,
        decimal_places=2,
        help_text=_("Only for a fee with a free amount."),
    )

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_type"].queryset = FeeType.objects.filter(
            association=association, archived=False, online=True
        )
