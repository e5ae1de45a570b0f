"""Disclosure control of the published tables (OBSERVATORY.md). Pure Python.

A cell with fewer than k associations behind it is hidden (a cell of 0 says nothing
about anyone and stays shown); when a table has exactly one hidden cell, the next
smallest cell is hidden too, so that the hidden one cannot be found by subtracting
the others from the total. If no other cell can be hidden, the table is withheld."""

from __future__ import annotations

from collections.abc import Mapping


def suppressed_cells(counts: Mapping[str, int], k: int) -> set[str]:
    """Categories of a one-way table (``{category: associations}``) to hide."""
    hidden = {c for c, n in counts.items() if 0 < n < k}
    if len(hidden) == 1:
        candidates = sorted(
            (n, position, c)
            for position, (c, n) in enumerate(counts.items())
            if c not in hidden and n > 0
        )
        if not candidates:
            return set(counts)  # the table is withheld
        hidden.add(candidates[0][2])
    return hidden


def recoverable_cells(published: Mapping[str, int | None], total: int) -> set[str]:
    """What someone can compute back from a published one-way table and its total:
    the hidden cells (``None``) whose count the single equation "cells add up to the
    total" fixes. Used by the tests as the attacker."""
    hidden = [c for c, n in published.items() if n is None]
    remainder = total - sum(n for n in published.values() if n is not None)
    if len(hidden) == 1:
        return set(hidden)
    if hidden and remainder == 0:
        return set(hidden)  # all zero
    return set()
