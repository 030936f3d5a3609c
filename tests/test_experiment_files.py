"""Experiment files: the shipped ones load and expand, bad ones fail in one line naming the
file and the key, and sampled designs cover their bounds reproducibly."""

from __future__ import annotations

import dataclasses
import itertools
from collections import Counter
from pathlib import Path

import pytest
from conftest import assert_one_error_line, load_as_cli, teamsim

from simulation import cli
from simulation.experiments.experiment_files import (
    ExperimentConfig,
    SampleConfig,
    shipped_experiments,
)
from simulation.experiments.sampling import design_points, sample_points
from simulation.experiments.sweep import settings_of
from simulation.model import strategies
from simulation.model.scenario_files import ConfigError

SHIPPED = shipped_experiments()
SWEPT = {name: path for name, path in SHIPPED.items()
         if 'method = "morris"' not in path.read_text(encoding="utf-8")}
"""The shipped experiments a sweep runs (a Morris design is for `teamsim sensitivity`)."""
SMALL_SCENARIO = 'name = "small"\nquarters = 2\nreplications = 3\nseed = 4242\n'


def write_experiment(folder: Path, text: str, name: str = "experiment.toml") -> Path:
    """An experiment file, with the two-quarter scenario small.toml beside it."""
    (folder / "small.toml").write_text(SMALL_SCENARIO, encoding="utf-8")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the shipped experiments ----------------------------------------------------------------


def test_experiments_are_shipped() -> None:
    assert len(SHIPPED) >= 5
    assert "strategy_comparison" in SHIPPED


@pytest.mark.parametrize("name", sorted(SWEPT))
def test_shipped_experiment_loads_and_expands_to_uniquely_labelled_settings(name: str) -> None:
    experiment = load_as_cli(SHIPPED[name])
    settings = settings_of(experiment)
    labels = [setting.label for setting in settings]
    assert len(set(labels)) == len(labels), Counter(labels).most_common(3)
    strategy_count = {base.name: len(experiment.strategies) or 1
                      for base in experiment.base_configs}
    assert len(settings) == sum(strategy_count.values()) * len(design_points(experiment))
    assert len(settings) >= 2  # an experiment compares something
    if experiment.reference:
        assert experiment.reference in labels, (experiment.reference, labels[:3])


@pytest.mark.parametrize("name", sorted(SWEPT))
def test_shipped_experiment_settings_carry_their_strategy_and_factors(name: str) -> None:
    experiment = load_as_cli(SHIPPED[name])
    for setting in settings_of(experiment):
        assert setting.config.leader.strategy == setting.strategy
        assert setting.strategy in strategies.REGISTRY
        for key, value in setting.factors.items():
            table, field = key.split(".")
            assert getattr(getattr(setting.config, table), field) == value


# --- bad experiment files -------------------------------------------------------------------

BAD_EXPERIMENTS = {
    # id: (file text, or None for a missing file; the key the message must name, if any)
    "unknown_top_level_key": ("replications = 2\nreplicatons = 3\n", "replicatons"),
    "unknown_sample_key": (
        '[sample]\nsise = 4\n[sample.bounds]\n"leader.attention_hours" = [2, 8]\n',
        "sample.sise"),
    "unknown_precision_key": (
        '[precision]\noutcome = "team_output"\nhalf_widht = 0.1\n', "precision.half_widht"),
    "replications_as_text": ('replications = "ten"\n', "replications"),
    "quarters_not_whole": ("quarters = [1.5]\n", "quarters"),
    "no_replications": ("replications = 0\n", "replications"),
    "unknown_scenario": ('scenarios = ["small.toml", "no_such_scenario"]\n', "scenarios[1]"),
    "unknown_first_scenario": ('scenarios = ["no_such_scenario"]\n', "scenarios[0]"),
    "unknown_strategy": ('strategies = ["coach", "charisma"]\n', "strategies[1]"),
    "unknown_outcome": ('outcomes = ["happiness"]\n', "outcomes[0]"),
    "quarter_beyond_horizon": ('scenarios = ["small.toml"]\nquarters = [2, 3]\n',
                               "quarters[1]"),
    "unknown_grid_key": ('[grid]\n"leader.atention_hours" = [4, 8]\n',
                         "grid.leader.atention_hours"),
    "grid_value_out_of_range": ('[grid]\n"leader.attention_hours" = [4, 500]\n',
                                "grid.leader.attention_hours"),
    "sample_bounds_reversed": (
        '[sample]\nsize = 4\n[sample.bounds]\n"leader.attention_hours" = [8, 2]\n',
        "sample.bounds.leader.attention_hours"),
    "sample_bounds_equal": (
        '[sample]\nsize = 4\n[sample.bounds]\n"leader.attention_hours" = [8, 8]\n',
        "sample.bounds.leader.attention_hours"),
    "sample_bound_out_of_range": (
        '[sample]\nsize = 4\n[sample.bounds]\n"leader.attention_hours" = [2, 500]\n',
        "sample.bounds.leader.attention_hours"),
    "sobol_size_not_a_power_of_two": (
        '[sample]\nmethod = "sobol"\nsize = 12\n[sample.bounds]\n'
        '"leader.attention_hours" = [2, 8]\n', "sample.size"),
    "toml_syntax_error": ("replications = \n", None),
    "empty_file": ("", None),
    "missing_file": (None, None),
}


def write_bad_experiment(folder: Path, text: str | None) -> Path:
    (folder / "small.toml").write_text(SMALL_SCENARIO, encoding="utf-8")
    path = folder / "bad_experiment.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "key"), list(BAD_EXPERIMENTS.values()),
                         ids=list(BAD_EXPERIMENTS))
def test_bad_experiment_raises_one_line_naming_the_file_and_key(
        in_tmp_path: Path, text: str | None, key: str | None) -> None:
    path = write_bad_experiment(in_tmp_path, text)
    with pytest.raises(ConfigError) as raised:
        load_as_cli(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    if key is not None:
        assert raised.value.key == key
        assert f"{path}: {key}: " in message


def test_a_bad_experiment_is_not_mistaken_for_a_good_one(in_tmp_path: Path) -> None:
    """The bad files above differ from loadable ones only in the fault each one holds."""
    good = {
        "top": "replications = 2\n",
        "sample": '[sample]\nsize = 4\n[sample.bounds]\n"leader.attention_hours" = [2, 8]\n',
        "sobol": '[sample]\nmethod = "sobol"\nsize = 16\n[sample.bounds]\n'
                 '"leader.attention_hours" = [2, 8]\n',
        "grid": '[grid]\n"leader.attention_hours" = [4, 60]\n',
        "quarters": 'scenarios = ["small.toml"]\nquarters = [1, 2]\n',
        "precision": '[precision]\noutcome = "team_output"\nhalf_width = 0.1\n',
        "lists": 'strategies = ["coach", "hands_off"]\noutcomes = ["team_output"]\n',
    }
    for name, text in good.items():
        experiment = load_as_cli(write_experiment(in_tmp_path, text, f"{name}.toml"))
        assert experiment.name == name


@pytest.mark.parametrize(("text", "key"), list(BAD_EXPERIMENTS.values()),
                         ids=list(BAD_EXPERIMENTS))
def test_sweep_of_a_bad_experiment_exits_2_in_one_line_and_writes_nothing(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, text: str | None,
        key: str | None) -> None:
    path = write_bad_experiment(in_tmp_path, text)
    before = sorted(in_tmp_path.iterdir())
    outcome = teamsim(capsys, "sweep", path.name, "--workers", "1")
    assert_one_error_line(outcome, path.name, *([] if key is None else [key]))
    assert not (in_tmp_path / "results").exists()
    assert sorted(in_tmp_path.iterdir()) == before


REFERENCE_TO_NOTHING = """\
scenarios = ["small.toml"]
strategies = ["hands_off", "coach"]
replications = 2
reference = "coahc"
"""


def test_a_reference_that_labels_no_setting_is_refused(in_tmp_path: Path) -> None:
    path = write_experiment(in_tmp_path, REFERENCE_TO_NOTHING)
    with pytest.raises(ConfigError) as raised:
        settings_of(load_as_cli(path))
    assert raised.value.key == "reference"
    message = str(raised.value)
    assert "\n" not in message
    assert str(path) in message and "coahc" in message
    fixed = REFERENCE_TO_NOTHING.replace("coahc", "coach")
    assert [s.label for s in settings_of(load_as_cli(write_experiment(in_tmp_path, fixed)))] == [
        "hands_off", "coach"]


def test_sweep_with_a_reference_to_no_setting_exits_2_before_running(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    path = write_experiment(in_tmp_path, REFERENCE_TO_NOTHING)
    capsys.readouterr()
    assert cli.main(["sweep", path.name, "--workers", "1", "--quiet"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    line = captured.err.strip()
    assert len(captured.err.splitlines()) == 1
    assert path.name in line and "reference" in line
    assert not (in_tmp_path / "results").exists()


def test_a_misspelt_shipped_experiment_is_reported_in_one_line(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    capsys.readouterr()
    assert cli.main(["sweep", "strategy_comparisn"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "strategy_comparisn" in err
    assert not (in_tmp_path / "results").exists()


# --- sampled designs ------------------------------------------------------------------------

LATIN_HYPERCUBE = """\
scenarios = ["small.toml"]
seed = {seed}

[sample]
method = "latin_hypercube"
size = {size}

[sample.bounds]
"leader.attention_hours" = [2.0, 16.0]
"leader.diagnostic_accuracy" = [0.3, 1.0]
"""
BOUNDS = {"leader.attention_hours": (2.0, 16.0), "leader.diagnostic_accuracy": (0.3, 1.0)}


def latin_hypercube(folder: Path, seed: int = 5, size: int = 10) -> ExperimentConfig:
    return load_as_cli(write_experiment(folder, LATIN_HYPERCUBE.format(seed=seed, size=size),
                                 f"lhs_{seed}_{size}.toml"))


def test_latin_hypercube_gives_size_points_within_the_bounds(in_tmp_path: Path) -> None:
    points = sample_points(latin_hypercube(in_tmp_path, size=10))
    assert len(points) == 10
    for point in points:
        assert set(point) == set(BOUNDS)
        for key, (low, high) in BOUNDS.items():
            assert low <= point[key] <= high


def test_latin_hypercube_puts_one_point_in_each_stratum_of_each_dimension(
        in_tmp_path: Path) -> None:
    size = 12
    points = sample_points(latin_hypercube(in_tmp_path, size=size))
    for key, (low, high) in BOUNDS.items():
        strata = sorted(int((point[key] - low) / (high - low) * size) for point in points)
        assert strata == list(range(size)), key


def test_the_same_seed_gives_the_same_design_and_another_seed_another(
        in_tmp_path: Path) -> None:
    first = sample_points(latin_hypercube(in_tmp_path, seed=5))
    again = sample_points(latin_hypercube(in_tmp_path, seed=5))
    other = sample_points(latin_hypercube(in_tmp_path, seed=6))
    assert first == again
    assert first != other
    # Not just another order of the same points.
    assert sorted(p["leader.attention_hours"] for p in first) != sorted(
        p["leader.attention_hours"] for p in other)


def test_sobol_sample_gives_size_points_within_the_bounds(in_tmp_path: Path) -> None:
    text = LATIN_HYPERCUBE.format(seed=3, size=16).replace("latin_hypercube", "sobol")
    points = sample_points(load_as_cli(write_experiment(in_tmp_path, text)))
    assert len(points) == 16
    hours = [point["leader.attention_hours"] for point in points]
    assert all(2.0 <= value <= 16.0 for value in hours)
    assert len(set(hours)) == 16


INTEGER_BOUNDS = """\
scenarios = ["small.toml"]
seed = 9

[sample]
size = 12

[sample.bounds]
"team.size" = [3, 12]
"leader.withdrawn_from_quarter" = [1, 2]
"""


def test_sample_bounds_accept_integer_keys(in_tmp_path: Path) -> None:
    experiment = load_as_cli(write_experiment(in_tmp_path, INTEGER_BOUNDS))
    assert experiment.factors == ["team.size", "leader.withdrawn_from_quarter"]


def test_a_sampled_integer_key_takes_whole_numbers_within_its_bounds(
        in_tmp_path: Path) -> None:
    # Built without the file's bound check, so that the sampling itself is tested even
    # where loading integer bounds from a file is broken.
    experiment = dataclasses.replace(
        latin_hypercube(in_tmp_path),
        sample=SampleConfig("latin_hypercube", 12, (("team.size", 3.0, 12.0),
                                                    ("leader.withdrawn_from_quarter", 1.0,
                                                     2.0),
                                                    ("leader.attention_hours", 2.0, 16.0))))
    points = sample_points(experiment)
    sizes = [point["team.size"] for point in points]
    quarters = [point["leader.withdrawn_from_quarter"] for point in points]
    assert all(type(value) is int for value in sizes + quarters)
    assert all(3 <= value <= 12 for value in sizes)
    assert set(quarters) == {1, 2}
    assert len(set(sizes)) > 4
    assert not all(float(p["leader.attention_hours"]).is_integer() for p in points)
    # The points are usable settings: each scenario has the sampled team size.
    assert [s.config.team.size for s in settings_of(experiment)] == sizes


def test_a_sampled_integer_key_gives_every_value_the_same_weight(in_tmp_path: Path) -> None:
    """A Latin hypercube of 10 points over the whole numbers 1 to 5 takes each twice:
    the end values are as likely as the inner ones."""
    experiment = load_as_cli(write_experiment(in_tmp_path, INTEGER_BOUNDS.replace(
        "size = 12", "size = 10").replace('"team.size" = [3, 12]', '"team.size" = [1, 5]')))
    counts = Counter(point["team.size"] for point in sample_points(experiment))
    assert counts == {1: 2, 2: 2, 3: 2, 4: 2, 5: 2}


GRID_BY_SAMPLE = """\
scenarios = ["small.toml"]
strategies = ["hands_off", "coach"]
seed = 21

[grid]
"leader.bias_strength" = [0.0, 0.5]
"environment.pressure" = [0.2, 0.4, 0.6]

[sample]
size = 4

[sample.bounds]
"leader.attention_hours" = [2.0, 16.0]
"""


def test_grid_crossed_with_a_sample_gives_every_combination(in_tmp_path: Path) -> None:
    experiment = load_as_cli(write_experiment(in_tmp_path, GRID_BY_SAMPLE))
    points = design_points(experiment)
    assert len(points) == 2 * 3 * 4
    sampled = sample_points(experiment)
    for bias, pressure in itertools.product([0.0, 0.5], [0.2, 0.4, 0.6]):
        mine = [p for p in points
                if p["leader.bias_strength"] == bias and p["environment.pressure"] == pressure]
        assert [p["leader.attention_hours"] for p in mine] == [
            p["leader.attention_hours"] for p in sampled]
    settings = settings_of(experiment)
    assert len(settings) == 2 * len(points)
    assert len({s.label for s in settings}) == len(settings)
    assert experiment.factors == ["leader.bias_strength", "environment.pressure",
                                  "leader.attention_hours"]


def test_a_grid_alone_is_the_full_factorial_in_file_order(in_tmp_path: Path) -> None:
    text = GRID_BY_SAMPLE.split("[sample]")[0]
    points = design_points(load_as_cli(write_experiment(in_tmp_path, text)))
    assert [(p["leader.bias_strength"], p["environment.pressure"]) for p in points] == list(
        itertools.product([0.0, 0.5], [0.2, 0.4, 0.6]))



# --- the horizon: quarters of interest and the precision quarter ---------------------------


def refused(path: Path) -> ConfigError:
    """The one-line error loading an experiment file raises (naming the file first)."""
    with pytest.raises(ConfigError) as raised:
        load_as_cli(path)
    message = str(raised.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: {raised.value.key}: ")
    return raised.value


@pytest.mark.parametrize(("text", "key"), [("quarters = 0\n", "quarters"),
                                           ("quarters = [0]\n", "quarters[0]"),
                                           ("quarters = [1, 0]\n", "quarters[1]")],
                         ids=["quarters_0", "quarters_list_with_0", "quarter_0_second"])
def test_quarters_0_in_an_experiment_file_is_refused_naming_the_file_and_the_key(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, text: str, key: str) -> None:
    path = write_experiment(in_tmp_path, 'scenarios = ["small.toml"]\n' + text)
    assert refused(path).key == key
    outcome = teamsim(capsys, "sweep", path.name, "--workers", "1")
    assert_one_error_line(outcome, path.name, key)
    assert not (in_tmp_path / "results").exists()


def test_a_precision_quarter_past_the_horizon_is_refused_naming_precision_quarter(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    text = ('scenarios = ["small.toml"]\n[precision]\noutcome = "team_output"\n'
            "quarter = {quarter}\n")
    path = write_experiment(in_tmp_path, text.format(quarter=3))  # small.toml runs 2
    error = refused(path)
    assert error.key == "precision.quarter"
    assert "2" in error.problem and "3" in error.problem
    outcome = teamsim(capsys, "sweep", path.name, "--workers", "1")
    assert_one_error_line(outcome, path.name, "precision.quarter")
    # The last quarter itself, and 0 (meaning the last), are fine.
    for quarter in (2, 0):
        loaded = load_as_cli(write_experiment(in_tmp_path, text.format(quarter=quarter),
                                              f"precision_{quarter}.toml"))
        assert loaded.precision is not None and loaded.precision.quarter == quarter


SHORTER_BY_DESIGN = {
    # id: (the design that gives some settings fewer quarters than small.toml's two)
    "grid": '[grid]\n"quarters" = [1, 2]\n',
    "sample": '[sample]\nsize = 4\n[sample.bounds]\n"quarters" = [1, 2]\n',
}


@pytest.mark.parametrize("design", sorted(SHORTER_BY_DESIGN))
def test_a_precision_quarter_past_a_settings_horizon_is_refused(in_tmp_path: Path,
                                                                design: str) -> None:
    """The horizon is the shortest run any setting makes: a design that varies the
    scenario's quarters shortens it (a setting with one quarter has no quarter 2 to be
    precise at, and sequential replication would never raise its count)."""
    head = 'scenarios = ["small.toml"]\n'
    precision = '[precision]\noutcome = "team_output"\nquarter = {quarter}\n'
    path = write_experiment(in_tmp_path, head + precision.format(quarter=2)
                            + SHORTER_BY_DESIGN[design])
    assert refused(path).key == "precision.quarter"
    fine = write_experiment(in_tmp_path, head + precision.format(quarter=1)
                            + SHORTER_BY_DESIGN[design], "fine.toml")
    assert load_as_cli(fine).factors == ["quarters"]


@pytest.mark.parametrize("design", sorted(SHORTER_BY_DESIGN))
def test_a_quarter_of_interest_past_a_settings_horizon_is_refused(in_tmp_path: Path,
                                                                  design: str) -> None:
    path = write_experiment(in_tmp_path, 'scenarios = ["small.toml"]\nquarters = [1, 2]\n'
                            + SHORTER_BY_DESIGN[design])
    assert refused(path).key == "quarters[1]"
