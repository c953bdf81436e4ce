"""Paired pre/post statistics from sums the database has already taken (kpis.md, per-instrument statistics).

The database returns, per instrument scale, the number of pairs and the sums of T1, T2, the change and the squared
change; this module turns them into means, the paired t-test's two-sided p-value and Cohen's d_z. The paired
t-test is the one-sample t-test of the changes, so these few sums are all it needs.

SciPy is imported where a p-value is computed, not with the module: loading `scipy.stats` takes most of a second,
which every process that imports the KPI engine (the web workers, `kpi_report`) would otherwise pay up front.
"""

import math
from dataclasses import dataclass

# Changes that are all equal have no variance; float sums of thirds (GBO means) can leave a trace of one.
VARIANCE_FLOOR = 1e-12


@dataclass(frozen=True)
class PairedSums:
    n: int
    sum_t1: float
    sum_t2: float
    sum_change: float
    sum_change_squared: float


@dataclass(frozen=True)
class PairedStatistics:
    n: int
    mean_t1: float | None
    mean_t2: float | None
    mean_change: float | None
    p_value: float | None
    effect_size: float | None


def paired_statistics(sums: PairedSums) -> PairedStatistics:
    """Means, the paired t-test's two-sided p-value and d_z (mean change / sample SD of the changes).

    Means are None when there are no pairs; p and d_z are None below two pairs or when the changes do not vary.
    """
    n = sums.n
    if n == 0:
        return PairedStatistics(n=0, mean_t1=None, mean_t2=None, mean_change=None, p_value=None, effect_size=None)
    mean_change = sums.sum_change / n
    p_value = effect_size = None
    if n >= 2:
        variance = (sums.sum_change_squared - sums.sum_change * mean_change) / (n - 1)
        if variance > VARIANCE_FLOOR:
            from scipy import stats

            sd = math.sqrt(variance)
            t_statistic = mean_change / (sd / math.sqrt(n))
            p_value = float(2 * stats.t.sf(abs(t_statistic), df=n - 1))
            effect_size = mean_change / sd
    return PairedStatistics(
        n=n,
        mean_t1=sums.sum_t1 / n,
        mean_t2=sums.sum_t2 / n,
        mean_change=mean_change,
        p_value=p_value,
        effect_size=effect_size,
    )


def rounded(value: float | None, places: int) -> float | None:
    return None if value is None else round(value, places)
