"""Effect and summary tables that the figures of a sweep draw, computed from a tidy run table.

A run table has one row per (run, quarter) with the columns ``label`` (the setting's name),
``replication``, ``quarter``, outcome columns, and factor columns named by dotted keys
(``leader.attention_hours``). From it this module builds each setting's mean and 95%
interval by quarter (``trajectory_table``, for ``trajectory_figure``), the mean of one
outcome over every pair of two factors' values (``heatmap_cells``, for ``heatmap_figure``)
and one-at-a-time effects from a full grid (``one_at_a_time_effects``, for
``tornado_figure``). The figures only lay these tables out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from simulation.experiments.stats import summarise


def factor_columns(runs: pd.DataFrame) -> list[str]:
    """The factor columns of a run table: those named by dotted keys."""
    return [str(column) for column in runs.columns if "." in str(column)]


def trajectory_table(runs: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """Each setting's outcomes by quarter, as the table ``trajectory_figure`` reads.

    One row per (label, quarter), labels in order of first appearance and quarters in
    order, with each outcome's mean over the runs and its 95% interval ends
    (``<outcome>_low``, ``<outcome>_high``; ``stats.mean_interval``), ``runs`` (the rows
    behind it) and, when ``runs`` has a ``replication`` column, ``replications`` (the
    setting's number of distinct replications).
    """
    if not outcomes:
        raise ValueError("trajectory_table needs at least one outcome")
    _require_columns(runs, ["label", "quarter", *outcomes], "runs")
    table = summarise(runs, outcomes, by=["label", "quarter"])
    if table.empty:
        return table
    order = {label: position for position, label in enumerate(dict.fromkeys(runs["label"]))}
    table = (table.assign(_order=table["label"].map(order))
             .sort_values(["_order", "quarter"], kind="stable")
             .drop(columns="_order").reset_index(drop=True))
    if "replication" in runs:
        counts = runs.groupby("label")["replication"].nunique()
        table["replications"] = table["label"].map(counts).astype(int)
    return table


def heatmap_cells(runs: pd.DataFrame, x_factor: str, y_factor: str, outcome: str,
                  quarter: int) -> pd.DataFrame:
    """The mean of an outcome at one quarter for every pair of two factors' values, as the
    table ``heatmap_figure`` reads.

    One row per pair present (sorted by ``y_factor`` then ``x_factor``): the mean of
    ``outcome`` over every run at that pair, over replications and over anything else
    that varies; ``runs``, the values behind the mean; ``settings``, the distinct labels
    it pools (1 without a ``label`` column); and ``averaged_over``, the other factor
    columns that vary at that quarter, joined by ", " ("" when none does; the same in
    every row).

    Raises ValueError when a column is missing or there are no runs at ``quarter``.
    """
    _require_columns(runs, ["quarter", x_factor, y_factor, outcome], "runs")
    rows = _quarter_rows(runs, quarter)
    kept = [y_factor, x_factor]
    groups = rows.groupby(kept, sort=True)
    cells = groups[outcome].agg(["mean", "count"]).rename(
        columns={"mean": outcome, "count": "runs"})
    cells["settings"] = groups["label"].nunique() if "label" in rows else 1
    others = [column for column in factor_columns(rows)
              if column not in kept and rows[column].nunique(dropna=False) > 1]
    cells["averaged_over"] = ", ".join(others)
    return cells.reset_index()


def one_at_a_time_effects(runs: pd.DataFrame, factors: Sequence[str], outcome: str,
                          quarter: int, base: Mapping[str, float] | None = None
                          ) -> pd.DataFrame:
    """One-at-a-time sensitivity from a full grid, as the table ``tornado_figure`` reads.

    For each factor, the other factors are held at their base values and the mean outcome
    at ``quarter`` is taken at the factor's lowest and highest grid values (means are over
    replications and anything else that varies). ``base`` maps factors to base values; a
    factor it leaves out is based at the grid value nearest the median of its values (the
    lower one on a tie). Columns: ``factor``, ``low_value``, ``high_value``,
    ``outcome_at_low``, ``outcome_at_high``, ``base`` (the mean outcome at the base point).

    Raises ValueError when the grid lacks one of those points.
    """
    if not factors:
        raise ValueError("one_at_a_time_effects needs at least one factor")
    _require_columns(runs, ["quarter", outcome, *factors], "runs")
    rows = _quarter_rows(runs, quarter)
    point = _base_point(rows, factors, base)
    at_base = _mean_at(rows, outcome, point, quarter)
    effects = []
    for factor in factors:
        grid = rows[factor].dropna().astype(float)
        low, high = float(grid.min()), float(grid.max())
        effects.append({
            "factor": factor,
            "low_value": low,
            "high_value": high,
            "outcome_at_low": _mean_at(rows, outcome, {**point, factor: low}, quarter),
            "outcome_at_high": _mean_at(rows, outcome, {**point, factor: high}, quarter),
            "base": at_base,
        })
    return pd.DataFrame(effects, columns=["factor", "low_value", "high_value",
                                          "outcome_at_low", "outcome_at_high", "base"])


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{table} lacks the column(s) {missing}; it has {list(frame.columns)}")


def _quarter_rows(runs: pd.DataFrame, quarter: int) -> pd.DataFrame:
    rows = runs[runs["quarter"] == quarter]
    if rows.empty:
        raise ValueError(f"runs has no rows at quarter {quarter}; quarters present: "
                         f"{sorted(runs['quarter'].unique().tolist())}")
    return rows


def _number(value: float) -> str:
    """A factor value in a message: ``8`` rather than ``8.0``."""
    return f"{float(value):g}"


def _at(rows: pd.DataFrame, setting: Mapping[str, float]) -> pd.Series:
    """Which rows have every factor of ``setting`` at its value (to float precision)."""
    mask = pd.Series(True, index=rows.index)
    for factor, value in setting.items():
        mask &= np.isclose(rows[factor].to_numpy(dtype=float), value, rtol=1e-9, atol=1e-12)
    return mask


def _describe(setting: Mapping[str, float]) -> str:
    return ", ".join(f"{factor}={_number(value)}" for factor, value in setting.items())


def _base_point(rows: pd.DataFrame, factors: Sequence[str],
                base: Mapping[str, float] | None) -> dict[str, float]:
    """The base value of every factor: as given, else the grid value nearest the median."""
    unknown = sorted(set(base or {}) - set(factors))
    if unknown:
        raise ValueError(f"base names factors that are not among the factors: {unknown}")
    point: dict[str, float] = {}
    for factor in factors:
        grid = np.sort(rows[factor].dropna().unique().astype(float))
        if base is not None and factor in base:
            value = float(base[factor])
            if not np.any(np.isclose(grid, value, rtol=1e-9, atol=1e-12)):
                raise ValueError(f"base value {factor}={_number(value)} is not on the "
                                 f"grid ({', '.join(map(_number, grid))})")
            point[factor] = value
        else:
            point[factor] = float(grid[np.argmin(np.abs(grid - np.median(grid)))])
    return point


def _mean_at(rows: pd.DataFrame, outcome: str, setting: Mapping[str, float],
             quarter: int) -> float:
    chosen = rows[_at(rows, setting)]
    if chosen.empty:
        raise ValueError(f"the grid has no runs at quarter {quarter} with {_describe(setting)}"
                         "; one-at-a-time effects need each factor's lowest and highest "
                         "values with the other factors at their base values")
    return float(chosen[outcome].mean())
