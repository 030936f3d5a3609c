"""Global sensitivity analysis: Sobol indices and Morris screening against functions with
known indices and against SALib and scipy themselves, per-run parameters in the batched
engine, and `teamsim sensitivity`'s files, which SALib and scipy redo, and its design's
true size in `teamsim check`."""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import json
import math
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import assert_one_error_line, teamsim
from SALib.analyze import morris as salib_morris
from SALib.sample import morris as salib_morris_sample
from SALib.test_functions import Ishigami
from scipy import stats

from simulation import load_scenario
from simulation.analysis import sensitivity
from simulation.analysis.sensitivity import model_function, model_values, morris, sobol
from simulation.engines.batch import run_batch, stack_parameters
from simulation.model.config import Parameters
from simulation.model.scenario_files import with_overrides

# Ishigami & Homma (1990), a = 7, b = 0.1: the analytic indices (Sobol & Levitan 1999).
ISHIGAMI_FIRST = [0.3139, 0.4424, 0.0]
ISHIGAMI_TOTAL = [0.5576, 0.4424, 0.2437]
ISHIGAMI_BOUNDS = [(-np.pi, np.pi)] * 3
NAMES = ["x1", "x2", "x3"]


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[0]) + 7 * np.sin(x[1]) ** 2 + 0.1 * x[2] ** 4 * np.sin(x[0])


# --- the methods against known values ------------------------------------------------------


def test_sobol_indices_of_the_ishigami_function_match_the_analytic_values():
    indices = sobol(ishigami, NAMES, ISHIGAMI_BOUNDS, 4096, seed=1, resamples=200)
    table = indices.table.set_index("parameter")
    np.testing.assert_allclose(table["first_order"], ISHIGAMI_FIRST, atol=0.03)
    np.testing.assert_allclose(table["total_order"], ISHIGAMI_TOTAL, atol=0.03)
    assert (table["first_low"] <= table["first_order"]).all()
    assert (table["total_high"] >= table["total_order"]).all()
    for kind, truth in (("first", ISHIGAMI_FIRST), ("total", ISHIGAMI_TOTAL)):
        assert ((table[f"{kind}_low"] < np.array(truth) + 0.01)
                & (table[f"{kind}_high"] > np.array(truth) - 0.01)).all()
    assert indices.evaluations == 4096 * 5


def test_the_sobol_wrapper_gives_scipys_indices_on_the_points_scipy_draws():
    indices = sobol(ishigami, NAMES, ISHIGAMI_BOUNDS, 256, seed=9, resamples=100)
    own = stats.sobol_indices(func=ishigami, n=256, dists=[stats.uniform(-np.pi, 2 * np.pi)] * 3,
                              rng=np.random.default_rng(9))
    np.testing.assert_allclose(indices.table["first_order"], own.first_order, atol=1e-12)
    np.testing.assert_allclose(indices.table["total_order"], own.total_order, atol=1e-12)


def test_sobol_intervals_come_from_the_seed():
    first = sobol(ishigami, NAMES, ISHIGAMI_BOUNDS, 256, seed=4, resamples=100).table
    again = sobol(ishigami, NAMES, ISHIGAMI_BOUNDS, 256, seed=4, resamples=100).table
    other = sobol(ishigami, NAMES, ISHIGAMI_BOUNDS, 256, seed=5, resamples=100).table
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["first_low"], other["first_low"])


def test_morris_effects_of_the_ishigami_function_match_salib_and_the_worked_values():
    indices = morris(ishigami, NAMES, ISHIGAMI_BOUNDS, 1000, seed=2)
    table = indices.table.set_index("parameter")
    assert indices.evaluations == 1000 * 4
    problem = {"num_vars": 3, "names": NAMES, "bounds": [[-np.pi, np.pi]] * 3}
    points = salib_morris_sample.sample(problem, N=1000, num_levels=4, seed=2)
    salib = salib_morris.analyze(problem, points, Ishigami.evaluate(points), num_levels=4,
                                 num_resamples=1000, seed=1)
    for column in ("mu", "mu_star", "sigma"):
        np.testing.assert_allclose(table[column], salib[column], rtol=1e-12, atol=1e-12)
    # Worked by hand for 4 levels (steps of 2/3 of the range between -pi, -pi/3, pi/3, pi):
    # x2 always moves 7 sin^2 by 7 * 3/4, so mu* = 5.25 / (2/3) exactly; x1's effect is
    # 1.5 sin(pi/3) (1 + 0.1 x3^4), x3 at each level equally often; x3's is
    # 1.5 * 0.1 (pi^4 - (pi/3)^4) |sin x1|, sin x1 = 0 at half the levels.
    np.testing.assert_allclose(table.loc["x2", "mu_star"], 7.875, rtol=1e-12)
    expected_x1 = 1.5 * math.sin(math.pi / 3) * (1 + 0.1 * (math.pi**4 + (math.pi / 3) ** 4) / 2)
    expected_x3 = 1.5 * 0.1 * (math.pi**4 - (math.pi / 3) ** 4) * math.sin(math.pi / 3) / 2
    assert table.loc["x1", "mu_star"] == pytest.approx(expected_x1, abs=0.6)  # 7.70
    assert table.loc["x3", "mu_star"] == pytest.approx(expected_x3, abs=0.6)  # 6.25
    assert table.loc["x1", "mu"] == pytest.approx(table.loc["x1", "mu_star"])  # always up
    assert min(table.loc["x1", "mu_star"], table.loc["x2", "mu_star"]) > table.loc["x3", "mu_star"]
    assert (table["mu_star_conf"] >= 0).all() and table.loc["x1", "mu_star_conf"] > 0


def test_morris_ranks_a_parameter_without_effect_last():
    indices = morris(lambda x: 3 * x[0] + x[1] ** 2, ["strong", "curved", "inert"],
                     [(0.0, 1.0)] * 3, 20, seed=3)
    table = indices.table.set_index("parameter")
    assert table.loc["strong", "mu_star"] == pytest.approx(3.0)
    assert table.loc["strong", "sigma"] == pytest.approx(0.0, abs=1e-12)  # linear
    assert table.loc["curved", "sigma"] > 0
    assert table.loc["inert", "mu_star"] == 0.0


# --- the model as a function of its parameters ---------------------------------------------


def test_each_run_of_a_batch_can_have_its_own_parameters():
    config = with_overrides(load_scenario("baseline"), {"quarters": 3})
    other = dataclasses.replace(Parameters(), trust_gain=0.02, collaboration_weight=0.1,
                                observation_noise=0.5, build_systems_saturation=1.0,
                                new_hire_motivation=0.4, crisis_pressure=0.5, train_lag=5.0)
    sets = [Parameters(), other, other]
    mixed = run_batch(config, 4, [0, 1, 2], parameters=stack_parameters(sets)
                      ).quarterly_frame()
    for replication, parameters in enumerate(sets):
        alone = run_batch(dataclasses.replace(config, parameters=parameters), 4,
                          [replication]).quarterly_frame()
        numbers = alone.select_dtypes("number").columns
        np.testing.assert_allclose(
            mixed[mixed.replication == replication][numbers].to_numpy(float),
            alone[numbers].to_numpy(float), rtol=0, atol=1e-9)
    assert not np.allclose(mixed[mixed.replication == 1]["trust_mean"],
                           run_batch(config, 4, [1]).quarterly_frame()["trust_mean"])


def test_the_model_function_averages_replications_at_each_point():
    config = with_overrides(load_scenario("baseline"), {"quarters": 2})
    func = model_function(config, ["train_rate"], "capability_mean", 2, 3, 5, workers=1)
    values = func(np.array([[0.0, 0.2]]))
    assert values.shape == (2,)
    assert values[1] > values[0]  # more effective training, more capability
    each = model_values(config, ["train_rate"], np.array([[0.0, 0.2]]), "capability_mean",
                        2, 3, 5, workers=1)
    assert each.shape == (2, 3)
    np.testing.assert_allclose(each.mean(axis=1), values)
    assert len(set(each[0])) == 3  # replications differ


def test_the_evaluation_reports_its_progress_in_points():
    config = with_overrides(load_scenario("baseline"), {"quarters": 1})
    told: list[int] = []
    values = model_values(config, ["train_rate"], np.linspace(0.0, 0.2, 150)[None, :],
                          "capability_mean", 1, 2, 5, 1, progress=told.append)
    assert told == [100, 50]  # each finished chunk's points
    assert values.shape == (150, 2)


def test_chunks_finished_out_of_order_keep_the_points_order(monkeypatch):
    def slow_first(config, names, points, outcome, quarter, replications, seed):
        time.sleep(0.3 if points[0, 0] == 0 else 0.0)  # the first chunk finishes last
        return np.repeat(points.T, replications, axis=1)

    monkeypatch.setattr(sensitivity, "outcome_by_replication", slow_first)
    monkeypatch.setattr(sensitivity.cf, "ProcessPoolExecutor",
                        lambda workers, mp_context: cf.ThreadPoolExecutor(workers))
    told: list[int] = []
    points = np.arange(250.0)[None, :]
    values = model_values(load_scenario("baseline"), ["train_rate"], points, "team_output",
                          1, 2, 5, 3, progress=told.append)
    assert told[-1] == 100 and sorted(told) == [50, 100, 100]
    np.testing.assert_array_equal(values, np.repeat(points.T, 2, axis=1))


def test_an_unknown_parameter_is_refused():
    with pytest.raises(KeyError, match="unknown parameter"):
        model_function(load_scenario("baseline"), ["nope"], "team_output", 1, 2, 1, 1)


# --- teamsim sensitivity and teamsim check -------------------------------------------------

SHORT = 'name = "short"\nquarters = 2\n'
BOUNDS = ('[sample.bounds]\n"parameters.train_rate" = [0.01, 0.08]\n'
          '"parameters.trust_gain" = [0.001, 0.01]\n'
          '"parameters.barrier_weight" = [0.25, 0.75]\n')
SOBOL = '[sample]\nmethod = "sobol"\nsize = 8\n'
MORRIS = '[sample]\nmethod = "morris"\ntrajectories = 4\nlevels = 4\n'


def tiny(folder: Path, sample: str = SOBOL, name: str = "tiny") -> Path:
    """An experiment over three constants on a two-quarter team, two replications."""
    (folder / "short.toml").write_text(SHORT, encoding="utf-8")
    path = folder / f"{name}.toml"
    path.write_text(f'name = "{name}"\nscenarios = ["short.toml"]\nreplications = 2\n'
                    f'seed = 3\noutcomes = ["team_output"]\n{sample}{BOUNDS}', encoding="utf-8")
    return path


def redone(folder: Path, monkeypatch: pytest.MonkeyPatch, *parts: str) -> dict:
    """Run the manifest's own code for redoing the analysis, in the results folder."""
    code = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["redo"]
    monkeypatch.chdir(folder)
    scope: dict = {}
    exec("\n".join(line for part in ("load", *parts) for line in code[part]), scope)
    return scope


def test_teamsim_sensitivity_saves_what_salib_and_scipy_redo_the_sobol_indices_from(
        capsys, in_tmp_path, monkeypatch):
    out = in_tmp_path / "out"
    outcome = teamsim(capsys, "sensitivity", tiny(in_tmp_path), "--workers", "1", "--out", out)
    assert outcome.code == 0, outcome.err
    assert "40 parameter points (8 base samples x (3 + 2)) x 2 replications = 80 runs" in (
        outcome.out.splitlines()[0])
    assert "computing the first- and total-order Sobol indices" in outcome.err  # what follows 100%
    assert "80/80 runs (100%)" in outcome.err
    assert sorted(path.name for path in out.iterdir()) == [
        "manifest.json", "outputs.csv", "points.csv", "sobol.csv", "sobol.png"]
    table = pd.read_csv(out / "sobol.csv")
    assert list(table["parameter"]) == ["train_rate", "trust_gain", "barrier_weight"]
    assert (out / "sobol.png").read_bytes()[:4] == b"\x89PNG"
    points = pd.read_csv(out / "points.csv", keep_default_na=False)
    outputs = pd.read_csv(out / "outputs.csv")
    assert len(points) == len(outputs) == 8 * (3 + 2)
    assert list(points["point"]) == list(range(40)) == list(outputs["point"])
    assert list(points["block"][:5]) == ["A", "AB", "AB", "AB", "B"]
    assert points["train_rate"].between(0.01, 0.08).all()
    base = points[points.base == 0].set_index("block")
    assert (base.loc["AB"].iloc[0][["trust_gain", "barrier_weight"]]
            == base.loc["A"][["trust_gain", "barrier_weight"]]).all()
    assert base.loc["AB"].iloc[0]["train_rate"] == base.loc["B"]["train_rate"]
    reps = outputs[["replication_0", "replication_1"]].to_numpy()
    np.testing.assert_allclose(outputs["team_output"], reps.mean(axis=1))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["problem"] == {"num_vars": 3,
                                   "names": ["train_rate", "trust_gain", "barrier_weight"],
                                   "bounds": [[0.01, 0.08], [0.001, 0.01], [0.25, 0.75]]}
    assert (manifest["method"], manifest["base_samples"], manifest["points"]) == ("sobol", 8, 40)
    assert (manifest["seed"], manifest["replications"], manifest["outcome"],
            manifest["quarter"], manifest["scenario"]) == (3, 2, "team_output", 2, "short")
    assert {"SALib", "scipy", "numpy"} <= set(manifest["versions"])
    scope = redone(out, monkeypatch, "salib", "scipy")
    np.testing.assert_allclose(scope["res"].first_order, table["first_order"], atol=1e-12)
    np.testing.assert_allclose(scope["res"].total_order, table["total_order"], atol=1e-12)
    # SALib centres on the mean of every point, scipy on that of A and B: the same total
    # order, and first order within a small share of the variance.
    np.testing.assert_allclose(scope["Si"]["ST"], table["total_order"], atol=1e-9)
    np.testing.assert_allclose(scope["Si"]["S1"], table["first_order"], atol=0.01)


def test_teamsim_sensitivity_screens_by_morris_and_salib_redoes_it(capsys, in_tmp_path,
                                                                  monkeypatch):
    out = in_tmp_path / "out"
    outcome = teamsim(capsys, "sensitivity", tiny(in_tmp_path, MORRIS), "--workers", "1",
                      "--out", out, "--quiet")
    assert outcome.code == 0, outcome.err
    assert outcome.err == ""  # --quiet: no progress line
    assert "16 parameter points (4 trajectories x (3 + 1))" in outcome.out
    assert sorted(path.name for path in out.iterdir()) == [
        "manifest.json", "morris.csv", "outputs.csv", "points.csv"]
    table = pd.read_csv(out / "morris.csv")
    assert list(table.columns) == ["parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["method"], manifest["trajectories"], manifest["levels"],
            manifest["points"]) == ("morris", 4, 4, 16)
    points = pd.read_csv(out / "points.csv")
    assert len(points) == 16 and list(points["step"][:4]) == [0, 1, 2, 3]
    scope = redone(out, monkeypatch, "salib", "sample")
    np.testing.assert_array_equal(scope["X_again"], scope["X"])
    for column in ("mu", "mu_star", "mu_star_conf", "sigma"):
        np.testing.assert_allclose(scope["Si"][column], table[column], rtol=1e-12, atol=1e-15)
    assert table.set_index("parameter")["mu_star"].idxmax() == "barrier_weight"


@pytest.mark.parametrize(("sample", "key"), [
    ('[sample]\nmethod = "sobol"\nsize = 8\ntrajectories = 4\n', "sample.trajectories"),
    ('[sample]\nmethod = "latin_hypercube"\nsize = 8\nlevels = 4\n', "sample.levels"),
    ('[sample]\nmethod = "morris"\ntrajectories = 4\nsize = 8\n', "sample.size"),
    ('[sample]\nmethod = "morris"\ntrajectories = 4\nlevels = 5\n', "sample.levels"),
    ('[sample]\nmethod = "morris"\ntrajectories = 1\n', "sample.trajectories"),
    ('[sample]\nmethod = "morris"\ntrajectoires = 4\n', "sample.trajectoires"),
    ('[sample]\nmethod = "latin_hypercube"\nsize = 8\n', "sample.method"),
])
def test_a_bad_sample_is_refused_in_one_line_and_nothing_is_written(capsys, in_tmp_path,
                                                                    sample, key):
    path = tiny(in_tmp_path, sample)
    outcome = teamsim(capsys, "sensitivity", path, "--workers", "1",
                      "--out", in_tmp_path / "out")
    assert_one_error_line(outcome, "tiny.toml", key)
    assert not (in_tmp_path / "out").exists()


def test_a_sensitivity_of_other_keys_than_model_constants_is_refused(capsys, in_tmp_path):
    path = tiny(in_tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace(
        '"parameters.trust_gain"', '"leader.attention_hours" = [2, 8]\n"parameters.trust_gain"'),
        encoding="utf-8")
    outcome = teamsim(capsys, "sensitivity", path, "--out", in_tmp_path / "out")
    assert_one_error_line(outcome, "tiny.toml", "sample.bounds.leader.attention_hours")
    assert not (in_tmp_path / "out").exists()


def test_check_reports_the_true_number_of_points_of_a_sensitivity_design(capsys, in_tmp_path):
    sobol_file, morris_file = tiny(in_tmp_path), tiny(in_tmp_path, MORRIS, "screen")
    outcome = teamsim(capsys, "check", sobol_file, morris_file)
    assert outcome.code == 0, outcome.err
    sobol_line, morris_line = outcome.out.splitlines()
    # n (d + 2) = 8 x 5 for Sobol, r (d + 1) = 4 x 4 for Morris; a sweep of the Sobol
    # sample still runs its 8 points.
    assert ("`teamsim sensitivity` evaluates 40 parameter points (8 base samples x (3 + 2)) "
            "x 2 replications: 80 runs") in sobol_line
    assert "8 settings x 2 replications" in sobol_line
    assert ("`teamsim sensitivity` evaluates 16 parameter points (4 trajectories x (3 + 1)) "
            "x 2 replications: 32 runs") in morris_line
    assert "settings" not in morris_line


def test_a_sweep_refuses_a_morris_design(capsys, in_tmp_path):
    outcome = teamsim(capsys, "sweep", tiny(in_tmp_path, MORRIS), "--workers", "1",
                      "--quiet", "--out", in_tmp_path / "out")
    assert_one_error_line(outcome, "tiny.toml", "sample.method", "teamsim sensitivity")
    assert not (in_tmp_path / "out").exists()
