"""Global sensitivity analysis: Sobol indices against a function with known indices, and
per-run parameters in the batched engine."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from simulation import load_scenario
from simulation.analysis.sensitivity import model_function, sobol
from simulation.engines.batch import run_batch, stack_parameters
from simulation.model.config import Parameters
from simulation.model.scenario_files import with_overrides

# Ishigami & Homma (1990), a = 7, b = 0.1: the analytic indices (Sobol & Levitan 1999).
ISHIGAMI_FIRST = [0.3139, 0.4424, 0.0]
ISHIGAMI_TOTAL = [0.5576, 0.4424, 0.2437]


def ishigami(x: np.ndarray) -> np.ndarray:
    return np.sin(x[0]) + 7 * np.sin(x[1]) ** 2 + 0.1 * x[2] ** 4 * np.sin(x[0])


def test_sobol_indices_of_the_ishigami_function_match_the_analytic_values():
    bounds = [(-np.pi, np.pi)] * 3
    indices = sobol(ishigami, ["x1", "x2", "x3"], bounds, 4096, seed=1, resamples=200)
    table = indices.table.set_index("parameter")
    np.testing.assert_allclose(table["first_order"], ISHIGAMI_FIRST, atol=0.03)
    np.testing.assert_allclose(table["total_order"], ISHIGAMI_TOTAL, atol=0.03)
    assert (table["first_low"] <= table["first_order"]).all()
    assert (table["total_high"] >= table["total_order"]).all()
    assert indices.evaluations == 4096 * 5


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


def test_an_unknown_parameter_is_refused():
    with pytest.raises(KeyError, match="unknown parameter"):
        model_function(load_scenario("baseline"), ["nope"], "team_output", 1, 2, 1, 1)


def test_teamsim_sensitivity_writes_its_table_and_chart(capsys, in_tmp_path):
    from conftest import teamsim

    (in_tmp_path / "tiny.toml").write_text(
        'name = "tiny"\nscenarios = ["short.toml"]\nreplications = 2\nseed = 3\n'
        'outcomes = ["team_output"]\n[sample]\nmethod = "sobol"\nsize = 8\n'
        '[sample.bounds]\n"parameters.train_rate" = [0.01, 0.08]\n'
        '"parameters.trust_gain" = [0.001, 0.01]\n', encoding="utf-8")
    (in_tmp_path / "short.toml").write_text('name = "short"\nquarters = 2\n',
                                            encoding="utf-8")
    outcome = teamsim(capsys, "sensitivity", in_tmp_path / "tiny.toml", "--workers", "1",
                      "--out", in_tmp_path / "out")
    assert outcome.code == 0, outcome.err
    table = pd.read_csv(in_tmp_path / "out" / "sobol.csv")
    assert list(table["parameter"]) == ["train_rate", "trust_gain"]
    assert (in_tmp_path / "out" / "sobol.png").read_bytes()[:4] == b"\x89PNG"
