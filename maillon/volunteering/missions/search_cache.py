"""The public search page's content (form and results) for visitors without an
account, kept ``TTL`` seconds per language, query string and page.

Any change to a mission (``bump``, called by the mission services) starts a new
generation: with a shared cache (Redis) a published or closed mission shows at once;
with the per-process memory cache, within ``TTL`` seconds in the other processes.
The content holds no CSRF token and nothing about the visitor; the page around it
(header, language form) is rendered for each request.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils import translation

TTL = 60
GENERATION_KEY = "missions:search:generation"


def _generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = 1
        cache.add(GENERATION_KEY, generation, timeout=None)
    return generation


def key(*, query: str, page: int) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    language = translation.get_language() or "fr"
    return f"missions:search:{_generation()}:{language}:{page}:{digest}"


def get(cache_key: str) -> str | None:
    return cache.get(cache_key)


def set(cache_key: str, content: str) -> None:  # noqa: A001 - the cache's own verb
    cache.set(cache_key, content, timeout=TTL)


def bump() -> None:
    """A mission changed: cached search pages are stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
