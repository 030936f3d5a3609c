"""Figures from result tables, and the effect tables behind them, checked on small
synthetic tables (no model runs)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from simulation import figures as plots
from simulation.experiments.effects import heatmap_cells, one_at_a_time_effects, trajectory_table

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
LABELS = ("coach", "micromanager", "leader.attention_hours=8")
OUTCOMES = ("team_output", "trust_mean", "capability_mean", "breaches")


def trajectory_runs(replications: int = 5, quarters: int = 6) -> pd.DataFrame:
    """Three settings with spread between replications, one row per (run, quarter)."""
    rng = np.random.default_rng(7)
    rows = []
    for lift, label in enumerate(LABELS):
        for replication in range(replications):
            for quarter in range(1, quarters + 1):
                rows.append({"label": label, "replication": replication, "quarter": quarter,
                             "team_output": 40 + 5 * lift + quarter + rng.normal(0, 2),
                             "trust_mean": 0.5 + 0.05 * lift + rng.normal(0, 0.05),
                             "capability_mean": 0.3 + 0.05 * quarter + rng.normal(0, 0.02),
                             "breaches": float(rng.poisson(2))})
    return pd.DataFrame(rows)


def grid_runs(x_values: tuple[float, ...] = (1.0, 2.0, 3.0),
              y_values: tuple[float, ...] = (10.0, 20.0, 30.0)) -> pd.DataFrame:
    """A full grid of two factors where the outcome is 2*x + 0*y, at quarters 1 and 2."""
    rows = []
    for x in x_values:
        for y in y_values:
            for replication in range(2):
                for quarter in (1, 2):
                    rows.append({"label": f"x={x:g},y={y:g}", "replication": replication,
                                 "quarter": quarter, "leader.x": x, "leader.y": y,
                                 "team_output": 2 * x + 0 * y})
    return pd.DataFrame(rows)


def trajectory(runs: pd.DataFrame, outcomes, **options) -> Figure:
    """The trajectory figure of a run table, drawn from its trajectory table."""
    return plots.trajectory_figure(trajectory_table(runs, outcomes), outcomes, **options)


def heatmap(runs: pd.DataFrame, x_factor: str, y_factor: str, outcome: str, quarter: int,
            **options) -> Figure:
    """The heatmap of a run table, drawn from its cells."""
    cells = heatmap_cells(runs, x_factor, y_factor, outcome, quarter)
    return plots.heatmap_figure(cells, x_factor, y_factor, outcome, quarter, **options)


def legend_texts(figure: Figure) -> list[str]:
    legends = [*figure.legends, *(axis.get_legend() for axis in figure.axes)]
    return [text.get_text() for legend in legends if legend is not None
            for text in legend.get_texts()]


def saves_png(figure: Figure, path: Path) -> bool:
    figure.savefig(path)
    return path.read_bytes()[:8] == PNG_SIGNATURE


def test_trajectory_has_one_panel_per_outcome_and_every_label_in_the_legend(tmp_path):
    figure = trajectory(trajectory_runs(), OUTCOMES, title="Three leaders",
                        shaded_quarters=(3, 4))

    assert len(figure.axes) == len(OUTCOMES)
    assert [axis.get_title() for axis in figure.axes] == [
        "Team output (per week)", "Trust in the leader", "Capability",
        "Breaches (per quarter)"]
    assert all(axis.get_xlabel() == "Quarter" for axis in figure.axes)
    texts = legend_texts(figure)
    assert all(label in texts for label in LABELS)
    assert "leader's attention withdrawn" in texts
    assert saves_png(figure, tmp_path / "trajectory.png")


def test_trajectory_lines_are_in_order_of_first_appearance_and_show_means():
    runs = trajectory_runs()
    figure = trajectory(runs, ["team_output"])

    axis = figure.axes[0]
    assert [line.get_label() for line in axis.get_lines()] == list(LABELS)
    micromanager = axis.get_lines()[1]
    expected = (runs[runs["label"] == "micromanager"].groupby("quarter")["team_output"]
                .mean().to_numpy())
    np.testing.assert_allclose(micromanager.get_ydata(), expected)


def test_trajectory_table_has_each_settings_mean_and_interval_by_quarter():
    runs = trajectory_runs()
    table = trajectory_table(runs, ["team_output", "trust_mean"])

    assert list(dict.fromkeys(table["label"])) == list(LABELS)
    assert len(table) == len(LABELS) * 6
    coach = table[table["label"] == "coach"]
    assert coach["quarter"].tolist() == [1, 2, 3, 4, 5, 6]
    expected = runs[runs["label"] == "coach"].groupby("quarter")["team_output"].mean()
    np.testing.assert_allclose(coach["team_output"], expected.to_numpy())
    assert (coach["team_output_low"] < coach["team_output"]).all()
    assert (coach["team_output"] < coach["team_output_high"]).all()
    assert table["replications"].tolist() == [5] * len(table)


def test_trajectory_band_encloses_the_mean_line():
    figure = trajectory(trajectory_runs(), OUTCOMES)

    for axis in figure.axes:
        bands = {collection.get_label(): collection for collection in axis.collections}
        for line in axis.get_lines():
            band = bands[f"{line.get_label()}: 95% interval"]
            edges = np.vstack([path.vertices for path in band.get_paths()])
            for quarter, mean in zip(line.get_xdata(), line.get_ydata(), strict=True):
                at_quarter = edges[np.isclose(edges[:, 0], quarter), 1]
                assert at_quarter.min() < mean < at_quarter.max()


def test_trajectory_shades_the_given_quarters():
    figure = trajectory(trajectory_runs(), ["team_output", "trust_mean"],
                        shaded_quarters=(2, 5))

    for axis in figure.axes:
        assert len(axis.patches) == 2


def test_unknown_outcomes_fall_back_to_their_column_name():
    runs = trajectory_runs().rename(columns={"trust_mean": "hours_planned"})
    figure = trajectory(runs, ["hours_planned"])

    assert figure.axes[0].get_title() == "hours planned"


def test_trajectory_refuses_a_missing_outcome_column():
    with pytest.raises(ValueError, match="motivation_mean"):
        trajectory_table(trajectory_runs(), ["motivation_mean"])
    table = trajectory_table(trajectory_runs(), ["team_output"])
    with pytest.raises(ValueError, match="motivation_mean"):
        plots.trajectory_figure(table, ["motivation_mean"])


def comparisons() -> pd.DataFrame:
    rows = []
    for shift, other in enumerate(("micromanager", "absent")):
        for quarter in range(1, 5):
            difference = -1.0 - shift + 0.1 * quarter
            rows.append({"outcome": "team_output", "quarter": quarter, "reference": "coach",
                         "other": other, "difference": difference, "low": difference - 0.5,
                         "high": difference + 0.8})
    rows.append({"outcome": "trust_mean", "quarter": 1, "reference": "coach",
                 "other": "unplotted", "difference": 0.0, "low": -1.0, "high": 1.0})
    return pd.DataFrame(rows)


def test_difference_figure_draws_each_interval_offset_per_setting(tmp_path):
    table = comparisons()
    figure = plots.difference_figure(table, "team_output")

    axis = figure.axes[0]
    assert axis.get_ylabel() == "Difference from coach"
    assert axis.get_xlabel() == "Quarter"
    texts = legend_texts(figure)
    assert "micromanager" in texts and "absent" in texts and "unplotted" not in texts
    assert any(np.allclose(line.get_ydata(), 0) for line in axis.get_lines())
    positions = []
    for container, other in zip(axis.containers, ("micromanager", "absent"), strict=True):
        rows = table[(table["other"] == other) & (table["outcome"] == "team_output")]
        points, _, (bars,) = container.lines
        np.testing.assert_allclose(points.get_ydata(), rows["difference"])
        ends = np.array([[segment[0][1], segment[1][1]] for segment in bars.get_segments()])
        np.testing.assert_allclose(ends, rows[["low", "high"]].to_numpy())
        positions.append(np.asarray(points.get_xdata()))
    offsets = positions[1] - positions[0]
    assert np.all(offsets > 0) and np.all(np.abs(offsets) < 0.5)
    assert saves_png(figure, tmp_path / "difference.png")


def test_difference_figure_refuses_an_outcome_without_rows():
    with pytest.raises(ValueError, match="motivation_mean"):
        plots.difference_figure(comparisons(), "motivation_mean")


def cell_values(axis: Axes) -> dict[tuple[str, str], str]:
    """Heatmap cell texts keyed by the (x, y) tick labels of their cell."""
    x_ticks = [tick.get_text() for tick in axis.get_xticklabels()]
    y_ticks = [tick.get_text() for tick in axis.get_yticklabels()]
    cells = {}
    for text in axis.texts:
        column, row = text.get_position()
        cells[x_ticks[round(column)], y_ticks[round(row)]] = text.get_text()
    return cells


def test_heatmap_cells_are_the_means_over_replications(tmp_path):
    runs = pd.DataFrame({
        "label": ["a"] * 8,
        "replication": [0, 1] * 4,
        "quarter": [4] * 8,
        "leader.attention_hours": [2, 2, 2, 2, 8, 8, 8, 8],
        "leader.systems_share": [0.1, 0.1, 0.5, 0.5, 0.1, 0.1, 0.5, 0.5],
        "trust_mean": [0.2, 0.4, 0.5, 0.6, 0.7, 0.8, 0.25, 0.35],
    })
    runs = pd.concat([runs, runs.assign(quarter=5, trust_mean=9.0)])
    figure = heatmap(runs, "leader.attention_hours", "leader.systems_share", "trust_mean",
                     quarter=4)

    axis = figure.axes[0]
    cells = cell_values(axis)
    assert {key: float(text) for key, text in cells.items()} == {
        ("2", "0.1"): pytest.approx(0.3), ("2", "0.5"): pytest.approx(0.55),
        ("8", "0.1"): pytest.approx(0.75), ("8", "0.5"): pytest.approx(0.3)}
    assert axis.get_xlabel() == "leader.attention_hours"
    assert axis.get_ylabel() == "leader.systems_share"
    assert figure.axes[1].get_ylabel() == "Trust in the leader"
    assert "averaged over" not in axis.get_title()
    assert saves_png(figure, tmp_path / "heatmap.png")


def test_heatmap_subtitle_names_another_factor_it_averages_over():
    runs = grid_runs().assign(**{"team.size": 5.0})
    runs = pd.concat([runs, runs.assign(**{"team.size": 9.0})])
    figure = heatmap(runs, "leader.x", "leader.y", "team_output", quarter=2)

    assert "averaged over team.size" in figure.axes[0].get_title()


def test_heatmap_cells_are_means_per_pair_with_what_they_pool():
    runs = grid_runs().assign(**{"team.size": 5.0})
    runs = pd.concat([runs, runs.assign(**{"team.size": 9.0})])
    cells = heatmap_cells(runs, "leader.x", "leader.y", "team_output", quarter=2)

    assert len(cells) == 9
    assert cells[["leader.y", "leader.x"]].to_numpy().tolist() == sorted(
        cells[["leader.y", "leader.x"]].to_numpy().tolist())
    np.testing.assert_allclose(cells["team_output"], 2 * cells["leader.x"])
    assert cells["runs"].tolist() == [4] * 9
    assert cells["settings"].tolist() == [1] * 9
    assert set(cells["averaged_over"]) == {"team.size"}
    with pytest.raises(ValueError, match="quarter 9"):
        heatmap_cells(runs, "leader.x", "leader.y", "team_output", quarter=9)


def test_one_at_a_time_effects_swing_with_the_factor_that_matters():
    effects = one_at_a_time_effects(grid_runs(), ["leader.x", "leader.y"],
                                    "team_output", quarter=2).set_index("factor")

    swing = effects["outcome_at_high"] - effects["outcome_at_low"]
    assert swing["leader.x"] == pytest.approx(2 * (3.0 - 1.0))
    assert swing["leader.y"] == pytest.approx(0.0)
    assert effects.loc["leader.x", ["low_value", "high_value"]].tolist() == [1.0, 3.0]
    assert effects.loc["leader.y", ["low_value", "high_value"]].tolist() == [10.0, 30.0]
    assert effects["base"].tolist() == pytest.approx([2 * 2.0, 2 * 2.0])


def test_one_at_a_time_effects_bases_on_the_grid_value_nearest_the_median():
    runs = grid_runs(x_values=(1.0, 2.0, 7.0, 8.0))
    effects = one_at_a_time_effects(runs, ["leader.x", "leader.y"], "team_output", 1)

    assert effects["base"].iloc[0] == pytest.approx(2 * 2.0)
    given = one_at_a_time_effects(runs, ["leader.x", "leader.y"], "team_output", 1,
                                  base={"leader.x": 8.0})
    assert given["base"].iloc[0] == pytest.approx(2 * 8.0)


def test_one_at_a_time_effects_refuses_a_grid_without_the_needed_points():
    runs = grid_runs()
    gap = (runs["leader.x"] == 1.0) & (runs["leader.y"] == 20.0)
    with pytest.raises(ValueError, match=r"leader\.x=1.*leader\.y=20|leader\.y=20.*leader\.x=1"):
        one_at_a_time_effects(runs[~gap], ["leader.x", "leader.y"], "team_output", 2)
    with pytest.raises(ValueError, match="not on the grid"):
        one_at_a_time_effects(runs, ["leader.x", "leader.y"], "team_output", 2,
                              base={"leader.x": 2.5})
    with pytest.raises(ValueError, match="quarter 9"):
        one_at_a_time_effects(runs, ["leader.x", "leader.y"], "team_output", 9)


def test_tornado_puts_the_largest_swing_on_top(tmp_path):
    effects = pd.DataFrame({
        "factor": ["leader.small", "leader.large", "leader.middle"],
        "low_value": [0.0, 2.0, 0.1],
        "high_value": [1.0, 8.0, 0.9],
        "outcome_at_low": [9.5, 4.0, 8.0],
        "outcome_at_high": [10.5, 16.0, 13.0],
        "base": [10.0, 10.0, 10.0],
    })
    figure = plots.tornado_figure(effects, "team_output", quarter=8)

    axis = figure.axes[0]
    ticks = sorted(axis.get_yticklabels(),
                   key=lambda tick: axis.transData.transform((0, tick.get_position()[1]))[1])
    assert [tick.get_text() for tick in ticks] == ["leader.small", "leader.middle",
                                                   "leader.large"]
    assert any(np.allclose(line.get_xdata(), 10.0) for line in axis.get_lines())
    bar_ends = sorted(round(patch.get_x() + patch.get_width(), 6) for patch in axis.patches)
    assert bar_ends == [4.0, 8.0, 9.5, 10.5, 13.0, 16.0]
    labels = {text.get_text() for text in axis.texts}
    assert {"2", "8", "0.1", "0.9", "0", "1"} <= labels
    assert saves_png(figure, tmp_path / "tornado.png")


def test_tornado_reads_the_effects_of_a_grid(tmp_path):
    effects = one_at_a_time_effects(grid_runs(), ["leader.y", "leader.x"],
                                    "team_output", quarter=2)
    figure = plots.tornado_figure(effects, "team_output", quarter=2)

    top = max(figure.axes[0].get_yticklabels(), key=lambda tick: tick.get_position()[1])
    assert top.get_text() == "leader.x"
    assert saves_png(figure, tmp_path / "grid_tornado.png")
