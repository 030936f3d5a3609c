"""Figures of the analysis layer's results: the optimised allocation of the leader's hours
set against every built-in strategy (``teamsim optimise``), the first- and total-order
Sobol indices of a sensitivity study (``teamsim sensitivity``), and each leadership
dimension's share of the gap between top- and bottom-quartile leaders (``teamsim
decompose``). Each reads the finished table the analysis returned and only lays it out.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from simulation.figures.style import (
    LABEL_SIZE,
    LEGEND_SIZE,
    SHADE_COLOUR,
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


def decomposition_figure(table: pd.DataFrame, explained: float, observed: float,
                         outcome: str, quarter: int, title: str = "",
                         clarity_band: tuple[float, float] | None = (20.0, 40.0),
                         clarity: str = "strategic_clarity") -> Figure:
    """Each leadership dimension's share of the explained gap between top- and
    bottom-quartile leaders, with 95% intervals (the table of
    :class:`simulation.analysis.decompose.Decomposition`), the bar of P21's dimension
    (``clarity``, the leader's strategic clarity) set against its band (``clarity_band``,
    in %)."""
    ordered = table.sort_values("share")
    figure = Figure(figsize=(10, 0.42 * len(ordered) + 2.6), layout="constrained")
    axis = figure.subplots()
    shares = 100 * ordered["share"].to_numpy(dtype=float)
    errors = np.clip(np.vstack([shares - 100 * ordered["share_low"].to_numpy(dtype=float),
                                100 * ordered["share_high"].to_numpy(dtype=float) - shares]),
                     0, None)
    if clarity_band is not None:
        axis.axvspan(*clarity_band, color=SHADE_COLOUR, zorder=0,
                     label="P21's band for strategic clarity")
    axis.barh(list(ordered["title"]), shares, xerr=errors, capsize=3,
              color=[colour(1) if name == clarity else colour(0)
                     for name in ordered["dimension"]])
    axis.axvline(0, color="0.3", linewidth=1)
    axis.set_xlabel("Share of the explained gap (%, 95% interval)", fontsize=LABEL_SIZE)
    axis.set_title(f"{outcome_title(outcome)} at quarter {quarter}, top against bottom "
                   f"quartile:\nexplained gap {explained:.3g} (fresh replications) of an "
                   f"observed {observed:.3g}", fontsize=SUBTITLE_SIZE)
    style_axis(axis)
    if clarity_band is not None:
        axis.legend(fontsize=LEGEND_SIZE, loc="lower right")
    figure.suptitle(wrapped(title or "The gap decomposition", figure, TITLE_SIZE),
                    fontsize=TITLE_SIZE)
    return figure
