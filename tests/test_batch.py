"""The batched engine computes what the Mesa model computes (to 1e-9, in fact exactly)."""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulation import TeamModel
from simulation.engines import compiled
from simulation.engines.batch import run_batch
from simulation.experiments.replications import run_once
from simulation.model import interventions as iv
from simulation.model import strategies
from simulation.model.config import WEEKS_PER_QUARTER
from simulation.model.scenario_files import load_scenario, shipped_scenarios, with_overrides

SEEDS = 50
TOLERANCE = 1e-9
EQUALITY_SEED = 20261203
"""The base seed of the engines' equality test: one no other test uses, so that no test
elsewhere was ever tuned to the runs it compares (issue 17, item 4)."""


def mesa_runs(name: str, seed: int, count: int) -> pd.DataFrame:
    """`count` replications of a shipped scenario through the Mesa model."""
    config = load_scenario(name)
    return pd.concat([run_once(config, seed, k) for k in range(count)], ignore_index=True)


@pytest.fixture(scope="module")
def mesa_reference() -> dict[str, pd.DataFrame]:
    """Every shipped scenario, 50 seeds (replications), through the Mesa model, on two
    processes."""
    names = sorted(shipped_scenarios())
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(2, mp_context=context) as pool:
        frames = pool.map(mesa_runs, names, [EQUALITY_SEED] * len(names),
                          [SEEDS] * len(names))
        return dict(zip(names, frames, strict=True))


@pytest.mark.parametrize("name", sorted(shipped_scenarios()))
def test_batched_engine_matches_the_mesa_model_on_every_shipped_scenario(
        name, mesa_reference):
    batched = run_batch(load_scenario(name), EQUALITY_SEED, range(SEEDS)).quarterly_frame()
    expected = mesa_reference[name]
    assert list(batched.columns) == list(expected.columns)
    assert (batched[["scenario", "strategy"]] == expected[["scenario", "strategy"]]).all().all()
    numbers = expected.select_dtypes("number").columns
    np.testing.assert_allclose(batched[numbers].to_numpy(float),
                               expected[numbers].to_numpy(float), rtol=0, atol=TOLERANCE)


COMPILED = [name for name in sorted(shipped_scenarios())
            if not compiled.unsupported(load_scenario(name))]
"""The shipped scenarios the compiled engine runs (built-in strategies without memory)."""


@pytest.mark.parametrize("name", COMPILED)
def test_compiled_engine_matches_the_mesa_model_on_every_scenario_it_runs(
        name, mesa_reference):
    ran = run_batch(load_scenario(name), EQUALITY_SEED, range(SEEDS),
                    engine="compiled").quarterly_frame()
    expected = mesa_reference[name]
    assert list(ran.columns) == list(expected.columns)
    numbers = expected.select_dtypes("number").columns
    np.testing.assert_allclose(ran[numbers].to_numpy(float),
                               expected[numbers].to_numpy(float), rtol=0, atol=TOLERANCE)


def test_the_compiled_engine_runs_all_but_the_learning_leader():
    assert set(shipped_scenarios()) - set(COMPILED) == {"leader_who_learns"}


def test_any_replications_in_any_order_are_the_same_runs():
    config = with_overrides(load_scenario("high_turnover"), {"quarters": 4})
    together = run_batch(config, 3, [5, 2]).quarterly_frame()
    alone = run_batch(config, 3, [2]).quarterly_frame()
    pd.testing.assert_frame_equal(together[together.replication == 2].reset_index(drop=True),
                                  alone)


def test_a_strategy_written_for_one_team_runs_in_the_batch_one_team_at_a_time():
    def neediest_first(observation, hours):
        """Written with a loop over members: for one team only."""
        doses = np.zeros((len(observation.active), len(iv.NAMES)))
        worst = int(np.argmin([o if a else np.inf for o, a in
                               zip(observation.output, observation.active, strict=True)]))
        doses[worst, 2] = float(hours)  # all hours coaching the weakest performer
        return doses

    strategies.register("neediest_first", neediest_first)
    config = with_overrides(load_scenario("baseline"), {"quarters": 3,
                                                        "leader.strategy": "neediest_first"})
    batched = run_batch(config, 11, range(4)).quarterly_frame()
    expected = pd.concat([run_once(config, 11, k) for k in range(4)], ignore_index=True)
    pd.testing.assert_frame_equal(batched, expected)
    assert batched["hours_coach"].sum() > 0


def test_a_batch_run_in_blocks_is_the_same_as_one_block(monkeypatch):
    from simulation.engines import batch

    config = with_overrides(load_scenario("crisis_heavy_year"), {"quarters": 3})
    whole = run_batch(config, 5, range(7)).quarterly_frame()
    monkeypatch.setattr(batch, "BLOCK", 3)
    blocks = run_batch(config, 5, range(7))
    assert len(blocks.records) == 3
    pd.testing.assert_frame_equal(blocks.quarterly_frame(), whole)


def test_large_teams_over_long_runs_go_in_smaller_blocks_with_the_same_numbers(monkeypatch):
    from simulation.engines import batch

    config = with_overrides(load_scenario("baseline"), {"quarters": 2})
    whole = run_batch(config, 5, range(6)).quarterly_frame()
    member_weeks = config.team.size * config.weeks
    monkeypatch.setattr(batch, "BLOCK_MEMBER_WEEKS", 2 * member_weeks)  # two runs a block
    blocks = run_batch(config, 5, range(6))
    assert len(blocks.records) == 3
    pd.testing.assert_frame_equal(blocks.quarterly_frame(), whole)


EDGES = Path(__file__).resolve().parent / "scenarios" / "calendar_edges.toml"


def test_the_engines_agree_week_by_week_at_the_calendars_edges():
    """Attention stretches at their boundaries, scheduled crises and hires starting in a
    quarter's first week: the Mesa model's SimPy calendar and the batched timeline give
    the same weeks, and the scenario reaches every one of those edges."""
    config = load_scenario(EDGES)
    replications = range(12)
    batched = run_batch(config, 3, replications, member_detail=True)
    first_weeks_hired = 0
    for k in replications:
        model = TeamModel(config, seed=3, replication=k).run()
        expected = model.weekly_frame()
        got = batched.record.weekly_frame(config.weeks, run=k)
        pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=0,
                                      atol=TOLERANCE)
        pd.testing.assert_frame_equal(
            batched.quarterly_frame().query("replication == @k").reset_index(drop=True),
            model.quarterly_frame(), check_exact=False, rtol=0, atol=TOLERANCE)
        hired_weeks = expected.loc[expected.hires > 0, "week"]
        first_weeks_hired += int(((hired_weeks - 1) % WEEKS_PER_QUARTER == 0).sum())
    assert first_weeks_hired > 0, "no new hire started in a quarter's first week"
    levels = model.weekly_frame().groupby("quarter").attention_level.first()
    # quarter 2 reassigned (0.5); 3: the later stretch (0.7) wins; 4: the stretch's last,
    # inclusive quarter (0.7); 5: normal; 6: the open-ended stretch (0.0); a deputy
    # carries a quarter of what is withdrawn.
    np.testing.assert_allclose(levels.to_numpy(),
                               [1.0, 0.625, 0.775, 0.775, 1.0, 0.25])
    crises = model.weekly_frame().set_index("week").crises
    assert crises[14] >= 2 and crises[13] >= 1 and crises[26] >= 1 and crises[78] >= 1
