from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "maillon.funding"
    label = "funding"
    verbose_name = _("Donations and tax receipts")

    def ready(self):
        from maillon.accounts import personal_data
        from maillon.core import retention
        from maillon.payments import purposes

        from . import personal_data as funding_personal_data
        from . import retention as funding_retention
        from .metrics import register_metrics
        from .payments import on_donation_paid, on_donation_refunded

        register_metrics()
        # Gifts made online through the payment app (HelloAsso).
        purposes.register("donation", on_paid=on_donation_paid, on_refunded=on_donation_refunded)
        retention.register(*funding_retention.RULES)
        personal_data.register(*funding_personal_data.SECTIONS)
