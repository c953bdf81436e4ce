import pytest
from scipy import stats

from outcomes.statistics import PairedSums, paired_statistics

# A fixed data set: PHQ-9 totals of twelve caregivers at T1 and T2.
T1 = [18, 14, 21, 9, 16, 12, 19, 11, 15, 22, 8, 13]
T2 = [9, 10, 12, 8, 7, 11, 13, 12, 6, 14, 5, 13]


def _sums(t1, t2):
    changes = [b - a for a, b in zip(t1, t2, strict=True)]
    return PairedSums(
        n=len(changes),
        sum_t1=float(sum(t1)),
        sum_t2=float(sum(t2)),
        sum_change=float(sum(changes)),
        sum_change_squared=float(sum(c * c for c in changes)),
    )


def test_the_t_test_and_effect_size_agree_with_scipy():
    result = paired_statistics(_sums(T1, T2))
    expected = stats.ttest_rel(T2, T1)
    changes = [b - a for a, b in zip(T1, T2, strict=True)]
    d_z = (sum(changes) / len(changes)) / stats.tstd(changes)
    assert result.n == 12
    assert result.mean_t1 == pytest.approx(sum(T1) / 12)
    assert result.mean_t2 == pytest.approx(sum(T2) / 12)
    assert result.mean_change == pytest.approx(sum(changes) / 12)
    assert result.p_value == pytest.approx(expected.pvalue, rel=1e-9)
    assert result.effect_size == pytest.approx(d_z, rel=1e-9)
    assert result.p_value < 0.05
    assert result.effect_size < 0


def test_hand_worked_example():
    # Changes -2, -4, -6: mean -4, SD 2, d_z -2, t = -4 / (2 / sqrt 3) = -3.4641 on 2 df.
    result = paired_statistics(_sums([10, 12, 14], [8, 8, 8]))
    assert result.mean_change == -4
    assert result.effect_size == pytest.approx(-2)
    assert result.p_value == pytest.approx(0.0742, abs=1e-4)


def test_no_pairs_gives_nulls():
    result = paired_statistics(_sums([], []))
    assert (result.n, result.mean_t1, result.mean_t2, result.mean_change, result.p_value, result.effect_size) == (
        0,
        None,
        None,
        None,
        None,
        None,
    )


def test_one_pair_has_means_but_no_test():
    result = paired_statistics(_sums([12], [6]))
    assert (result.mean_t1, result.mean_t2, result.mean_change) == (12, 6, -6)
    assert result.p_value is None
    assert result.effect_size is None


def test_changes_without_variance_have_no_test():
    result = paired_statistics(_sums([4 / 3, 7 / 3, 10 / 3], [13 / 3, 16 / 3, 19 / 3]))
    assert result.mean_change == pytest.approx(3)
    assert result.p_value is None
    assert result.effect_size is None
