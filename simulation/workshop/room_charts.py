"""The room's charts, drawn in the browser (Plotly): trajectories quarter by quarter, and
the debrief's means with their intervals. Pure: tables in, a Plotly figure out."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from simulation.figures import OUTCOME_TITLES

FONT_PX = 18
"""Chart text, in CSS pixels: read from a projector at the back of a room."""

PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
           "#000000")
"""Okabe and Ito's colour-blind-safe palette, repeated for larger rooms."""


def layout(figure: go.Figure, title: str, y_title: str, height: int = 420) -> go.Figure:
    """The room's look: large type, a white background, the legend beside the plot."""
    figure.update_layout(
        title={"text": title, "font": {"size": FONT_PX + 2}}, height=height,
        font={"size": FONT_PX}, template="plotly_white", margin={"l": 70, "r": 20, "t": 60,
                                                                   "b": 60},
        legend={"font": {"size": FONT_PX}}, yaxis_title=y_title)
    figure.update_xaxes(tickfont={"size": FONT_PX}, title_font={"size": FONT_PX})
    figure.update_yaxes(tickfont={"size": FONT_PX}, title_font={"size": FONT_PX})
    return figure


def trajectories(runs: Mapping[str, pd.DataFrame], measure: str = "team_output",
                 quarters: int | None = None, withdrawn: tuple[int, ...] = ()) -> go.Figure:
    """One line per participant (by name): ``measure`` quarter by quarter, with the
    quarters in which the leader is reassigned shaded."""
    figure = go.Figure()
    for index, (name, quarterly) in enumerate(runs.items()):
        figure.add_trace(go.Scatter(
            x=quarterly["quarter"], y=quarterly[measure], name=name, mode="lines+markers",
            line={"color": PALETTE[index % len(PALETTE)], "width": 3}))
    for quarter in withdrawn:
        figure.add_vrect(x0=quarter - 0.5, x1=quarter + 0.5, fillcolor="#999999",
                         opacity=0.15, line_width=0)
    if quarters:
        figure.update_xaxes(range=[0.5, quarters + 0.5], dtick=1)
    figure.update_xaxes(title_text="quarter")
    title = OUTCOME_TITLES.get(measure, measure.replace("_", " "))
    shade = " (shaded: the leader reassigned)" if withdrawn else ""
    return layout(figure, f"{title} by quarter{shade}", title)


def debrief_figure(table: pd.DataFrame) -> go.Figure:
    """The debrief: each plan's mean weekly output over the run with its 95% interval,
    best first; the room's plans in colour, the built-in strategies in grey."""
    ordered = table.iloc[::-1]  # best at the top
    figure = go.Figure()
    for kind, colour in (("built-in", "#777777"), ("participant", PALETTE[0])):
        rows = ordered[ordered["kind"] == kind]
        figure.add_trace(go.Scatter(
            x=rows["output"], y=rows["who"], mode="markers", name=kind,
            marker={"color": colour, "size": 14},
            error_x={"type": "data", "symmetric": False,
                     "array": rows["output_high"] - rows["output"],
                     "arrayminus": rows["output"] - rows["output_low"], "thickness": 2}))
    figure.update_yaxes(categoryorder="array", categoryarray=list(ordered["who"]))
    figure.update_xaxes(title_text="mean weekly team output over the run (95% interval)")
    return layout(figure, "The room's plans and the built-in strategies, same team",
                  "", height=max(420, 34 * len(table) + 140))
