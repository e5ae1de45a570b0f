"""Rendered fragments kept in the process, keyed by everything they are made of.

A back-office page repeats fragments that depend on a handful of values and not on
the request itself: the association's navigation (its name, slug and modules, the
person's permissions, which section is open, the language), a list's filter form (its
submitted values, the language). Rendering them through the template engine costs a
few milliseconds of CPU per page (docs/benchmarks.md, "Member list").

``RenderMemo`` renders a fragment once per key and gives the same text afterwards.
The key must hold **every** input of the fragment: then nothing needs invalidating —
a renamed association, a module switched on, a role given or taken away, another
language make a different key, so the next page renders afresh (the old entry ages
out). Nothing about a person other than the key's values may be read by the fragment
(no CSRF token, no messages, no user name). Each process keeps at most ``size``
fragments per memo, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any


class RenderMemo:
    """At most ``size`` values per process, least recently used first out (rendered
    fragments here; the member list's kept counts use it too)."""

    def __init__(self, size: int = 512):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        text = self.get(key)
        if text is None:
            text = render()
            self.put(key, text)
        return text

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
