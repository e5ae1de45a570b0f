from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.associations.validators import validate_siren

from ..models import DonorKind

KIND_CHOICES = [
    ("member", _("A member of the register")),
    (DonorKind.PERSON, _("A person outside the register")),
    (DonorKind.COMPANY, _("A company")),
]


class DonorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Who gives"), choices=KIND_CHOICES, initial=DonorKind.PERSON)
    person = forms.ModelChoiceField(
        label=_("Member"),
        queryset=None,
        required=False,
        help_text=_("For a member of the register."),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    company_name = forms.CharField(label=_("Company name"), max_length=200, required=False)
    siren = forms.CharField(
        label=_("SIREN"),
        max_length=20,
        required=False,
        validators=[validate_siren],
        help_text=_("9 digits (or the SIRET, 14 digits); required for a company."),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    address = forms.CharField(label=_("Postal address"), max_length=255, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)

    def __init__(self, *args, people=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["kind"]
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people
            self.fields["person"].label_from_instance = lambda p: f"{p.last_name} {p.first_name}"

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == "member" and not data.get("person"):
            self.add_error("person", _("Choose the member."))
        if kind == DonorKind.COMPANY:
            if not data.get("company_name"):
                self.add_error("company_name", _("A company needs its name."))
            if not data.get("siren"):
                self.add_error("siren", _("A company needs its SIREN number."))
        if kind == DonorKind.PERSON and not data.get("last_name"):
            self.add_error("last_name", _("A person needs a last name."))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        kind = data.pop("kind", None)
        person = data.pop("person", None)
        if kind is None:
            return data
        if kind == "member":
            return {"kind": DonorKind.PERSON, "person": person, **data}
        return {"kind": kind, **data}
