from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillon.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from . import retention

        retention.register(*retention.CORE_RULES)
