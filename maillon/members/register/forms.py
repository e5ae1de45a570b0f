"""Forms of the member register: a person's record, their departure, the list's
filters."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.core import widgets
from maillon.core.forms import DateField

from ..models import Person, Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "address",
            "postal_code",
            "city",
            "birth_date",
            "joined_on",
            "consent_newsletter",
            "consent_directory",
            "notes",
        ]
        field_classes = {"birth_date": DateField, "joined_on": DateField}
        widgets = {
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "email": _("Leave empty for a member without email: the secretary records for them."),
        }


class PersonCreateForm(PersonForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Role.MEMBER],
    )

    def __init__(self, *args, can_manage_roles: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_manage_roles:
            self.fields["roles"].choices = [
                (value, label)
                for value, label in Role.choices
                if value in (Role.MEMBER, Role.VOLUNTEER)
            ]


class LeaveForm(forms.Form):
    left_on = DateField(label=_("Left on"), widget=DateInput(), initial=timezone.localdate)
    confirm = forms.BooleanField(
        label=_("I confirm that this person has left the association"), required=True
    )


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, widget=widgets.TextInput(attrs={"type": "search"})
    )
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("All roles"))] + list(Role.choices),
        widget=widgets.Select,
    )
    up_to_date = forms.ChoiceField(
        label=_("Fee"),
        required=False,
        choices=[("", _("All")), ("yes", _("Up to date")), ("no", _("Not up to date"))],
        widget=widgets.Select,
    )
    joined_year = forms.IntegerField(
        label=_("Joined in"),
        required=False,
        min_value=1900,
        max_value=2100,
        widget=widgets.NumberInput,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("active", _("Current members")),
            ("left", _("Former members")),
            ("all", _("All")),
        ],
        widget=widgets.Select,
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {"status": "active"}
        data = self.cleaned_data
        return {
            "search": data.get("q") or "",
            "role": data.get("role") or "",
            "up_to_date": data.get("up_to_date") or "",
            "joined_year": data.get("joined_year"),
            "status": data.get("status") or "active",
        }
