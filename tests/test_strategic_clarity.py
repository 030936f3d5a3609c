"""The leader's strategic clarity (`leader.strategic_clarity`): the team's direction can be
no clearer than the direction she holds, her clarification takes it toward hers, an unclear
strategy lets changed conditions cost more, and the default (1, a fully clear strategy)
leaves the model as it was."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from conftest import calm_week, dose, make_state
from test_regression import ATOL, OUTCOMES, REFERENCE, RTOL, outcomes

from simulation import TeamModel
from simulation.engines.batch import run_batch
from simulation.experiments.replications import run_once
from simulation.model import team_dynamics
from simulation.model.config import Parameters
from simulation.model.scenario_files import load_scenario, with_overrides

NOBODY = np.zeros(1, dtype=bool)


def direction_after(weeks: int, strategic_clarity: float, clarify_hours: float,
                    start: float, baseline: float = 0.6, change_shock: float = 0.0
                    ) -> np.ndarray:
    """The team's direction clarity week by week under the same clarification hours."""
    state = make_state().replace(direction_clarity=np.asarray(start))
    week = dataclasses.replace(calm_week(), direction_baseline=np.asarray(baseline),
                               change_shock=np.asarray(change_shock))
    series = []
    for _ in range(weeks):
        state, _ = team_dynamics.advance_week(state, dose(clarify=clarify_hours), NOBODY,
                                              NOBODY, week, Parameters(),
                                              strategic_clarity=strategic_clarity)
        series.append(float(state.direction_clarity))
    return np.array(series)


def test_a_clearer_strategy_takes_the_team_to_clearer_direction_with_the_same_hours():
    murky = direction_after(26, 0.5, 2.0, start=0.3, baseline=0.3)
    clear = direction_after(26, 0.9, 2.0, start=0.3, baseline=0.3)
    assert murky[0] > 0.3  # both leaders' clarification lifts a team below them
    assert np.all(clear > murky)
    assert clear[-1] - 0.3 > 1.5 * (murky[-1] - 0.3)


def test_a_leader_cannot_clarify_the_team_beyond_her_own_strategic_clarity():
    held = direction_after(104, 0.4, 8.0, start=0.2, baseline=0.2)
    assert held.max() <= 0.4
    assert held[-1] > 0.3  # she does take it most of the way to hers
    unbounded = direction_after(104, 1.0, 8.0, start=0.2, baseline=0.2)
    assert unbounded[-1] > 0.5  # the same hours from a fully clear leader go beyond


def test_her_clarification_muddies_a_team_clearer_than_she_is():
    talked = direction_after(13, 0.3, 2.0, start=0.8, baseline=0.8)
    left_alone = direction_after(13, 0.3, 0.0, start=0.8, baseline=0.8)
    clear_leader = direction_after(13, 1.0, 0.0, start=0.8, baseline=0.8)
    assert talked[-1] < left_alone[-1] < 0.8
    assert clear_leader[-1] == 0.8


def test_without_clarification_the_team_drifts_to_what_she_can_relay():
    below_her = direction_after(520, 0.9, 0.0, start=0.2)
    beyond_her = direction_after(520, 0.3, 0.0, start=0.6)
    assert abs(below_her[-1] - 0.6) < 0.01  # the environment's 0.6, which she holds
    assert abs(beyond_her[-1] - 0.3) < 0.01  # her own 0.3, below the environment's


def test_changed_conditions_cost_more_direction_under_an_unclear_strategy(params):
    clear = direction_after(1, 1.0, 0.0, start=0.6, change_shock=0.2)
    none = direction_after(1, 0.0, 0.0, start=0.6, change_shock=0.2)
    half = direction_after(1, 0.5, 0.0, start=0.6, change_shock=0.2)
    np.testing.assert_allclose(clear, 0.6 * (1 - 0.2))
    extra = params.unclear_strategy_change_loss
    assert extra > 0
    # with no strategy of her own the change takes 1 + extra times as much, after the
    # week's drift toward the nothing she relays
    drifted = 0.6 * (1 - params.direction_drift)
    np.testing.assert_allclose(none, drifted * (1 - 0.2 * (1 + extra)))
    assert none[0] < half[0] < clear[0]


def motivation_after(weeks: int, direction: float, loss: float | None = None) -> float:
    """Members' mean motivation after weeks without attention, the team's direction
    starting at ``direction`` under an environment's 0.6; ``loss`` replaces
    ``unclear_direction_motivation_loss``."""
    params = Parameters() if loss is None else dataclasses.replace(
        Parameters(), unclear_direction_motivation_loss=loss)
    state = make_state().replace(direction_clarity=np.asarray(direction))
    week = dataclasses.replace(calm_week(), direction_baseline=np.asarray(0.6))
    for _ in range(weeks):
        state, _ = team_dynamics.advance_week(state, dose(), NOBODY, NOBODY, week, params)
    return float(state.motivation.mean())


def test_an_unclear_direction_saps_motivation(params):
    """Below the environment's level, the further the team's direction has fallen the more
    motivation it costs (role ambiguity: Tubre & Collins 2000); at or above it, nothing."""
    assert params.unclear_direction_motivation_loss > 0
    cost = {d: motivation_after(26, d, loss=0.0) - motivation_after(26, d)
            for d in (0.1, 0.4, 0.6, 0.9)}
    assert cost[0.1] > cost[0.4] > 0.001
    assert cost[0.6] == 0.0 and cost[0.9] == 0.0
    # a loss ten times the default costs several times as much
    assert motivation_after(26, 0.1, loss=0.0) - motivation_after(26, 0.1, loss=0.025) > (
        5 * cost[0.1])


def test_the_default_leaves_a_shipped_scenario_as_its_reference():
    """The reference was written before the attribute existed (to 15 digits: the
    regression test's tolerance)."""
    reference = pd.read_csv(REFERENCE)
    expected = reference[reference.scenario == "baseline"].reset_index(drop=True)
    measured = outcomes("baseline").reset_index(drop=True)
    for column in OUTCOMES:
        np.testing.assert_allclose(measured[column], expected[column], rtol=RTOL, atol=ATOL,
                                   err_msg=column)
    assert load_scenario("baseline").leader.strategic_clarity == 1.0
    murky = run_once(with_overrides(load_scenario("baseline"),
                                    {"leader.strategic_clarity": 0.4}), seed=1, replication=0)
    assert murky["team_output"].iloc[-1] < expected["team_output"].iloc[-1]
    assert not np.allclose(murky["team_output"], expected["team_output"])


def test_the_engines_agree_under_an_unclear_strategy():
    config = with_overrides(load_scenario("baseline"), {"quarters": 3,
                                                        "leader.strategic_clarity": 0.35})
    batched = run_batch(config, 5, range(3)).quarterly_frame()
    for replication in range(3):
        mesa = TeamModel(config, seed=5, replication=replication).run().quarterly_frame()
        ours = batched[batched.replication == replication].reset_index(drop=True)
        numbers = mesa.select_dtypes("number").columns
        np.testing.assert_allclose(ours[numbers].to_numpy(float),
                                   mesa[numbers].to_numpy(float), rtol=1e-9, atol=1e-12)
    assert batched["direction_clarity"].iloc[-1] < 0.45
