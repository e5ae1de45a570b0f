"""Test settings whose cache is the database table production uses without Redis:
for the processes started by ``test_lockout_across_processes``."""

from maillon.test_settings import *  # noqa: F403

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maillon_cache",
    }
}
