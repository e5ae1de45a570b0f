from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "maillon.governance"
    label = "governance"
    verbose_name = _("General assemblies and votes")

    def ready(self):
        from maillon.core import your_turn

        from . import your_turn as governance_your_turn
        from .metrics import register_metrics

        register_metrics()
        your_turn.register(governance_your_turn.SOURCE)
