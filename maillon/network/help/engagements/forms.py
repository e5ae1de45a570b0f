"""One form per operation on an engagement."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField

from ..models import LentEmployee
from .services import HANDOVER_EXTENSIONS


class OfferForm(forms.Form):
    message = forms.CharField(
        label=_("What you offer"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Say what you would do, how (remote or on site) and what you already did of "
            "the kind. The association answers in the thread."
        ),
    )
    hours_offered = forms.DecimalField(
        label=_("Hours you can give"), min_value=0, max_digits=7, decimal_places=1, required=False
    )
    start_date = DateField(
        label=_("You can start on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class CompanyOfferForm(OfferForm):
    employees = forms.ModelMultipleChoiceField(
        label=_("Employees you lend"),
        queryset=LentEmployee.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employees"].queryset = LentEmployee.objects.filter(
            company=company, is_active=True
        ).order_by("full_name")
        self.order_fields(["employees", "message", "hours_offered", "start_date"])


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kind and precise: the helper may offer again on another request."),
    )


class DeliverForm(forms.Form):
    outcome = forms.CharField(
        label=_("What was delivered"), widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(forms.Form):
    handover_document = forms.FileField(
        label=_("Handover document"),
        required=False,
        help_text=_("A procedure, a user guide, where the access codes are kept (10 MB at most)."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(HANDOVER_EXTENSIONS))}),
    )
    handover_notes = forms.CharField(
        label=_("Handover notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Who now knows how it works, where things are, what to do when it breaks. A "
            "document or notes are required to close."
        ),
    )
    mark_action_done = forms.BooleanField(
        label=_("Mark the action of our plan as done"), required=False, initial=True
    )


class MessageForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 3}))
