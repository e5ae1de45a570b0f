from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField
from maillon.taxonomy.geo import department_code_for_postal_code, normalise_postal_code
from maillon.taxonomy.models import Department, Sector

from .models import Association, Module, Statutes

PROFILE_FIELDS = [
    "name",
    "purpose",
    "sector",
    "size_band",
    "postal_code",
    "city",
    "rna",
    "siren",
    "website",
    "contact_email",
    "phone",
    "time_zone",
    "is_listed",
    "accepts_join_requests",
    "require_2fa_for_bureau",
]


class AssociationProfileForm(forms.ModelForm):
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Association
        fields = PROFILE_FIELDS
        widgets = {"purpose": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "rna": _("W followed by 9 digits, as on the receipt of the prefecture."),
            "siren": _("9 digits (SIREN) or 14 digits (SIRET)."),
        }

    def clean_postal_code(self):
        value = normalise_postal_code(self.cleaned_data.get("postal_code") or "")
        if value and department_code_for_postal_code(value) is None:
            raise forms.ValidationError(_("Enter a French postal code of 5 digits."))
        return value


class AssociationCreateForm(AssociationProfileForm):
    """Creating an association also records its founder in the member register."""

    first_name = forms.CharField(label=_("Your first name"), max_length=100)
    last_name = forms.CharField(label=_("Your last name"), max_length=100)

    class Meta(AssociationProfileForm.Meta):
        fields = [
            "name",
            "purpose",
            "sector",
            "size_band",
            "postal_code",
            "city",
            "rna",
            "siren",
            "website",
            "contact_email",
        ]

    field_order = ["first_name", "last_name", "name"]


class StatutesForm(forms.ModelForm):
    class Meta:
        model = Statutes
        fields = [
            "ag_notice_days",
            "quorum_fraction",
            "second_convocation_without_quorum",
            "ordinary_majority",
            "ordinary_majority_fraction",
            "extraordinary_majority",
            "extraordinary_majority_fraction",
            "blank_counts_as_cast",
            "abstention_counts_as_cast",
            "max_proxies_per_holder",
            "unnamed_proxy_to_president",
            "resolutions_secret_ballot",
            "proposal_support_threshold",
            "voting_eligibility",
        ]


class ModulesForm(forms.Form):
    modules = forms.MultipleChoiceField(
        label=_("Enabled modules"),
        choices=Module.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("The member register is always on."),
    )


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or keyword"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors"))] + [
            (s.code, s.label) for s in Sector.objects.all()
        ]
        self.fields["department"].choices = [("", _("All departments"))] + [
            (d.code, str(d)) for d in Department.objects.all()
        ]


class JoinRequestForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("Email"))
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea, required=False, max_length=2000
    )


class AuditFilterForm(forms.Form):
    action = forms.CharField(label=_("Action contains"), required=False)
    actor = forms.CharField(label=_("Actor's email contains"), required=False)
    date_from = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
