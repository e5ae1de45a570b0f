from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.associations.models import SizeBand
from maillon.strategy.engine.scoring import LEVEL_THRESHOLDS, level_label


def _level_choices():
    from django.utils.translation import get_language

    language = (get_language() or "fr")[:2]
    return [("", _("All levels"))] + [
        (code, level_label(code, language)) for _lowest, code in reversed(LEVEL_THRESHOLDS)
    ]


class MemberFilterForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), required=False)
    size_band = forms.ChoiceField(
        label=_("Size"), required=False, choices=[("", _("All sizes")), *SizeBand.choices]
    )
    level = forms.ChoiceField(label=_("Digital level"), required=False)
    stale_diagnostic = forms.BooleanField(
        label=_("Only those without a diagnostic in the last 12 months"), required=False
    )

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments"))] + [
            (d.code, f"{d.code} {d.name}") for d in departments
        ]
        self.fields["level"].choices = _level_choices()
