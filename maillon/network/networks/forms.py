from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.taxonomy.models import Department

from ..models import Network, NetworkRoleKind


class NetworkForm(forms.ModelForm):
    """A network's public information: proposed by a person, edited by its head."""

    departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.all(),
        required=False,
        label=_("Territory (departments)"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Network
        fields = ["name", "kind", "sector", "description", "contact_email", "website", "is_public"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class NetworkLogoForm(forms.Form):
    logo = forms.ImageField(label=_("Logo"), required=False)


class TeamMemberForm(forms.Form):
    email = forms.EmailField(label=_("Email address of their account"))
    role = forms.ChoiceField(label=_("Role"), choices=NetworkRoleKind.choices)
