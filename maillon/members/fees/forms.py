from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField

from ..models import MembershipPeriod
from ..register.forms import DateInput


class MembershipPeriodForm(forms.ModelForm):
    class Meta:
        model = MembershipPeriod
        fields = ["start", "end", "fee_paid", "amount", "method", "paid_on", "note"]
        field_classes = {"start": DateField, "end": DateField, "paid_on": DateField}
        widgets = {"start": DateInput(), "end": DateInput(), "paid_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["start"].initial = today.replace(month=1, day=1)
        self.fields["end"].initial = today.replace(month=12, day=31)
        self.fields["paid_on"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The period must end after it starts."))
        return data
