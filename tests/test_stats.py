"""Statistics against values worked by hand and against scipy directly."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats

from simulation.experiments import stats


def test_mean_interval_matches_scipys_t_interval():
    values = np.array([2.0, 4.0, 4.0, 5.0, 7.0, 9.0])
    mean, low, high = stats.mean_interval(values)
    expected = scipy_stats.t.interval(0.95, len(values) - 1, loc=values.mean(),
                                      scale=scipy_stats.sem(values))
    assert mean == pytest.approx(31 / 6)
    assert (low, high) == pytest.approx(expected)


def test_mean_interval_of_one_value_collapses_and_of_none_is_nan():
    assert stats.mean_interval([3.0]) == (3.0, 3.0, 3.0)
    assert all(math.isnan(x) for x in stats.mean_interval([]))


def test_cohens_d_worked_by_hand():
    # Means 2 and 4; both variances 1 (ddof=1); pooled sd 1: d = 2.
    assert stats.cohens_d([1.0, 2.0, 3.0], [3.0, 4.0, 5.0]) == pytest.approx(2.0)


def test_paired_dz_worked_by_hand():
    # Differences 1, 2, 3: mean 2, sd 1.
    assert stats.paired_dz([1.0, 2.0, 3.0]) == pytest.approx(2.0)


def test_holm_worked_by_hand():
    # Sorted 0.01, 0.02, 0.04 -> 0.03, 0.04, 0.04 (monotone), back in the given order.
    adjusted = stats.holm([0.04, 0.01, 0.02])
    np.testing.assert_allclose(adjusted, [0.04, 0.03, 0.04])
    assert np.isnan(stats.holm([np.nan, 0.5])[0])
    assert stats.holm([np.nan, 0.5])[1] == pytest.approx(0.5)


def test_holm_caps_at_one():
    np.testing.assert_allclose(stats.holm([0.6, 0.7]), [1.0, 1.0])


def test_replications_needed_meets_the_precision_and_no_fewer_would():
    rng = np.random.default_rng(4)
    pilot = rng.normal(10, 2, size=10)
    target = 0.5
    n = stats.replications_needed(pilot, target)
    sd = np.std(pilot, ddof=1)
    def half(k):
        return scipy_stats.t.ppf(0.975, k - 1) * sd / math.sqrt(k)
    assert half(n) <= target < half(n - 1)


def test_paired_comparisons_agree_with_scipys_paired_t_test():
    rng = np.random.default_rng(7)
    replications = 12
    common = rng.normal(0, 1, size=replications)  # what common random numbers share
    rows = []
    for label, shift in (("A", 0.0), ("B", 0.4), ("C", -0.1)):
        for k in range(replications):
            rows.append({"label": label, "replication": k, "quarter": 4,
                         "output": 5 + shift + common[k] + rng.normal(0, 0.2)})
    frame = pd.DataFrame(rows)
    table = stats.paired_comparisons(frame, ["output"], [4], reference="A")
    assert table["other"].tolist() == ["B", "C"]
    a = frame[frame.label == "A"].sort_values("replication")["output"].to_numpy()
    b = frame[frame.label == "B"].sort_values("replication")["output"].to_numpy()
    row = table.iloc[0]
    expected = scipy_stats.ttest_rel(b, a)
    assert row["p_value"] == pytest.approx(expected.pvalue)
    assert row["difference"] == pytest.approx(np.mean(b - a))
    interval = expected.confidence_interval(0.95)
    assert (row["low"], row["high"]) == pytest.approx((interval.low, interval.high))
    assert row["d_z"] == pytest.approx(np.mean(b - a) / np.std(b - a, ddof=1))
    assert row["cohens_d"] == pytest.approx(stats.cohens_d(a, b))
    assert row["relative"] == pytest.approx(np.mean(b - a) / np.mean(a))
    np.testing.assert_allclose(table["p_holm"], stats.holm(table["p_value"]))


def test_pairing_removes_the_noise_both_runs_share():
    """Under common random numbers the paired interval is far narrower than unpaired."""
    rng = np.random.default_rng(1)
    common = rng.normal(0, 3, size=30)
    a = 10 + common
    b = 10.5 + common + rng.normal(0, 0.1, size=30)
    frame = pd.DataFrame({"label": ["A"] * 30 + ["B"] * 30,
                          "replication": list(range(30)) * 2, "quarter": 1,
                          "output": np.concatenate([a, b])})
    row = stats.paired_comparisons(frame, ["output"], [1], reference="A").iloc[0]
    unpaired_half = scipy_stats.t.ppf(0.975, 58) * math.sqrt(np.var(a, ddof=1) / 30
                                                              + np.var(b, ddof=1) / 30)
    assert (row["high"] - row["low"]) / 2 < 0.1 * unpaired_half
    assert row["low"] > 0


def test_comparing_against_a_missing_reference_is_an_error():
    frame = pd.DataFrame({"label": ["A"], "replication": [0], "quarter": [1], "y": [1.0]})
    with pytest.raises(ValueError, match="no runs labelled"):
        stats.paired_comparisons(frame, ["y"], [1], reference="Z")


def test_differences_that_are_constant_but_for_rounding_are_not_tested():
    """A fixed offset in every replication has no spread to test: no p-value, no d_z,
    and no warning from scipy about catastrophic cancellation."""
    reference = np.linspace(1.0, 2.0, 10)
    other = reference + 0.1  # rounding makes the differences differ in the last bits
    frame = pd.DataFrame({"label": ["A"] * 10 + ["B"] * 10,
                          "replication": list(range(10)) * 2, "quarter": 1,
                          "y": np.concatenate([reference, other])})
    row = stats.paired_comparisons(frame, ["y"], [1], reference="A").iloc[0]
    assert row["difference"] == pytest.approx(0.1)
    assert np.isnan(row["p_value"]) and np.isnan(row["d_z"])
