import pytest

from reports.figures import (
    SUPPRESSED,
    Count,
    Rate,
    Statistic,
    disclose_count,
    disclose_rate,
    disclose_statistic,
    export,
    round_to_five,
)

BOUNDARIES = [0, 1, 4, 5, 7, 8, 12, 13]


@pytest.mark.parametrize(
    ("count", "hes", "mhsds"),
    [
        (0, 0, SUPPRESSED),
        (1, SUPPRESSED, SUPPRESSED),
        (4, SUPPRESSED, SUPPRESSED),
        (5, SUPPRESSED, 5),
        (7, SUPPRESSED, 5),
        (8, 10, 10),
        (12, 10, 10),
        (13, 15, 15),
    ],
)
def test_counts_at_every_boundary(count, hes, mhsds):
    assert disclose_count(count, "hes") == hes
    assert disclose_count(count, "mhsds") == mhsds
    assert disclose_count(count, "none") == count


@pytest.mark.parametrize(("count", "rounded"), [(2, 0), (3, 5), (22, 20), (23, 25), (25, 25), (27, 25), (28, 30)])
def test_rounding_to_five_takes_halves_up(count, rounded):
    assert round_to_five(count) == rounded


@pytest.mark.parametrize("numerator", BOUNDARIES)
def test_hes_rates_suppress_small_numerators_and_use_rounded_counts(numerator):
    result = disclose_rate(Rate(numerator, 40), "hes")
    if 1 <= numerator <= 7:
        assert result == SUPPRESSED
    else:
        assert result == round(round_to_five(numerator) / 40, 4)


@pytest.mark.parametrize("base", BOUNDARIES)
def test_rates_are_suppressed_when_the_base_is_small(base):
    hes = disclose_rate(Rate(0, base), "hes")
    mhsds = disclose_rate(Rate(base, base), "mhsds")
    if base == 0:
        assert hes is None
        assert mhsds is None
    else:
        assert (hes == SUPPRESSED) is (1 <= base <= 7)
        assert (mhsds == SUPPRESSED) is (base < 5)


def test_mhsds_suppresses_a_zero_numerator_but_hes_does_not():
    assert disclose_rate(Rate(0, 40), "mhsds") == SUPPRESSED
    assert disclose_rate(Rate(0, 40), "hes") == 0.0


def test_mhsds_rates_use_exact_counts():
    assert disclose_rate(Rate(13, 21), "mhsds") == 0.619
    assert disclose_rate(Rate(13, 21), "hes") == round(15 / 20, 4)
    assert disclose_rate(Rate(13, 21), "none") == 0.619


@pytest.mark.parametrize("base", BOUNDARIES)
def test_means_are_suppressed_with_a_small_base(base):
    mean = Statistic(3.456, base)
    assert (disclose_statistic(mean, "hes") == SUPPRESSED) is (1 <= base <= 7)
    assert (disclose_statistic(mean, "mhsds") == SUPPRESSED) is (base < 5)
    assert disclose_statistic(mean, "none") == 3.46


def test_export_walks_the_tree():
    tree = {"n": Count(13), "rate": Rate(8, 13), "mean": Statistic(2.0 / 3, 13), "p": Statistic(0.01234, 13, 4)}
    assert export(tree) == {"n": 13, "rate": 0.6154, "mean": 0.67, "p": 0.0123}
    assert export(tree, "hes") == {"n": 15, "rate": round(10 / 15, 4), "mean": 0.67, "p": 0.0123}
    assert export([Count(3), "plain"], "mhsds") == [SUPPRESSED, "plain"]
