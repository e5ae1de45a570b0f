from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import DataFamily, Network


class JoinRequestForm(forms.Form):
    network = forms.ModelChoiceField(queryset=Network.objects.none(), label=_("Network"))
    message = forms.CharField(
        label=_("Message to the network"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        if networks is not None:
            self.fields["network"].queryset = networks


class ConsentForm(forms.Form):
    families = forms.MultipleChoiceField(
        label=_("What this network may see, beside your directory card"),
        choices=DataFamily.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class InviteForm(forms.Form):
    association = forms.SlugField(widget=forms.HiddenInput)
    message = forms.CharField(label=_("Message"), required=False)
