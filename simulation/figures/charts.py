"""Figures from result tables. Plots read tables; they never run a model.

Figures are built with matplotlib's object interface (no pyplot state), so they are safe
in scripts, servers and tests alike.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from simulation.experiments.stats import mean_interval
from simulation.model.calendar_rules import attention_level
from simulation.model.config import ScenarioConfig

PANELS: tuple[tuple[str, str], ...] = (
    ("team_output", "Team output (per week)"),
    ("capability_mean", "Capability"),
    ("motivation_mean", "Motivation"),
    ("trust_mean", "Trust in the leader"),
    ("accountability_mean", "Accountability"),
)
"""Outcome columns of the quarterly figure, with their titles."""


def withdrawn_quarters(config: ScenarioConfig) -> list[int]:
    """Quarters in which the leader gives the team less than normal attention."""
    return [quarter for quarter in range(1, config.quarters + 1)
            if attention_level(config.leader, quarter) < 1.0]


def quarterly_figure(summary: pd.DataFrame, config: ScenarioConfig,
                     panels: Sequence[tuple[str, str]] = PANELS) -> Figure:
    """Output and the four core states by quarter: mean line, 95% interval band, and the
    quarters of withdrawn attention shaded."""
    figure = Figure(figsize=(15, 3.8), layout="constrained")
    axes = figure.subplots(1, len(panels))
    quarters = summary["quarter"].to_numpy()
    shaded = withdrawn_quarters(config)
    runs = int(summary["runs"].max()) if "runs" in summary else 1
    for axis, (column, title) in zip(axes, panels, strict=True):
        for quarter in shaded:
            axis.axvspan(quarter - 0.5, quarter + 0.5, color="0.88", zorder=0, linewidth=0)
        axis.fill_between(quarters, summary[f"{column}_low"], summary[f"{column}_high"],
                          color="tab:blue", alpha=0.25, linewidth=0, label="95% interval")
        axis.plot(quarters, summary[column], color="tab:blue", marker="o", markersize=3,
                  label="mean")
        axis.set_title(title)
        axis.set_xlabel("Quarter")
        axis.set_xticks(quarters[:: max(1, len(quarters) // 6)])
        if column != "team_output":
            axis.set_ylim(0, 1)
        else:
            axis.set_ylim(bottom=0)
        axis.grid(alpha=0.3)
    axes[0].set_ylabel("mean over replications")
    note = f"{runs} replications; band: 95% interval"
    if shaded:
        note += "; grey: leader's attention withdrawn"
    figure.suptitle(f"{config.title or config.name}  ({note})")
    return figure


# --- Figures for comparisons and sweeps -------------------------------------------------
#
# These read tidy run tables: one row per (run, quarter) with the columns ``label`` (the
# setting's name), ``replication``, ``quarter``, outcome columns, and factor columns named
# by dotted keys (``leader.attention_hours``). Sizes are set for a slide a room can read.

OUTCOME_TITLES: dict[str, str] = {
    "team_output": "Team output (per week)",
    "capability_mean": "Capability",
    "motivation_mean": "Motivation",
    "trust_mean": "Trust in the leader",
    "accountability_mean": "Accountability",
    "psychological_safety": "Psychological safety",
    "breaches": "Breaches (per quarter)",
    "departures": "Departures (per quarter)",
}
"""Titles of outcome columns on figures (units in brackets where there are units)."""

TITLE_SIZE = 18
SUBTITLE_SIZE = 13
PANEL_TITLE_SIZE = 15
LABEL_SIZE = 13
TICK_SIZE = 12
LEGEND_SIZE = 12
CELL_SIZE = 12

SHADE_COLOUR = "0.88"
LOW_COLOUR = "tab:orange"
HIGH_COLOUR = "tab:blue"


COMPARED_COLOURS: dict[str, str] = {"A": "tab:orange", "B": "tab:blue"}
"""Colours of configurations A and B in a what-if comparison."""


def whatif_figure(summary: pd.DataFrame, a: ScenarioConfig, b: ScenarioConfig,
                  sentence: str = "", panels: Sequence[tuple[str, str]] = PANELS) -> Figure:
    """Configuration A against configuration B, for a room: output and the four core states
    by quarter, each configuration's mean with its 95% interval band, the quarters of
    withdrawn attention shaded (grey when both are withdrawn, in a configuration's colour
    when only it is), and the difference in words as the title.

    ``summary`` has one row per (label, quarter), labels "A" and "B", with each panel's
    column and its ``_low``/``_high`` interval ends
    (:func:`simulation.experiments.stats.summarise`).
    """
    _require_columns(summary, ["label", "quarter"], "the what-if summary")
    # Fixed margins, not constrained layout: the page redraws this figure on every change
    # of a lever, and the layout pass would double the drawing time.
    figure = Figure(figsize=(15, 4.6))
    figure.subplots_adjust(left=0.035, right=0.995, top=0.80, bottom=0.21, wspace=0.2)
    axes = figure.subplots(1, len(panels))
    withdrawn = {"A": set(withdrawn_quarters(a)), "B": set(withdrawn_quarters(b))}
    shades = {quarter: ("0.85" if quarter in withdrawn["A"] and quarter in withdrawn["B"]
                        else COMPARED_COLOURS["A" if quarter in withdrawn["A"] else "B"])
              for quarter in withdrawn["A"] | withdrawn["B"]}
    for axis, (column, title) in zip(axes, panels, strict=True):
        for quarter, shade in shades.items():
            axis.axvspan(quarter - 0.5, quarter + 0.5, color=shade,
                         alpha=1.0 if shade == "0.85" else 0.15, zorder=0, linewidth=0)
        for label, colour in COMPARED_COLOURS.items():
            rows = summary[summary["label"] == label].sort_values("quarter")
            axis.fill_between(rows["quarter"], rows[f"{column}_low"], rows[f"{column}_high"],
                              color=colour, alpha=0.25, linewidth=0)
            axis.plot(rows["quarter"], rows[column], color=colour, marker="o", markersize=3,
                      linewidth=2)
        axis.set_title(title, fontsize=PANEL_TITLE_SIZE)
        _quarter_axis(axis)
        _style_axis(axis)
        if column == "team_output":
            axis.set_ylim(bottom=0)
        else:
            axis.set_ylim(0, 1)
    runs = int(summary["runs"].min()) if "runs" in summary else 1
    handles: list[Any] = [Line2D([], [], color=colour, linewidth=2, label=label)
                          for label, colour in COMPARED_COLOURS.items()]
    handles.append(Patch(color="0.6", alpha=0.5, label=f"95% interval ({runs} replications)"))
    if shades:
        tinted = withdrawn["A"] != withdrawn["B"]
        handles.append(Patch(color="0.85", label="leader's attention withdrawn" + (
            " (tinted: in A or B only)" if tinted else "")))
    figure.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0),
                  ncols=len(handles), fontsize=LEGEND_SIZE, frameon=False)
    if sentence:
        figure.suptitle(wrapped(sentence, figure, TITLE_SIZE), fontsize=TITLE_SIZE)
    return figure


def optimum_figure(mix: Mapping[str, float], summary: pd.DataFrame, outcome: str,
                   quarter: int, title: str = "") -> Figure:
    """The optimised allocation of hours, and every strategy's outcome with its interval."""
    figure = Figure(figsize=(13, 4.8), layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=[1, 1.4])
    names = list(mix)
    left.barh(names, [100 * mix[name] for name in names], color=_colour(0))
    left.invert_yaxis()
    left.set_xlabel("Share of the leader's hours (%)", fontsize=LABEL_SIZE)
    left.set_title("Optimised allocation", fontsize=SUBTITLE_SIZE)
    ordered = summary.sort_values(outcome)
    means = ordered[outcome].to_numpy(dtype=float)
    errors = np.vstack([means - ordered[f"{outcome}_low"].to_numpy(dtype=float),
                        ordered[f"{outcome}_high"].to_numpy(dtype=float) - means])
    right.barh(ordered["label"], means, xerr=errors, capsize=4,
               color=[_colour(1) if label == "optimised_allocation" else _colour(0)
                      for label in ordered["label"]])
    right.set_xlabel(f"{outcome_title(outcome)} at quarter {quarter} (95% interval)",
                     fontsize=LABEL_SIZE)
    right.set_title("Against every built-in strategy (fresh replications)",
                    fontsize=SUBTITLE_SIZE)
    for axis in (left, right):
        _style_axis(axis)
    figure.suptitle(wrapped(title or "Strategy optimisation", figure, TITLE_SIZE),
                    fontsize=TITLE_SIZE)
    return figure


def sobol_figure(table: pd.DataFrame, outcome: str, quarter: int, title: str = "") -> Figure:
    """First- and total-order Sobol indices per parameter, with 95% intervals."""
    ordered = table.sort_values("total_order")
    figure = Figure(figsize=(10, 0.45 * len(ordered) + 2.2), layout="constrained")
    axis = figure.subplots()
    rows = np.arange(len(ordered))
    for offset, kind, colour in ((-0.2, "first", _colour(0)), (0.2, "total", _colour(1))):
        values = ordered[f"{kind}_order"].to_numpy(dtype=float)
        errors = np.clip(np.vstack([values - ordered[f"{kind}_low"].to_numpy(dtype=float),
                                    ordered[f"{kind}_high"].to_numpy(dtype=float) - values]),
                         0, None)
        axis.barh(rows + offset, values, height=0.4, xerr=errors, capsize=3, color=colour,
                  label=f"{kind}-order index")
    axis.set_yticks(rows, list(ordered["parameter"]))
    axis.set_xlabel(f"Share of the variance of {outcome_title(outcome).lower()} at quarter "
                    f"{quarter} (95% interval)", fontsize=LABEL_SIZE)
    axis.axvline(0, color="0.3", linewidth=1)
    _style_axis(axis)
    axis.legend(fontsize=LEGEND_SIZE, loc="lower right")
    figure.suptitle(wrapped(title or "Sobol sensitivity indices", figure, TITLE_SIZE),
                    fontsize=TITLE_SIZE)
    return figure


def wrapped(text: str, figure: Figure, size: float) -> str:
    """Text broken into lines that fit the figure's width at a font size in points."""
    characters = max(20, int(figure.get_figwidth() * 72 / (0.55 * size)))
    return textwrap.fill(text, characters)


def outcome_title(outcome: str) -> str:
    """The title of an outcome column: from ``OUTCOME_TITLES``, else its name with spaces."""
    return OUTCOME_TITLES.get(outcome, outcome.replace("_", " "))


def format_number(value: object) -> str:
    """A factor value as a tick or bar label: ``8`` rather than ``8.0``."""
    if isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool):
        return f"{float(value):g}"
    return str(value)


def format_cell(value: float) -> str:
    """A mean written in a heatmap cell: three significant digits, never in e-notation."""
    if not np.isfinite(value):
        return ""
    if value == 0:
        return "0"
    decimals = max(0, 2 - int(np.floor(np.log10(abs(value)))))
    return f"{value:.{decimals}f}"


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{table} lacks the column(s) {missing}; it has {list(frame.columns)}")


def _style_axis(axis: Axes) -> None:
    axis.tick_params(labelsize=TICK_SIZE)
    axis.grid(alpha=0.3)


def _colour(index: int) -> tuple[float, float, float, float]:
    palette = colormaps["tab10"]
    return palette(index % palette.N)


def _quarter_axis(axis: Axes) -> None:
    axis.set_xlabel("Quarter", fontsize=LABEL_SIZE)
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))


def _count_note(counts: pd.Series, noun: str) -> str:
    low, high = int(counts.min()), int(counts.max())
    return f"{low} {noun}" if low == high else f"{low}–{high} {noun}"


def _in_order(values: pd.Series) -> list[Any]:
    """The distinct values in order of first appearance."""
    return list(dict.fromkeys(values.tolist()))


def _mean_by_quarter(runs: pd.DataFrame, outcome: str
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Quarters, and per quarter the mean over runs with its 95% interval ends."""
    quarters, means, lows, highs = [], [], [], []
    for quarter, values in runs.groupby("quarter", sort=True)[outcome]:
        mean, low, high = mean_interval(values.to_numpy(dtype=float))
        quarters.append(quarter)
        means.append(mean)
        lows.append(low)
        highs.append(high)
    return np.asarray(quarters), np.asarray(means), np.asarray(lows), np.asarray(highs)


def _replications_note(runs: pd.DataFrame) -> str:
    if "replication" not in runs:
        return "1 run"
    return _count_note(runs.groupby("label")["replication"].nunique(), "replications")


def trajectory_figure(runs: pd.DataFrame, outcomes: Sequence[str], title: str = "",
                      shaded_quarters: Sequence[int] = (), *,
                      shaded_label: str = "leader's attention withdrawn") -> Figure:
    """Each setting's outcomes by quarter: one panel per outcome, and per ``label`` (in order
    of first appearance) the mean over replications with its 95% interval band.

    ``shaded_quarters`` are shaded grey in every panel and explained in the legend by
    ``shaded_label``.
    """
    if not outcomes:
        raise ValueError("trajectory_figure needs at least one outcome")
    _require_columns(runs, ["label", "quarter", *outcomes], "runs")
    labels = _in_order(runs["label"])
    columns = min(len(outcomes), 3)
    rows = -(-len(outcomes) // columns)
    figure = Figure(figsize=(5.4 * columns, 4.4 * rows + 1.4), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False, sharex=True)
    for unused in grid.flat[len(outcomes):]:
        unused.remove()
    handles: list[Any] = []
    for index, label in enumerate(labels):
        setting = runs[runs["label"] == label]
        colour = _colour(index)
        for axis, outcome in zip(grid.flat, outcomes, strict=False):
            quarters, means, lows, highs = _mean_by_quarter(setting, outcome)
            band = axis.fill_between(quarters, lows, highs, color=colour, alpha=0.22,
                                     linewidth=0, label=f"{label}: 95% interval")
            (line,) = axis.plot(quarters, means, color=colour, marker="o", markersize=4,
                                linewidth=2, label=str(label))
        handles.append((line, band))
    for position, (axis, outcome) in enumerate(zip(grid.flat, outcomes, strict=False)):
        for quarter in shaded_quarters:
            axis.axvspan(quarter - 0.5, quarter + 0.5, color=SHADE_COLOUR, zorder=0,
                         linewidth=0)
        axis.set_title(outcome_title(outcome), fontsize=PANEL_TITLE_SIZE)
        if position % columns == 0:
            axis.set_ylabel("Mean over replications", fontsize=LABEL_SIZE)
        _quarter_axis(axis)
        axis.tick_params(labelbottom=True)
        _style_axis(axis)
    legend_labels = [str(label) for label in labels]
    if shaded_quarters:
        handles.append(Patch(color=SHADE_COLOUR))
        legend_labels.append(shaded_label)
    note = f"Line: mean of {_replications_note(runs)} per setting; band: 95% interval"
    figure.legend(handles, legend_labels, loc="outside lower center",
                  ncols=min(len(legend_labels), 4), fontsize=LEGEND_SIZE, title=note,
                  title_fontsize=LEGEND_SIZE, frameon=False)
    figure.suptitle(wrapped(title or "Outcomes by quarter", figure, TITLE_SIZE),
                    fontsize=TITLE_SIZE)
    return figure


def difference_figure(comparisons: pd.DataFrame, outcome: str, title: str = "") -> Figure:
    """Paired differences by quarter on one outcome: for each ``other`` setting, its mean
    difference from the ``reference`` as a point with its 95% interval as an error bar.

    ``comparisons`` has the columns ``outcome``, ``quarter``, ``reference``, ``other``,
    ``difference``, ``low`` and ``high``. Settings are offset a little sideways so that
    their bars do not overlap.
    """
    _require_columns(comparisons, ["outcome", "quarter", "reference", "other", "difference",
                                   "low", "high"], "comparisons")
    rows = comparisons[comparisons["outcome"] == outcome]
    if rows.empty:
        raise ValueError(f"comparisons has no rows for outcome {outcome!r}; it has "
                         f"{_in_order(comparisons['outcome'])}")
    references = _in_order(rows["reference"])
    pairs = list(dict.fromkeys(zip(rows["reference"], rows["other"], strict=True)))
    step = min(0.15, 0.6 / len(pairs))
    figure = Figure(figsize=(10, 6), layout="constrained")
    axis = figure.add_subplot()
    axis.axhline(0, color="0.25", linewidth=1.2, zorder=1)
    for index, (reference, other) in enumerate(pairs):
        pair = rows[(rows["reference"] == reference) & (rows["other"] == other)]
        pair = pair.sort_values("quarter")
        difference = pair["difference"].to_numpy(dtype=float)
        below = np.clip(difference - pair["low"].to_numpy(dtype=float), 0, None)
        above = np.clip(pair["high"].to_numpy(dtype=float) - difference, 0, None)
        offset = (index - (len(pairs) - 1) / 2) * step
        name = str(other) if len(references) == 1 else f"{other} vs {reference}"
        axis.errorbar(pair["quarter"].to_numpy(dtype=float) + offset, difference,
                      yerr=np.vstack([below, above]), fmt="o", markersize=6, capsize=4,
                      linewidth=1.8, color=_colour(index + 1), label=name)
    reference_name = str(references[0]) if len(references) == 1 else "reference"
    axis.set_ylabel(f"Difference from {reference_name}", fontsize=LABEL_SIZE)
    _quarter_axis(axis)
    axis.set_title(f"{outcome_title(outcome)}: paired mean difference, 95% interval",
                   fontsize=SUBTITLE_SIZE)
    _style_axis(axis)
    figure.legend(loc="outside lower center", ncols=min(len(pairs), 4), fontsize=LEGEND_SIZE,
                  frameon=False)
    figure.suptitle(wrapped(title or f"{outcome_title(outcome)}: difference from "
                            f"{reference_name}", figure, TITLE_SIZE),
                    fontsize=TITLE_SIZE)
    return figure


def factor_columns(runs: pd.DataFrame) -> list[str]:
    """The factor columns of a run table: those named by dotted keys."""
    return [str(column) for column in runs.columns if "." in str(column)]


def _quarter_rows(runs: pd.DataFrame, quarter: int) -> pd.DataFrame:
    rows = runs[runs["quarter"] == quarter]
    if rows.empty:
        raise ValueError(f"runs has no rows at quarter {quarter}; quarters present: "
                         f"{sorted(runs['quarter'].unique().tolist())}")
    return rows


def _averaged_over(rows: pd.DataFrame, kept: Sequence[str]) -> str:
    """What else varies within a heatmap cell, for the subtitle ("" when nothing does)."""
    others = [column for column in factor_columns(rows)
              if column not in kept and rows[column].nunique(dropna=False) > 1]
    if others:
        return "; also averaged over " + ", ".join(others)
    if "label" in rows and rows.groupby(list(kept))["label"].nunique().max() > 1:
        settings = _count_note(rows.groupby(list(kept))["label"].nunique(), "settings")
        return f"; also averaged over {settings} per cell"
    return ""


def heatmap_figure(runs: pd.DataFrame, x_factor: str, y_factor: str, outcome: str,
                   quarter: int, title: str = "") -> Figure:
    """The mean of an outcome at one quarter for every pair of two factors' values, as an
    annotated heatmap.

    Each cell is the mean over every run at that pair: over replications and over
    anything else that varies (the subtitle names it when something does).
    """
    _require_columns(runs, ["quarter", x_factor, y_factor, outcome], "runs")
    rows = _quarter_rows(runs, quarter)
    cells = rows.groupby([y_factor, x_factor], sort=True)[outcome]
    means = cells.mean().unstack(x_factor)
    x_values, y_values = list(means.columns), list(means.index)
    values = means.to_numpy(dtype=float)
    figure = Figure(figsize=(max(6.5, 1.2 * len(x_values) + 3.5),
                             max(5.0, 0.8 * len(y_values) + 2.8)), layout="constrained")
    axis = figure.add_subplot()
    palette = colormaps["viridis"]
    image = axis.imshow(np.ma.masked_invalid(values), cmap=palette, origin="lower",
                        aspect="auto")
    finite = values[np.isfinite(values)]
    low, high = (float(finite.min()), float(finite.max())) if finite.size else (0.0, 1.0)
    for row, column in np.ndindex(values.shape):
        value = values[row, column]
        if not np.isfinite(value):
            continue
        shade = palette((value - low) / (high - low) if high > low else 0.5)
        luminance = 0.299 * shade[0] + 0.587 * shade[1] + 0.114 * shade[2]
        axis.text(column, row, format_cell(value), ha="center", va="center",
                  fontsize=CELL_SIZE, color="black" if luminance > 0.5 else "white")
    axis.set_xticks(range(len(x_values)), [format_number(value) for value in x_values])
    axis.set_yticks(range(len(y_values)), [format_number(value) for value in y_values])
    axis.tick_params(labelsize=TICK_SIZE)
    axis.set_xlabel(x_factor, fontsize=LABEL_SIZE)
    axis.set_ylabel(y_factor, fontsize=LABEL_SIZE)
    colour_bar = figure.colorbar(image, ax=axis)
    colour_bar.set_label(outcome_title(outcome), fontsize=LABEL_SIZE)
    colour_bar.ax.tick_params(labelsize=TICK_SIZE)
    runs_per_cell = _count_note(cells.count(), "runs")
    axis.set_title(wrapped(f"Mean of {runs_per_cell} per cell at quarter {quarter}"
                           f"{_averaged_over(rows, [y_factor, x_factor])}", figure,
                           SUBTITLE_SIZE), fontsize=SUBTITLE_SIZE)
    figure.suptitle(wrapped(title or f"{outcome_title(outcome)} at quarter {quarter}", figure,
                            TITLE_SIZE), fontsize=TITLE_SIZE)
    return figure


def _at(rows: pd.DataFrame, setting: Mapping[str, float]) -> pd.Series:
    """Which rows have every factor of ``setting`` at its value (to float precision)."""
    mask = pd.Series(True, index=rows.index)
    for factor, value in setting.items():
        mask &= np.isclose(rows[factor].to_numpy(dtype=float), value, rtol=1e-9, atol=1e-12)
    return mask


def _describe(setting: Mapping[str, float]) -> str:
    return ", ".join(f"{factor}={format_number(value)}" for factor, value in setting.items())


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
                raise ValueError(f"base value {factor}={format_number(value)} is not on the "
                                 f"grid ({', '.join(map(format_number, grid))})")
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


def tornado_figure(effects: pd.DataFrame, outcome: str, quarter: int, title: str = ""
                   ) -> Figure:
    """One-at-a-time sensitivity as a tornado: per factor, bars from the base outcome to the
    outcome at the factor's lowest and highest values, the largest swing on top.

    ``effects`` is the table of ``one_at_a_time_effects``. A factor's swing is the span its
    bars cover; bar ends are labelled with the factor's values.
    """
    _require_columns(effects, ["factor", "low_value", "high_value", "outcome_at_low",
                               "outcome_at_high", "base"], "effects")
    if effects.empty:
        raise ValueError("effects has no rows")
    bases = effects["base"].to_numpy(dtype=float)
    if not np.allclose(bases, bases[0], equal_nan=True):
        raise ValueError("effects must have one base outcome for every row")
    base = float(bases[0])
    ends = effects[["outcome_at_low", "outcome_at_high"]].to_numpy(dtype=float)
    swing = np.maximum(ends.max(axis=1), base) - np.minimum(ends.min(axis=1), base)
    ordered = effects.assign(swing=swing).sort_values("swing", kind="stable")
    figure = Figure(figsize=(10, 2.6 + 0.75 * len(ordered)), layout="constrained")
    axis = figure.add_subplot()
    for position, row in enumerate(ordered.itertuples(index=False)):
        bars = [(row.outcome_at_low, row.low_value, LOW_COLOUR),
                (row.outcome_at_high, row.high_value, HIGH_COLOUR)]
        # The longer bar first, so that a shorter one on the same side stays visible.
        for end, value, colour in sorted(bars, key=lambda bar: -abs(bar[0] - base)):
            axis.barh(position, end - base, left=base, height=0.6, color=colour)
            rightward = end >= base
            axis.annotate(format_number(value), (end, position),
                          xytext=(5 if rightward else -5, 0), textcoords="offset points",
                          ha="left" if rightward else "right", va="center",
                          fontsize=TICK_SIZE)
    axis.axvline(base, color="0.2", linewidth=1.5)
    axis.set_yticks(range(len(ordered)), [str(factor) for factor in ordered["factor"]])
    axis.set_ylim(-0.6, len(ordered) - 0.4)
    axis.margins(x=0.15)
    axis.set_xlabel(f"{outcome_title(outcome)} at quarter {quarter}", fontsize=LABEL_SIZE)
    axis.set_ylabel("Factor", fontsize=LABEL_SIZE)
    _style_axis(axis)
    axis.grid(False, axis="y")
    handles = [Patch(color=LOW_COLOUR), Patch(color=HIGH_COLOUR),
               Line2D([], [], color="0.2", linewidth=1.5)]
    figure.legend(handles, ["factor at its lowest value", "factor at its highest value",
                            f"base setting ({format_cell(base)})"],
                  loc="outside lower center", ncols=3, fontsize=LEGEND_SIZE, frameon=False)
    axis.set_title("Each factor moved alone, the others held at base; bar ends: factor value",
                   fontsize=SUBTITLE_SIZE)
    figure.suptitle(wrapped(title or f"Sensitivity: {outcome_title(outcome)}", figure,
                            TITLE_SIZE), fontsize=TITLE_SIZE)
    return figure
