"""The what-if page's chart: Plotly in the browser, and the matplotlib PNG download."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest
from matplotlib.colors import to_rgba
from matplotlib.lines import Line2D

from simulation.experiments.stats import summarise
from simulation.figures.quarters import (
    COMPARED_COLOURS,
    PANELS,
    WITHDRAWN_GREY,
    whatif_figure,
    withdrawal_shades,
)
from simulation.model.config import ScenarioConfig
from simulation.workshop.browser_chart import SCRIPT, SCRIPT_URL, BrowserChart, plain
from simulation.workshop.levers import MEASURES, apply_levers
from simulation.workshop.server import plotly_assets
from simulation.workshop.whatif import presets
from simulation.workshop.whatif_chart import (
    FONT_PX,
    PRESENTER_FONT_PX,
    chart,
    chart_data,
)

BASE = presets()["attention_withdrawn"].config  # 12 quarters, withdrawn in quarters 5-8
REPLICATIONS = 3


def configurations(*levers: dict[str, object]) -> dict[str, ScenarioConfig]:
    """The base as A, and one more configuration per set of levers, labelled B, C, ..."""
    labels = list(COMPARED_COLOURS)
    return {labels[0]: BASE, **{labels[index]: apply_levers(BASE, chosen)
                                for index, chosen in enumerate(levers, start=1)}}


def summary_of(configs: Mapping[str, ScenarioConfig]) -> pd.DataFrame:
    """A summary as the page has it, from made-up runs: each label a little higher than the
    one before, so every configuration's line is its own."""
    generator = np.random.default_rng(3)
    rows = []
    for offset, label in enumerate(configs):
        for replication in range(REPLICATIONS):
            for quarter in range(1, BASE.quarters + 1):
                noise = generator.normal(0, 0.02, len(MEASURES))
                rows.append({"label": label, "replication": replication, "quarter": quarter,
                             "team_output": 10 + 2 * offset + quarter + noise[0],
                             **{measure: 0.3 + 0.1 * offset + value for measure, value
                                in zip(MEASURES[1:], noise[1:], strict=True)}})
    return summarise(pd.DataFrame(rows), MEASURES, by=("label", "quarter"))


def rgb(colour: str | tuple[float, ...]) -> tuple[float, float, float]:
    """A CSS or matplotlib colour as red, green and blue in [0, 1], opacity dropped."""
    if isinstance(colour, str) and colour.startswith("rgba("):
        red, green, blue = (float(part) / 255 for part in colour[5:-1].split(",")[:3])
        return red, green, blue
    red, green, blue, _ = to_rgba(colour)
    return red, green, blue


def drawn(figure: go.Figure) -> list[go.Scatter]:
    """The traces that carry data (not the legend's keys)."""
    return [trace for trace in figure.data if trace.x and trace.x[0] is not None]


def panel_shapes(figure: go.Figure, axis: str = "x") -> dict[float, str]:
    """The shaded quarters of one panel, by the quarter at their middle, with their fill."""
    return {(shape.x0 + shape.x1) / 2: shape.fillcolor for shape in figure.layout.shapes
            if shape.xref == axis}


# --- the browser's chart ------------------------------------------------------------------


def test_each_configuration_is_a_line_and_a_band_in_its_colour():
    configs = configurations({"attention_hours": 12.0})
    figure = chart(summary_of(configs), configs)
    for label in configs:
        traces = [trace for trace in drawn(figure) if trace.legendgroup == label]
        lines = [trace for trace in traces if trace.mode == "lines+markers"]
        bands = [trace for trace in traces if trace.fill == "toself"]
        assert len(lines) == len(bands) == len(PANELS), label
        assert {line.line.color for line in lines} == {COMPARED_COLOURS[label]}
        assert all(line.line.width == 3 for line in lines)
        assert {rgb(band.fillcolor) for band in bands} == {rgb(COMPARED_COLOURS[label])}
        assert all(band.hoverinfo == "skip" for band in bands)
        assert sum(bool(trace.showlegend) for trace in traces) == 1, "one legend entry"


def test_a_band_runs_along_the_interval_and_back():
    configs = configurations({"attention_hours": 12.0})
    summary = summary_of(configs)
    band = next(trace for trace in chart(summary, configs).data
                if trace.legendgroup == "B" and trace.fill == "toself")
    rows = summary[summary["label"] == "B"].sort_values("quarter")
    quarters = len(rows)
    assert list(band.x) == rows["quarter"].tolist() + rows["quarter"].tolist()[::-1]
    assert list(band.y[:quarters]) == pytest.approx(rows["team_output_high"].tolist())
    assert list(band.y[quarters:]) == pytest.approx(rows["team_output_low"].tolist()[::-1])


def test_four_configurations_are_drawn_in_four_colours():
    configs = configurations({"attention_hours": 12.0}, {"team_size": 12},
                             {"withdrawn_from_quarter": 0})
    figure = chart(summary_of(configs), configs)
    entries = [trace.name for trace in figure.data if trace.showlegend]
    assert entries[:4] == ["A", "B", "C", "D"]
    lines = [trace for trace in drawn(figure) if trace.mode == "lines+markers"]
    assert {line.line.color for line in lines} == {"#E69F00", "#0072B2", "#009E73", "#CC79A7"}


def test_the_legend_explains_the_band_with_the_fewest_replications():
    configs = configurations({"attention_hours": 12.0})
    summary = summary_of(configs)
    summary.loc[summary.index[0], "runs"] = 2
    names = [trace.name for trace in chart(summary, configs).data if trace.x[0] is None]
    assert "band: 95% interval (2 replications)" in names


def test_the_legend_names_the_shading_only_when_a_quarter_is_withdrawn():
    never = apply_levers(BASE, {"withdrawn_from_quarter": 0})
    plain = {"A": never, "B": apply_levers(never, {"attention_hours": 12.0})}
    keys = [trace.name for trace in chart(summary_of(plain), plain).data if trace.x[0] is None]
    assert len(keys) == 1 and not chart(summary_of(plain), plain).layout.shapes
    shaded = configurations({"attention_hours": 12.0})
    keys = [trace.name for trace in chart(summary_of(shaded), shaded).data
            if trace.x[0] is None]
    assert len(keys) == 2 and "withdrawn" in keys[1] and "tinted" not in keys[1]


def test_quarters_withdrawn_in_every_configuration_are_shaded_grey_and_in_one_only_tinted():
    # A is withdrawn in 5-8, B in 3-6, C in 5-8: 5 and 6 in all three, 3 and 4 in B only,
    # 7 and 8 in A and C (tinted in A's colour, the first of them).
    configs = configurations({"withdrawn_from_quarter": 3}, {"attention_hours": 12.0})
    figure = chart(summary_of(configs), configs)
    for axis in ("x", "x3", "x5"):
        fills = panel_shapes(figure, axis)
        assert sorted(fills) == [3, 4, 5, 6, 7, 8]
        assert fills[5] == fills[6] == WITHDRAWN_GREY
        assert rgb(fills[3]) == rgb(fills[4]) == rgb(COMPARED_COLOURS["B"])
        assert rgb(fills[7]) == rgb(fills[8]) == rgb(COMPARED_COLOURS["A"])
    assert all(shape.layer == "below" for shape in figure.layout.shapes)
    assert len(figure.layout.shapes) == 6 * len(PANELS)
    keys = [trace.name for trace in figure.data if trace.x[0] is None]
    assert "tinted: in some configurations only" in keys[-1]


def test_the_withdrawal_shades_name_the_first_withdrawn_configuration():
    configs = configurations({"withdrawn_from_quarter": 3, "withdrawn_quarters": 2})
    assert withdrawal_shades(configs) == {3: "B", 4: "B", 5: "A", 6: "A", 7: "A", 8: "A"}
    assert withdrawal_shades({"A": BASE, "B": BASE}) == dict.fromkeys(range(5, 9))


def text_fonts(figure: go.Figure) -> Iterator[tuple[str, float | None]]:
    """Every text element's font size, by where it is (None: left to the default)."""
    layout = figure.layout
    yield "layout", layout.font.size
    yield "legend", layout.legend.font.size
    yield "hover", layout.hoverlabel.font.size
    for annotation in layout.annotations:
        yield f"title {annotation.text}", annotation.font.size
    for name in layout:
        if name.startswith(("xaxis", "yaxis")):
            yield f"{name} ticks", layout[name].tickfont.size
            if layout[name].title.text:
                yield f"{name} title", layout[name].title.font.size


def test_every_chart_text_is_at_least_16_px_and_larger_in_presenter_mode():
    configs = configurations({"withdrawn_from_quarter": 3})
    summary = summary_of(configs)
    normal = dict(text_fonts(chart(summary, configs)))
    presenter = dict(text_fonts(chart(summary, configs, presenter=True)))
    assert len(normal) >= 3 + len(PANELS) + 2 * len(PANELS) + len(PANELS)
    assert all(size is not None and size >= max(16, FONT_PX) for size in normal.values()), \
        normal
    assert all(size is not None and size >= PRESENTER_FONT_PX for size in presenter.values()), \
        presenter
    assert PRESENTER_FONT_PX > FONT_PX >= 16


def test_the_chart_fills_its_container_and_is_taller_for_a_presenter():
    configs = configurations({"attention_hours": 12.0})
    summary = summary_of(configs)
    normal, presenter = chart(summary, configs), chart(summary, configs, presenter=True)
    assert normal.layout.autosize and normal.layout.width is None
    assert presenter.layout.height > normal.layout.height >= 400
    assert normal.layout.legend.orientation == "h"
    assert normal.layout.legend.y <= 0 and normal.layout.legend.yanchor == "bottom"


def test_the_axes_count_whole_quarters_and_the_states_run_from_0_to_1():
    configs = configurations({"attention_hours": 12.0})
    layout = chart(summary_of(configs), configs).layout
    for index, (column, _) in enumerate(PANELS, start=1):
        suffix = "" if index == 1 else str(index)
        x_axis, y_axis = layout[f"xaxis{suffix}"], layout[f"yaxis{suffix}"]
        assert x_axis.title.text == "Quarter"
        assert x_axis.dtick >= 1 and float(x_axis.dtick).is_integer()
        assert tuple(x_axis.range) == (0.5, BASE.quarters + 0.5)
        if column == "team_output":
            assert y_axis.rangemode == "tozero"
        else:
            assert tuple(y_axis.range) == (0, 1)


def test_the_charts_tool_bar_leaves_out_the_selection_tools():
    removed = set(chart(summary_of({"A": BASE}), {"A": BASE}).layout.modebar.remove)
    assert {"lasso2d", "select2d"} <= removed


def test_a_label_without_a_colour_is_refused():
    with pytest.raises(ValueError, match="E"):
        chart(summary_of({"A": BASE}), {"A": BASE, "E": BASE})


# --- the PNG download (matplotlib) ------------------------------------------------------


def test_whatif_figure_draws_four_configurations():
    configs = configurations({"attention_hours": 12.0}, {"team_size": 12},
                             {"withdrawn_from_quarter": 0})
    figure = whatif_figure(summary_of(configs), configs, "Four ways to lead.")
    assert len(figure.axes) == len(PANELS)
    for axis in figure.axes:
        colours = [rgb(line.get_color()) for line in axis.get_lines()]
        assert colours == [rgb(COMPARED_COLOURS[label]) for label in "ABCD"]
    legend = figure.legends[0]
    assert [text.get_text() for text in legend.get_texts()][:4] == ["A", "B", "C", "D"]
    assert figure.get_suptitle() == "Four ways to lead."


def test_whatif_figure_shades_grey_where_all_are_withdrawn_and_tints_the_rest():
    configs = configurations({"withdrawn_from_quarter": 3}, {"attention_hours": 12.0})
    figure = whatif_figure(summary_of(configs), configs)
    spans = [patch for patch in figure.axes[0].patches]
    fills = {round(patch.get_x() + patch.get_width() / 2): rgb(patch.get_facecolor())
             for patch in spans}
    assert sorted(fills) == [3, 4, 5, 6, 7, 8]
    assert fills[5] == rgb(WITHDRAWN_GREY)
    assert fills[3] == rgb(COMPARED_COLOURS["B"]) and fills[7] == rgb(COMPARED_COLOURS["A"])
    words = [text.get_text() for text in figure.legends[0].get_texts()]
    assert "tinted: in some configurations only" in words[-1]


def test_whatif_figure_of_two_names_them_in_its_tint():
    configs = configurations({"withdrawn_from_quarter": 3, "withdrawn_quarters": 2})
    words = [text.get_text() for text in whatif_figure(summary_of(configs), configs)
             .legends[0].get_texts()]
    assert words[-1] == "leader's attention withdrawn (tinted: in A or B only)"


def lightness_on_white(patch: object) -> float:
    """How light a legend patch looks on the white page: its grey after its opacity."""
    red, green, blue, alpha = patch.get_facecolor()  # type: ignore[attr-defined]
    return alpha * (0.299 * red + 0.587 * green + 0.114 * blue) + (1 - alpha)


def test_the_legends_interval_and_withdrawal_patches_differ():
    configs = configurations({"withdrawn_from_quarter": 3})
    legend = whatif_figure(summary_of(configs), configs).legends[0]
    interval, withdrawal = legend.get_patches()
    assert abs(lightness_on_white(interval) - lightness_on_white(withdrawal)) >= 0.1
    # the interval is shown as what it is on the panels, a band with its mean line
    lines = legend.findobj(Line2D)
    assert len(lines) == len(configs) + 1
    assert withdrawal.get_linewidth() > 0, "the light withdrawal patch has an outline"


def test_the_chart_the_page_sends_is_plain_json_plotly_accepts_unchanged():
    configs = configurations({"systems_share": 0.3})
    data = chart_data(summary_of(configs), configs)
    sent = json.loads(json.dumps(plain(data), allow_nan=False))  # what the browser gets
    checked = go.Figure(sent).to_plotly_json()  # Plotly's own check raises on a bad key
    assert [trace["y"] for trace in sent["data"]] == [
        list(trace.get("y", [])) for trace in checked["data"]]
    assert sent["layout"]["template"]["layout"]["plot_bgcolor"] == "white"


def test_a_missing_number_reaches_the_browser_as_null_not_nan():
    sent = plain({"data": [{"type": "scatter", "y": [1.0, float("nan"), np.float64(2)]}],
                  "layout": {"height": np.int64(3), "range": (0, float("inf"))}})
    assert json.dumps(sent, allow_nan=False) == (
        '{"data": [{"type": "scatter", "y": [1.0, null, 2.0]}], '
        '"layout": {"height": 3, "range": [0, null]}}')


def test_plotlys_script_is_served_from_the_installed_package():
    assert (plotly_assets() / SCRIPT).stat().st_size > 1_000_000
    assert SCRIPT_URL.endswith(f"/{SCRIPT}")
    assert BrowserChart().script_url == SCRIPT_URL
