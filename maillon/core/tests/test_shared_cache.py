"""The cache every process shares (core/cache.py): the database table without Redis,
created by ``migrate``; production refuses a per-process cache when more than one
web worker could run."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from .production import production_setting, run_in_production

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maillon_cache_probe",
    }
}


BACKEND = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.CACHES['default']['BACKEND'])"
)


def test_without_redis_production_shares_the_database_cache():
    backend = production_setting("CACHES['default']['BACKEND']")
    assert backend == "django.core.cache.backends.db.DatabaseCache"


def test_with_redis_production_uses_redis():
    backend = production_setting(
        "CACHES['default']['BACKEND']", REDIS_URL="redis://127.0.0.1:6379/4"
    )
    assert backend == "django.core.cache.backends.redis.RedisCache"


def test_production_refuses_to_start_with_a_per_process_cache():
    result = run_in_production(BACKEND, MAILLON_CACHE="locmem")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "login lockouts and rate limits would count per process" in result.stderr


def test_a_single_web_process_may_keep_its_cache_in_memory():
    backend = production_setting(
        "CACHES['default']['BACKEND']", MAILLON_CACHE="locmem", WEB_CONCURRENCY="1"
    )
    assert backend == "django.core.cache.backends.locmem.LocMemCache"


def test_debug_may_keep_its_cache_in_memory():
    result = run_in_production(BACKEND, MAILLON_CACHE="locmem", MAILLON_DEBUG="1")
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db(transaction=True)
def test_migrate_creates_the_cache_table():
    with override_settings(CACHES=DATABASE_CACHE):
        assert "maillon_cache_probe" not in connection.introspection.table_names()
        call_command("migrate", verbosity=0)
        try:
            assert "maillon_cache_probe" in connection.introspection.table_names()
        finally:
            with connection.schema_editor() as editor:
                editor.execute("DROP TABLE maillon_cache_probe")
