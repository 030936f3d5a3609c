"""The look every figure shares: font sizes set for a slide a room can read, colours, the
titles of outcome columns, and small helpers that style an axis, wrap a title to the
figure's width, write a number as a tick or cell label, and check that a table has the
columns a figure reads. Nothing here draws a whole figure or computes a statistic.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

OUTCOME_TITLES: dict[str, str] = {
    "team_output": "Team output (per week)",
    "capability_mean": "Capability",
    "motivation_mean": "Motivation",
    "trust_mean": "Trust in the leader",
    "accountability_mean": "Accountability",
    "psychological_safety": "Psychological safety",
    "breaches": "Breaches (per quarter)",
    "departures": "Departures (per quarter)",
    "output_per_member": "Output per member (per week)",
    "problems_raised": "Problems raised (per quarter)",
    "problems_hidden": "Problems hidden (per quarter)",
    "relationship_conflict": "Relationship conflict",
    "task_conflict": "Task conflict",
    "cohesion": "Cohesion",
    "collective_efficacy": "Collective efficacy",
    "mutual_accountability": "Mutual accountability (the norm)",
    "tie_strength": "Strength of working ties",
    "obstacles_mean": "Obstacles",
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


def require_columns(frame: pd.DataFrame, columns: Iterable[str], table: str) -> None:
    """Raise ValueError naming the columns ``table`` lacks, if it lacks any."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ValueError(f"{table} lacks the column(s) {missing}; it has {list(frame.columns)}")


def style_axis(axis: Axes) -> None:
    """Readable tick labels and a light grid."""
    axis.tick_params(labelsize=TICK_SIZE)
    axis.grid(alpha=0.3)


def colour(index: int) -> tuple[float, float, float, float]:
    """The ``index``-th colour of the tab10 palette (cycling)."""
    palette = colormaps["tab10"]
    return palette(index % palette.N)


def quarter_axis(axis: Axes) -> None:
    """An x axis of whole quarters."""
    axis.set_xlabel("Quarter", fontsize=LABEL_SIZE)
    axis.xaxis.set_major_locator(MaxNLocator(integer=True))


def count_note(counts: pd.Series, noun: str) -> str:
    """``5 runs``, or ``3–5 runs`` when the counts differ."""
    low, high = int(counts.min()), int(counts.max())
    return f"{low} {noun}" if low == high else f"{low}–{high} {noun}"


def in_order(values: pd.Series) -> list[Any]:
    """The distinct values in order of first appearance."""
    return list(dict.fromkeys(values.tolist()))
