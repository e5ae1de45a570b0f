from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunicationConfig(AppConfig):
    name = "maillon.communication"
    label = "communication"
    verbose_name = _("News and newsletters")

    def ready(self):
        from .metrics import register_metrics

        register_metrics()
