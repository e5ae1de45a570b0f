"""Contributions in kind other than volunteer time, shown on the volunteering
valuation page beside the hours (e.g. free loans of pooled resources, lent and
borrowed). A module registers a source in its ``AppConfig.ready()``; the page reads
the lines without importing the module (core imports no other app)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class InKindLine:
    label: str  # translated, e.g. "Free loans received from other associations"
    count: int
    value: Decimal


InKindSource = Callable[..., list[InKindLine]]  # (*, association, year) -> lines
_SOURCES: dict[str, InKindSource] = {}


def register_in_kind_source(name: str, source: InKindSource) -> None:
    _SOURCES[name] = source


def contributions_in_kind(*, association: Any, year: int) -> list[InKindLine]:
    lines: list[InKindLine] = []
    for name in sorted(_SOURCES):
        lines.extend(_SOURCES[name](association=association, year=year))
    return lines
