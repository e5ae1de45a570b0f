"""The cache every process shares (core/cache.py): the database table without Redis,
created by ``migrate``; production refuses a per-process cache when more than one
web worker could run."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

DATABASE_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "maillon_cache_probe",
    }
}


def production(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``code`` with production settings (no debug, no test mode)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "MAILLON_DEBUG",
            "MAILLON_TESTING",
            "DJANGO_SETTINGS_MODULE",
            "REDIS_URL",
            "MAILLON_CACHE",
            "WEB_CONCURRENCY",
        }
    }
    environment.update(
        {
            "SECRET_KEY": "x" * 50,
            "ALLOWED_HOSTS": "maillon.example",
            "DJANGO_SETTINGS_MODULE": "maillon.settings",
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


START = "import django; django.setup(); from django.conf import settings; "
BACKEND = START + "print(settings.CACHES['default']['BACKEND'])"


def test_without_redis_production_shares_the_database_cache():
    result = production(BACKEND)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.db.DatabaseCache"


def test_with_redis_production_uses_redis():
    result = production(BACKEND, REDIS_URL="redis://127.0.0.1:6379/4")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


def test_production_refuses_to_start_with_a_per_process_cache():
    result = production(BACKEND, MAILLON_CACHE="locmem")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "login lockouts and rate limits would count per process" in result.stderr


def test_a_single_web_process_may_keep_its_cache_in_memory():
    result = production(BACKEND, MAILLON_CACHE="locmem", WEB_CONCURRENCY="1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.core.cache.backends.locmem.LocMemCache"


def test_debug_may_keep_its_cache_in_memory():
    result = production(BACKEND, MAILLON_CACHE="locmem", MAILLON_DEBUG="1")
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
