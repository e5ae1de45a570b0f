from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField
from maillon.taxonomy.models import Department, Skill


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("Company name"), max_length=200)
    siren = forms.CharField(label=_("SIREN number"), max_length=11)
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.all(), required=False
    )
    description = forms.CharField(
        label=_("Presentation"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class EmployeeForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=200)
    job_title = forms.CharField(label=_("Job"), max_length=200, required=False)
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=Skill.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    remote_ok = forms.BooleanField(label=_("Can help remotely"), required=False, initial=True)
    available_until = DateField(
        label=_("Available until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
