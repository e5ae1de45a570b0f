"""Forms of the poll pages. The ballot form is built for one poll and one voter's
seat (prefix ``e<entry id>``) and works without JavaScript: radios, checkboxes, a
rank select per candidate, a row of grade radios per candidate."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.associations.models import MajorityRule

from ..models import AgendaItem, PollKind, VoteChannel
from .ballots import BLANK

NOT_RANKED = ""
# The poll form's ballot secrecy.
STATUTES, SECRET, OPEN = "", "secret", "open"


class PollForm(forms.Form):
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        help_text=_("The minutes list each vote under its agenda item."),
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    resolution = forms.CharField(
        label=_("Text of the resolution"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    kind = forms.ChoiceField(label=_("Kind of vote"), choices=PollKind.choices)
    options = forms.CharField(
        label=_("Options or candidates, one per line"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        help_text=_("Not needed for a yes / no / abstain vote."),
    )
    seats = forms.IntegerField(label=_("Seats to fill"), min_value=1, initial=1)
    min_choices = forms.IntegerField(
        label=_("Minimum choices (multiple choice)"), min_value=0, initial=0
    )
    max_choices = forms.IntegerField(
        label=_("Maximum choices (multiple choice)"), min_value=1, required=False
    )
    grades = forms.CharField(
        label=_("Grades, worst first, one per line (majority judgment)"),
        widget=forms.Textarea(attrs={"rows": 7}),
        required=False,
        help_text=_("Leave empty for the seven usual grades, from “à rejeter” to “excellent”."),
    )
    is_secret = forms.ChoiceField(
        label=_("Ballot"),
        choices=(),  # set in __init__: the first one says what the statutes give
        required=False,
        help_text=_(
            "A secret ballot keeps no link between voters and their ballots; an open "
            "ballot's published list names the voters."
        ),
    )
    allow_vote_change = forms.BooleanField(
        label=_("Voters may change their vote until the poll closes (open ballots only)"),
        required=False,
        help_text=_(
            "Not possible for a secret ballot: it would need a link between the voter "
            "and their ballot."
        ),
    )
    majority_rule = forms.ChoiceField(label=_("Majority"), choices=MajorityRule.choices)
    majority_fraction = forms.DecimalField(
        label=_("Custom fraction"), min_value=0, max_value=1, decimal_places=3, required=False
    )
    blank_counts_as_cast = forms.BooleanField(label=_("Blank votes count as cast"), required=False)
    abstention_counts_as_cast = forms.BooleanField(
        label=_("Abstentions count as cast"), required=False
    )

    def __init__(self, *args, assembly, resolutions_secret_ballot=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(
            association=assembly.association_id, assembly=assembly
        )
        statutes = (
            _("As the statutes say: secret ballot, for resolutions and elections")
            if resolutions_secret_ballot
            else _("As the statutes say: open ballot for resolutions, secret ballot for elections")
        )
        self.fields["is_secret"].choices = [
            (STATUTES, statutes),
            (SECRET, _("Secret ballot")),
            (OPEN, _("Open ballot")),
        ]

    def clean_is_secret(self) -> bool | None:
        """None: as the statutes say (``poll_create`` works it out from the kind)."""
        value = self.cleaned_data["is_secret"]
        return None if value == STATUTES else value == SECRET

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["options"] = [line for line in data["options"].splitlines() if line.strip()]
        data["grades"] = [line for line in data["grades"].splitlines() if line.strip()]
        return data


def _ranks(count: int) -> list[tuple[str, str]]:
    return [(NOT_RANKED, _("not ranked"))] + [(str(i), str(i)) for i in range(1, count + 1)]


class BallotForm(forms.Form):
    """One ballot for one seat. Nothing is selected at first; a blank vote is a
    choice of its own (a radio, or a box where a ballot names several options).
    ``choice()`` gives the service's choice: ``None`` when nothing was chosen (the
    seat is not voted), :data:`BLANK` for a blank vote."""

    def __init__(self, *args, poll, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll, self.poll_options = poll, list(options)
        kind = poll.kind
        if kind in (PollKind.YES_NO, PollKind.SINGLE):
            answers = (
                [("yes", _("Yes")), ("no", _("No")), ("abstain", _("Abstain"))]
                if kind == PollKind.YES_NO
                else [(str(o.pk), o.label) for o in self.poll_options]
            )
            self.fields["answer"] = forms.ChoiceField(
                label=_("Your vote") if kind == PollKind.YES_NO else _("Your choice"),
                widget=forms.RadioSelect,
                choices=[*answers, (BLANK, _("Blank vote"))],
                required=False,
            )
            return
        if kind in (PollKind.MULTIPLE, PollKind.APPROVAL, PollKind.ELECTION):
            self.fields["answer"] = forms.MultipleChoiceField(
                label=_("Your choices"),
                widget=forms.CheckboxSelectMultiple,
                choices=[(str(o.pk), o.label) for o in self.poll_options],
                required=False,
            )
        elif kind in (PollKind.RANKED, PollKind.CONDORCET):
            for option in self.poll_options:
                self.fields[f"rank_{option.pk}"] = forms.ChoiceField(
                    label=_("Rank of %(label)s") % {"label": option.label},
                    choices=_ranks(len(self.poll_options)),
                    required=False,
                )
        elif kind == PollKind.MAJORITY_JUDGMENT:
            grades = [(str(i), g) for i, g in enumerate(poll.grades)]
            for option in self.poll_options:
                self.fields[f"grade_{option.pk}"] = forms.ChoiceField(
                    label=_("Grade for %(label)s") % {"label": option.label},
                    widget=forms.RadioSelect,
                    choices=grades,
                    required=False,
                )
        self.fields["blank"] = forms.BooleanField(
            label=_("Blank vote"),
            required=False,
            widget=forms.CheckboxInput(attrs={"value": BLANK}),
        )

    def clean(self):
        cleaned = super().clean()
        chosen = self._chosen(cleaned)
        if cleaned.get("blank"):
            if chosen:
                raise forms.ValidationError(
                    _("A blank vote names no candidate: untick “Blank vote” or the choices.")
                )
            chosen = BLANK
        cleaned["choice"] = chosen
        return cleaned

    def _chosen(self, cleaned) -> Any:
        """What the ballot chose, ``None`` for nothing."""
        kind = self.poll.kind
        if kind in (PollKind.RANKED, PollKind.CONDORCET):
            ranks = [
                (int(cleaned[f"rank_{o.pk}"]), o.pk)
                for o in self.poll_options
                if cleaned.get(f"rank_{o.pk}")
            ]
            if len({r for r, _pk in ranks}) != len(ranks):
                raise forms.ValidationError(_("Give each rank to one candidate only."))
            return [pk for _rank, pk in sorted(ranks)] or None
        if kind == PollKind.MAJORITY_JUDGMENT:
            grades = {str(o.pk): cleaned.get(f"grade_{o.pk}") for o in self.poll_options}
            given = [g for g in grades.values() if g not in (None, "")]
            if given and len(given) != len(grades):
                raise forms.ValidationError(_("Grade every candidate, or tick “Blank vote”."))
            return {k: int(v) for k, v in grades.items()} if given else None
        answer = cleaned.get("answer")
        if kind == PollKind.YES_NO:
            return answer or None
        if kind == PollKind.SINGLE:
            return BLANK if answer == BLANK else ([int(answer)] if answer else None)
        return [int(x) for x in answer or []] or None

    def choice(self):
        return self.cleaned_data["choice"]


class RecordForm(forms.Form):
    """The secretary records a member's vote, or enters a paper ballot."""

    entry = forms.TypedChoiceField(label=_("Member"), coerce=int)
    channel = forms.ChoiceField(
        label=_("How the vote was given"),
        widget=forms.RadioSelect,
        choices=[
            (VoteChannel.SECRETARY, _("Told to the secretary")),
            (VoteChannel.PAPER, _("Paper ballot")),
        ],
        initial=VoteChannel.PAPER,
    )

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [(e.pk, str(e.person)) for e in entries]


class RoomCountsForm(forms.Form):
    """The room's counts. Where a ballot may name several options (``multi_mark``),
    the number of paper ballots and of blank ones come first, apart from the marks
    per option; otherwise one hand or mark is one vote."""

    def __init__(self, *args, keys_labels, initial_counts, multi_mark=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.multi_mark = multi_mark
        if multi_mark:
            self.fields["count_ballots"] = forms.IntegerField(
                label=_("Paper ballots counted in the room, blank ones included"),
                min_value=0,
                initial=initial_counts.get("ballots", 0),
            )
            self.fields["count_blank"] = forms.IntegerField(
                label=_("Of which blank ballots"),
                min_value=0,
                initial=initial_counts.get("blank", 0),
            )
        for key, label in keys_labels:
            self.fields[f"count_{key}"] = forms.IntegerField(
                label=label, min_value=0, initial=initial_counts.get(key, 0)
            )
        if not multi_mark:
            self.fields["count_blank"] = forms.IntegerField(
                label=_("Blank paper ballots"),
                min_value=0,
                initial=initial_counts.get("blank", 0),
            )

    def ballot_fields(self):
        return [self[name] for name in ("count_ballots", "count_blank") if self.multi_mark]

    def mark_fields(self):
        skip = {"count_ballots", "count_blank"} if self.multi_mark else set()
        return [field for field in self.visible_fields() if field.name not in skip]

    def counts(self) -> dict[str, int]:
        return {name.removeprefix("count_"): value for name, value in self.cleaned_data.items()}


class VerifyForm(forms.Form):
    receipt = forms.CharField(label=_("Your receipt"), max_length=32)
