from django import forms

from ..models import Person


class MyDetailsForm(forms.ModelForm):
    """What a member may change in their own record."""

    class Meta:
        model = Person
        fields = [
            "phone",
            "address",
            "postal_code",
            "city",
            "consent_newsletter",
            "consent_directory",
        ]
