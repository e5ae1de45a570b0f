from django import forms

from .models import NetworkNewsletter


class NetworkNewsletterForm(forms.ModelForm):
    class Meta:
        model = NetworkNewsletter
        fields = ["subject", "body"]
