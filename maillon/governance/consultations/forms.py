"""Input of the consultation pages (proposals, quick polls). One form per operation."""

from __future__ import annotations

import datetime
import zoneinfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

MAX_CHOICES = 30


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Your proposal"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        help_text=_("Explain what you propose and why. Members can then support it."),
    )


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class AttachWaitingForm(forms.Form):
    assembly_id = forms.IntegerField(widget=forms.HiddenInput)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class QuickPollForm(forms.Form):
    title = forms.CharField(label=_("Question"), max_length=255)
    question = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    options = forms.CharField(
        label=_("Choices, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Members tick every choice that suits them."),
    )

    def clean_options(self) -> list[str]:
        labels = _lines(self.cleaned_data["options"])
        if len(labels) < 2:
            raise forms.ValidationError(_("Give at least two choices."))
        if len(labels) > MAX_CHOICES:
            raise forms.ValidationError(
                ngettext(
                    "Give at most %(max)s choice.", "Give at most %(max)s choices.", MAX_CHOICES
                )
                % {"max": MAX_CHOICES}
            )
        if any(len(label) > 255 for label in labels):
            raise forms.ValidationError(_("A choice is limited to 255 characters."))
        return labels


class DatePollForm(forms.Form):
    """Candidate dates typed one per line ("2025-03-14 18:30"): no JavaScript date
    picker is needed, and the times are read in the association's time zone."""

    title = forms.CharField(
        label=_("What is the meeting?"), max_length=255, initial=_("Choose a date")
    )
    question = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    dates = forms.CharField(
        label=_("Candidate dates and times, one per line"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Format: YYYY-MM-DD HH:MM, for example 2025-03-14 18:30."),
    )

    def __init__(self, *args, time_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.time_zone = zoneinfo.ZoneInfo(time_zone)

    def clean_dates(self) -> list[datetime.datetime]:
        moments = []
        for line in _lines(self.cleaned_data["dates"]):
            try:
                naive = datetime.datetime.strptime(" ".join(line.split()), "%Y-%m-%d %H:%M")
            except ValueError:
                raise forms.ValidationError(
                    _("“%(line)s” is not a date and time like 2025-03-14 18:30.") % {"line": line}
                ) from None
            moments.append(timezone.make_aware(naive, self.time_zone))
        if len(set(moments)) < 2:
            raise forms.ValidationError(_("Give at least two different dates."))
        if len(moments) > MAX_CHOICES:
            raise forms.ValidationError(
                ngettext("Give at most %(max)s date.", "Give at most %(max)s dates.", MAX_CHOICES)
                % {"max": MAX_CHOICES}
            )
        if any(m <= timezone.now() for m in moments):
            raise forms.ValidationError(_("Candidate dates must be in the future."))
        return moments


class QuickPollAnswerForm(forms.Form):
    options = forms.MultipleChoiceField(
        label=_("Tick every choice that suits you"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["options"].choices = [(str(o.pk), o.label) for o in poll.options.all()]

    def clean_options(self) -> list[int]:
        return [int(value) for value in self.cleaned_data["options"]]
