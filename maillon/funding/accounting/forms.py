from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ..models import DEFAULT_ACCOUNTS

ACCOUNT_LABELS = {
    "donations": _("Donations (754)"),
    "fees": _("Membership fees (756)"),
    "bank": _("Bank: transfers and cards (512)"),
    "cheque": _("Cheques (512 or 5112)"),
    "cash": _("Cash (530)"),
    "helloasso": _("HelloAsso payments (512)"),
    "in_kind_use": _("Contributions in kind: use (860)"),
    "in_kind_resource": _("Contributions in kind: resource (870)"),
    "waived_expenses": _("Expenses given up by volunteers (625)"),
}
account_number = RegexValidator(
    r"^\d{2,10}[A-Z0-9]*$", _("An account number starts with its digits, e.g. 754.")
)


class AccountsForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, default in DEFAULT_ACCOUNTS.items():
            self.fields[key] = forms.CharField(
                label=ACCOUNT_LABELS[key],
                max_length=12,
                initial=default,
                validators=[account_number],
            )
