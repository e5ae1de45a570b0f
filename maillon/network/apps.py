from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "maillon.network"
    label = "network"
    verbose_name = _("Networks")

    def ready(self):
        from .metrics import register_metrics

        register_metrics()

        # Free loans of pooled resources, valued in kind on the valuation page.
        from maillon.core.in_kind import register_in_kind_source

        from .pooling.in_kind import free_loans_in_kind

        register_in_kind_source("network.free_loans", free_loans_in_kind)

        from .pooling.metrics import register_pooling_metrics

        register_pooling_metrics()

        from .help.engagements.metrics import register_engagement_metrics

        register_engagement_metrics()
