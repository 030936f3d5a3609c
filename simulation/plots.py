"""Figures from result tables. Plots read tables; they never run a model.

Figures are built with matplotlib's object interface (no pyplot state), so they are safe
in scripts, servers and tests alike.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.figure import Figure

from simulation.calendar import attention_level
from simulation.config import ScenarioConfig

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
            if attention_level(config.leader.attention, quarter) < 1.0]


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
