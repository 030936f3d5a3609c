"""Randomness as a pure function of where a number is used (seed, replication, stream,
week, member slot, draw): the same numbers for every driver of a run, and common random
numbers between teams of different sizes and runs of different lengths."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from simulation import TeamModel
from simulation.engines.batch import run_batch
from simulation.model import randomness
from simulation.model.randomness import (
    GOLDEN,
    LAYOUT,
    draw_batch_noise,
    draw_run_noise,
    mix,
    noise_shapes,
    number,
)
from simulation.model.scenario_files import load_scenario, with_overrides


def test_the_hash_is_splitmix64s_finaliser():
    # SplitMix64 seeded with 0 gives mix(k * GOLDEN) as its k-th output (Steele, Lea and
    # Flood 2014; the reference implementation's first three outputs).
    outputs = mix(np.array([GOLDEN * k % 2**64 for k in (1, 2, 3)], dtype=np.uint64))
    assert [int(x) for x in outputs] == [0xE220A8397B1DCDAF, 0x6E789E6AA1B965F4,
                                         0x06C45D188009454F]


def test_every_number_is_the_function_of_its_address():
    noise = draw_batch_noise(9, [0, 4, 17], 26, 5)
    for run, replication in enumerate((0, 4, 17)):
        assert noise.observation[run, 3, 2, 6] == number(9, replication, "observation", 3, 2, 6)
        assert noise.turnover[run, 25, 4] == number(9, replication, "turnover", 25, 4)
        assert noise.crisis[run, 11] == number(9, replication, "crisis", 11)
        assert noise.team_reading[run, 7, 5] == number(9, replication, "team_reading", 7,
                                                       draw=5)
        assert noise.initial[run, 1, 7] == number(9, replication, "initial", slot=1, draw=7)
        assert noise.work[run, 0] == number(9, replication, "work")


def test_a_run_draws_the_same_numbers_alone_or_in_any_batch():
    alone = draw_run_noise(3, 7, 39, 6)
    for batch, index in (([7], 0), ([3, 7, 100], 1), (list(range(50)), 7)):
        together = draw_batch_noise(3, batch, 39, 6)
        for name in noise_shapes(39, 6):
            np.testing.assert_array_equal(getattr(together, name)[index], getattr(alone, name),
                                          err_msg=name)


def test_a_lent_batch_is_overwritten_with_the_same_numbers_as_a_fresh_one():
    lent = draw_batch_noise(1, list(range(40)), 13, 4)
    fresh = draw_batch_noise(2, list(range(30)), 13, 4)
    reused = draw_batch_noise(2, list(range(30)), 13, 4, into=lent)
    for name in noise_shapes(13, 4):
        np.testing.assert_array_equal(getattr(reused, name), getattr(fresh, name))


def test_a_members_noise_is_unchanged_when_the_team_grows():
    small = TeamModel("baseline", seed=21, replication=2, data_collection=False)
    large = TeamModel("baseline", seed=21, replication=2, data_collection=False,
                      team__size=12)
    members = small.config.team.size
    for name in noise_shapes(small.config.weeks, members):
        axes = randomness.AXES[name]
        if "slot" not in axes:
            np.testing.assert_array_equal(getattr(large.noise, name), getattr(small.noise, name))
            continue
        kept = tuple(slice(0, members) if axis == "slot" else slice(None) for axis in axes)
        np.testing.assert_array_equal(getattr(large.noise, name)[kept],
                                      getattr(small.noise, name), err_msg=name)
    # The same people start in the first slots of the larger team.
    np.testing.assert_array_equal(large.state.capability[:members], small.state.capability)
    assert not np.array_equal(large.noise.observation[:, members:],
                              large.noise.observation[:, :12 - members])


def test_a_longer_run_meets_the_same_weeks_first():
    year = draw_run_noise(5, 1, 52, 8)
    three = draw_run_noise(5, 1, 156, 8)
    for name in noise_shapes(52, 8):
        if "week" in randomness.AXES[name]:
            np.testing.assert_array_equal(getattr(three, name)[:52], getattr(year, name))
    short = run_batch(with_overrides(load_scenario("baseline"), {"quarters": 4}), 5, [1, 2])
    long = run_batch(load_scenario("baseline"), 5, [1, 2])
    np.testing.assert_allclose(long.record.team_output[:52], short.record.team_output,
                               rtol=0, atol=0)


def test_the_draws_are_standard_normals_and_uniforms():
    noise = draw_batch_noise(11, list(range(400)), 52, 8)
    for name, kind in LAYOUT:
        values = getattr(noise, name).reshape(-1)
        if kind == randomness.UNIFORM:
            assert values.min() > 0.0 and values.max() < 1.0
            assert stats.kstest(values, "uniform").pvalue > 1e-4, name
        elif values.size >= 400:
            assert stats.kstest(values, "norm").pvalue > 1e-4, name


@pytest.mark.parametrize("neighbour", ["replication", "week", "slot", "stream", "seed"])
def test_neighbouring_addresses_are_uncorrelated(neighbour):
    noise = draw_batch_noise(13, list(range(2000)), 4, 4)
    other = draw_batch_noise(14, list(range(2000)), 4, 4)
    base = noise.turnover[:, 1, 1]
    pair = {"replication": np.roll(base, 1), "week": noise.turnover[:, 2, 1],
            "slot": noise.turnover[:, 1, 2], "stream": noise.voice[:, 1, 1],
            "seed": other.turnover[:, 1, 1]}[neighbour]
    # Independent uniforms: the correlation of 2000 pairs has a standard error of 0.022.
    assert abs(np.corrcoef(base, pair)[0, 1]) < 0.1


def test_different_runs_and_seeds_meet_different_numbers():
    zero, one = draw_run_noise(1, 0, 13, 4), draw_run_noise(1, 1, 13, 4)
    elsewhere = draw_run_noise(2, 0, 13, 4)
    for name in noise_shapes(13, 4):
        assert not np.array_equal(getattr(zero, name), getattr(one, name)), name
        assert not np.array_equal(getattr(zero, name), getattr(elsewhere, name)), name


def test_the_largest_seed_and_replication_draw_finite_numbers():
    noise = draw_batch_noise(2**63 - 1, [0, 10**6, 2**40], 13, 3)
    for name in noise_shapes(13, 3):
        assert np.isfinite(getattr(noise, name)).all()


def test_an_address_out_of_range_is_refused():
    with pytest.raises(ValueError, match="does not fit"):
        randomness.address(1, 2**24, 0, 0)


def test_a_weeks_noise_computed_in_the_week_is_the_drawn_weeks():
    from simulation.engines import compiled
    from simulation.model import arrays

    reps, weeks, members = [0, 5, 9], 20, 6
    drawn = randomness.draw_batch_noise(7, reps, weeks, members)
    keys = randomness.run_keys(7, reps)
    jax = compiled._jax()

    def computed_in_the_week(k, w):
        with arrays.compiling():
            return randomness.week_noise(k, w, members, drawn.work[..., 0])

    traced = jax.jit(computed_in_the_week)
    for week in (0, 3, weeks - 1):
        computed = traced(keys, week)
        in_numpy = randomness.week_noise(keys, week, members, drawn.work)
        for name in randomness.WEEK_STREAMS:
            expected = getattr(drawn.week(week), name)
            np.testing.assert_array_equal(getattr(in_numpy, name), expected)
            if randomness.DISTRIBUTION[name] == randomness.UNIFORM:
                np.testing.assert_array_equal(np.asarray(getattr(computed, name)), expected)
            else:  # JAX's normal quantile, to rounding
                np.testing.assert_allclose(np.asarray(getattr(computed, name)), expected,
                                           rtol=0, atol=1e-12)
    ahead = randomness.draw_batch_noise(7, reps, weeks, members, weekly=False)
    assert ahead.observation.shape == (3, 0, members, drawn.observation.shape[-1])
    np.testing.assert_array_equal(ahead.initial, drawn.initial)
    np.testing.assert_array_equal(ahead.crisis, drawn.crisis)
