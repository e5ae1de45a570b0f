"""Disclosure control of the published tables (OBSERVATORY.md). Pure Python.

A cell with fewer than k associations behind it is hidden (a cell of 0 says nothing
about anyone and stays shown); when a table has exactly one hidden cell, the next
smallest cell is hidden too, so that the hidden one cannot be found by subtracting
the others from the total — and again while the hidden cells' sum would give them
away (all ones, all k - 1). A table whose every cell is hidden is withheld: not
published at all, not even which of its categories are empty."""

from __future__ import annotations

from collections.abc import Mapping


def _giveaway(counts: Mapping[str, int], hidden: set[str], k: int) -> bool:
    """Would the hidden cells be found from their sum alone? One hidden cell; or, as
    shown zeros tell that every hidden cell holds at least one association, a sum
    equal to their number (all ones) or to their number times k - 1 (all at most)."""
    total = sum(counts[c] for c in hidden)
    return len(hidden) == 1 or total == len(hidden) or total == len(hidden) * (k - 1)


def suppressed_cells(counts: Mapping[str, int], k: int) -> set[str]:
    """Categories of a one-way table (``{category: associations}``) to hide."""
    hidden = {c for c, n in counts.items() if 0 < n < k}
    while hidden and _giveaway(counts, hidden, k):
        candidates = sorted(
            (n, position, c)
            for position, (c, n) in enumerate(counts.items())
            if c not in hidden and n > 0
        )
        if not candidates:
            return set(counts)  # the table is withheld
        hidden.add(candidates[0][2])
    return hidden


def total_shown(counts: Mapping[str, int], k: int) -> bool:
    """The table's total is itself a cell: shown only with k associations behind it
    (then a withheld table never has a published total)."""
    return sum(counts.values()) >= k


def recoverable_cells(published: Mapping[str, int | None], total: int | None, k: int) -> set[str]:
    """What someone can compute back from a published one-way table and its total
    (``None`` when hidden): the hidden cells (``None``) whose count the single
    equation "cells add up to the total" fixes. Used by the tests as the attacker."""
    if total is None:
        return set()
    hidden = [c for c, n in published.items() if n is None]
    remainder = total - sum(n for n in published.values() if n is not None)
    if len(hidden) == 1:
        return set(hidden)
    # Hidden cells hold 0 (if zeros are hidden) or more: a remainder of 0 fixes them
    # all; shown zeros mean each holds at least 1: a remainder equal to their number
    # fixes them too; if they were all under k, so does their number times k - 1.
    if hidden and remainder in (0, len(hidden), len(hidden) * (k - 1)):
        return set(hidden)
    return set()
