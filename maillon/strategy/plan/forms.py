"""HTML forms of the action plan and its indicators: they validate input; the
services in ``plan.services`` decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maillon.core.forms import day_checked_formfield

from ..models import Action, ActionStatus, Indicator, IndicatorSource, Measurement


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.full_name


class ActionForm(forms.ModelForm):
    """Write or edit an action of the plan (its status has its own form)."""

    # The people are given per association (the model's default would query them all).
    owner = OwnerChoiceField(
        label=_("Owner"),
        queryset=None,
        required=False,
        help_text=_("Someone of the association who follows this action."),
    )

    class Meta:
        model = Action
        formfield_callback = day_checked_formfield
        fields = ["title", "description", "objective", "owner", "due_date", "notes"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "due_date": DateInput(),
        }
        help_texts = {
            "notes": _("Progress, difficulties, next steps."),
        }

    def __init__(self, *args, owners, objectives: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].empty_label = _("Nobody yet")
        self.fields["objective"] = forms.ChoiceField(
            label=_("Objective served"),
            choices=[("", _("None in particular"))] + objectives,
            required=False,
        )


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)


class AdoptForm(forms.Form):
    """Adopt one recommendation of a completed diagnostic."""

    diagnostic_id = forms.IntegerField(widget=forms.HiddenInput)
    recommendation_code = forms.SlugField(max_length=100, widget=forms.HiddenInput)


def _model_field(model, name: str, **kwargs) -> forms.Field:
    return model._meta.get_field(name).formfield(**kwargs)


class IndicatorForm(forms.Form):
    """Create or edit an indicator. Its source is either figures entered by hand or
    one of the indicators Maillon computes (only those a module publishes today)."""

    FIELDS = (
        "name",
        "unit",
        "source",
        "metric_code",
        "baseline",
        "target",
        "target_date",
        "lower_is_better",
    )

    def __init__(self, *args, metrics: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"] = _model_field(
            Indicator,
            "name",
            required=False,
            help_text=_("Left empty for an indicator computed by Maillon, its name is used."),
        )
        self.fields["unit"] = _model_field(
            Indicator, "unit", help_text=_("For example: people, %, €, hours.")
        )
        self.fields["source"] = forms.ChoiceField(
            label=_("Source of the values"),
            choices=IndicatorSource.choices,
            initial=IndicatorSource.MANUAL,
            widget=forms.RadioSelect,
        )
        self.fields["metric_code"] = forms.ChoiceField(
            label=_("Indicator computed by Maillon"),
            choices=[("", _("None: values entered by hand"))] + metrics,
            required=False,
            help_text=_("Used when the source is “Computed by Maillon”."),
        )
        self.fields["baseline"] = _model_field(
            Indicator,
            "baseline",
            help_text=_(
                "The value before the action. Left empty for an indicator computed by "
                "Maillon, it is taken from the previous quarter."
            ),
        )
        self.fields["target"] = _model_field(Indicator, "target")
        self.fields["target_date"] = _model_field(Indicator, "target_date", widget=DateInput())
        self.fields["lower_is_better"] = _model_field(
            Indicator,
            "lower_is_better",
            help_text=_(
                "Tick it when the aim is to go down, e.g. a waiting time. Left unticked "
                "for an indicator computed by Maillon, the indicator's usual direction applies."
            ),
        )

    def clean(self):
        cleaned = super().clean()
        source = cleaned.get("source")
        if source == IndicatorSource.METRIC and not cleaned.get("metric_code"):
            self.add_error("metric_code", _("Choose the indicator Maillon computes."))
        if source == IndicatorSource.METRIC and not cleaned.get("lower_is_better"):
            cleaned["lower_is_better"] = None  # the metric's own direction
        elif source == IndicatorSource.MANUAL:
            cleaned["metric_code"] = ""
            if not cleaned.get("name"):
                self.add_error("name", _("Give the indicator a name."))
        return cleaned


class MeasurementForm(forms.ModelForm):
    class Meta:
        model = Measurement
        formfield_callback = day_checked_formfield
        fields = ["date", "value", "note"]
        widgets = {"date": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
