"""The compiled engine (issue 17): the week traced by JAX from the one source, the same runs
as the numpy engine, one program for scenarios that differ only in numbers, and the engine
choice (the equality with the Mesa model on every shipped scenario is in test_batch.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulation.engines import batch, compiled
from simulation.engines.batch import run_batch, stack_parameters
from simulation.experiments.simulate import simulate
from simulation.model import arrays, strategies
from simulation.model.scenario_files import load_scenario, with_overrides

SEED = 20261204
"""A base seed no other test uses."""
TOLERANCE = 1e-9


def numbers(frame: pd.DataFrame) -> np.ndarray:
    return frame.select_dtypes("number").to_numpy(float)


def both(config, reps, **options) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The quarterly tables of the numpy and the compiled engine."""
    return tuple(run_batch(config, SEED, reps, engine=engine, **options).quarterly_frame()
                 for engine in ("numpy", "compiled"))


def test_a_weekly_member_record_is_the_numpy_engines():
    config = with_overrides(load_scenario("high_turnover"), {"quarters": 3})
    ran = {engine: run_batch(config, SEED, range(5), member_detail=True, engine=engine)
           for engine in ("numpy", "compiled")}
    first, second = ran["numpy"].record, ran["compiled"].record
    for name in first.states:
        np.testing.assert_allclose(second.member_states[name], first.member_states[name],
                                   rtol=0, atol=TOLERANCE)
    np.testing.assert_array_equal(second.member_ids, first.member_ids)
    assert first.events["hires"].sum() > 0  # new members were numbered on both engines


def test_per_run_parameters_of_a_sensitivity_analysis_are_each_runs_own():
    config = with_overrides(load_scenario("baseline"), {"quarters": 2})
    base = config.parameters
    sets = [base, type(base)(**{**vars(base), "train_rate": base.train_rate * 3}),
            type(base)(**{**vars(base), "observation_noise": 0.0})]
    numpy_frame, compiled_frame = both(config, range(3), parameters=stack_parameters(sets))
    np.testing.assert_allclose(numbers(compiled_frame), numbers(numpy_frame), rtol=0,
                               atol=TOLERANCE)
    alone = run_batch(config, SEED, [1], engine="compiled").quarterly_frame()
    assert not np.allclose(numbers(alone), numbers(compiled_frame[compiled_frame.replication
                                                                  == 1]))


def test_padding_a_block_does_not_change_its_runs():
    config = with_overrides(load_scenario("crisis_heavy_year"), {"quarters": 2})
    few = run_batch(config, SEED, [4, 9, 2], engine="compiled").quarterly_frame()
    many = run_batch(config, SEED, range(70), engine="compiled").quarterly_frame()
    chosen = pd.concat([many[many.replication == k] for k in (4, 9, 2)], ignore_index=True)
    pd.testing.assert_frame_equal(few, chosen)


def test_scenarios_that_differ_only_in_numbers_share_one_compiled_program():
    config = with_overrides(load_scenario("baseline"), {"quarters": 2})
    run_batch(config, SEED, range(2), engine="compiled")
    before = compiled._program.cache_info()
    other = with_overrides(config, {"leader.attention_hours": 9.0, "team.trust": 0.2,
                                    "parameters.train_rate": 0.05})
    numpy_frame, compiled_frame = both(other, range(2))
    after = compiled._program.cache_info()
    assert after.misses == before.misses and after.hits > before.hits
    np.testing.assert_allclose(numbers(compiled_frame), numbers(numpy_frame), rtol=0,
                               atol=TOLERANCE)


def test_the_scenarios_numbers_split_off_and_join_back():
    config = load_scenario("attention_withdrawn")
    key, values = compiled.split_config(config)
    assert key.leader.attention_hours == 0.0 and key.name == ""
    assert compiled.joined_config(key, values).leader == config.leader
    assert compiled.split_config(with_overrides(config, {"team.trust": 0.1}))[0] == key


def test_a_plugin_strategy_runs_on_numpy_and_says_why_it_cannot_compile():
    def all_coaching(observation, hours):
        return np.broadcast_to(np.eye(len(batch.iv.NAMES))[2], (*observation.shape,
                                                               len(batch.iv.NAMES))) * 0.1

    strategies.register("all_coaching", all_coaching, replace=True)
    config = with_overrides(load_scenario("baseline"), {"quarters": 1,
                                                        "leader.strategy": "all_coaching"})
    assert "not a built-in strategy" in compiled.unsupported(config)
    assert batch.chosen_engine(config, 10_000) == "numpy"
    with pytest.raises(ValueError, match="compiled engine cannot run"):
        run_batch(config, SEED, range(2), engine="compiled")


def test_the_learning_leader_keeps_a_memory_so_runs_on_numpy():
    config = load_scenario("leader_who_learns")
    assert "memory" in compiled.unsupported(config)
    assert batch.chosen_engine(config, 10_000) == "numpy"


def test_auto_compiles_only_batches_that_repay_it():
    config = load_scenario("baseline")
    assert batch.chosen_engine(config, batch.COMPILED_MIN_RUNS - 1) == "numpy"
    assert batch.chosen_engine(config, batch.COMPILED_MIN_RUNS) == "compiled"
    assert batch.chosen_engine(config, 5, engine="numpy") == "numpy"
    with pytest.raises(ValueError, match="engine must be one of"):
        batch.chosen_engine(config, 5, engine="gpu")


def test_simulate_selects_the_compiled_engine_by_name():
    frame = simulate("baseline", replications=3, seed=SEED, engine="compiled", quarters=1)
    expected = simulate("baseline", replications=3, seed=SEED, engine="numpy", quarters=1)
    np.testing.assert_allclose(numbers(frame), numbers(expected), rtol=0, atol=TOLERANCE)


def test_the_numpy_names_are_numpys_again_after_compiling():
    run_batch(with_overrides(load_scenario("baseline"), {"quarters": 1}), SEED, range(2),
              engine="compiled")
    assert not arrays.is_traced()
    assert arrays.np.exp is np.exp and arrays.np.where is np.where


def test_a_shortcut_is_skipped_only_where_it_changes_nothing():
    assert arrays.maybe(np.array([0, 1]).any()) and not arrays.maybe(np.zeros(2).any())
    assert arrays.known(np.ones(2).all()) and not arrays.known(np.zeros(2).all())
    with arrays.compiling():
        assert arrays.maybe(False) and not arrays.known(True)


def test_the_helpers_write_in_place_on_numpy_and_return_new_arrays_on_jax():
    target = np.zeros(3)
    assert arrays.put(target, 1, 5.0) is target and target[1] == 5.0
    assert arrays.add(target, 1, 1.0) is target and target[1] == 6.0
    np.testing.assert_array_equal(arrays.divide(np.ones(2), np.array([0.0, 2.0]),
                                                where=np.array([False, True])), [0.0, 0.5])
    jax = compiled._jax()
    with arrays.compiling():
        traced = jax.jit(lambda x: arrays.put(x, 1, 5.0))(np.zeros(3))
    assert np.asarray(traced).tolist() == [0.0, 5.0, 0.0]


def test_fitting_a_plan_into_a_short_week_cancels_the_same_members_compiled():
    from simulation.model import equations

    rng = np.random.default_rng(3)
    planned = rng.exponential(1.0, (200, 6, 4)) * (rng.random((200, 6, 1)) < 0.8)
    planned[:20, 1] = planned[:20, 2]  # equal plans: the lower slot is cancelled first
    hours_left = rng.uniform(0.0, 30.0, 200)
    expected = equations.allocate_hours(planned, hours_left)
    jax = compiled._jax()

    def fitted(plans, hours):
        with arrays.compiling():
            return equations.allocate_hours(plans, hours)

    granted, cancelled = jax.jit(fitted)(planned, hours_left)
    assert 0 < expected[1].sum() < expected[1].size  # some members cancelled, not all
    np.testing.assert_array_equal(np.asarray(cancelled), expected[1])
    np.testing.assert_allclose(np.asarray(granted), expected[0], rtol=0, atol=1e-12)
