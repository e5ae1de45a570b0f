from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "maillon.taxonomy"
    label = "taxonomy"
    verbose_name = _("Reference lists")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import choices
        from .models import Cause, Department, Skill

        for model in (Department, Skill, Cause):
            post_save.connect(choices.clear, sender=model, dispatch_uid=f"choices-{model.__name__}")
            post_delete.connect(
                choices.clear, sender=model, dispatch_uid=f"choices-del-{model.__name__}"
            )
