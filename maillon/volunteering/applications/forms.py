from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import ApplicationStatus, Source

TRACKED_SOURCES = {
    Source.SEARCH,
    Source.ASSOCIATION_PAGE,
    Source.WEBSITE,
    Source.ALERT,
    Source.EVENT,
}


class _ApplyForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        required=False,
        help_text=_("Optional: the association may call you."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Your message"),
        max_length=5000,
        required=False,
        help_text=_("Why this mission interests you, when you are available…"),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    is_old_enough = forms.BooleanField(required=False)
    # Where the candidate came from (?from= of the link); unknown values count as "other".
    source = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)

    def __init__(self, *args, mission, **kwargs):
        super().__init__(*args, **kwargs)
        # A link from the search, the association's page or website, an alert or an
        # event says where the candidate came from; otherwise they are asked (word of
        # mouth cannot be seen in a link), for the association's engagement dashboard.
        known = self.data.get("source") if self.is_bound else self.initial.get("source")
        if known not in TRACKED_SOURCES:
            # A select, but any value is accepted: an unknown one counts as "other".
            self.fields["source"] = forms.CharField(
                label=_("How did you hear about this mission?"),
                required=False,
                max_length=30,
                widget=forms.Select(
                    choices=[("", _("I would rather not say"))]
                    + [(value, label) for value, label in Source.choices if value != Source.ALERT]
                ),
            )
            if not self.is_bound:
                self.initial["source"] = ""
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        if mission.minimum_age:
            self.fields["is_old_enough"].label = ngettext(
                "I am at least %(age)s year old",
                "I am at least %(age)s years old",
                mission.minimum_age,
            ) % {"age": mission.minimum_age}
            self.minimum_age = mission.minimum_age
        else:
            del self.fields["is_old_enough"]
            self.minimum_age = None

    def clean_source(self):
        source = self.cleaned_data.get("source")
        return source if source in Source.values else Source.OTHER

    def clean(self):
        data = super().clean()
        if self.minimum_age and not data.get("is_old_enough"):
            self.add_error(
                "is_old_enough",
                ngettext(
                    "This mission is for people aged %(age)s or over.",
                    "This mission is for people aged %(age)s or over.",
                    self.minimum_age,
                )
                % {"age": self.minimum_age},
            )
        return data


class GuestApplyForm(_ApplyForm):
    """A visitor without an account: their address is confirmed by email."""

    email = forms.EmailField(
        label=_("Email"),
        help_text=_("We will send you a link to confirm your application."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["first_name", "last_name", "email", "phone", "message", "is_old_enough"]


class AccountApplyForm(_ApplyForm):
    """A signed-in candidate: their account's email address is used."""


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )


DECISIONS = [
    (ApplicationStatus.DISCUSSION, _("In discussion")),
    (ApplicationStatus.ACCEPTED, _("Accept")),
    (ApplicationStatus.DECLINED, _("Decline")),
]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=DECISIONS)
    mark_full = forms.BooleanField(required=False)


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *ApplicationStatus.choices],
    )
    mission = forms.TypedChoiceField(
        label=_("Mission"), required=False, coerce=int, empty_value=None, choices=[]
    )

    def __init__(self, *args, missions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mission"].choices = [("", _("All missions"))] + [
            (m.pk, m.title) for m in missions
        ]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {
            "status": self.cleaned_data.get("status") or "",
            "mission_id": self.cleaned_data.get("mission"),
        }
