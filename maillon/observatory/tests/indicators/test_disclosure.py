"""No published table lets a hidden cell be computed back (OBSERVATORY.md)."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from maillon.observatory.indicators.disclosure import (
    recoverable_cells,
    suppressed_cells,
    total_shown,
)
from maillon.observatory.indicators.engine import Unit, compute_indicators, sample_table
from maillon.observatory.indicators.mapping import load_mapping
from maillon.observatory.synthetic import skewed_profile, synthetic_answers

tables = st.dictionaries(
    st.sampled_from([f"c{i}" for i in range(12)]), st.integers(0, 30), min_size=1, max_size=12
)


@settings(max_examples=400)
@given(tables, st.integers(2, 10))
def test_no_hidden_cell_can_be_recomputed(counts, k):
    hidden = suppressed_cells(counts, k)
    published = {c: (None if c in hidden else n) for c, n in counts.items()}
    if hidden == set(counts):
        published = {}  # a table with every cell hidden is withheld: nothing shown
    total = sum(counts.values()) if total_shown(counts, k) else None
    # Every cell under k (and above 0) is hidden...
    assert all(c in hidden for c, n in counts.items() if 0 < n < k)
    # ...and the total with the shown cells fixes none of the hidden ones.
    assert recoverable_cells(published, total, k) == set()


def test_one_small_cell_takes_the_next_smallest_with_it():
    assert suppressed_cells({"a": 2, "b": 9, "c": 7, "d": 0}, 5) == {"a", "c"}
    assert suppressed_cells({"a": 2, "b": 0}, 5) == {"a", "b"}  # withheld
    assert suppressed_cells({"a": 6, "b": 9}, 5) == set()
    # Two ones hidden together would still be found (shown zeros: each holds >= 1).
    assert suppressed_cells({"a": 1, "b": 1, "c": 8, "d": 9}, 5) == {"a", "b", "c"}


def test_the_attacker_finds_a_lone_hidden_cell():
    assert recoverable_cells({"a": None, "b": 9}, 12, 5) == {"a"}
    assert recoverable_cells({"a": None, "b": None, "c": 9}, 11, 5) == {"a", "b"}


def _units(n, seed=1):
    rnd = random.Random(seed)
    units = []
    for _ in range(n):
        size, sector, region = skewed_profile(rnd)
        units.append(
            Unit(
                {"size_band": size, "sector": sector, "region": region},
                synthetic_answers(rnd, size, sector),
                rnd.uniform(0.3, 3),
            )
        )
    return units


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(3, 8), st.integers(5, 120))
def test_published_indicator_tables_never_let_a_cell_be_recomputed(seed, k, n):
    units = _units(n, seed)
    categories = {
        v: sorted({u.profile[v] for u in units}) for v in ("size_band", "sector", "region")
    }
    results = compute_indicators(
        units, load_mapping(1), year=2026, min_cell=k, categories=categories
    )
    for indicator in results:
        if indicator["suppressed"]:
            assert indicator["n"] < k and "share" not in indicator
            continue
        for cells in indicator["breakdowns"].values():
            published = {c["category"]: (None if c["suppressed"] else c["n"]) for c in cells}
            assert cells == [] or not all(c["suppressed"] for c in cells)
            assert all(c["suppressed"] or c["n"] == 0 or c["n"] >= k for c in cells)
            assert recoverable_cells(published, indicator["n"], k) == set()
    for variable, values in categories.items():
        cells = sample_table(units, variable, values, k)
        published = {c["category"]: (None if c["suppressed"] else c["n"]) for c in cells}
        assert recoverable_cells(published, n, k) == set()
