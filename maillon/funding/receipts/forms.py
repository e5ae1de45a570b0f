from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField

from ..models import LegalBasis, ReceiptMode
from . import signature


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
    signature = forms.FileField(
        label=_("Signature image"),
        required=False,
        help_text=format_lazy(
            _(
                "PNG or JPEG, {min_width} × {min_height} to {max_width} × {max_height} "
                "pixels, {max_megabytes} MB at most; printed above the signatory’s name. "
                "Leave empty to keep the current one."
            ),
            min_width=signature.MIN_WIDTH,
            min_height=signature.MIN_HEIGHT,
            max_width=signature.MAX_WIDTH,
            max_height=signature.MAX_HEIGHT,
            max_megabytes=signature.MAX_BYTES // (1024 * 1024),
        ),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_signature = forms.BooleanField(label=_("Remove the signature image"), required=False)

    def clean_signature(self):
        upload = self.cleaned_data.get("signature")
        if upload:
            signature.clean_signature(upload)
        return upload


class BatchForm(forms.Form):
    gift_year = forms.IntegerField(label=_("Year of the gifts"), min_value=2000, max_value=2100)


class ReceiptCancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)
