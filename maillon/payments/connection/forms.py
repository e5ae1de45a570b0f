from django import forms
from django.utils.translation import gettext_lazy as _


class ProviderAccountForm(forms.Form):
    organization_slug = forms.SlugField(
        label=_("HelloAsso organisation slug"),
        max_length=200,
        help_text=_("As in your HelloAsso address: helloasso.com/associations/<slug>."),
    )
    client_id = forms.CharField(label=_("API client id"), max_length=200)
    client_secret = forms.CharField(
        label=_("API client secret"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Stored encrypted. Leave empty to keep the one already saved."),
    )
    membership_form_slug = forms.CharField(
        label=_("Membership form (slug)"), max_length=200, required=False
    )
    donation_form_slug = forms.CharField(
        label=_("Donation form (slug)"), max_length=200, required=False
    )
