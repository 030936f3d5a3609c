"""Comparisons over replications: means with confidence intervals (on scipy.stats)."""

from __future__ import annotations

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
    data = np.asarray(values, dtype=float)
    data = data[np.isfinite(data)]
    if data.size == 0:
        return (float("nan"),) * 3
    mean = float(np.mean(data))
    if data.size < 2:
        return mean, mean, mean
    half = float(stats.t.ppf(0.5 + confidence / 2, data.size - 1) * stats.sem(data))
    if not np.isfinite(half):
        half = 0.0
    return mean, mean - half, mean + half


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
