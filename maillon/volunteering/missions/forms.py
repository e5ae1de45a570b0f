from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.core import widgets
from maillon.core.forms import DateField, day_checked_formfield
from maillon.taxonomy.choices import cause_choices, department_choices, skill_choices
from maillon.taxonomy.models import Cause, Skill

from ..models import Mission, MissionStatus, TimeSlot
from .search import MissionFilters


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class LabelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class LabelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class MissionForm(forms.ModelForm):
    """Create or edit a mission (the service derives the department and checks the
    place and the dates)."""

    skills = LabelMultipleChoiceField(
        label=_("Skills wanted"),
        queryset=Skill.objects.order_by("position", "code"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    cause = LabelChoiceField(
        label=_("Cause"),
        queryset=Cause.objects.order_by("position", "code"),
        required=False,
        empty_label=_("— none —"),
    )
    time_slots = forms.MultipleChoiceField(
        label=_("When"),
        choices=TimeSlot.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Mission
        formfield_callback = day_checked_formfield
        fields = [
            "title",
            "description",
            "skills",
            "cause",
            "is_remote",
            "postal_code",
            "city",
            "schedule_kind",
            "start_date",
            "end_date",
            "schedule_note",
            "time_slots",
            "time_commitment",
            "hours_per_week",
            "volunteers_wanted",
            "minimum_age",
            "audience",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "start_date": DateInput(),
            "end_date": DateInput(),
            "schedule_kind": forms.RadioSelect,
            "audience": forms.RadioSelect,
        }
        help_texts = {
            "postal_code": _("Where the mission takes place. Leave empty for a remote mission."),
            "start_date": _("The date of a one-off mission; the first day of the others."),
            "end_date": _("Optional: when the mission ends."),
            "audience": _("Missions for members only are not shown in the public search."),
        }

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data


class MissionStatusFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *MissionStatus.choices],
    )


class SortChoice:
    DATE = "date"
    RELEVANCE = "relevance"


class MissionSearchForm(forms.Form):
    """The filters of /missions/ (the query-string contract: q, skill, cause,
    department, remote, date, association, sort, page). An invalid value is shown as an
    error and ignored; the other filters still apply."""

    q = forms.CharField(
        label=_("Keywords"),
        required=False,
        max_length=200,
        widget=widgets.TextInput(attrs={"type": "search"}),
    )
    department = forms.ChoiceField(label=_("Department"), required=False, widget=widgets.Select)
    remote = forms.BooleanField(
        label=_("Remote missions"),
        required=False,
        widget=widgets.CheckboxInput(attrs={"value": "1"}),
        help_text=_("With a department: the missions there and the remote ones."),
    )
    date = DateField(label=_("Available on"), required=False, widget=widgets.DateInput())
    cause = forms.ChoiceField(label=_("Cause"), required=False, widget=widgets.Select)
    skill = forms.MultipleChoiceField(
        label=_("Skills"), required=False, widget=widgets.CheckboxSelectMultiple
    )
    association = forms.SlugField(required=False, widget=widgets.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[(SortChoice.DATE, _("Newest first")), (SortChoice.RELEVANCE, _("Relevance"))],
        widget=widgets.Select,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Reference lists from memory, options rendered in Python: the form is on every
        # search page (docs/benchmarks.md, "Public mission search").
        self.fields["department"].choices = [("", _("All departments")), *department_choices()]
        self.fields["cause"].choices = [("", _("All causes")), *cause_choices()]
        self.fields["skill"].choices = skill_choices()

    def clean_remote(self):
        # remote=1 (the contract), and what a checkbox or a hand-written link may send.
        return str(self.data.get("remote", "")).lower() in {"1", "on", "true", "yes"}

    def filters(self) -> MissionFilters:
        self.is_valid()
        data = self.cleaned_data
        return MissionFilters(
            q=data.get("q") or "",
            skills=list(data.get("skill") or []),
            cause=data.get("cause") or "",
            department=data.get("department") or "",
            remote=bool(data.get("remote")),
            date=data.get("date"),
            association=data.get("association") or "",
            sort=data.get("sort") or SortChoice.DATE,
        )
