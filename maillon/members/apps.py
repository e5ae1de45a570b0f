from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "maillon.members"
    label = "members"
    verbose_name = _("Members")

    def ready(self):
        from maillon.accounts import personal_data
        from maillon.core import retention

        from . import personal_data as members_personal_data
        from . import retention as members_retention
        from .metrics import register_metrics

        register_metrics()
        retention.register(*members_retention.RULES)
        personal_data.register(*members_personal_data.SECTIONS)
