"""Tie-breaks: what happens when the counting rules leave a tie.

A tie only matters when it decides something: who is eliminated (``irv``,
``stv``) or who takes a seat (``plurality``, ``approval``,
``majority-judgment``). Whenever a tie-break rule is used the result has
``tie: true`` and ``tie_break`` lists each tie, the rule that settled it and its
outcome (see :mod:`maillon.tally.result` for the JSON shape).

Rules, by method:

- **irv** and **stv**, tie for fewest votes (elimination): the tied candidates'
  counts in the previous rounds are compared, latest round first; in the latest
  round where they differ, only those with the fewest stay in the tie (if that
  leaves several, earlier rounds are looked at for those). If a tie remains once
  the first round has been looked at, it is settled by lot. A tie is recorded even
  when the tied candidates have no votes at all: the contract eliminates one
  candidate per round, so the order is still a choice.
- **stv**: candidates elected in the same round are listed in ``winners`` by
  decreasing count, then in header order; that order is not a tie (they are all
  elected).
- **plurality**, **approval**: the candidates are ranked by count; when the last
  seat(s) fall inside a group of equal counts, the seats are given by lot among
  that group.
- **majority-judgment**: the same, where "equal" means the majority-judgment
  rules (medians, gauge, median removal) cannot separate them, which happens only
  when their grade distributions are identical.
- **schulze**: no tie-break, as the contract says: all unbeaten candidates are
  winners and ``tie`` is true (``tie_break`` stays ``null``). With several seats,
  the Schulze ranking fills the seats group by group and a group that does not
  fit is included whole (``tie`` true, more winners than seats).
- **yes-no**: no tie is possible: a resolution not reaching its majority is not
  adopted.

**The lot.** It is reproducible by anyone: each tied candidate gets the SHA-256
hex digest of the UTF-8 text ``"<seed>:<candidate name>"``; sorted by that digest
(ascending) they form the lot's order. The first in that order is favoured: it
takes the seat; the last is the one eliminated. So one seed draws one fixed order
of all candidates, used for every tie of the count.

**The seed.** ``--seed N`` (or ``seed=`` in Python) gives it. By default it is
derived from the ballots (:func:`default_seed`): the first 12 hex digits (48 bits,
safe as a JSON number) of the SHA-256 of the candidates and the *sorted* ballots,
so the same file always gives the same result, and shuffling the rows does not
change it. The seed is printed in ``tie_break`` whenever a lot was drawn.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence

from maillon.tally.result import Number, TieEvent


def default_seed(candidates: Sequence[str], ballots: Iterable[Sequence[object]]) -> int:
    """A seed derived from the content of the ballots, independent of their order."""
    canonical = json.dumps(
        [list(candidates), sorted(list(b) for b in ballots)],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return int(hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12], 16)


def default_seed_counted(
    candidates: Sequence[str], counted: Iterable[tuple[Sequence[object], int]]
) -> int:
    """:func:`default_seed` of ballots given grouped, as (ballot, how many) pairs:
    the same digest, computed without writing every ballot out at once."""

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    digest = hashlib.sha256(f"[{dumps(list(candidates))},[".encode())
    first = True
    for ballot, n in sorted(((list(b), n) for b, n in counted), key=lambda item: item[0]):
        if n <= 0:
            continue
        piece = ("," + dumps(ballot)).encode("utf-8")
        if first:
            digest.update(piece[1:])
            n -= 1
            first = False
        while n:
            block = min(n, 4096)
            digest.update(piece * block)
            n -= block
    digest.update(b"]]")
    return int(digest.hexdigest()[:12], 16)


def lot_order(seed: int, names: Iterable[str]) -> list[str]:
    """The lot's order of ``names`` for ``seed``: favoured first, eliminated last."""

    def key(name: str) -> str:
        return hashlib.sha256(f"{seed}:{name}".encode()).hexdigest()

    return sorted(names, key=key)


class TieBreaker:
    """Settles ties during one count and records each of them."""

    def __init__(self, seed: int):
        self.seed = seed
        self.events: list[TieEvent] = []

    @property
    def used(self) -> bool:
        return bool(self.events)

    def eliminate(
        self,
        tied: Sequence[str],
        history: Sequence[Mapping[str, Number]],
        round_no: int,
    ) -> str:
        """Which of ``tied`` (equal fewest) is eliminated, given the counts of the
        previous rounds (``history``, oldest first)."""
        remaining = list(tied)
        for counts in reversed(history):
            low = min(counts[c] for c in remaining)
            fewest = [c for c in remaining if counts[c] == low]
            if len(fewest) < len(remaining):
                remaining = fewest
                if len(remaining) == 1:
                    break
        if len(remaining) == 1:
            self.events.append(
                TieEvent(round_no, "elimination", list(tied), "previous-rounds", remaining)
            )
            return remaining[0]
        order = lot_order(self.seed, remaining)
        loser = order[-1]
        self.events.append(TieEvent(round_no, "elimination", list(tied), "lot", [loser], order))
        return loser

    def choose(self, tied: Sequence[str], n: int, round_no: int | None = 1) -> list[str]:
        """``n`` of ``tied`` (equal, competing for ``n`` seats), chosen by lot."""
        order = lot_order(self.seed, tied)
        chosen = order[:n]
        self.events.append(TieEvent(round_no, "seat", list(tied), "lot", chosen, order))
        return chosen

    def fill_seats(self, groups: Sequence[Sequence[str]], seats: int) -> list[str]:
        """Winners from ``groups`` of equal candidates, best group first."""
        winners: list[str] = []
        for group in groups:
            left = seats - len(winners)
            if left <= 0:
                break
            if len(group) <= left:
                winners.extend(group)
            else:
                winners.extend(self.choose(group, left))
        return winners
