from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "maillon.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self):
        from maillon.accounts import personal_data
        from maillon.core import retention, your_turn

        from . import personal_data as events_personal_data
        from . import retention as events_retention
        from . import your_turn as events_your_turn
        from .metrics import register_metrics

        register_metrics()
        retention.register(*events_retention.RULES)
        personal_data.register(*events_personal_data.SECTIONS)
        your_turn.register(events_your_turn.SOURCE)
        from maillon.members.linking import registry as linking_registry

        from . import linking as events_linking

        linking_registry.register(events_linking.SOURCE)
