"""Small helpers for the tally tests (no Django)."""

from __future__ import annotations


def repeat(*groups: tuple[int, tuple[str, ...] | list[str]]) -> list[tuple[str, ...]]:
    """``repeat((8, ("A", "B")), (3, ("C",)))`` → 8 ballots A>B then 3 ballots C."""
    ballots: list[tuple[str, ...]] = []
    for count, ballot in groups:
        ballots.extend([tuple(ballot)] * count)
    return ballots


# The textbook "capital of Tennessee" election (100 voters, scaled).
TN = ["Memphis", "Nashville", "Chattanooga", "Knoxville"]
TN_BALLOTS = repeat(
    (42, ("Memphis", "Nashville", "Chattanooga", "Knoxville")),
    (26, ("Nashville", "Chattanooga", "Knoxville", "Memphis")),
    (15, ("Chattanooga", "Knoxville", "Nashville", "Memphis")),
    (17, ("Knoxville", "Chattanooga", "Nashville", "Memphis")),
)
