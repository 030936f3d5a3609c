"""Figures of the analysis layer's results: the optimised allocation of the leader's hours
set against every built-in strategy (``teamsim optimise``), and the first- and
total-order Sobol indices of a sensitivity study (``teamsim sensitivity``). Each reads the
finished table the optimiser or the sensitivity study returned and only lays it out.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.figures.style import (
    LABEL_SIZE,
    LEGEND_SIZE,
    SUBTITLE_SIZE,
    TITLE_SIZE,
    colour,
    outcome_title,
    style_axis,
    wrapped,
)


def optimum_figure(mix: Mapping[str, float], summary: pd.DataFrame, outcome: str,
                   quarter: int, title: str = "") -> Figure:
    """The optimised allocation of hours, and every strategy's outcome with its interval."""
    figure = Figure(figsize=(13, 4.8), layout="constrained")
    left, right = figure.subplots(1, 2, width_ratios=[1, 1.4])
    names = list(mix)
    left.barh(names, [100 * mix[name] for name in names], color=colour(0))
    left.invert_yaxis()
    left.set_xlabel("Share of the leader's hours (%)", fontsize=LABEL_SIZE)
    left.set_title("Optimised allocation", fontsize=SUBTITLE_SIZE)
    ordered = summary.sort_values(outcome)
    means = ordered[outcome].to_numpy(dtype=float)
    errors = np.vstack([means - ordered[f"{outcome}_low"].to_numpy(dtype=float),
                        ordered[f"{outcome}_high"].to_numpy(dtype=float) - means])
    right.barh(ordered["label"], means, xerr=errors, capsize=4,
               color=[colour(1) if label == "optimised_allocation" else colour(0)
                      for label in ordered["label"]])
    right.set_xlabel(f"{outcome_title(outcome)} at quarter {quarter} (95% interval)",
                     fontsize=LABEL_SIZE)
    right.set_title("Against every built-in strategy (fresh replications)",
                    fontsize=SUBTITLE_SIZE)
    for axis in (left, right):
        style_axis(axis)
    figure.suptitle(wrapped(title or "Strategy optimisation", figure, TITLE_SIZE),
                    fontsize=TITLE_SIZE)
    return figure


def sobol_figure(table: pd.DataFrame, outcome: str, quarter: int, title: str = "") -> Figure:
    """First- and total-order Sobol indices per parameter, with 95% intervals."""
    ordered = table.sort_values("total_order")
    figure = Figure(figsize=(10, 0.45 * len(ordered) + 2.2), layout="constrained")
    axis = figure.subplots()
    rows = np.arange(len(ordered))
    for offset, kind, shade in ((-0.2, "first", colour(0)), (0.2, "total", colour(1))):
        values = ordered[f"{kind}_order"].to_numpy(dtype=float)
        errors = np.clip(np.vstack([values - ordered[f"{kind}_low"].to_numpy(dtype=float),
                                    ordered[f"{kind}_high"].to_numpy(dtype=float) - values]),
                         0, None)
        axis.barh(rows + offset, values, height=0.4, xerr=errors, capsize=3, color=shade,
                  label=f"{kind}-order index")
    axis.set_yticks(rows, list(ordered["parameter"]))
    axis.set_xlabel(f"Share of the variance of {outcome_title(outcome).lower()} at quarter "
                    f"{quarter} (95% interval)", fontsize=LABEL_SIZE)
    axis.axvline(0, color="0.3", linewidth=1)
    style_axis(axis)
    axis.legend(fontsize=LEGEND_SIZE, loc="lower right")
    figure.suptitle(wrapped(title or "Sobol sensitivity indices", figure, TITLE_SIZE),
                    fontsize=TITLE_SIZE)
    return figure
