"""The quarterly figure of an organisation: output per member and the four core states by
quarter, one line (mean, 95% interval band) per team and the organisation's as a dashed
black line, drawn from the summary per team (``OrganisationReplications.summary``)."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from simulation.figures.style import (
    LEGEND_SIZE,
    PANEL_TITLE_SIZE,
    TITLE_SIZE,
    colour,
    quarter_axis,
    require_columns,
    style_axis,
    wrapped,
)
from simulation.model.organisation_config import ORGANISATION_ROW, OrganisationConfig

PANELS: tuple[tuple[str, str], ...] = (
    ("output_per_member", "Output per member (per week)"),
    ("capability_mean", "Capability"),
    ("motivation_mean", "Motivation"),
    ("trust_mean", "Trust in the leader"),
    ("accountability_mean", "Accountability"),
)
"""Outcome columns of the organisation's figure, with their titles."""


def organisation_figure(summary: pd.DataFrame, organisation: OrganisationConfig) -> Figure:
    """Each team's and the organisation's means by quarter, with 95% interval bands for
    the teams; a team's label names its leader."""
    require_columns(summary, ["team", "quarter", "runs",
                              *(f"{c}{end}" for c, _ in PANELS for end in ("", "_low", "_high"))],
                    "the organisation's summary")
    figure = Figure(figsize=(15, 4.2), layout="constrained")
    axes = figure.subplots(1, len(PANELS))
    for axis, (column, title) in zip(axes, PANELS, strict=True):
        for index, team in enumerate(organisation.teams):
            rows = summary[summary["team"] == team.name]
            quarters = rows["quarter"].to_numpy()
            axis.fill_between(quarters, rows[f"{column}_low"], rows[f"{column}_high"],
                              color=colour(index), alpha=0.2, linewidth=0)
            axis.plot(quarters, rows[column], color=colour(index), marker="o", markersize=3,
                      label=f"{team.name} ({team.leader})")
        whole = summary[summary["team"] == ORGANISATION_ROW]
        axis.plot(whole["quarter"], whole[column], color="black", linestyle="--",
                  label="organisation")
        axis.set_title(title, fontsize=PANEL_TITLE_SIZE)
        quarter_axis(axis)
        axis.set_ylim(bottom=0, top=None if column == "output_per_member" else 1)
        style_axis(axis)
    axes[0].set_ylabel("mean over replications")
    axes[0].legend(fontsize=LEGEND_SIZE, loc="lower right")
    runs = int(summary["runs"].max())
    figure.suptitle(wrapped(f"{organisation.title or organisation.name}  ({runs} "
                            "replications; bands: 95% intervals)", figure, TITLE_SIZE),
                    fontsize=TITLE_SIZE)
    return figure
