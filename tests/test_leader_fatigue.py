"""The depleted leader: hours beyond her capacity, crises and conflict tire her, calm weeks
restore her, and an exhausted leader reads her team worse, keeps fewer commitments and
blames more (Byrne et al. 2014; Barnes et al. 2015)."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import TeamModel
from simulation.engines.batch import run_batch
from simulation.model import diagnosis, leader_state
from simulation.model.config import Parameters, ScenarioConfig
from simulation.model.scenario_files import with_overrides

P = Parameters()


def week_of(exhaustion: float, load: float, crisis: float = 0.0, conflict: float = 0.0,
            weeks: int = 1) -> float:
    value = np.asarray(exhaustion)
    for _ in range(weeks):
        value = leader_state.exhaustion_step(value, np.asarray(load), crisis,
                                             np.asarray(conflict), P)
    return float(value)


def test_hours_beyond_capacity_exhaust_the_leader_and_calm_weeks_restore_her():
    tired = week_of(0.0, load=1.5, weeks=8)
    assert tired > 0.4
    assert week_of(0.0, load=2.0, weeks=8) > tired  # more overload, more strain
    assert week_of(tired, load=2 / 3, weeks=8) < 0.1 * tired
    assert week_of(tired, load=0.0, weeks=1) < week_of(tired, load=0.9, weeks=1)
    assert week_of(0.3, load=1.0) == pytest.approx(0.3)  # at capacity a calm week is even


def test_crises_and_relationship_conflict_tire_the_leader_at_capacity():
    assert week_of(0.1, load=1.0, crisis=1.0) > 0.1
    assert week_of(0.1, load=1.0, conflict=0.8) > 0.1


def test_a_little_tiredness_costs_neither_a_reading_nor_a_meeting():
    below = P.depleted_threshold * 0.9
    assert leader_state.reading_spread(np.asarray(below), P) == 1.0
    assert leader_state.hours_held(np.asarray(8.0), np.asarray(below), P) == 8.0


def test_an_exhausted_leader_holds_fewer_of_her_planned_hours():
    held = [float(leader_state.hours_held(np.asarray(8.0), np.asarray(e), P))
            for e in (0.3, 0.6, 1.0)]
    assert held[0] > held[1] > held[2] == pytest.approx(8.0 * (1 - P.depleted_hours))


def test_an_exhausted_leader_reads_her_team_less_accurately():
    model = TeamModel("baseline", seed=3)
    state = model.state
    truth = diagnosis.true_gaps(state, P)

    def error(spread: float) -> float:
        seen = diagnosis.observe(state, np.zeros(state.members), model.noise.week(0)
                                 .team_reading, 0.5, "motivation", 0.0, P, spread)
        return float(np.abs(seen.gaps - truth).mean())

    spread = float(leader_state.reading_spread(np.asarray(1.0), P))
    assert spread == pytest.approx(1 + P.depleted_reading)
    assert error(spread) > 1.5 * error(1.0)


def test_an_exhausted_leader_meets_more_problems_with_blame():
    assert float(leader_state.extra_blame(np.asarray(0.8), P)) > float(
        leader_state.extra_blame(np.asarray(0.1), P)) > 0


def overload(quarters: int = 1, **extra) -> ScenarioConfig:
    return with_overrides(ScenarioConfig(name="overload"), {
        "quarters": quarters, "environment.crisis_rate": 0.0,
        "leader.attention_hours": 18.0, **extra})


def test_a_quarter_at_150_percent_of_capacity_breaks_commitments_a_rested_leader_keeps():
    tired = run_batch(overload(), 5, range(20)).quarterly_frame()
    rested = run_batch(overload(**{"leader.capacity_hours": 40.0}), 5,
                       range(20)).quarterly_frame()
    assert tired.leader_exhaustion.mean() > 0.5 > rested.leader_exhaustion.mean()
    assert tired.breaches.sum() > rested.breaches.sum() + 20


def test_the_mesa_leader_shows_her_exhaustion_and_it_can_be_set():
    model = TeamModel(overload(), seed=2)
    for _ in range(4):
        model.step()
    assert model.leader.exhaustion == pytest.approx(float(model.state.leader_exhaustion))
    assert model.leader.exhaustion > 0.2
    model.leader.exhaustion = 0.0
    assert float(model.state.leader_exhaustion) == 0.0
    with pytest.raises(ValueError, match="exhaustion must be from 0 to 1"):
        model.leader.exhaustion = 2.0


def test_the_leaders_starting_exhaustion_comes_from_the_scenario():
    model = TeamModel(overload(**{"leader.exhaustion": 0.7}), seed=1)
    assert model.leader.exhaustion == 0.7
