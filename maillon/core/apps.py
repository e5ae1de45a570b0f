from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "maillon.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import cache, collation, retention

        connection_created.connect(collation.register_on_sqlite, dispatch_uid="french-collation")

        cache.check_shared_cache()
        post_migrate.connect(cache.create_cache_tables, sender=self)
        retention.register(*retention.CORE_RULES)
