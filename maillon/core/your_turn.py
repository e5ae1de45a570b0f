"""The "your turn" panel: what waits for a person right now (an assembly in session, a
ballot not cast yet, an event today, an application waiting for an answer), each one
tap away, on ``/me/`` and on an association's overview.

Each module declares a ``TurnSource`` in its own ``your_turn.py`` and registers it in
its ``AppConfig.ready()`` (as retention rules, metrics and personal data sections are),
so the pages that show the panel import none of the modules above them. A source's
``items(user=..., memberships=..., association=...)`` reads, through the module's
``my_*`` selectors, across the person's associations (``memberships``, from
``members.your_turn.my_turn``; ``association`` is the one overview asking, or None on
``/me/``) with a fixed number of queries, however many items."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class TurnItem:
    """One thing to do: ``title`` (what), ``detail`` (when, where, how many), a link
    (``url``) whose text is ``action`` ("Vote", "Answer")."""

    association: Any  # associations.models.Association
    kind: str
    title: str
    action: str
    url: str
    detail: str = ""
    when: datetime.datetime | None = None


@dataclass(frozen=True)
class TurnMembership:
    """A person's place in one association: their record and what their roles allow."""

    association: Any  # associations.models.Association
    person: Any  # members.models.Person
    permissions: frozenset[str] = field(default_factory=frozenset)

    def allows(self, permission: str, module: str | None = None) -> bool:
        if module is not None and module not in self.association.enabled_modules:
            return False
        return permission in self.permissions


#: ``items(user=..., memberships=..., association=...)`` returns the source's items.
TurnItems = Callable[..., list[TurnItem]]


@dataclass(frozen=True)
class TurnSource:
    name: str
    items: TurnItems
    order: int = 100


_sources: dict[str, TurnSource] = {}


def register(*sources: TurnSource) -> None:
    for source in sources:
        if source.name in _sources and _sources[source.name] is not source:
            raise ValueError(f"Turn source {source.name!r} is already registered.")
        _sources[source.name] = source


def registered_sources() -> list[TurnSource]:
    return sorted(_sources.values(), key=lambda s: (s.order, s.name))


def collect(
    *, user: Any, memberships: Sequence[TurnMembership], association: Any = None
) -> list[TurnItem]:
    """Every source's items, in the sources' order. With ``association``, only what
    concerns that association (``memberships`` then holds its membership only)."""
    items: list[TurnItem] = []
    for source in registered_sources():
        items.extend(source.items(user=user, memberships=memberships, association=association))
    return items
