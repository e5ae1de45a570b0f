"""A few seconds of memory, per process, for metadata read on hot paths.

Not a cache of decisions: what is kept here is never the source of truth for a
rule. A caller keeps only what cannot change any more, or what it checks again
against the database in a query it sends anyway (a vote re-reads the poll's status
under the poll's lock in the same statement as everything else it needs: closing a
poll is seen at once). The lifetime bounds the memory and how long a deleted object
is remembered; :func:`forget` drops an entry the moment this process changes it
(``post_save``/``post_delete`` receivers of the owning app), other processes drop
it at the latest when it expires. Everything kept is small and per object; nothing
user-specific goes in (``maillon.core.cache`` explains why counters must be shared).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Hashable
from typing import Any

#: How long an entry is kept (seconds).
LIFETIME = 5.0
#: At most this many entries per process (the oldest are dropped first).
MAX_ENTRIES = 2048

_lock = threading.Lock()
_entries: dict[Hashable, tuple[float, Any]] = {}


def recall(key: Hashable) -> Any | None:
    """The value kept under ``key``, or None (never kept, forgotten, or expired)."""
    found = _entries.get(key)
    if found is None:
        return None
    expires, value = found
    if expires < time.monotonic():
        with _lock:
            _entries.pop(key, None)
        return None
    return value


def remember(key: Hashable, value: Any) -> None:
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            for old in list(_entries)[: MAX_ENTRIES // 4]:
                del _entries[old]
        _entries[key] = (time.monotonic() + LIFETIME, value)


def forget(key: Hashable) -> None:
    with _lock:
        _entries.pop(key, None)


def forget_all() -> None:
    """Between tests, and after anything that changes many objects at once."""
    with _lock:
        _entries.clear()
