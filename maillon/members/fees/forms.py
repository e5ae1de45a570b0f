from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField, day_checked_formfield

from ..models import FeeSchedule, FeeType, MembershipPeriod
from ..register.forms import DateInput


class MembershipPeriodForm(forms.ModelForm):
    """Recording a fee: the dates may be left empty, the association's rule gives them."""

    fee_type = forms.ModelChoiceField(
        label=_("Fee type"), queryset=FeeType.objects.none(), required=False
    )

    class Meta:
        model = MembershipPeriod
        fields = ["fee_type", "paid_on", "amount", "method", "fee_paid", "start", "end", "note"]
        field_classes = {"start": DateField, "end": DateField, "paid_on": DateField}
        widgets = {"start": DateInput(), "end": DateInput(), "paid_on": DateInput()}
        help_texts = {
            "start": _("Leave the dates empty to use the period of the association’s fee rule."),
        }

    def __init__(self, *args, association, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_type"].queryset = FeeType.objects.filter(
            association=association, archived=False
        )
        self.fields["start"].required = False
        self.fields["end"].required = False
        self.fields["amount"].required = False

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end):
            self.add_error("end", _("Give both dates, or none."))
        if start and end and end < start:
            self.add_error("end", _("The period must end after it starts."))
        return data


class FeeScheduleForm(forms.ModelForm):
    class Meta:
        model = FeeSchedule
        formfield_callback = day_checked_formfield
        fields = [
            "period_rule",
            "season_start_day",
            "season_start_month",
            "custom_start",
            "custom_end",
            "reminders_enabled",
            "remind_days_before",
            "remind_again_after_days",
        ]
        widgets = {"custom_start": DateInput(), "custom_end": DateInput()}


class FeeTypeForm(forms.ModelForm):
    class Meta:
        model = FeeType
        fields = ["name", "kind", "pricing", "amount", "minimum_amount", "online", "archived"]
        help_texts = {
            "amount": _("For a free amount: the suggested amount."),
        }
