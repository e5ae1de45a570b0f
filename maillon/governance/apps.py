from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "maillon.governance"
    label = "governance"
    verbose_name = _("General assemblies and votes")

    def ready(self):
        from .metrics import register_metrics

        register_metrics()
