"""What a researcher's own analysis needs from Python: one call to a tidy table
(`simulation.simulate`), its array and xarray forms, a whole design in one call, member
detail and identities for any number of batched runs, the state before the first week,
and effect sizes on individuals beside those on teams."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simulation
from simulation import ConfigError, TeamModel
from simulation.engines import batch
from simulation.experiments.individual_effects import effect_sizes, icc1
from simulation.experiments.stats import cohens_d
from simulation.model.metrics import outcome_columns
from simulation.model.scenario_files import load_scenario, with_overrides


def test_simulate_gives_the_tidy_table_of_either_engine_with_scenario_keys_as_keywords():
    frame = simulation.simulate("baseline", replications=3, seed=7, quarters=2,
                                leader__attention_hours=5)
    assert list(frame.columns[:5]) == ["scenario", "strategy", "seed", "replication",
                                       "quarter"]
    assert list(frame.columns[5:]) == outcome_columns()
    assert len(frame) == 6 and set(frame.seed) == {7}
    mesa = simulation.simulate("baseline", replications=3, seed=7, quarters=2,
                               leader__attention_hours=5, engine="mesa")
    numbers = frame.select_dtypes("number").columns
    np.testing.assert_allclose(frame[numbers].to_numpy(float), mesa[numbers].to_numpy(float),
                               rtol=1e-9, atol=1e-12)
    fewer_hours = simulation.simulate("baseline", replications=3, seed=7, quarters=2,
                                      leader__attention_hours=2)
    assert fewer_hours.hours_planned.sum() < frame.hours_planned.sum()
    with pytest.raises(ConfigError, match="replications"):
        simulation.simulate("baseline", replications=0)
    with pytest.raises(ConfigError, match="engine"):
        simulation.simulate("baseline", engine="fast")  # type: ignore[arg-type]


def test_the_array_and_the_cube_hold_the_tables_numbers():
    frame = simulation.simulate("baseline", replications=4, seed=3, quarters=3)
    array = simulation.simulate_array("baseline", replications=4, seed=3, quarters=3)
    assert array.values.shape == (4, 3, len(outcome_columns()))
    np.testing.assert_array_equal(array.outcome("trust_mean"),
                                  frame.trust_mean.to_numpy().reshape(4, 3))
    cube = simulation.to_cube(frame)
    assert cube.dims == ("run", "quarter", "outcome")
    assert float(cube.sel(outcome="team_output", quarter=3).mean("run")) == pytest.approx(
        frame[frame.quarter == 3].team_output.mean())
    assert cube.sel(replication=2, outcome="capability_mean").values.ravel().tolist() == \
        frame[frame.replication == 2].capability_mean.tolist()
    with pytest.raises(ValueError, match="every quarter"):
        simulation.to_cube(frame.iloc[1:])


def test_a_design_runs_in_one_call_with_common_random_numbers_across_its_points():
    points = [{"leader__attention_hours": 4}, {"leader__attention_hours": 10},
              {"parameters__train_rate": 0.02}, {"parameters__train_rate": 0.08},
              {"leader__strategy": "hands_off"}]
    design = simulation.simulate_design(points, "baseline", replications=3, seed=5,
                                        quarters=2)
    assert design.quarter.max() == 2 and "quarters" not in design.columns  # common to all
    assert list(design.columns[:3]) == ["point", "leader__attention_hours",
                                        "parameters__train_rate"]
    assert sorted(design.point.unique()) == [0, 1, 2, 3, 4]
    for index, point in enumerate(points):
        alone = simulation.simulate("baseline", replications=3, seed=5, quarters=2, **point)
        rows = design[design.point == index]
        np.testing.assert_allclose(rows.team_output, alone.team_output, rtol=1e-12)
        assert set(rows.strategy) == set(alone.strategy)
    last = design[design.quarter == design.quarter.max()].groupby("point").hours_train.mean()
    assert last[4] == 0  # hands-off trains nobody
    frame = pd.DataFrame({"leader__attention_hours": [3, 9]})
    as_frame = simulation.simulate_design(frame, replications=2, seed=5, engine="mesa")
    assert as_frame.groupby("point").hours_planned.sum().is_monotonic_increasing
    with pytest.raises(ConfigError, match=r"point 1.*leader\.hourz"):
        simulation.simulate_design([{}, {"leader__hourz": 1}])


def test_member_detail_and_identities_span_every_block_and_every_departure(monkeypatch):
    monkeypatch.setattr(batch, "BLOCK", 2)
    config = with_overrides(load_scenario("high_turnover"), {"quarters": 4})
    result = batch.run_batch(config, 5, range(5), member_detail=True)
    assert len(result.records) == 3
    record = result.record  # one record of all five runs
    assert record.member_states["motivation"].shape == (config.weeks, 5, config.team.size)
    assert record.member_ids.max() > config.team.size + 1  # new hires got new numbers
    for k in range(5):
        model = TeamModel(config, seed=5, replication=k).run()
        mesa_members = model.member_frame()
        batched_members = record.member_frame(config.weeks, run=k)
        np.testing.assert_array_equal(mesa_members.member_id, batched_members.member_id)
        np.testing.assert_allclose(mesa_members.motivation, batched_members.motivation,
                                   rtol=1e-9)
        np.testing.assert_array_equal(model.initial_state.capability,
                                      result.initial_state.capability[k])
    assert result.initial_state.trust.shape == (5, config.team.size)


def test_the_state_before_the_first_week_is_kept_as_the_run_starts():
    model = TeamModel("baseline", seed=2)
    start = model.initial_state.motivation.copy()
    model.run()
    np.testing.assert_array_equal(model.initial_state.motivation, start)
    assert not np.allclose(model.state.motivation, start)


def test_effect_sizes_on_individuals_are_smaller_than_on_teams_by_the_icc():
    sizes = effect_sizes({"leader__strategy": "coach"}, {"leader__strategy": "hands_off"},
                         measure="capability", quarter=4, replications=40, seed=3)
    assert 0 < sizes.individual_d < sizes.team_d
    assert 0 < sizes.icc < 1
    members = sum(sizes.individuals) / 2 / sizes.teams
    predicted = sizes.individual_d / np.sqrt(sizes.icc + (1 - sizes.icc) / members)
    assert sizes.team_d == pytest.approx(predicted, rel=0.25)
    with pytest.raises(ConfigError, match="measure"):
        effect_sizes({}, measure="happiness")


def test_icc_is_the_share_of_the_spread_between_teams():
    rng = np.random.default_rng(1)
    teams = rng.normal(0, 1, (400, 1)) + rng.normal(0, 1, (400, 10))  # half between
    active = np.ones_like(teams, dtype=bool)
    assert icc1(teams, active) == pytest.approx(0.5, abs=0.06)
    alike = np.zeros((50, 1)) + rng.normal(0, 1, (50, 10))
    assert abs(icc1(alike, np.ones_like(alike, dtype=bool))) < 0.05
    assert cohens_d([0, 1, 2], [1, 2, 3]) == pytest.approx(1.0)


def test_a_copy_of_the_registry_races_ones_own_strategy_against_the_built_ins():
    from simulation.model import strategies

    mine = strategies.REGISTRY.copy()
    mine.register("my_trainer", lambda observation, hours: strategies.spread(
        observation.active[..., None] * strategies.profile(train=1.0), hours),
        vectorised=True)
    assert "my_trainer" in mine and "my_trainer" not in strategies.REGISTRY
    assert set(strategies.REGISTRY.names()) < set(mine.names())
    design = simulation.simulate_design(
        [{"leader__strategy": "coach"}, {"leader__strategy": "my_trainer"}],
        replications=2, seed=1, quarters=1, registry=mine)
    hours = design.groupby("point")[["hours_train", "hours_coach"]].sum()
    assert hours.loc[1, "hours_train"] > 0 and hours.loc[1, "hours_coach"] == 0
    sizes = effect_sizes({"leader__strategy": "my_trainer"}, {"leader__strategy": "coach"},
                         measure="capability", quarter=1, replications=3, registry=mine)
    assert np.isfinite(sizes.individual_d)
