from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField

from ..models import LegalBasis, ReceiptMode


class ReceiptSettingsForm(forms.Form):
    receipts_enabled = forms.BooleanField(
        label=_("The association may issue tax receipts"),
        required=False,
        help_text=_(
            "Only bodies of general interest or of public utility may (articles 200 "
            "and 238 bis of the CGI)."
        ),
    )
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    recognition_date = DateField(
        label=_("Date of the decree of public utility"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    object = forms.CharField(
        label=_("Object of the association (as printed)"), widget=forms.Textarea, required=False
    )
    address = forms.CharField(
        label=_("Postal address (as printed)"), max_length=255, required=False
    )
    signatory_name = forms.CharField(label=_("Signatory"), max_length=150, required=False)
    signatory_title = forms.CharField(label=_("Signatory’s title"), max_length=100, required=False)
    receipt_mode = forms.ChoiceField(label=_("Receipts"), choices=ReceiptMode.choices)


class BatchForm(forms.Form):
    gift_year = forms.IntegerField(label=_("Year of the gifts"), min_value=2000, max_value=2100)


class ReceiptCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)
