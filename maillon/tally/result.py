"""The result of a count and its JSON form (the shape fixed by TALLY.md).

Every method returns a :class:`TallyResult`. ``to_dict()`` / ``to_json()`` give::

    {"method": "irv", "seats": 1, "ballots": 412, "blank": 3,
     "winners": ["Camille"], "tie": false,
     "rounds": [{"counts": {"Camille": 150.0, ...}, "eliminated": ["Ali"]}],
     "tie_break": null}

in that key order, followed by a few method-specific keys that the contract does
not forbid and that help anyone re-checking the count:

- every round may carry ``"elected"`` (who was elected in that round);
- ``irv`` and ``stv`` rounds carry ``"exhausted"`` (the weight of non-blank
  ballots that no longer count for anyone);
- ``stv`` rounds carry ``"exact"``: the same counts and exhausted weight as exact
  fractions written ``"17/3"``; the result carries ``"quota"``;
- ``schulze`` adds ``"pairwise"``, ``"strongest_paths"`` and ``"ranking"``;
- ``majority-judgment`` adds ``"grades"``, ``"profiles"`` and ``"ranking"``;
- ``yes-no`` adds ``"majority"`` and ``"adopted"``.

Counts are kept exact inside (``int`` or :class:`fractions.Fraction`); in JSON,
``irv`` and ``stv`` counts are floats (``150.0``) as in the contract's example,
the other methods' counts are integers.

``tie_break`` is ``null`` when no tie-break was needed, otherwise an object::

    {"rule": "lot" | "previous-rounds", "seed": 123 (only when a lot was drawn),
     "ties": [{"round": 2, "for": "elimination" | "seat", "tied": [...],
               "rule": ..., "chosen": [...], "order": [...] (lot only)}]}

``rule`` at the top is ``"lot"`` as soon as one tie needed a lot. See
:mod:`maillon.tally.tiebreak` for the rules themselves.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

Number = int | Fraction


def json_number(value: Number, as_float: bool) -> int | float:
    """An exact count as a JSON number: a float when asked, else an int when whole."""
    if as_float:
        return float(value)
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else float(value)
    return value


@dataclass
class Round:
    """One round of a count: the counts at its start and what it decided."""

    counts: Mapping[str, Number]
    eliminated: list[str] = field(default_factory=list)
    elected: list[str] = field(default_factory=list)
    exhausted: Number | None = None
    exact: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self, as_float: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {
            "counts": {c: json_number(v, as_float) for c, v in self.counts.items()},
            "eliminated": list(self.eliminated),
        }
        if self.elected:
            data["elected"] = list(self.elected)
        if self.exhausted is not None:
            data["exhausted"] = json_number(self.exhausted, as_float)
        if self.exact:
            data["exact"] = {
                "counts": {c: str(Fraction(v)) for c, v in self.counts.items()},
                "exhausted": str(Fraction(self.exhausted or 0)),
            }
        data.update(self.extra)
        return data


@dataclass
class TieEvent:
    """One tie that the counting rules could not settle by themselves."""

    round: int | None
    purpose: str  # "elimination" or "seat"
    tied: list[str]
    rule: str  # "previous-rounds" or "lot"
    chosen: list[str]
    order: list[str] | None = None  # the lot's order of the candidates drawn among

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "round": self.round,
            "for": self.purpose,
            "tied": list(self.tied),
            "rule": self.rule,
            "chosen": list(self.chosen),
        }
        if self.order is not None:
            data["order"] = list(self.order)
        return data


@dataclass
class TallyResult:
    """What a count decided, with enough detail to check it by hand."""

    method: str
    seats: int
    ballots: int
    blank: int
    winners: list[str]
    tie: bool
    rounds: list[Round]
    tie_events: list[TieEvent] = field(default_factory=list)
    seed: int | None = None
    float_counts: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tie_break(self) -> dict[str, Any] | None:
        if not self.tie_events:
            return None
        lot = any(e.rule == "lot" for e in self.tie_events)
        data: dict[str, Any] = {"rule": "lot" if lot else "previous-rounds"}
        if lot:
            data["seed"] = self.seed
        data["ties"] = [e.to_dict() for e in self.tie_events]
        return data

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "method": self.method,
            "seats": self.seats,
            "ballots": self.ballots,
            "blank": self.blank,
            "winners": list(self.winners),
            "tie": self.tie,
            "rounds": [r.to_dict(self.float_counts) for r in self.rounds],
            "tie_break": self.tie_break,
        }
        data.update(self.extra)
        return data

    def to_json(self, **kwargs: Any) -> str:
        kwargs.setdefault("ensure_ascii", False)
        return json.dumps(self.to_dict(), **kwargs)
