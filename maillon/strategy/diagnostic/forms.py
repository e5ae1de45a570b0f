"""HTML forms of the diagnostic. A section's form is built from the questionnaire
version of the diagnostic being answered; it only turns posted fields into answer
values (the shapes the engine reads) and says what is missing or malformed."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..engine.questionnaire import text

CHOICE_TYPES = {"single", "scale", "boolean"}


def field_name(question_id: str) -> str:
    """Question ids contain dots; form field names and HTML ids stay simple."""
    return "q-" + question_id.replace(".", "-")


def rank_field_name(question_id: str, value: str) -> str:
    return f"{field_name(question_id)}--{value}"


@dataclass
class QuestionRow:
    """What the template needs to draw one question."""

    question: Any
    label: str
    help: str
    type: str
    anchor: str
    fields: list = field(default_factory=list)  # bound fields; several for a ranking
    choice_labels: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    last_answer: Any = None  # the DiagnosticAnswer, for "answered by ... on ..."

    @property
    def ranked_fields(self):
        return list(zip(self.choice_labels, self.fields, strict=True))


class SectionForm(forms.Form):
    """The questions of one section. Every field is optional for the browser: a
    contributor may save a partial section and come back; ``require_answers`` then
    decides whether a missing required answer is an error."""

    def __init__(
        self,
        *args,
        section,
        language: str,
        answers: dict[str, Any] | None = None,
        require_answers: bool = True,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.section = section
        self.language = language
        self.require_answers = require_answers
        answers = answers or {}
        for question in section.questions:
            self._add_fields(question, answers.get(question.id))

    # --- building ---------------------------------------------------------------------------

    def _choices(self, question) -> list[tuple[str, str]]:
        return [(c.value, text(c.label, self.language)) for c in question.choices]

    def _add_fields(self, question, current) -> None:
        name = field_name(question.id)
        label = text(question.label, self.language)
        kind = question.type
        if kind in CHOICE_TYPES:
            self.fields[name] = forms.ChoiceField(
                label=label,
                choices=self._choices(question),
                widget=forms.RadioSelect,
                required=False,
                initial=current,
            )
        elif kind == "multiple":
            self.fields[name] = forms.MultipleChoiceField(
                label=label,
                choices=self._choices(question),
                widget=forms.CheckboxSelectMultiple,
                required=False,
                initial=current or [],
            )
        elif kind == "ranking":
            ranks = {value: position for position, value in enumerate(current or [], start=1)}
            count = len(question.choices)
            options = [("", _("Not ranked"))] + [(str(n), str(n)) for n in range(1, count + 1)]
            for choice in question.choices:
                self.fields[rank_field_name(question.id, choice.value)] = forms.TypedChoiceField(
                    label=text(choice.label, self.language),
                    choices=options,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=ranks.get(choice.value, ""),
                )
        else:  # free text
            self.fields[name] = forms.CharField(
                label=label,
                widget=forms.Textarea(attrs={"rows": 3}),
                max_length=2000,
                required=False,
                initial=current or "",
            )

    # --- reading ----------------------------------------------------------------------------

    def _value_of(self, question) -> Any:
        """The cleaned answer of ``question``: None when left empty."""
        data = self.cleaned_data
        if question.type == "ranking":
            ranked = []
            for choice in question.choices:
                rank = data.get(rank_field_name(question.id, choice.value))
                if rank is not None:
                    ranked.append((rank, choice.value))
            return [value for _rank, value in sorted(ranked)] or None
        value = data.get(field_name(question.id))
        if question.type == "text":
            value = (value or "").strip()
        return value or None

    def _fields_of(self, question) -> list[str]:
        if question.type == "ranking":
            return [rank_field_name(question.id, c.value) for c in question.choices]
        return [field_name(question.id)]

    def _has_error(self, question) -> bool:
        return any(name in self.errors for name in self._fields_of(question))

    def clean(self):
        cleaned = super().clean()
        for question in self.section.questions:
            if self._has_error(question):
                continue
            first_field = self._fields_of(question)[0]
            value = self._value_of(question)
            if question.type == "multiple" and value:
                exclusive = {c.value for c in question.choices if getattr(c, "exclusive", False)}
                if exclusive & set(value) and len(value) > 1:
                    self.add_error(
                        first_field,
                        _("This answer cannot be combined with another one: %(answer)s")
                        % {
                            "answer": ", ".join(
                                text(c.label, self.language)
                                for c in question.choices
                                if c.value in exclusive & set(value)
                            )
                        },
                    )
                    continue
            if question.type == "ranking":
                ranks = [
                    cleaned.get(name)
                    for name in self._fields_of(question)
                    if cleaned.get(name) is not None
                ]
                if len(ranks) != len(set(ranks)):
                    self.add_error(first_field, _("Give each rank to one objective only."))
                    continue
            if self.require_answers and question.required and value is None:
                self.add_error(first_field, REQUIRED_MESSAGE[question.type])
        return cleaned

    def valid_answers(self) -> dict[str, Any]:
        """Answers of the questions that have no error (None for an emptied answer):
        what can be saved even when another question of the section is refused."""
        if not hasattr(self, "cleaned_data"):
            return {}
        return {
            question.id: self._value_of(question)
            for question in self.section.questions
            if not self._has_error(question)
        }

    def question_rows(self, last_answers: dict | None = None) -> list[QuestionRow]:
        last_answers = last_answers or {}
        rows = []
        for question in self.section.questions:
            names = self._fields_of(question)
            errors = [str(e) for name in names for e in self.errors.get(name, [])]
            rows.append(
                QuestionRow(
                    question=question,
                    label=text(question.label, self.language),
                    help=text(question.help, self.language) if question.help else "",
                    type=question.type,
                    anchor=field_name(question.id),
                    fields=[self[name] for name in names],
                    choice_labels=(
                        [text(c.label, self.language) for c in question.choices]
                        if question.type == "ranking"
                        else []
                    ),
                    errors=errors,
                    last_answer=last_answers.get(question.id),
                )
            )
        return rows


REQUIRED_MESSAGE = {
    "single": gettext_lazy("Choose an answer."),
    "scale": gettext_lazy("Choose an answer."),
    "boolean": gettext_lazy("Answer yes or no."),
    "multiple": gettext_lazy("Tick at least one answer."),
    "ranking": gettext_lazy("Rank at least one objective."),
    "text": gettext_lazy("Write an answer."),
}


class AttachForm(forms.Form):
    """Choose which of my associations receives an anonymous diagnostic."""

    association = forms.ChoiceField(label=gettext_lazy("Association"), widget=forms.RadioSelect)

    def __init__(self, *args, associations, **kwargs):
        super().__init__(*args, **kwargs)
        self.associations = {str(a.pk): a for a in associations}
        self.fields["association"].choices = [(str(a.pk), a.name) for a in associations]

    def clean_association(self):
        return self.associations[self.cleaned_data["association"]]


class CompareForm(forms.Form):
    """Which two completed diagnostics to compare (ids come from the page's lists)."""

    a = forms.TypedChoiceField(label=gettext_lazy("Earlier diagnostic"), coerce=int)
    b = forms.TypedChoiceField(label=gettext_lazy("Later diagnostic"), coerce=int)

    def __init__(self, *args, diagnostics, time_zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        zone = zoneinfo.ZoneInfo(time_zone)
        choices = [(str(d.pk), _date_label(d, zone)) for d in diagnostics]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("a") is not None and cleaned.get("a") == cleaned.get("b"):
            raise forms.ValidationError(_("Choose two different diagnostics."))
        return cleaned


def _date_label(diagnostic, zone) -> str:
    """Date and overall score: two diagnostics of the same day stay apart."""
    moment = diagnostic.completed_at or diagnostic.created_at
    return _("%(date)s (overall score %(score)s/100)") % {
        "date": formats.date_format(timezone.localtime(moment, zone), "SHORT_DATE_FORMAT"),
        "score": (diagnostic.scores or {}).get("overall", "—"),
    }
