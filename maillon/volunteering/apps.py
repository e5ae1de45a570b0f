from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    name = "maillon.volunteering"
    label = "volunteering"
    verbose_name = _("Volunteer missions")

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from maillon.accounts import personal_data
        from maillon.associations.models import Association
        from maillon.core import retention, your_turn

        from . import personal_data as volunteering_personal_data
        from . import retention as volunteering_retention
        from . import your_turn as volunteering_your_turn
        from .metrics import register_metrics
        from .missions import search_cache
        from .models import Mission

        register_metrics()

        # Any change to a mission or an association (name, modules) makes the cached
        # public search pages stale.
        def stale(**_kwargs):
            search_cache.bump()

        for model in (Mission, Association):
            post_save.connect(stale, sender=model, weak=False, dispatch_uid=f"search-{model}")
            post_delete.connect(stale, sender=model, weak=False, dispatch_uid=f"search-d-{model}")
        m2m_changed.connect(
            stale, sender=Mission.skills.through, weak=False, dispatch_uid="search-skills"
        )
        retention.register(*volunteering_retention.RULES)
        personal_data.register(*volunteering_personal_data.SECTIONS)
        your_turn.register(volunteering_your_turn.SOURCE)
        from maillon.members.linking import registry as linking_registry

        from . import linking as volunteering_linking

        linking_registry.register(volunteering_linking.SOURCE)
