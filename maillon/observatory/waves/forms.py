from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.taxonomy.models import Region


class WaveOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class ConsentForm(forms.Form):
    consented = forms.BooleanField(
        label=_("Count our diagnostic in this year’s observatory"), required=False
    )


class OptInForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region of the association (optional)"),
        queryset=Region.objects.all(),
        to_field_name="code",
        required=False,
    )
