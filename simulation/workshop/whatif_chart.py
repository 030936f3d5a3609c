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
import plotly.io as pio

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
PRESENTER_HEIGHT_PX = 470
"""Presenter mode's height: with the header and a line of sentence, the legend still shows
at 1280x720."""

KEY_GREY = "#404040"
"""The legend's sample of a band: a neutral dark grey, far from the withdrawal's light grey."""

BAND_ALPHA = 0.2
"""Opacity of a configuration's 95% interval band."""

SELECTION_TOOLS = ("lasso2d", "select2d", "autoScale2d")
"""Plotly's tools the chart's bar leaves out (there is nothing to select on it)."""

PANEL_GAP = 0.045
"""The gap between panels, as a share of the chart's width."""

MAX_TICKS = 6
"""At most this many quarters are labelled on a panel's axis, so the numbers never touch."""

WHITE_KEYS = ("autotypenumbers", "colorway", "font", "hoverlabel", "hovermode",
              "paper_bgcolor", "plot_bgcolor", "xaxis", "yaxis", "shapedefaults",
              "annotationdefaults", "title")
WHITE: dict[str, Any] = {"layout": {
    key: value for key, value in pio.templates["plotly_white"].layout.to_plotly_json().items()
    if key in WHITE_KEYS}}
"""Plotly's "plotly_white" look, as plain data for the browser: its layout for these
charts' parts (not its defaults for the dozens of other kinds of chart, which Plotly
would check and send on every change)."""

ASSUMED_WIDTH_PX = 1280
"""The width the legend's rows are estimated for (the chart itself fills its container)."""


def chart(summary: pd.DataFrame, configs: Mapping[str, ScenarioConfig],
          presenter: bool = False) -> go.Figure:
    """:func:`chart_data` as a Plotly figure, checked by Plotly (for a notebook, or to
    see that Plotly accepts every property)."""
    return go.Figure(chart_data(summary, configs, presenter))


def chart_data(summary: pd.DataFrame, configs: Mapping[str, ScenarioConfig],
               presenter: bool = False) -> dict[str, Any]:
    """Configurations A to D by quarter, one panel per outcome of ``PANELS``, as the plain
    data of a Plotly figure (what the page sends the browser).

    ``configs`` maps each label to its configuration, A (the reference) first; ``summary``
    has one row per (label, quarter) with ``runs`` and each panel's column with its
    ``_low``/``_high`` interval ends (``experiments.stats.summarise``). Built as plain
    data: building it property by property, or having Plotly check it, took several
    times longer on every change of a lever (:func:`chart` checks it).
    """
    font_px = PRESENTER_FONT_PX if presenter else FONT_PX
    colours = compared_colours(configs)
    shades = withdrawal_shades(configs)
    titles = [_panel_title(title, 19 if presenter else 22) for _, title in PANELS]
    traces: list[dict[str, Any]] = []
    for label, colour in colours.items():
        rows = summary[summary["label"] == label].sort_values("quarter")
        for index, (column, _) in enumerate(PANELS, start=1):
            traces += _configuration_traces(rows, column, label, colour, index == 1,
                                            _axis_suffix(index))
    runs = int(summary["runs"].min()) if len(summary) else 0
    keys = _legend_keys(runs, list(colours), shades, font_px)
    layout: dict[str, Any] = {
        "shapes": _withdrawal_shapes(shades, colours, len(PANELS)),
        "annotations": _panel_titles(titles, font_px),
        "height": PRESENTER_HEIGHT_PX if presenter else HEIGHT_PX, "autosize": True,
        "template": WHITE, "font": {"size": font_px}, "hovermode": "x unified",
        "hoverlabel": {"font": {"size": font_px}},
        "modebar": {"remove": list(SELECTION_TOOLS)},  # nothing to select
        "margin": _margins(font_px, titles, [*colours, *(key["name"] for key in keys)]),
        "legend": {"orientation": "h", "x": 0.5, "xanchor": "center", "y": 0,
                   "yref": "container", "yanchor": "bottom", "font": {"size": font_px}},
        **_axes(_quarter_count(summary, configs), font_px)}
    return {"data": traces + keys, "layout": layout}


def _axis_suffix(panel: int) -> str:
    """How Plotly names a panel's axes: "" for the first (x, y), "2" for the second ..."""
    return "" if panel == 1 else str(panel)


def _domains(panels: int) -> list[tuple[float, float]]:
    """Each panel's share of the width, side by side with a small gap."""
    width = (1 - PANEL_GAP * (panels - 1)) / panels
    return [(index * (width + PANEL_GAP), index * (width + PANEL_GAP) + width)
            for index in range(panels)]


def _panel_titles(titles: Sequence[str], font_px: int) -> list[dict[str, Any]]:
    """The panels' titles, centred above each."""
    return [{"text": title, "x": (low + high) / 2, "y": 1.0, "xref": "paper", "yref": "paper",
             "xanchor": "center", "yanchor": "bottom", "showarrow": False,
             "font": {"size": font_px}}
            for title, (low, high) in zip(titles, _domains(len(titles)), strict=True)]


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
                          in_legend: bool, suffix: str) -> list[dict[str, Any]]:
    """A configuration on one panel (its axes named by ``suffix``): its 95% band (a filled
    polygon, silent on hover) and its mean line, grouped so the legend entry hides and
    shows both."""
    quarters = rows["quarter"].tolist()
    axes = {"xaxis": f"x{suffix}", "yaxis": f"y{suffix}"}
    band = {"type": "scatter", "x": quarters + quarters[::-1],
            "y": rows[f"{column}_high"].tolist() + rows[f"{column}_low"].tolist()[::-1],
            "fill": "toself", "fillcolor": _rgba(colour, BAND_ALPHA), "line": {"width": 0},
            "mode": "lines", "hoverinfo": "skip", "showlegend": False, "legendgroup": label,
            "name": label, **axes}
    line = {"type": "scatter", "x": quarters, "y": rows[column].tolist(),
            "mode": "lines+markers", "name": label, "line": {"color": colour, "width": 3},
            "marker": {"color": colour, "size": 8}, "legendgroup": label,
            "showlegend": in_legend, "hovertemplate": f"{label}: %{{y:.3g}}<extra></extra>",
            **axes}
    return [band, line]


def _legend_keys(runs: int, labels: Sequence[str], shades: Mapping[int, str | None],
                 font_px: int) -> list[dict[str, Any]]:
    """Legend-only entries (no data): what a band is (a translucent square with a line
    through it, as on the panels) and what the shading is (a plain light square)."""
    keys: list[dict[str, Any]] = [{
        "type": "scatter", "x": [None], "y": [None], "mode": "lines+markers",
        "line": {"color": KEY_GREY, "width": 3},
        "marker": {"symbol": "square", "size": font_px, "color": _rgba(KEY_GREY, 0.35),
                   "line": {"width": 0}},
        "hoverinfo": "skip", "legendgroup": "band-key",
        "name": f"band: 95% interval ({runs} replications)"}]
    if shades:
        keys.append({
            "type": "scatter", "x": [None], "y": [None], "mode": "markers",
            "hoverinfo": "skip", "legendgroup": "withdrawal-key",
            "marker": {"symbol": "square", "size": font_px, "color": WITHDRAWN_GREY,
                       "line": {"color": "#a6a6a6", "width": 1}},
            "name": "shaded: " + withdrawal_note(labels, shades)})
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


def _axes(quarters: int, font_px: int) -> dict[str, dict[str, Any]]:
    """Every panel's axes: whole quarters on x; the states from 0 to 1, output from 0."""
    step = max(1, math.ceil(quarters / MAX_TICKS))
    axes: dict[str, dict[str, Any]] = {}
    for index, ((column, _), domain) in enumerate(zip(PANELS, _domains(len(PANELS)),
                                                      strict=True), start=1):
        suffix = _axis_suffix(index)
        axes[f"xaxis{suffix}"] = {
            "anchor": f"y{suffix}", "domain": list(domain), "title": {
                "text": "Quarter", "font": {"size": font_px}, "standoff": 4},
            "range": [0.5, quarters + 0.5], "tickmode": "linear",
            "tick0": 1 if step == 1 else 0, "dtick": step, "tickformat": "d",
            "tickfont": {"size": font_px}, "automargin": True}
        scale = {"rangemode": "tozero"} if column == "team_output" else {"range": [0, 1]}
        axes[f"yaxis{suffix}"] = {"anchor": f"x{suffix}", "domain": [0.0, 1.0],
                                  "tickfont": {"size": font_px},
                                  "title": {"font": {"size": font_px}}, "automargin": True,
                                  **scale}
    return axes


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
