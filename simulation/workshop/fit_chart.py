"""Plotly charts that fill their place on the page.

Plotly's widget sizes a chart when it is first drawn, before its place on a Solara page has
a width, so the chart keeps Plotly's default 700 px (the widget would fit it again on a
message of the notebook's layout that a Solara page never sends). The element here watches
its parent (the chart's place) and fits the charts in it to its width (``Plotly.relayout``,
the Plotly the page loads) whenever the place changes size, whenever a new chart is drawn
(``revision`` changes), and whenever a chart's drawing changes size.
"""

from __future__ import annotations

import hashlib

import ipyvuetify as v
import plotly.graph_objects as go
import solara
import traitlets

TEMPLATE = """
<template><span class="teamsim-fit-chart" style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    const place = this.$el.parentElement;
    const fitNow = () => {
      for (const chart of place.querySelectorAll('.js-plotly-plot')) {
        const drawn = chart.querySelector('.svg-container');
        if (drawn) this.observer.observe(drawn);  // redrawn at another size: fit again
        const width = Math.floor(chart.getBoundingClientRect().width);
        if (window.Plotly && chart._fullLayout && width > 0
            && Math.abs(chart._fullLayout.width - width) > 2)
          window.Plotly.relayout(chart, {width: width});  // a width once set stays set
      }
    };
    let waiting = [];
    this.fit = () => {  // again a little later: a new chart's layout may land after the fit
      waiting.forEach(clearTimeout);
      waiting = [60, 400, 1200, 3000].map(delay => setTimeout(fitNow, delay));
    };
    this.observer = new ResizeObserver(this.fit);
    this.observer.observe(place);
    this.fit();
  },
  watch: { revision() { this.fit(); } },
  destroyed() { if (this.observer) this.observer.disconnect(); },
};
</script>
"""


class FitChart(v.VuetifyTemplate):  # type: ignore[misc]  # ipyvuetify has no type hints
    """Put inside a chart's place: the chart is fitted to it whenever it changes size."""

    template = traitlets.Unicode(TEMPLATE).tag(sync=True)
    revision = traitlets.Unicode("").tag(sync=True)
    """Which chart is drawn: a new value fits it again."""


@solara.component
def FittedPlotly(figure: go.Figure, revision: str = "", classes: list[str] | None = None
                 ) -> None:
    """A Plotly figure across the width of its place (``revision``: which chart it is; by
    default a digest of the figure, so that a new chart is fitted again)."""
    drawn = revision or hashlib.sha1(figure.to_json().encode()).hexdigest()[:12]
    with solara.Div(classes=classes or []):
        solara.FigurePlotly(figure)
        FitChart.element(revision=drawn)
