"""The cache is shared by every process of a deployment: login lockouts, the TOTP
codes already used, the limits on anonymous forms (``core.ratelimit``) and the
search pages count on it. Without Redis it is a table of the database
(``maillon_cache``), created by ``migrate`` (``create_cache_tables`` runs after every
migration), so a fresh clone, the demo and CI need no extra step.

A cache kept in one process's memory would let each web worker count on its own
(with two workers, five failed logins become ten): production refuses to start with
one, unless it runs a single web process (``WEB_CONCURRENCY=1``)."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

#: Backends whose entries live in one process: each process would count on its own.
PER_PROCESS_BACKENDS = frozenset(
    {
        "django.core.cache.backends.locmem.LocMemCache",
        "django.core.cache.backends.dummy.DummyCache",
    }
)


def create_cache_tables(*, using: str = "default", verbosity: int = 0, **_kwargs) -> None:
    """``createcachetable`` for the database caches (a no-op when they exist or when
    the cache is Redis); connected to ``post_migrate``."""
    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))


def single_web_process() -> bool:
    """The operator says that one web process serves the site (gunicorn reads the
    same variable for its number of workers)."""
    return os.environ.get("WEB_CONCURRENCY", "").strip() == "1"


def check_shared_cache() -> None:
    """Refuse to start production with a per-process cache that several workers
    would each keep for themselves."""
    if settings.DEBUG or getattr(settings, "TESTING", False):
        return
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PER_PROCESS_BACKENDS and not single_web_process():
        raise ImproperlyConfigured(
            f"The default cache ({backend}) is kept in each process's memory: with more "
            "than one web worker, login lockouts and rate limits would count per process. "
            "Use the database cache (the default without REDIS_URL) or Redis (REDIS_URL), "
            "or set WEB_CONCURRENCY=1 to run a single web process."
        )
