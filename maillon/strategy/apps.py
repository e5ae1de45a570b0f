from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StrategyConfig(AppConfig):
    name = "maillon.strategy"
    label = "strategy"
    verbose_name = _("Digital strategy")

    def ready(self):
        from maillon.core import retention

        from . import retention as strategy_retention

        retention.register(*strategy_retention.RULES)

        from .metrics import register_metrics

        register_metrics()
