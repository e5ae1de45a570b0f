from django import forms
from django.utils.translation import gettext_lazy as _

from maillon.associations.models import SizeBand

from ..models import Network, PracticeSheet, ToolKind, Visibility
from .content import domain_choices, pitfall_choices


class PracticeSheetForm(forms.ModelForm):
    tools_text = forms.CharField(
        label=_("Tools used (separated by commas)"), required=False, max_length=500
    )
    tool_kinds = forms.MultipleChoiceField(
        label=_("Kinds of tools"),
        choices=ToolKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pitfalls = forms.MultipleChoiceField(
        label=_("Pitfalls met"), required=False, widget=forms.CheckboxSelectMultiple
    )
    domains = forms.MultipleChoiceField(
        label=_("Diagnostic domains"), required=False, widget=forms.CheckboxSelectMultiple
    )
    size_band = forms.ChoiceField(
        label=_("Employees"), required=False, choices=[("", "—"), *SizeBand.choices]
    )

    class Meta:
        model = PracticeSheet
        fields = [
            "title",
            "problem",
            "what_was_done",
            "results",
            "size_band",
            "sector",
            "budget_band",
            "staff",
            "time_spent_hours",
            "money_spent",
            "licence",
        ]
        widgets = {
            "problem": forms.Textarea(attrs={"rows": 4}),
            "what_was_done": forms.Textarea(attrs={"rows": 6}),
            "results": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pitfalls"].choices = pitfall_choices()
        self.fields["domains"].choices = domain_choices()
        if self.instance.pk and not self.is_bound:
            self.initial["tools_text"] = ", ".join(self.instance.tools)

    def service_fields(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "tools_text"}
        data["tools"] = [t.strip() for t in self.cleaned_data["tools_text"].split(",") if t.strip()]
        return data


class PublishForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who may read it"), choices=Visibility.choices, widget=forms.RadioSelect
    )
    networks = forms.ModelMultipleChoiceField(
        label=_("Networks"),
        queryset=Network.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if networks is not None:
            self.fields["networks"].queryset = networks


class EndorseForm(forms.Form):
    outcome = forms.CharField(
        label=_("What it gave for you (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class QuestionForm(forms.Form):
    body = forms.CharField(
        label=_("Your question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )


class ModerateForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("publish", _("Publish")), ("reject", _("Do not publish"))]
    )
    answer = forms.CharField(
        label=_("Your answer"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PracticeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    domain = forms.ChoiceField(label=_("Domain"), required=False)
    pitfall = forms.ChoiceField(label=_("Pitfall"), required=False)
    size_band = forms.ChoiceField(
        label=_("Employees"), required=False, choices=[("", _("All sizes")), *SizeBand.choices]
    )
    sector = forms.ChoiceField(label=_("Sector"), required=False)

    def __init__(self, *args, sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].choices = [("", _("All domains")), *domain_choices()]
        self.fields["pitfall"].choices = [("", _("All pitfalls")), *pitfall_choices()]
        self.fields["sector"].choices = [("", _("All sectors"))] + [
            (s.code, str(s)) for s in sectors
        ]


class AdoptPracticeForm(forms.Form):
    """Adopt a sheet; under a diagnostic recommendation, the recommendation too."""

    diagnostic_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    recommendation_code = forms.SlugField(max_length=100, required=False, widget=forms.HiddenInput)
