from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "maillon.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from .metrics import register_metrics

        register_metrics()
