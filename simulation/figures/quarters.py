"""Figures of one or two configurations by quarter: the quarterly figure of a scenario
(output and the four core states, mean with its 95% interval band) and the what-if figure
that sets configuration A against configuration B for the workshop page. Both shade the
quarters in which the leader's attention is withdrawn, which they read from the
configuration; the summaries they draw are computed elsewhere (``summarise`` in the
statistics layer, ``experiments.stats``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from simulation.figures.style import (
    LEGEND_SIZE,
    PANEL_TITLE_SIZE,
    TITLE_SIZE,
    quarter_axis,
    require_columns,
    style_axis,
    wrapped,
)
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

COMPARED_COLOURS: dict[str, str] = {"A": "tab:orange", "B": "tab:blue"}
"""Colours of configurations A and B in a what-if comparison."""


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


def whatif_figure(summary: pd.DataFrame, a: ScenarioConfig, b: ScenarioConfig,
                  sentence: str = "", panels: Sequence[tuple[str, str]] = PANELS) -> Figure:
    """Configuration A against configuration B, for a room: output and the four core states
    by quarter, each configuration's mean with its 95% interval band, the quarters of
    withdrawn attention shaded (grey when both are withdrawn, in a configuration's colour
    when only it is), and the difference in words as the title.

    ``summary`` has one row per (label, quarter), labels "A" and "B", with each panel's
    column and its ``_low``/``_high`` interval ends (``experiments.stats.summarise``).
    """
    require_columns(summary, ["label", "quarter"], "the what-if summary")
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
        quarter_axis(axis)
        style_axis(axis)
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
