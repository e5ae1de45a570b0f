"""Records other modules keep under a guest's email address (a volunteer's
applications, event registrations), linked together with the register's record when
a user confirms that an association's records under their verified address are theirs.

A module declares a ``GuestRecords`` in its own ``linking.py`` and registers it in its
``AppConfig.ready()``, so members imports none of the modules above it."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class GuestRecords:
    """``count(emails)`` returns ``{association_id: number}`` of the records made
    without an account under one of ``emails`` (lower-cased); it runs inside the
    caller's ``scopes_disabled()``. ``describe(number)`` says what they are ("2
    applications to missions"). ``link(association=, user=, emails=)`` ties them to
    ``user`` inside the association's scope and returns how many it linked."""

    name: str
    count: Callable[[Collection[str]], dict[int, int]]
    describe: Callable[[int], str]
    link: Callable[..., int]


_sources: dict[str, GuestRecords] = {}


def register(*sources: GuestRecords) -> None:
    for source in sources:
        if source.name in _sources and _sources[source.name] is not source:
            raise ValueError(f"Guest records {source.name!r} are already registered.")
        _sources[source.name] = source


def registered_sources() -> list[GuestRecords]:
    return sorted(_sources.values(), key=lambda s: s.name)


def describe_all(counts: dict[str, int]) -> list[str]:
    by_name: dict[str, Any] = {s.name: s for s in registered_sources()}
    return [by_name[name].describe(n) for name, n in sorted(counts.items()) if n]
