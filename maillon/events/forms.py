"""Input of the event pages. One form per operation."""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import DateField
from maillon.taxonomy.models import Department

from .models import Campaign, EventAudience

DATETIME_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeField(forms.DateTimeField):
    """A date and time typed in the association's time zone (not the server's)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT)

    def __init__(self, *args, time_zone: str = "Europe/Paris", **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = zoneinfo.ZoneInfo(time_zone)

    def prepare_value(self, value):
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            return timezone.localtime(value, self.time_zone).replace(tzinfo=None)
        return value

    def to_python(self, value):
        with timezone.override(self.time_zone):
            return super().to_python(value)


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    audience = forms.ChoiceField(
        label=_("Open to"),
        choices=EventAudience.choices,
        widget=forms.RadioSelect,
        initial=EventAudience.PUBLIC,
        help_text=_("A members-only event is not shown in the public calendar."),
    )
    starts_at = LocalDateTimeField(label=_("Starts at"))
    ends_at = LocalDateTimeField(label=_("Ends at"))
    address = forms.CharField(label=_("Address"), max_length=255, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    online_url = forms.URLField(
        label=_("Online link"),
        required=False,
        assume_scheme="https",
        help_text=_(
            "For an online or hybrid event: the video conference address. "
            "Give a place, a link, or both."
        ),
    )
    capacity = forms.IntegerField(
        label=_("Capacity"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_(
            "Leave empty for no limit. When the event is full, people join a waiting list."
        ),
    )
    registration_open = forms.BooleanField(
        label=_("Registration open"), required=False, initial=True
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("A network-wide campaign this event takes part in."),
    )

    def __init__(self, *args, time_zone: str, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("starts_at", "ends_at"):
            self.fields[name].time_zone = zoneinfo.ZoneInfo(time_zone)
            self.fields[name].help_text = _("Time in %(zone)s.") % {"zone": time_zone}
        self.fields["campaign"].queryset = campaigns

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event must end after it starts."))
        if not data.get("postal_code") and not data.get("online_url"):
            self.add_error(
                "postal_code",
                _(
                    "Give the place of the event (address and postal code), "
                    "an online link, or both."
                ),
            )
        return data


class CancelEventForm(forms.Form):
    reason = forms.CharField(
        label=_("Message to the people registered"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent by email to everyone registered or waiting."),
    )
    confirm = forms.BooleanField(label=_("Yes, cancel this event"), required=True)


class GuestRegistrationForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("We send you a link to confirm your registration."),
    )


class CheckInForm(forms.Form):
    present = forms.BooleanField(required=False)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search by name or email"), required=False, max_length=100)


class WalkInSearchForm(forms.Form):
    who = forms.CharField(label=_("Name in the register"), required=False, max_length=100)


class WalkInForm(forms.Form):
    person_id = forms.IntegerField(widget=forms.HiddenInput)


ONLINE_CHOICES = [
    ("", _("Online or in person")),
    ("online", _("Online")),
    ("in_person", _("In person")),
]


class CalendarFilterForm(forms.Form):
    department = forms.ChoiceField(label=_("Department"), required=False)
    association = forms.ChoiceField(label=_("Association"), required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    start = DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    online = forms.ChoiceField(label=_("Where"), required=False, choices=ONLINE_CHOICES)

    def __init__(self, *args, associations, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", _("All departments"))] + [
            (d.code, str(d)) for d in Department.objects.all()
        ]
        self.fields["association"].choices = [("", _("All associations"))] + list(associations)
        self.fields["campaign"].choices = [("", _("All campaigns"))] + [
            (c.slug, c.title) for c in campaigns
        ]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date must be after the start date."))
        return data
