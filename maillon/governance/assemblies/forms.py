"""Input of the assembly pages. One form per operation; the rules live in the
services, the forms only parse what was typed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import AgendaItem, Assembly
from . import cnil
from .services import DOCUMENT_EXTENSIONS, MAX_DOCUMENT_SIZE

UNNAMED = "unnamed"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AssemblyForm(forms.ModelForm):
    class Meta:
        model = Assembly
        fields = [
            "title",
            "kind",
            "mode",
            "starts_at",
            "ends_at",
            "place",
            "online_link",
            "description",
            "is_second_convocation",
            "quorum_fraction",
            "max_proxies_per_holder",
            "notice_days",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "quorum_fraction": _("Leave empty to apply the statutes (e.g. 0.25 for a quarter)."),
            "max_proxies_per_holder": _("Leave empty to apply the statutes."),
            "notice_days": _("Leave empty to apply the statutes."),
            "place": _("Needed when the assembly meets in a room."),
            "online_link": _("Needed when members can take part online."),
        }


class AgendaItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, office documents, text or images; %(size)s MB at most.")
        % {"size": MAX_DOCUMENT_SIZE // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(DOCUMENT_EXTENSIONS))}),
    )
    agenda_item = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("The whole assembly"),
    )

    def __init__(self, *args, assembly, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = AgendaItem.objects.filter(assembly=assembly)


class _EntryChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj.person)


class ProxyGiveForm(forms.Form):
    holder = forms.ChoiceField(label=_("Who will represent you?"))

    def __init__(self, *args, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.holders = {str(entry.pk): entry for entry in holders}
        self.fields["holder"].choices = [
            (UNNAMED, _("Unnamed proxy (goes to the president)")),
            *[(pk, str(entry.person)) for pk, entry in self.holders.items()],
        ]

    def clean_holder(self):
        value = self.cleaned_data["holder"]
        return None if value == UNNAMED else self.holders[value]


class PaperProxyForm(forms.Form):
    giver = _EntryChoice(label=_("Member giving the proxy"), queryset=None)
    holder = _EntryChoice(
        label=_("Holder"), queryset=None, required=False, empty_label=_("Unnamed proxy")
    )

    def __init__(self, *args, givers, holders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["giver"].queryset = givers
        self.fields["holder"].queryset = holders


class RollSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Find a person on the roll"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class EntryForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class RollWeightsForm(forms.Form):
    """One weight input per roll entry of the page (``weight_<entry id>``)."""

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"weight_{entry.pk}"] = forms.IntegerField(
                label=_("Weight of %(name)s") % {"name": entry.person},
                min_value=1,
                max_value=1_000_000,
                initial=entry.weight,
            )

    def weights(self) -> dict[int, int]:
        return {entry.pk: self.cleaned_data[f"weight_{entry.pk}"] for entry in self.entries}


YES_NO = [(cnil.YES, _("Yes")), (cnil.NO, _("No"))]


class CnilRiskForm(forms.Form):
    """The ten questions of the CNIL grid, as radio buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in cnil.QUESTIONS:
            self.fields[question.code] = forms.ChoiceField(
                label=question.label,
                help_text=question.help,
                choices=YES_NO,
                widget=forms.RadioSelect,
            )
