"""core.money.allocate: largest remainder, exact to the cent, deterministic ties."""

from decimal import Decimal as D

import pytest

from core.money import allocate


def test_one_cent_over_three_parties_goes_to_the_first():
    assert allocate(D("0.01"), [1, 1, 1]) == [D("0.01"), D("0.00"), D("0.00")]


def test_two_cents_over_three_parties_ties_by_order():
    assert allocate(D("0.02"), [1, 1, 1]) == [D("0.01"), D("0.01"), D("0.00")]


def test_government_split_of_fifty_euros():
    assert allocate(D("50.00"), [50, 25, 25]) == [D("25.00"), D("12.50"), D("12.50")]


def test_odd_cent_goes_to_the_largest_remainder():
    # 0.05 over 50/25/25: exact 2.5, 1.25, 1.25 cents -> 2, 1, 1 + the 1 left to the 0.5 rest.
    assert allocate(D("0.05"), [50, 25, 25]) == [D("0.03"), D("0.01"), D("0.01")]


def test_many_municipalities_sum_exactly():
    weights = [1000 + i * 7919 % 104729 for i in range(56)]
    parts = allocate(D("12.49"), weights)
    assert sum(parts) == D("12.49")
    assert len(parts) == 56
    assert all(p >= 0 for p in parts)
    # Never more than one cent from the exact share.
    total_weight = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - D("12.49") * weight / total_weight) < D("0.01")


def test_zero_weights_get_nothing():
    assert allocate(D("10.00"), [0, 1, 0, 3]) == [D("0"), D("2.50"), D("0"), D("7.50")]


def test_all_zero_weights_are_refused():
    with pytest.raises(ValueError):
        allocate(D("1.00"), [0, 0])


def test_float_and_unrounded_totals_are_refused():
    with pytest.raises(TypeError):
        allocate(0.1, [1])
    with pytest.raises(ValueError):
        allocate(D("0.001"), [1])


def test_negative_total_mirrors_the_positive_split():
    assert allocate(D("-0.02"), [1, 1, 1]) == [D("-0.01"), D("-0.01"), D("0.00")]


def test_deterministic():
    weights = [3, 3, 3, 1]
    assert allocate(D("1.00"), weights) == allocate(D("1.00"), weights)
    assert sum(allocate(D("1.00"), weights)) == D("1.00")
