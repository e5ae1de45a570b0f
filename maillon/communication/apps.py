from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "maillon.communication"
    label = "communication"
    verbose_name = _("News and newsletters")

    def ready(self):
        from maillon.core import retention

        from . import retention as communication_retention
        from .metrics import register_metrics

        register_metrics()
        retention.register(*communication_retention.RULES)
