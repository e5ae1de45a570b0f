"""Properties of the raking engine (OBSERVATORY.md) and a textbook example."""

import itertools
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maillon.observatory.weighting import rake, wilson_interval
from maillon.observatory.weighting.engine import WeightingInputError


def shares(draw, categories):
    raw = [draw(st.integers(min_value=1, max_value=20)) for _ in categories]
    total = sum(raw)
    values = [r / total for r in raw]
    values[-1] = 1 - math.fsum(values[:-1])
    return dict(zip(categories, values, strict=True))


@st.composite
def full_samples(draw):
    """A sample where every combination of categories occurs (raking is feasible)."""
    sizes = draw(st.lists(st.integers(min_value=2, max_value=4), min_size=1, max_size=3))
    variables = [f"v{i}" for i in range(len(sizes))]
    categories = [[f"c{j}" for j in range(size)] for size in sizes]
    units = []
    for combination in itertools.product(*categories):
        for _ in range(draw(st.integers(min_value=1, max_value=4))):
            units.append((f"u{len(units)}", list(combination)))
    margins = {v: shares(draw, cats) for v, cats in zip(variables, categories, strict=True)}
    return units, variables, margins


@st.composite
def any_samples(draw):
    """A sample that holds every category, but maybe not every combination."""
    units, variables, margins = draw(full_samples())
    keep = draw(st.lists(st.booleans(), min_size=len(units), max_size=len(units)))
    kept = [u for u, k in zip(units, keep, strict=True) if k]
    for position, variable in enumerate(variables):
        for category in margins[variable]:
            if not any(u[1][position] == category for u in kept):
                kept.append(next(u for u in units if u[1][position] == category))
    return kept, variables, margins


def weighted_shares(units, weights, position):
    total = sum(weights[u] for u, _ in units)
    result = {}
    for u, cats in units:
        result[cats[position]] = result.get(cats[position], 0) + weights[u] / total
    return result


@settings(max_examples=60, deadline=None)
@given(full_samples())
def test_margins_met_when_feasible(sample):
    units, variables, margins = sample
    result = rake(units, variables, margins)
    assert result.converged
    assert result.max_margin_error < 1e-10
    for position, variable in enumerate(variables):
        got = weighted_shares(units, result.weights, position)
        for category, target in margins[variable].items():
            assert got[category] == pytest.approx(target, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(any_samples(), st.one_of(st.none(), st.floats(0.1, 1)), st.none() | st.floats(1, 6))
def test_weights_mean_one_and_bounds_respected(sample, low, high):
    units, variables, margins = sample
    result = rake(units, variables, margins, min_weight=low, max_weight=high, max_iterations=200)
    weights = list(result.weights.values())
    assert math.fsum(weights) / len(weights) == pytest.approx(1, abs=1e-9)
    if low is not None:
        assert min(weights) >= low - 1e-9
    if high is not None:
        assert max(weights) <= high + 1e-9
    assert result.design_effect + 1e-9 >= 1
    assert result.effective_sample_size == pytest.approx(len(units) / result.design_effect)


@settings(max_examples=40, deadline=None)
@given(any_samples(), st.randoms(use_true_random=False))
def test_order_of_rows_is_irrelevant(sample, rnd):
    units, variables, margins = sample
    first = rake(units, variables, margins, max_iterations=200)
    shuffled = list(units)
    rnd.shuffle(shuffled)
    second = rake(shuffled, variables, margins, max_iterations=200)
    assert second.converged == first.converged
    for unit_id, weight in first.weights.items():
        assert second.weights[unit_id] == pytest.approx(weight, rel=1e-9, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(any_samples())
def test_idempotent_on_a_balanced_sample(sample):
    units, variables, _ = sample
    own = {
        v: weighted_shares(units, dict.fromkeys((u for u, _ in units), 1), i)
        for i, v in enumerate(variables)
    }
    result = rake(units, variables, own, tolerance=1e-9)
    assert result.converged
    assert all(w == pytest.approx(1, abs=1e-12) for w in result.weights.values())
    assert result.design_effect == pytest.approx(1)
    # Raking again on the weighted result changes nothing either.
    assert rake(units, variables, own).weights == result.weights


def test_textbook_example_checked_by_hand():
    """Two small associations in the north, one small and one large in the south;
    population: half small, half large; 40 % north. By hand: the large one must carry
    the whole large half (weight 2 on n = 4), the two northern ones 1.6 together (0.8
    each) and the small southern one the remaining 2.4 - 2 = 0.4 of the south."""
    units = [
        ("a1", ["small", "north"]),
        ("a2", ["small", "north"]),
        ("a3", ["small", "south"]),
        ("a4", ["large", "south"]),
    ]
    margins = {"size": {"small": 0.5, "large": 0.5}, "region": {"north": 0.4, "south": 0.6}}
    result = rake(units, ["size", "region"], margins)
    assert result.converged
    assert result.weights["a1"] == pytest.approx(0.8)
    assert result.weights["a2"] == pytest.approx(0.8)
    assert result.weights["a3"] == pytest.approx(0.4)
    assert result.weights["a4"] == pytest.approx(2.0)
    # Kish: (Σw)² / Σw² = 16 / (0.64 + 0.64 + 0.16 + 4) = 16 / 5.44.
    assert result.effective_sample_size == pytest.approx(16 / 5.44)
    assert result.design_effect == pytest.approx(5.44 / 4)


def test_first_cycle_of_a_two_by_two_table_by_hand():
    """Cells (sex × age) counted 30/20/10/40, targets 50 % / 50 % on both. One
    cycle by hand: rows ×(50/50, 50/50) unchanged; columns: first column holds 40,
    target 50 -> ×1.25; second holds 60 -> ×5/6."""
    units = (
        [(f"a{i}", ["f", "young"]) for i in range(30)]
        + [(f"b{i}", ["f", "old"]) for i in range(20)]
        + [(f"c{i}", ["m", "young"]) for i in range(10)]
        + [(f"d{i}", ["m", "old"]) for i in range(40)]
    )
    margins = {"sex": {"f": 0.5, "m": 0.5}, "age": {"young": 0.5, "old": 0.5}}
    one = rake(units, ["sex", "age"], margins, max_iterations=1)
    assert one.iterations == 1
    assert one.weights["a0"] == pytest.approx(1.25)
    assert one.weights["b0"] == pytest.approx(5 / 6)
    assert one.weights["c0"] == pytest.approx(1.25)
    assert one.weights["d0"] == pytest.approx(5 / 6)
    assert not one.converged  # the rows are now off: f = 37.5 + 16.67 = 54.17 %
    assert one.max_margin_error == pytest.approx((30 * 1.25 + 20 * 5 / 6) / 100 - 0.5)
    assert rake(units, ["sex", "age"], margins).converged


def test_infeasible_bounds_say_so():
    units = [("a", ["x"]), ("b", ["x"]), ("c", ["x"]), ("d", ["y"])]
    result = rake(units, ["v"], {"v": {"x": 0.25, "y": 0.75}}, max_weight=2)
    assert not result.converged
    assert max(result.weights.values()) <= 2 + 1e-12
    assert result.trimmed >= 1


@pytest.mark.parametrize(
    "units, margins",
    [
        ([], {"v": {"x": 1.0}}),
        ([("a", ["z"])], {"v": {"z": 0.5, "x": 0.5}}),
        ([("a", ["x"]), ("b", ["q"])], {"v": {"x": 1.0}}),
        ([("a", ["x"])], {"v": {"x": 0.9}}),
        ([("a", ["x"]), ("a", ["x"])], {"v": {"x": 1.0}}),
    ],
)
def test_bad_inputs_are_refused(units, margins):
    with pytest.raises(WeightingInputError):
        rake(units, ["v"], margins)


def test_wilson_interval():
    low, high = wilson_interval(0.5, 100)
    assert low == pytest.approx(0.4038, abs=1e-4)
    assert high == pytest.approx(0.5962, abs=1e-4)
    assert wilson_interval(0, 10)[0] == 0
    assert wilson_interval(1, 0) == (0.0, 1.0)


def test_large_random_sample_converges():
    rnd = random.Random(4)
    units = [(str(i), [rnd.choice("abc"), rnd.choice("xyz")]) for i in range(2000)]
    margins = {"s": {"a": 0.2, "b": 0.3, "c": 0.5}, "r": {"x": 0.6, "y": 0.3, "z": 0.1}}
    assert rake(units, ["s", "r"], margins).converged
