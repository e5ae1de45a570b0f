from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "maillon.network"
    label = "network"
    verbose_name = _("Networks")

    def ready(self):
        from .metrics import register_metrics

        register_metrics()
