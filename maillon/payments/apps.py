from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "maillon.payments"
    label = "payments"
    verbose_name = _("Online payments")

    def ready(self):
        from maillon.accounts import personal_data
        from maillon.core import retention
        from maillon.members.fees import online

        from . import personal_data as payments_personal_data
        from . import purposes
        from . import retention as payments_retention
        from .membership import on_fee_paid, on_fee_refunded
        from .selectors import checkout_origins, online_payment_ready

        # Membership fees are the first purpose; donations (funding) register theirs.
        purposes.register("membership_fee", on_paid=on_fee_paid, on_refunded=on_fee_refunded)
        online.set_online_payment_check(online_payment_ready, checkout_origins)
        personal_data.register(*payments_personal_data.SECTIONS)
        retention.register(*payments_retention.RULES)
