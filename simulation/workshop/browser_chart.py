"""Plotly charts drawn in the browser from plain data, across the width of their place.

The server sends a chart as its JSON (``data``, ``layout``, ``config``) and the browser
draws it with Plotly's own ``Plotly.react``, which redraws only what changed. Plotly's
script comes from the installed ``plotly`` package, served by the workshop's server as a
static asset (:func:`simulation.workshop.server.plotly_assets`): nothing is
fetched from the network, and the browser keeps it in its cache.

Why not Plotly's widget (``solara.FigurePlotly``): on every new chart it validated the
figure twice on the server, compared it with the last by deep copies and sent Plotly's
4.9 MB script to each new page over the session's websocket, about a tenth of a second of
the server's one interpreter per change (twenty participants changing at once queue
behind it); and it sized the chart before the page gave it a width. Here a chart is drawn
after its place is laid out, and drawn again to the place's width whenever that changes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import ipyvuetify as v
import solara
import traitlets

SCRIPT = "plotly.min.js"
"""Plotly's script, as the ``plotly`` package ships it."""

SCRIPT_URL = f"/static/assets/{SCRIPT}"
"""Where the page loads it from (Solara's static assets)."""

CONFIG: dict[str, Any] = {"displaylogo": False, "responsive": True}
"""Plotly's options for every chart (a chart's own ``config`` adds to them)."""

TEMPLATE = """
<template><div class="teamsim-plotly" style="width: 100%"><div ref="chart"></div></div>
</template>
<script>
module.exports = {
  mounted() {
    this.observer = new ResizeObserver(() => this.fit());
    this.observer.observe(this.$el);
    this.draw();
  },
  watch: { figure() { this.draw(); } },
  methods: {
    plotly() {  // Plotly's script, loaded once per page
      if (window.Plotly) return Promise.resolve(window.Plotly);
      if (!window.teamsimPlotly) {
        window.teamsimPlotly = new Promise((resolve, reject) => {
          const script = document.createElement('script');
          script.src = this.script_url;
          script.onload = () => resolve(window.Plotly);
          script.onerror = () => { window.teamsimPlotly = null; reject(new Error(
            'Plotly could not be loaded from ' + this.script_url)); };
          document.head.appendChild(script);
        });
      }
      return window.teamsimPlotly;
    },
    draw() {
      const figure = this.figure;
      this.plotly().then(Plotly => {
        if (figure !== this.figure || !this.$refs.chart) return;  // a newer chart came
        const layout = Object.assign({}, figure.layout || {});
        const width = Math.floor(this.$el.getBoundingClientRect().width);
        if (width > 0) layout.width = width;
        Plotly.react(this.$refs.chart, figure.data || [], layout,
                     Object.assign({}, this.config, figure.config || {}));
      });
    },
    fit() {  // the place changed width: the chart follows
      const chart = this.$refs.chart;
      const width = Math.floor(this.$el.getBoundingClientRect().width);
      if (window.Plotly && chart && chart._fullLayout && width > 0
          && Math.abs(chart._fullLayout.width - width) > 2)
        window.Plotly.relayout(chart, {width: width});
    },
  },
  destroyed() {
    if (this.observer) this.observer.disconnect();
    if (window.Plotly && this.$refs.chart) window.Plotly.purge(this.$refs.chart);
  },
};
</script>
"""


class BrowserChart(v.VuetifyTemplate):  # type: ignore[misc]  # ipyvuetify has no type hints
    """A Plotly chart the browser draws from ``figure`` (its plain JSON)."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    figure = traitlets.Dict().tag(sync=True)
    config = traitlets.Dict(CONFIG).tag(sync=True)
    script_url = traitlets.Unicode(SCRIPT_URL).tag(sync=True)


def plain(figure: Any) -> dict[str, Any]:
    """A chart as plain JSON-ready data: a Plotly figure's, or a dict of ``data`` and
    ``layout`` as it is (its missing numbers, NaN, as JSON's null)."""
    if hasattr(figure, "to_plotly_json"):
        figure = figure.to_plotly_json()
    return {key: _json_ready(value) for key, value in figure.items()}


def _json_ready(value: Any) -> Any:
    """``value`` with NaN and infinities as None (JSON has no such numbers), numpy arrays
    and tuples as lists."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {key: _json_ready(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_ready(item) for item in value]
    if hasattr(value, "tolist"):
        return _json_ready(value.tolist())
    return value


@solara.component
def PlotlyChart(figure: Any, classes: list[str] | None = None) -> None:
    """A chart (a Plotly figure, or its plain data) drawn in the browser across the width
    of its place."""
    with solara.Div(classes=classes or []):
        BrowserChart.element(figure=plain(figure))
