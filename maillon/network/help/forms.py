from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField
from maillon.taxonomy.models import Skill

from .models import HelpAudience, HelpFormat


class HelpRequestForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_(
            "One line a helper understands at once, e.g. “Set up our online membership form”."
        ),
    )
    need = forms.CharField(
        label=_("The need"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Say where you stand today, what blocks you and why it matters for your "
            "project. Name the tools you already use."
        ),
    )
    deliverable = forms.CharField(
        label=_("What you expect at the end"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Something a helper can hand over and you can check: a working form, a "
            "trained volunteer, a written procedure. Ask for a handover, so that the "
            "work does not rest on one person."
        ),
    )
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    format = forms.ChoiceField(label=_("Format"), choices=HelpFormat.choices)
    hours_estimate = forms.DecimalField(
        label=_("Hours estimate"),
        min_value=0,
        max_digits=6,
        decimal_places=1,
        required=False,
        help_text=_(
            "A rough figure helps helpers say yes; split a big need into several requests."
        ),
    )
    deadline = DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    audiences = forms.MultipleChoiceField(
        label=_("Asked of"), choices=HelpAudience.choices, widget=forms.CheckboxSelectMultiple
    )
