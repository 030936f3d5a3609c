"""Figures of configurations by quarter: the quarterly figure of a scenario (output and
the four core states, mean with its 95% interval band) and the what-if figure that sets
configurations A to D against each other for the workshop page (its PNG download). Both
shade the quarters in which the leader's attention is withdrawn, which they read from the
configuration; the summaries they draw are computed elsewhere (``summarise`` in the
statistics layer, ``experiments.stats``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
from matplotlib.axes import Axes
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

COMPARED_COLOURS: dict[str, str] = {"A": "#E69F00", "B": "#0072B2", "C": "#009E73",
                                    "D": "#CC79A7"}
"""Colours of configurations A to D in a what-if comparison: orange, blue, green and purple
from Okabe and Ito's colour-blind-safe palette."""

WITHDRAWN_GREY = "#d9d9d9"
"""The shade of a quarter withdrawn in every compared configuration (grey 0.85)."""

INTERVAL_GREY = "0.3"
"""The legend's sample of an interval band (dark grey, translucent, with its line)."""

TINT_ALPHA = 0.15
"""Opacity of a configuration's colour on a quarter withdrawn in some configurations only."""


def withdrawn_quarters(config: ScenarioConfig) -> list[int]:
    """Quarters in which the leader gives the team less than normal attention."""
    return [quarter for quarter in range(1, config.quarters + 1)
            if attention_level(config.leader, quarter) < 1.0]


def withdrawal_shades(configs: Mapping[str, ScenarioConfig]) -> dict[int, str | None]:
    """Each quarter withdrawn in any of the compared configurations, with the label of the
    first configuration withdrawn in it, or None when every configuration is (grey)."""
    withdrawn = {label: set(withdrawn_quarters(config)) for label, config in configs.items()}
    shades: dict[int, str | None] = {}
    for quarter in sorted(set().union(*withdrawn.values())):
        in_it = [label for label, quarters in withdrawn.items() if quarter in quarters]
        shades[quarter] = None if len(in_it) == len(withdrawn) else in_it[0]
    return shades


def withdrawal_note(labels: Sequence[str], shades: Mapping[int, str | None]) -> str:
    """The legend's words for the shaded quarters, naming the tint when there is one."""
    note = "leader's attention withdrawn"
    if any(label is not None for label in shades.values()):
        some = " or ".join(labels) if len(labels) == 2 else "some configurations"
        note += f" (tinted: in {some} only)"
    return note


def compared_colours(labels: Iterable[str]) -> dict[str, str]:
    """The colour of each compared configuration; ValueError for a label without one."""
    unknown = [label for label in labels if label not in COMPARED_COLOURS]
    if unknown:
        raise ValueError(f"no colour for configuration(s) {unknown}; "
                         f"the labels are {list(COMPARED_COLOURS)}")
    return {label: COMPARED_COLOURS[label] for label in labels}


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


def whatif_figure(summary: pd.DataFrame, configs: Mapping[str, ScenarioConfig],
                  sentence: str = "", panels: Sequence[tuple[str, str]] = PANELS) -> Figure:
    """Configurations A to D set against each other, for a room: output and the four core
    states by quarter, each configuration's mean with its 95% interval band, the quarters of
    withdrawn attention shaded (grey when every configuration is withdrawn, in the colour of
    the first withdrawn configuration when only some are), and the difference in words as
    the title.

    ``configs`` maps each label to its configuration, in order, A (the reference) first.
    ``summary`` has one row per (label, quarter), with ``runs``, each panel's column and its
    ``_low``/``_high`` interval ends (``experiments.stats.summarise``).
    """
    require_columns(summary, ["label", "quarter"], "the what-if summary")
    colours = compared_colours(configs)
    # Fixed margins, not constrained layout: the page redraws this figure on every change
    # of a lever, and the layout pass would double the drawing time.
    figure = Figure(figsize=(15, 4.6))
    figure.subplots_adjust(left=0.035, right=0.995, top=0.80, bottom=0.21, wspace=0.2)
    axes = figure.subplots(1, len(panels))
    shades = withdrawal_shades(configs)
    rows = {label: summary[summary["label"] == label].sort_values("quarter")
            for label in colours}
    for axis, (column, title) in zip(axes, panels, strict=True):
        _shade_withdrawals(axis, shades, colours)
        for label, colour in colours.items():
            _draw_configuration(axis, rows[label], column, colour)
        axis.set_title(title, fontsize=PANEL_TITLE_SIZE)
        quarter_axis(axis)
        style_axis(axis)
        if column == "team_output":
            axis.set_ylim(bottom=0)
        else:
            axis.set_ylim(0, 1)
    runs = int(summary["runs"].min()) if "runs" in summary else 1
    handles, labels = _whatif_legend(colours, runs, shades)
    figure.legend(handles=handles, labels=labels, loc="lower center",
                  bbox_to_anchor=(0.5, 0.0), ncols=len(handles), fontsize=LEGEND_SIZE,
                  frameon=False)
    if sentence:
        figure.suptitle(wrapped(sentence, figure, TITLE_SIZE), fontsize=TITLE_SIZE)
    return figure


def _shade_withdrawals(axis: Axes, shades: Mapping[int, str | None],
                       colours: Mapping[str, str]) -> None:
    """The withdrawn quarters behind the lines: grey, or tinted in a configuration's colour."""
    for quarter, label in shades.items():
        if label is None:
            axis.axvspan(quarter - 0.5, quarter + 0.5, color=WITHDRAWN_GREY, zorder=0,
                         linewidth=0)
        else:
            axis.axvspan(quarter - 0.5, quarter + 0.5, color=colours[label],
                         alpha=TINT_ALPHA, zorder=0, linewidth=0)


def _draw_configuration(axis: Axes, rows: pd.DataFrame, column: str, colour: str) -> None:
    """One configuration on one panel: its 95% interval band and its mean line."""
    axis.fill_between(rows["quarter"], rows[f"{column}_low"], rows[f"{column}_high"],
                      color=colour, alpha=0.25, linewidth=0)
    axis.plot(rows["quarter"], rows[column], color=colour, marker="o", markersize=3,
              linewidth=2)


def _whatif_legend(colours: Mapping[str, str], runs: int,
                   shades: Mapping[int, str | None]) -> tuple[list[Any], list[str]]:
    """The legend's handles and words: a line per configuration; the interval as a band of
    dark grey with a line through it, unlike the light, outlined patch of the withdrawal
    (two plain greys looked the same)."""
    handles: list[Any] = [Line2D([], [], color=colour, linewidth=2) for colour in colours.values()]
    labels = list(colours)
    handles.append((Patch(facecolor=INTERVAL_GREY, alpha=0.45, linewidth=0),
                    Line2D([], [], color="0.15", linewidth=2)))
    labels.append(f"95% interval ({runs} replications)")
    if shades:
        handles.append(Patch(facecolor=WITHDRAWN_GREY, edgecolor="0.55", linewidth=0.8))
        labels.append(withdrawal_note(list(colours), shades))
    return handles, labels
