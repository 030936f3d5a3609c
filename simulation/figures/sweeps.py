"""Figures of comparisons and sweeps, drawn from the tables the statistics layer builds
(``experiments.effects`` and ``experiments.stats``): each setting's outcomes by quarter
(trajectories), paired differences from the reference, a heatmap of one outcome over two
factors, and a tornado of one-at-a-time effects. A figure here lays out the numbers it
is given (it orders, pivots and labels them) and computes no mean or interval itself.
Factor columns are named by dotted keys (``leader.attention_hours``); sizes are set for
a slide a room can read.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simulation.figures.style import (
    CELL_SIZE,
    HIGH_COLOUR,
    LABEL_SIZE,
    LEGEND_SIZE,
    LOW_COLOUR,
    PANEL_TITLE_SIZE,
    SHADE_COLOUR,
    SUBTITLE_SIZE,
    TICK_SIZE,
    TITLE_SIZE,
    colour,
    count_note,
    format_cell,
    format_number,
    in_order,
    outcome_title,
    quarter_axis,
    require_columns,
    style_axis,
    wrapped,
)


def _replications_note(summary: pd.DataFrame) -> str:
    if "replications" not in summary:
        return "1 run"
    return count_note(summary.drop_duplicates("label")["replications"], "replications")


def trajectory_figure(summary: pd.DataFrame, outcomes: Sequence[str], title: str = "",
                      shaded_quarters: Sequence[int] = (), *,
                      shaded_label: str = "leader's attention withdrawn") -> Figure:
    """Each setting's outcomes by quarter: one panel per outcome, and per ``label`` (in order
    of first appearance) the mean over replications with its 95% interval band.

    ``summary`` is the table of ``experiments.effects.trajectory_table``: one row per
    (label, quarter) with each outcome's mean and its ``_low``/``_high`` interval ends, and
    a ``replications`` column when the runs had replications. ``shaded_quarters`` are
    shaded grey in every panel and explained in the legend by ``shaded_label``.
    """
    if not outcomes:
        raise ValueError("trajectory_figure needs at least one outcome")
    require_columns(summary, ["label", "quarter", *(f"{outcome}{end}" for outcome in outcomes
                                                   for end in ("", "_low", "_high"))],
                    "the trajectory table")
    labels = in_order(summary["label"])
    columns = min(len(outcomes), 3)
    rows = -(-len(outcomes) // columns)
    figure = Figure(figsize=(5.4 * columns, 4.4 * rows + 1.4), layout="constrained")
    grid = figure.subplots(rows, columns, squeeze=False, sharex=True)
    for unused in grid.flat[len(outcomes):]:
        unused.remove()
    handles: list[Any] = []
    for index, label in enumerate(labels):
        setting = summary[summary["label"] == label].sort_values("quarter", kind="stable")
        shade = colour(index)
        quarters = setting["quarter"].to_numpy()
        for axis, outcome in zip(grid.flat, outcomes, strict=False):
            band = axis.fill_between(quarters, setting[f"{outcome}_low"].to_numpy(dtype=float),
                                     setting[f"{outcome}_high"].to_numpy(dtype=float),
                                     color=shade, alpha=0.22, linewidth=0,
                                     label=f"{label}: 95% interval")
            (line,) = axis.plot(quarters, setting[outcome].to_numpy(dtype=float), color=shade,
                                marker="o", markersize=4, linewidth=2, label=str(label))
        handles.append((line, band))
    for position, (axis, outcome) in enumerate(zip(grid.flat, outcomes, strict=False)):
        for quarter in shaded_quarters:
            axis.axvspan(quarter - 0.5, quarter + 0.5, color=SHADE_COLOUR, zorder=0,
                         linewidth=0)
        axis.set_title(outcome_title(outcome), fontsize=PANEL_TITLE_SIZE)
        if position % columns == 0:
            axis.set_ylabel("Mean over replications", fontsize=LABEL_SIZE)
        quarter_axis(axis)
        axis.tick_params(labelbottom=True)
        style_axis(axis)
    legend_labels = [str(label) for label in labels]
    if shaded_quarters:
        handles.append(Patch(color=SHADE_COLOUR))
        legend_labels.append(shaded_label)
    note = f"Line: mean of {_replications_note(summary)} per setting; band: 95% interval"
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
    require_columns(comparisons, ["outcome", "quarter", "reference", "other", "difference",
                                  "low", "high"], "comparisons")
    rows = comparisons[comparisons["outcome"] == outcome]
    if rows.empty:
        raise ValueError(f"comparisons has no rows for outcome {outcome!r}; it has "
                         f"{in_order(comparisons['outcome'])}")
    references = in_order(rows["reference"])
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
                      linewidth=1.8, color=colour(index + 1), label=name)
    reference_name = str(references[0]) if len(references) == 1 else "reference"
    axis.set_ylabel(f"Difference from {reference_name}", fontsize=LABEL_SIZE)
    quarter_axis(axis)
    axis.set_title(f"{outcome_title(outcome)}: paired mean difference, 95% interval",
                   fontsize=SUBTITLE_SIZE)
    style_axis(axis)
    figure.legend(loc="outside lower center", ncols=min(len(pairs), 4), fontsize=LEGEND_SIZE,
                  frameon=False)
    figure.suptitle(wrapped(title or f"{outcome_title(outcome)}: difference from "
                            f"{reference_name}", figure, TITLE_SIZE),
                    fontsize=TITLE_SIZE)
    return figure


def _averaged_over_note(cells: pd.DataFrame) -> str:
    """What else varies within a heatmap cell, for the subtitle ("" when nothing does)."""
    others = str(cells["averaged_over"].iloc[0]) if len(cells) else ""
    if others:
        return "; also averaged over " + others
    if cells["settings"].max() > 1:
        return f"; also averaged over {count_note(cells['settings'], 'settings')} per cell"
    return ""


def heatmap_figure(cells: pd.DataFrame, x_factor: str, y_factor: str, outcome: str,
                   quarter: int, title: str = "") -> Figure:
    """The mean of an outcome at one quarter for every pair of two factors' values, as an
    annotated heatmap.

    ``cells`` is the table of ``experiments.effects.heatmap_cells``: one row per pair of
    values, with the mean outcome over every run at that pair (over replications and over
    anything else that varies, which the subtitle names), the ``runs`` behind it, the
    ``settings`` it pools and the other factors it is ``averaged_over``.
    """
    require_columns(cells, [x_factor, y_factor, outcome, "runs", "settings", "averaged_over"],
                    "the heatmap cells")
    means = (cells.pivot(index=y_factor, columns=x_factor, values=outcome)
             .sort_index().sort_index(axis=1))
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
    runs_per_cell = count_note(cells["runs"], "runs")
    axis.set_title(wrapped(f"Mean of {runs_per_cell} per cell at quarter {quarter}"
                           f"{_averaged_over_note(cells)}", figure, SUBTITLE_SIZE),
                   fontsize=SUBTITLE_SIZE)
    figure.suptitle(wrapped(title or f"{outcome_title(outcome)} at quarter {quarter}", figure,
                            TITLE_SIZE), fontsize=TITLE_SIZE)
    return figure


def tornado_figure(effects: pd.DataFrame, outcome: str, quarter: int, title: str = ""
                   ) -> Figure:
    """One-at-a-time sensitivity as a tornado: per factor, bars from the base outcome to the
    outcome at the factor's lowest and highest values, the largest swing on top.

    ``effects`` is the table of ``experiments.effects.one_at_a_time_effects``. A factor's
    swing is the span its bars cover; bar ends are labelled with the factor's values.
    """
    require_columns(effects, ["factor", "low_value", "high_value", "outcome_at_low",
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
        for end, value, shade in sorted(bars, key=lambda bar: -abs(bar[0] - base)):
            axis.barh(position, end - base, left=base, height=0.6, color=shade)
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
    style_axis(axis)
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
