"""The public search page's content (form and results) for visitors without an
account, kept ``TTL`` seconds per language, query string and page.

Any change to a mission or an association (``bump``, connected to their saves in
``apps.py``) starts a new generation: with a shared cache (Redis, or the database
cache) a published or closed mission shows at once; with the per-process memory
cache, within ``TTL`` seconds in the other processes.
The content holds no CSRF token and nothing about the visitor; the page around it
(header, language form) is rendered for each request.
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache
from django.utils import translation

TTL = 60
GENERATION_KEY = "missions:search:generation"


def key(*, query: str, page: int) -> str:
    digest = hashlib.sha256(query.encode()).hexdigest()[:32]
    language = translation.get_language() or "fr"
    return f"missions:search:{language}:{page}:{digest}"


def get(cache_key: str) -> tuple[str | None, int]:
    """(the cached content if it was rendered in the current generation, else None;
    the current generation). One read of the cache for both (with the database cache,
    one query instead of two): each entry carries the generation it was rendered in."""
    found = cache.get_many([GENERATION_KEY, cache_key])
    generation = found.get(GENERATION_KEY, 1)
    entry = found.get(cache_key)
    if entry is None or entry[0] != generation:
        return None, generation
    return entry[1], generation


def set(cache_key: str, content: str, generation: int) -> None:  # noqa: A001 - the cache's own verb
    """Keep ``content`` with the generation read before rendering it (``get``): a
    mission changed meanwhile makes it stale at once."""
    cache.set(cache_key, (generation, content), timeout=TTL)


def bump() -> None:
    """A mission changed: cached search pages are stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, 2, timeout=None)
