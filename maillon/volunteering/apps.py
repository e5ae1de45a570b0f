from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "maillon.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteer missions")

    def ready(self):
        from .metrics import register_metrics

        register_metrics()
