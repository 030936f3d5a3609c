"""The gap decomposition: the Shapley machinery recovers known answers on test functions,
the population's leaders are the model's own leader when their profile is hers, the shares
add up to the gap they explain, a dimension without effect gets nothing, the same seed
gives the same table, and `teamsim decompose` writes its four files or, on bad input,
one line and nothing."""

from __future__ import annotations

import dataclasses
import itertools
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import assert_one_error_line, teamsim

from simulation.analysis.decompose import CLARITY, antithetic_orders, decompose, shapley_gap
from simulation.analysis.leader_population import (
    DIMENSIONS,
    default_leader,
    run_leaders,
    sample_population,
)
from simulation.engines.batch import run_batch
from simulation.model import diagnosis
from simulation.model.scenario_files import load_scenario, with_overrides

TINY = with_overrides(load_scenario("baseline"), {"quarters": 2})
"""The baseline team over two quarters: enough for the machinery, fast to run."""


def exact_shapley(value, top: np.ndarray, bottom: np.ndarray) -> np.ndarray:
    """Shapley values of the hybrid game between two profiles, by enumerating every
    coalition (the reference the estimator is checked against)."""
    dims = len(top)
    phi = np.zeros(dims)
    for j in range(dims):
        others = [k for k in range(dims) if k != j]
        for size in range(dims):
            weight = math.factorial(size) * math.factorial(dims - size - 1) / math.factorial(dims)
            for coalition in itertools.combinations(others, size):
                without = bottom.copy()
                without[list(coalition)] = top[list(coalition)]
                with_j = without.copy()
                with_j[j] = top[j]
                phi[j] += weight * (value(with_j[None])[0] - value(without[None])[0])
    return phi


def profiles(pairs: int = 6, dims: int = 4, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.uniform(size=(pairs, dims)), rng.uniform(size=(pairs, dims))


# --- the Shapley machinery on functions with known answers -------------------------------


def test_an_additive_function_gets_exactly_its_terms():
    beta = np.array([1.5, -2.0, 0.5, 0.0])
    top, bottom = profiles()
    game = shapley_gap(lambda x: x @ beta, top, bottom,
                       antithetic_orders(4, 2, np.random.default_rng(1)))
    np.testing.assert_allclose(game.contributions.mean(axis=(0, 1)),
                               beta * (top - bottom).mean(axis=0), atol=1e-12)
    np.testing.assert_allclose(game.alone.mean(axis=(0, 1)),
                               beta * (top - bottom).mean(axis=0), atol=1e-12)


def test_reversed_orders_split_two_way_interactions_exactly():
    def value(x: np.ndarray) -> np.ndarray:
        return x[:, 0] * x[:, 1] + 3.0 * x[:, 2] * x[:, 3] + x[:, 0] ** 2 - x[:, 3]

    top, bottom = profiles()
    game = shapley_gap(value, top, bottom, antithetic_orders(4, 2, np.random.default_rng(2)))
    expected = np.mean([exact_shapley(value, top[p], bottom[p]) for p in range(len(top))],
                       axis=0)
    np.testing.assert_allclose(game.contributions.mean(axis=(0, 1)), expected, atol=1e-12)
    # the part from interactions is what the dimension did not do alone
    assert np.abs(game.contributions - game.alone).max() > 0.01


def test_the_shares_add_up_to_the_gap_whatever_the_interactions():
    def value(x: np.ndarray) -> np.ndarray:  # a three-way interaction, two replications
        three = np.sin(3 * x[:, 0]) * x[:, 1] * np.exp(x[:, 2])
        return np.column_stack([three, three + x[:, 3] ** 3])

    top, bottom = profiles()
    game = shapley_gap(value, top, bottom, antithetic_orders(4, 4, np.random.default_rng(3)))
    np.testing.assert_allclose(game.contributions.sum(axis=2), game.gap, atol=1e-12)
    np.testing.assert_allclose(game.gap, value(top) - value(bottom), atol=1e-12)


def test_a_dimension_the_outcome_ignores_gets_nothing():
    top, bottom = profiles()
    game = shapley_gap(lambda x: np.exp(x[:, 0]) * x[:, 1] + x[:, 3], top, bottom,
                       antithetic_orders(4, 2, np.random.default_rng(4)))
    assert np.all(game.contributions[..., 2] == 0.0)
    assert np.all(game.alone[..., 2] == 0.0)


def test_orders_come_in_reversed_pairs_of_every_dimension():
    orders = antithetic_orders(5, 6, np.random.default_rng(5))
    assert orders.shape == (6, 5)
    for forward, backward in zip(orders[::2], orders[1::2], strict=True):
        assert sorted(forward) == list(range(5))
        np.testing.assert_array_equal(forward[::-1], backward)
    with pytest.raises(ValueError, match="even"):
        antithetic_orders(5, 3, np.random.default_rng(5))


# --- the population ----------------------------------------------------------------------


def test_a_population_leader_with_the_scenarios_profile_is_the_scenarios_leader():
    """Her standards at the default leader's, no habits, the scenario's hours, accuracy,
    bias, blame and systems: the same numbers as the scenario's own runs."""
    for changes in ({}, {"leader.bias_strength": 0.3, "leader.diagnostic_accuracy": 0.6,
                         "leader.systems_share": 0.1, "leader.blame": 0.35,
                         "leader.attention_hours": 10.0, "leader.strategic_clarity": 0.5}):
        config = with_overrides(TINY, changes)
        theirs = run_batch(config, 7, range(4)).quarterly_frame()
        ours = run_leaders(TINY, default_leader(config)[None, :], 7, 4)
        np.testing.assert_array_equal(
            ours[0], theirs.loc[theirs.quarter == 2, "team_output"].to_numpy())


def test_the_per_run_bias_reads_as_the_models_bias():
    gaps = np.random.default_rng(6).uniform(size=(3, 8, 5))
    for strength in (0.0, 0.25, 0.8):
        np.testing.assert_array_equal(
            diagnosis.biased(gaps, diagnosis.CAUSE["motivation"], np.full((3, 1, 1), strength)),
            diagnosis.biased(gaps, diagnosis.CAUSE["motivation"], strength))


def test_the_population_spans_every_range_and_takes_each_level_equally_often():
    leaders = sample_population(64, seed=8)
    for j, dimension in enumerate(DIMENSIONS):
        column = leaders[:, j]
        assert dimension.low <= column.min() and column.max() <= dimension.high
        if dimension.scale in ("lattice", "choices"):
            levels, counts = np.unique(column, return_counts=True)
            count = dimension.levels if dimension.scale == "lattice" else len(dimension.choices)
            assert len(levels) == count and set(counts) == {64 // count}
        else:  # a Latin hypercube: one leader in each of 64 equal strata of the unit
            strata = np.floor(dimension.units(column) * 64)
            assert len(set(strata)) == 64
    np.testing.assert_array_equal(leaders, sample_population(64, seed=8))


def test_a_population_leader_holds_her_cadence_and_her_trust_behaviours():
    """The feedback cadence reaches the scenario by name, and the trust behaviours' habit
    spends its hours on care, candour and transparency in equal parts."""
    from simulation.analysis.leader_population import (
        Profiles,
        configured_value,
        leader_config,
    )
    from simulation.model import interventions as iv

    cadence = next(d for d in DIMENSIONS if d.name == "feedback_cadence")
    assert [configured_value(cadence, weeks) for weeks in cadence.choices] == [
        "weekly", "fortnightly", "quarterly", "annual"]
    assert leader_config(TINY, {"leader.feedback_cadence": "annual"}).leader.feedback_cadence \
        == "annual"
    trust = next(j for j, d in enumerate(DIMENSIONS) if d.name == "trust_behaviours")
    profile = np.tile(default_leader(TINY), (1, 1))
    profile[0, trust] = 0.24
    habits = Profiles.of(profile, DIMENSIONS).habits[0]
    for act in ("care", "candour", "transparency"):
        assert habits[iv.index(act)] == pytest.approx(0.08)
    assert habits.sum() == pytest.approx(0.24)
    annual = profile.copy()
    annual[0, next(j for j, d in enumerate(DIMENSIONS) if d.name == "feedback_cadence")] = 52.0
    weekly_out, annual_out = run_leaders(TINY, np.vstack([profile, annual]), 3, 4)
    assert not np.allclose(weekly_out, annual_out)


def test_p21_reads_the_leaders_own_strategic_clarity():
    (dimension,) = [d for d in DIMENSIONS if d.name == CLARITY]
    assert dimension.kind == "leader.strategic_clarity" and dimension.configured
    assert dimension.low < load_scenario("baseline").environment.direction_clarity < dimension.high


def test_three_leaders_in_four_micromanage_at_most_a_twentieth_of_their_hours():
    names = [d.name for d in DIMENSIONS]
    micromanaging = sample_population(400, seed=9)[:, names.index("micromanagement")]
    assert np.mean(micromanaging <= 0.05) == pytest.approx(0.75, abs=0.005)
    assert micromanaging.min() >= 0.0 and 0.2 < micromanaging.max() <= 0.25
    (dimension,) = [d for d in DIMENSIONS if d.name == "micromanagement"]
    units = np.linspace(0, 1, 11)
    np.testing.assert_allclose(dimension.units(dimension.values(units)), units, atol=1e-12)


# --- the decomposition on the simulator --------------------------------------------------


@pytest.fixture(scope="module")
def small_decomposition():
    """A small decomposition in which the leader reads without error (so her accuracy
    changes nothing) and empowerment is the same for every leader."""
    config = with_overrides(TINY, {"parameters.observation_noise": 0.0})
    fixed = tuple(dataclasses.replace(d, low=0.1, high=0.1) if d.name == "empowerment"
                  else d for d in DIMENSIONS)
    return decompose(config, leaders=16, replications=2, seed=11, resamples=200,
                     dimensions=fixed)


def test_the_shapley_values_sum_to_the_explained_gap(small_decomposition):
    table = small_decomposition.table
    assert table["contribution"].sum() == pytest.approx(small_decomposition.explained_gap,
                                                        abs=1e-12)
    assert table["share"].sum() == pytest.approx(1.0, abs=1e-12)
    assert small_decomposition.explained_gap > 0
    assert len(small_decomposition.top) == len(small_decomposition.bottom) == 4


def test_a_dimension_without_effect_or_fixed_gets_no_share(small_decomposition):
    table = small_decomposition.table.set_index("dimension")
    for name in ("diagnostic_accuracy", "empowerment"):
        assert table.loc[name, "contribution"] == 0.0
        assert table.loc[name, "share_low"] == 0.0 == table.loc[name, "share_high"]
    assert table.loc["micromanagement", "contribution"] != 0.0  # one that acts does get some


def test_the_same_seed_gives_the_same_table_and_another_seed_another():
    first = decompose(TINY, leaders=8, replications=2, seed=3, resamples=100).table
    again = decompose(TINY, leaders=8, replications=2, seed=3, resamples=100).table
    other = decompose(TINY, leaders=8, replications=2, seed=4, resamples=100).table
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["contribution"], other["contribution"])


# --- the command line ---------------------------------------------------------------------

SMALL = """\
name = "tiny"
quarters = 2
"""
FILES = ["decomposition.csv", "decomposition.md", "decomposition.png", "manifest.json"]


def test_decompose_writes_the_table_its_csv_the_figure_and_a_manifest(capsys, in_tmp_path):
    Path("tiny.toml").write_text(SMALL, encoding="utf-8")
    outcome = teamsim(capsys, "decompose", "tiny.toml", "--leaders", "16",
                      "--replications", "2", "--resamples", "200", "--seed", "5")
    folder = in_tmp_path / "results" / "decompose" / "tiny"
    assert outcome.code == 0, outcome.err
    assert sorted(p.name for p in folder.iterdir()) == FILES
    assert "Strategic clarity" in outcome.out and "wrote" in outcome.out
    table = pd.read_csv(folder / "decomposition.csv")
    assert list(table["dimension"]) == [d.name for d in DIMENSIONS]
    assert {"share", "share_low", "share_high", "contribution", "alone"} <= set(table)
    assert (folder / "decomposition.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    page = (folder / "decomposition.md").read_text(encoding="utf-8")
    assert "| Strategic clarity |" in page and "P21's band" in page
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["leaders"] == 16 and manifest["seed"] == 5
    assert manifest["configuration"]["quarters"] == 2
    assert [d["name"] for d in manifest["dimensions"]] == list(table["dimension"])
    assert manifest["explained_gap"] == pytest.approx(table["contribution"].sum())


@pytest.mark.parametrize(("argv", "key"), [
    (["--leaders", "4"], "--leaders"),
    (["--replications", "1"], "--replications"),
    (["--permutations", "3"], "--permutations"),
    (["--resamples", "10"], "--resamples"),
    (["--outcome", "happiness"], "--outcome"),
    (["--quarter", "9"], "--quarter"),
    (["--seed", "-1"], "--seed"),
    (["--leaders", "100000000"], "--leaders"),
    (["no_such_team"], "no_such_team"),
], ids=["leaders", "replications", "permutations", "resamples", "outcome", "quarter",
        "seed", "too-much-work", "scenario"])
def test_decompose_bad_input_exits_2_in_one_line_and_writes_nothing(capsys, in_tmp_path,
                                                                    argv, key):
    Path("tiny.toml").write_text(SMALL, encoding="utf-8")
    scenario = [] if argv[0] == "no_such_team" else ["tiny.toml"]
    outcome = teamsim(capsys, "decompose", *scenario, *argv, "--out", "out")
    assert_one_error_line(outcome, key)
    assert not (in_tmp_path / "out").exists() and not (in_tmp_path / "results").exists()


def test_decompose_refuses_a_folder_holding_other_files(capsys, in_tmp_path):
    Path("tiny.toml").write_text(SMALL, encoding="utf-8")
    Path("out").mkdir()
    Path("out/notes.txt").write_text("mine", encoding="utf-8")
    outcome = teamsim(capsys, "decompose", "tiny.toml", "--leaders", "8", "--out", "out")
    assert_one_error_line(outcome, "--out", "--overwrite")
    assert sorted(p.name for p in Path("out").iterdir()) == ["notes.txt"]
