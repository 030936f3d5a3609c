"""The what-if page's chart, drawn in the browser (Plotly): output and the four core states
by quarter in one row of panels, each configuration (A to D) as its mean line with its 95%
interval band, and the quarters of withdrawn attention shaded as on the PNG download
(``simulation.figures.quarters.whatif_figure``). Type is sized for a projector. Pure: a
summary and the configurations in, a Plotly figure out.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from simulation.figures.quarters import (
    PANELS,
    TINT_ALPHA,
    WITHDRAWN_GREY,
    compared_colours,
    withdrawal_note,
    withdrawal_shades,
)
from simulation.model.config import ScenarioConfig

FONT_PX = 18
"""Chart text, in CSS pixels: read from the back of a room on a 1280x720 projector."""

PRESENTER_FONT_PX = 22
"""Chart text in presenter mode."""

HEIGHT_PX = 420
PRESENTER_HEIGHT_PX = 520

KEY_GREY = "#404040"
"""The legend's sample of a band: a neutral dark grey, far from the withdrawal's light grey."""

BAND_ALPHA = 0.2
"""Opacity of a configuration's 95% interval band."""

SELECTION_TOOLS = ("lasso2d", "select2d", "autoScale2d")
"""Plotly's tools the chart's bar leaves out (there is nothing to select on it)."""

MAX_TICKS = 6
"""At most this many quarters are labelled on a panel's axis, so the numbers never touch."""

ASSUMED_WIDTH_PX = 1280
"""The width the legend's rows are estimated for (the chart itself fills its container)."""


def chart(summary: pd.DataFrame, configs: Mapping[str, ScenarioConfig],
          presenter: bool = False) -> go.Figure:
    """Configurations A to D by quarter, one panel per outcome of ``PANELS``.

    ``configs`` maps each label to its configuration, A (the reference) first; ``summary``
    has one row per (label, quarter) with ``runs`` and each panel's column with its
    ``_low``/``_high`` interval ends (``experiments.stats.summarise``).
    """
    font_px = PRESENTER_FONT_PX if presenter else FONT_PX
    colours = compared_colours(configs)
    shades = withdrawal_shades(configs)
    titles = [_panel_title(title, 19 if presenter else 22) for _, title in PANELS]
    figure = make_subplots(rows=1, cols=len(PANELS), subplot_titles=titles,
                           horizontal_spacing=0.045)
    for label, colour in colours.items():
        rows = summary[summary["label"] == label].sort_values("quarter")
        for index, (column, _) in enumerate(PANELS, start=1):
            band, line = _configuration_traces(rows, column, label, colour, index == 1)
            figure.add_trace(band, row=1, col=index)
            figure.add_trace(line, row=1, col=index)
    runs = int(summary["runs"].min()) if len(summary) else 0
    keys = _legend_keys(runs, list(colours), shades, font_px)
    for key in keys:
        figure.add_trace(key, row=1, col=1)
    _style_axes(figure, _quarter_count(summary, configs), font_px)
    figure.update_layout(
        shapes=_withdrawal_shapes(shades, colours, len(PANELS)),
        height=PRESENTER_HEIGHT_PX if presenter else HEIGHT_PX, autosize=True,
        template="plotly_white", font={"size": font_px}, hovermode="x unified",
        hoverlabel={"font": {"size": font_px}},
        modebar={"remove": list(SELECTION_TOOLS)},  # nothing to select
        margin=_margins(font_px, titles, [*colours, *(key.name for key in keys)]),
        legend={"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0,
                "yref": "container", "yanchor": "bottom", "font": {"size": font_px}})
    for annotation in figure.layout.annotations:  # the subplot titles
        annotation.font = {"size": font_px}
    return figure


def _panel_title(title: str, width: int) -> str:
    """A panel's title, broken before its unit (or at a space) when longer than ``width``
    characters, so neighbouring titles never run into each other."""
    if len(title) <= width:
        return title
    if " (" in title:
        head, unit = title.split(" (", 1)
        return f"{head}<br>({unit}"
    cut = title.rfind(" ", 0, width + 1)
    return title if cut < 0 else f"{title[:cut]}<br>{title[cut + 1:]}"


def _configuration_traces(rows: pd.DataFrame, column: str, label: str, colour: str,
                          in_legend: bool) -> tuple[go.Scatter, go.Scatter]:
    """A configuration on one panel: its 95% band (a filled polygon, silent on hover) and
    its mean line, grouped so the legend entry hides and shows both."""
    quarters = rows["quarter"].tolist()
    band = go.Scatter(
        x=quarters + quarters[::-1],
        y=rows[f"{column}_high"].tolist() + rows[f"{column}_low"].tolist()[::-1],
        fill="toself", fillcolor=_rgba(colour, BAND_ALPHA), line={"width": 0},
        mode="lines", hoverinfo="skip", showlegend=False, legendgroup=label, name=label)
    line = go.Scatter(
        x=quarters, y=rows[column].tolist(), mode="lines+markers", name=label,
        line={"color": colour, "width": 3}, marker={"color": colour, "size": 8},
        legendgroup=label, showlegend=in_legend,
        hovertemplate=f"{label}: %{{y:.3g}}<extra></extra>")
    return band, line


def _legend_keys(runs: int, labels: Sequence[str], shades: Mapping[int, str | None],
                 font_px: int) -> list[go.Scatter]:
    """Legend-only entries (no data): what a band is (a translucent square with a line
    through it, as on the panels) and what the shading is (a plain light square)."""
    keys = [go.Scatter(
        x=[None], y=[None], mode="lines+markers", line={"color": KEY_GREY, "width": 3},
        marker={"symbol": "square", "size": font_px, "color": _rgba(KEY_GREY, 0.35),
                "line": {"width": 0}},
        hoverinfo="skip", legendgroup="band-key",
        name=f"band: 95% interval ({runs} replications)")]
    if shades:
        keys.append(go.Scatter(
            x=[None], y=[None], mode="markers", hoverinfo="skip", legendgroup="withdrawal-key",
            marker={"symbol": "square", "size": font_px, "color": WITHDRAWN_GREY,
                    "line": {"color": "#a6a6a6", "width": 1}},
            name="shaded: " + withdrawal_note(labels, shades)))
    return keys


def _withdrawal_shapes(shades: Mapping[int, str | None], colours: Mapping[str, str],
                       panels: int) -> list[dict[str, Any]]:
    """The withdrawn quarters as rectangles behind every panel's lines: grey where every
    configuration is withdrawn, tinted in the first withdrawn one's colour elsewhere."""
    shapes = []
    for panel in range(1, panels + 1):
        suffix = "" if panel == 1 else str(panel)
        for quarter, label in shades.items():
            fill = WITHDRAWN_GREY if label is None else _rgba(colours[label], TINT_ALPHA)
            shapes.append({"type": "rect", "xref": f"x{suffix}", "yref": f"y{suffix} domain",
                           "x0": quarter - 0.5, "x1": quarter + 0.5, "y0": 0, "y1": 1,
                           "fillcolor": fill, "line": {"width": 0}, "layer": "below"})
    return shapes


def _style_axes(figure: go.Figure, quarters: int, font_px: int) -> None:
    """Whole quarters on every x axis; the states from 0 to 1, output from 0."""
    step = max(1, math.ceil(quarters / MAX_TICKS))
    figure.update_xaxes(
        title_text="Quarter", range=[0.5, quarters + 0.5], tickmode="linear",
        tick0=1 if step == 1 else 0, dtick=step, tickformat="d",
        tickfont={"size": font_px}, title_font={"size": font_px}, title_standoff=4,
        automargin=True)
    figure.update_yaxes(tickfont={"size": font_px}, title_font={"size": font_px},
                        automargin=True)
    for index, (column, _) in enumerate(PANELS, start=1):
        if column == "team_output":
            figure.update_yaxes(rangemode="tozero", row=1, col=index)
        else:
            figure.update_yaxes(range=[0, 1], row=1, col=index)


def _quarter_count(summary: pd.DataFrame, configs: Mapping[str, ScenarioConfig]) -> int:
    """The last quarter drawn: the summary's, or else the longest configuration's."""
    if len(summary):
        return int(summary["quarter"].max())
    return max(config.quarters for config in configs.values())


def _margins(font_px: int, titles: Sequence[str], legend_words: Sequence[str]) -> dict[str, int]:
    """Small margins: above, room for the panel titles (one or two lines); below, for the
    tick labels, the axis title and the legend's rows, estimated at the projector's width
    (an entry is its words plus its symbol)."""
    title_lines = 2 if any("<br>" in title for title in titles) else 1
    entries = [0.55 * font_px * len(words) + 3 * font_px for words in legend_words]
    legend_rows = max(1, math.ceil(sum(entries) / (0.9 * ASSUMED_WIDTH_PX)))
    return {"l": 10, "r": 10, "t": round(font_px * (0.6 + 1.25 * title_lines)),
            "b": round(font_px * (3.2 + 1.6 * legend_rows))}


def _rgba(colour: str, alpha: float) -> str:
    """A ``#rrggbb`` colour at an opacity, as CSS ``rgba(...)``."""
    red, green, blue = (int(colour[index:index + 2], 16) for index in (1, 3, 5))
    return f"rgba({red}, {green}, {blue}, {alpha})"
