"""Comparisons over replications, on scipy.stats.

Means with Student-t intervals; paired differences under common random numbers (each
replication of one setting is paired with the same replication of another, which met the
same random numbers); effect sizes (Cohen's d on the two samples, d_z on the paired
differences); p-values of paired t-tests, Holm-corrected over the family of comparisons;
and the replications a precision target needs (Law & Kelton's sequential procedure).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats


def mean_interval(values: Sequence[float] | np.ndarray, confidence: float = 0.95
                  ) -> tuple[float, float, float]:
    """Mean and the two ends of its Student-t confidence interval.

    With a single value (or no spread) the interval collapses to the mean; with none
    everything is NaN.
    """
    data = _finite(values)
    if data.size == 0:
        return (float("nan"),) * 3
    mean = float(np.mean(data))
    half = half_width(data, confidence)
    return mean, mean - half, mean + half


def half_width(values: Sequence[float] | np.ndarray, confidence: float = 0.95) -> float:
    """Half-width of the Student-t confidence interval of the mean (0 for fewer than 2)."""
    data = _finite(values)
    if data.size < 2:
        return 0.0
    sd = float(np.std(data, ddof=1))
    return float(stats.t.ppf(0.5 + confidence / 2, data.size - 1)) * sd / math.sqrt(data.size)


def replications_needed(values: Sequence[float] | np.ndarray, target_half_width: float,
                        confidence: float = 0.95, most: int | None = None) -> int:
    """Replications for the interval's half-width to fall to ``target_half_width``.

    Law & Kelton (2000, section 9.4.1): the smallest n (at least the sample's size) with
    ``t(n-1) * s / sqrt(n) <= target``, using the sample's standard deviation ``s``; at most
    ``most`` when given (returned as soon as the target needs more).

    The half-width falls as n grows, and since ``t(n-1)`` exceeds the normal quantile z no
    n below ``(z s / target)**2`` can do: the search starts there and bisects, a few dozen
    quantiles whatever the target.
    """
    data = _finite(values)
    if data.size < 2:
        raise ValueError("need at least two replications to estimate the spread")
    if target_half_width <= 0:
        raise ValueError("the target half-width must be positive")
    with np.errstate(over="ignore", invalid="ignore"):  # a huge spread is inf, handled below
        sd = float(np.std(data, ddof=1))
    level = 0.5 + confidence / 2

    def precise(n: int) -> bool:
        return float(stats.t.ppf(level, n - 1)) * sd / math.sqrt(n) <= target_half_width

    bound = (float(stats.norm.ppf(level)) * sd / target_half_width) ** 2
    if not math.isfinite(bound):
        if most is None:
            raise ValueError(f"the sample's spread is not finite (sd {sd}): no number of "
                             f"replications reaches the target")
        return most
    low = max(data.size, math.floor(bound))
    if most is not None and low >= most:
        return most
    if precise(low):
        return low
    step = max(1, low // 8)
    while True:  # the step doubles: a handful of rounds to pass the answer
        high = low + step if most is None else min(low + step, most)
        if precise(high):
            break
        if most is not None and high >= most:
            return most
        low, step = high, 2 * step
    while high - low > 1:  # not precise(low), precise(high)
        middle = (low + high) // 2
        if precise(middle):
            high = middle
        else:
            low = middle
    return high


def cohens_d(first: Sequence[float] | np.ndarray, second: Sequence[float] | np.ndarray
             ) -> float:
    """Cohen's d of ``second`` against ``first``: difference of means over the pooled sd."""
    a, b = _finite(first), _finite(second)
    pooled = math.sqrt(((a.size - 1) * np.var(a, ddof=1) + (b.size - 1) * np.var(b, ddof=1))
                       / (a.size + b.size - 2))
    difference = float(np.mean(b) - np.mean(a))
    return _ratio(difference, pooled)


def paired_dz(differences: Sequence[float] | np.ndarray) -> float:
    """Cohen's d_z: the mean paired difference over the sd of the differences."""
    d = _finite(differences)
    return _ratio(float(np.mean(d)), float(np.std(d, ddof=1)))


def holm(p_values: Sequence[float] | np.ndarray) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values (Holm 1979), in the order given.

    NaN p-values (comparisons without spread) stay NaN and do not count in the family.
    """
    p = np.asarray(p_values, dtype=float)
    adjusted = np.full(p.shape, np.nan)
    valid = np.flatnonzero(np.isfinite(p))
    order = valid[np.argsort(p[valid], kind="stable")]
    m = order.size
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[index]))
        adjusted[index] = running
    return adjusted


def summarise(frame: pd.DataFrame, outcomes: Sequence[str], by: Sequence[str] = ("quarter",),
              confidence: float = 0.95) -> pd.DataFrame:
    """Per group: the mean of each outcome with ``<outcome>_low``/``_high`` interval ends.

    ``frame`` is tidy (one row per run and quarter); the result has one row per group and
    a column ``runs`` with the number of runs in it.
    """
    rows = []
    for key, group in frame.groupby(list(by), sort=True):
        keys = key if isinstance(key, tuple) else (key,)
        row: dict[str, float] = dict(zip(by, keys, strict=True))
        row["runs"] = len(group)
        for outcome in outcomes:
            mean, low, high = mean_interval(group[outcome].to_numpy(), confidence)
            row[outcome] = mean
            row[f"{outcome}_low"] = low
            row[f"{outcome}_high"] = high
        rows.append(row)
    return pd.DataFrame(rows)


def paired_comparisons(frame: pd.DataFrame, outcomes: Sequence[str], quarters: Sequence[int],
                       reference: str, by: str = "label", confidence: float = 0.95
                       ) -> pd.DataFrame:
    """Every other setting against ``reference``, paired replication by replication.

    ``frame`` is tidy with columns ``by``, ``replication``, ``quarter`` and the outcomes.
    One row per (other, outcome, quarter): both means, the mean paired difference with its
    interval, the relative difference, Cohen's d, d_z, the paired t-test p-value and the
    Holm-adjusted p-value over all rows.
    """
    labels = list(dict.fromkeys(frame[by]))
    if reference not in labels:
        raise ValueError(f"no runs labelled {reference!r} to compare against")
    indexed = frame.set_index([by, "replication", "quarter"]).sort_index()
    rows = []
    for other in (label for label in labels if label != reference):
        for outcome in outcomes:
            for quarter in quarters:
                ref = indexed.loc[(reference, slice(None), quarter), outcome].droplevel([0, 2])
                oth = indexed.loc[(other, slice(None), quarter), outcome].droplevel([0, 2])
                paired = pd.concat([ref, oth], axis=1, join="inner").dropna()
                rows.append(_compare(paired.iloc[:, 0].to_numpy(), paired.iloc[:, 1].to_numpy(),
                                     confidence) | {"reference": reference, "other": other,
                                                    "outcome": outcome, "quarter": quarter})
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table["p_holm"] = holm(table["p_value"].to_numpy())
    first = ["reference", "other", "outcome", "quarter"]
    return table[first + [c for c in table.columns if c not in first]]


def _compare(reference: np.ndarray, other: np.ndarray, confidence: float) -> dict[str, float]:
    differences = other - reference
    mean_difference, low, high = mean_interval(differences, confidence)
    reference_mean = float(np.mean(reference)) if reference.size else float("nan")
    if differences.size >= 2 and not is_constant(differences):
        p_value = float(stats.ttest_rel(other, reference).pvalue)
    else:
        p_value = float("nan")
    return {
        "runs": int(differences.size),
        "reference_mean": reference_mean,
        "other_mean": float(np.mean(other)) if other.size else float("nan"),
        "difference": mean_difference,
        "low": low,
        "high": high,
        "relative": _ratio(mean_difference, reference_mean),
        "relative_low": _ratio(low, reference_mean),
        "relative_high": _ratio(high, reference_mean),
        "cohens_d": cohens_d(reference, other) if differences.size >= 2 else float("nan"),
        "d_z": (paired_dz(differences) if differences.size >= 2
                and not is_constant(differences) else float("nan")),
        "p_value": p_value,
    }


def is_constant(values: np.ndarray) -> bool:
    """Whether values differ only by floating-point rounding (no spread to test)."""
    spread = float(np.std(values, ddof=1))
    return spread <= 1e-9 * max(1.0, float(np.max(np.abs(values))))


def _finite(values: Sequence[float] | np.ndarray) -> np.ndarray:
    data = np.asarray(values, dtype=float).ravel()
    return data[np.isfinite(data)]


def _ratio(numerator: float, denominator: float) -> float:
    if denominator == 0 or not np.isfinite(denominator):
        return float("nan")
    return numerator / denominator
