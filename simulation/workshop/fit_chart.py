"""Plotly charts that fill their place on the page.

Plotly's widget sizes a chart when it is first drawn, before its place on a Solara page has
a width, so the chart keeps Plotly's default 700 px (the widget would fit it again on a
message of the notebook's layout that a Solara page never sends). The element here watches
its parent (the chart's place) and fits the charts in it (``Plotly.Plots.resize``, the
Plotly the page loads) whenever the place changes size and whenever a new chart is drawn
(``revision`` changes).
"""

from __future__ import annotations

import ipyvuetify as v
import traitlets

TEMPLATE = """
<template><span class="teamsim-fit-chart" style="display: none"></span></template>
<script>
module.exports = {
  mounted() {
    const place = this.$el.parentElement;
    const fitNow = () => {
      for (const chart of place.querySelectorAll('.js-plotly-plot')) {
        const width = chart.getBoundingClientRect().width;
        if (window.Plotly && chart._fullLayout && Math.abs(chart._fullLayout.width - width) > 2)
          window.Plotly.Plots.resize(chart);
      }
    };
    let waiting = [];
    this.fit = () => {  // again a little later: a new chart's layout may land after the fit
      waiting.forEach(clearTimeout);
      waiting = [60, 400, 1200].map(delay => setTimeout(fitNow, delay));
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
