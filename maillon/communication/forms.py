from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Newsletter, Post, Segment


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = ["title", "body", "audience"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 14}),
            "audience": forms.RadioSelect,
        }


class NewsletterForm(forms.ModelForm):
    class Meta:
        model = Newsletter
        fields = ["subject", "body", "segment"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 16}),
            "segment": forms.RadioSelect,
        }

    def __init__(self, *args, segment_counts: dict[str, int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if segment_counts is not None:
            self.fields["segment"].choices = [
                (value, _("%(segment)s (%(count)s)") % {"segment": label, "count": count})
                for value, label in Segment.choices
                for count in [segment_counts.get(value, 0)]
            ]
        self.fields["segment"].help_text = _(
            "Everyone who unsubscribed from your newsletters is left out of every segment."
        )


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)
    consent = forms.BooleanField(
        label=_(
            "I agree to receive this association's newsletter by email. I can unsubscribe "
            "at any time with the link in every newsletter."
        ),
        required=True,
        error_messages={"required": _("Tick the box to agree to receive the newsletter.")},
    )
    # Left empty by people; robots that fill every field are ignored.
    website = forms.CharField(
        required=False,
        label=_("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
