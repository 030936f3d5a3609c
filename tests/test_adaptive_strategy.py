"""The leader who learns (the built-in strategy ``adaptive``, simulation/model/adaptive.py):
she starts from her diagnosis, judges member by member whether her remedies close the gaps,
and reassesses her reading where they do not; her memory is the run's own, the same in
both engines.

The first tests drive the strategy week by week on hand-made readings, through the
Planner the engines use, so each knows what the leader saw; the others run the model."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from simulation import TeamModel
from simulation.engines.batch import run_batch
from simulation.experiments.replications import run_once
from simulation.model import adaptive, strategies
from simulation.model import interventions as iv
from simulation.model.diagnosis import CAUSE, Observation, biased
from simulation.model.leadership import Planner
from simulation.model.scenario_files import load_scenario, with_overrides

HOURS = np.asarray(8.0)
WINDOW = adaptive.REASSESSMENT_WEEKS
TOLERANCE = 1e-9

TRUE_SKILLS_GAP = np.array([0.6, 0.1, 0.2, 0.1, 0.1])
"""A member whose gap is mostly capability (ROOT_CAUSES order)."""
MISREAD = biased(TRUE_SKILLS_GAP, CAUSE["motivation"], 0.8)
"""The same member read by a leader who sees motivation problems everywhere (strength
0.8): capability reads 0.12, below the diagnosis threshold, motivation 0.9."""


def reading(gaps: np.ndarray, tenure: np.ndarray, active: np.ndarray | None = None
            ) -> Observation:
    """A reading of a team: one row of five observed gaps per member slot."""
    gaps = np.asarray(gaps, dtype=float)
    shape = gaps.shape[:-1]
    return Observation(gaps=gaps, trust=np.full(shape, 0.5), exhaustion=np.full(shape, 0.1),
                       output=np.full(shape, 0.5), tenure_weeks=np.asarray(tenure, float),
                       active=np.ones(shape) if active is None else np.asarray(active, float))


def mix(doses: np.ndarray) -> np.ndarray:
    """A member's doses as shares of the member's hours."""
    return doses / doses.sum()


def improving_motivation_gap(week: int) -> np.ndarray:
    """A member read accurately whose motivation gap closes 3% a week under recognition."""
    return np.array([0.0, 0.5 * 0.97 ** week, 0.0, 0.0, 0.0])


def learning_leader() -> Planner:
    """The adaptive strategy leading one run, as the Mesa model's leader holds it."""
    return Planner(strategies.get("adaptive"))


def test_adaptive_plans_as_diagnose_and_match_until_a_remedy_fails():
    team = reading([MISREAD, improving_motivation_gap(0)], tenure=[100.0, 100.0])
    first_week = learning_leader().doses(team, HOURS, 0)
    np.testing.assert_array_equal(first_week, strategies.diagnose_and_match(team, HOURS))
    # Called outside a run (no context) it is diagnose_and_match as well.
    np.testing.assert_array_equal(strategies.adaptive(team, HOURS),
                                  strategies.diagnose_and_match(team, HOURS))


def test_adaptive_reassesses_when_a_member_does_not_improve():
    # Member 0 is misread (a skills gap read as a motivation gap) and the recognition she
    # gets closes nothing; member 1's motivation gap closes under it.
    leader = learning_leader()
    train_share, recognise_share = [], []
    for week in range(5 * WINDOW):
        team = reading([MISREAD, improving_motivation_gap(week)],
                       tenure=[100.0 + week, 100.0 + week])
        doses = leader.doses(team, HOURS, week)
        if week % WINDOW == 0:
            train_share.append(mix(doses[0])[iv.TRAIN])
            recognise_share.append(mix(doses[0])[iv.RECOGNISE])
        # The remedy that works for member 1 keeps its mix, as diagnosed.
        np.testing.assert_allclose(mix(doses[1]), mix(strategies.diagnose_and_match(
            team, HOURS)[1]), rtol=0, atol=1e-12)
    assert train_share[0] == 0.0  # the biased diagnosis: no training at all
    # Each failed window moves hours on, from recognition toward training.
    assert all(later >= earlier - 1e-12 for earlier, later in itertools.pairwise(train_share))
    assert all(later <= earlier + 1e-12
               for earlier, later in itertools.pairwise(recognise_share))
    assert train_share[-1] > 0.1  # after four failed windows, a real share of her hours
    assert recognise_share[-1] < recognise_share[0] - 0.1


def test_a_remedy_that_works_keeps_the_diagnosis():
    leader = learning_leader()
    for week in range(4 * WINDOW):
        team = reading([improving_motivation_gap(week)], tenure=[100.0 + week])
        np.testing.assert_array_equal(leader.doses(team, HOURS, week),
                                      strategies.diagnose_and_match(team, HOURS))


@pytest.mark.parametrize("vacant_weeks", [0, 3])
def test_a_new_member_in_the_slot_starts_from_the_diagnosis_again(vacant_weeks):
    leader = learning_leader()
    week = 0
    for week in range(4 * WINDOW):
        leader.doses(reading([MISREAD, MISREAD], tenure=[100.0 + week] * 2), HOURS, week)
    doubted = leader.doses(reading([MISREAD, MISREAD], tenure=[200.0] * 2), HOURS, week + 1)
    assert doubted[0, iv.TRAIN] > 0
    for gap in range(vacant_weeks):  # member 0 has left; the slot waits for a hire
        leader.doses(reading([MISREAD, MISREAD], tenure=[0.0, 201.0 + gap],
                             active=[0.0, 1.0]), HOURS, week + 2 + gap)
    # A new member (tenure from 0) in slot 0 is read afresh; member 1 is still doubted.
    team = reading([MISREAD, MISREAD], tenure=[0.0, 300.0])
    doses = leader.doses(team, HOURS, week + 2 + vacant_weeks)
    np.testing.assert_allclose(mix(doses[0]), mix(strategies.diagnose_and_match(
        team, HOURS)[0]), rtol=0, atol=1e-12)
    assert doses[0, iv.TRAIN] == 0 and doses[1, iv.TRAIN] > 0


def test_the_learning_leaders_memory_keeps_the_runs_axis_in_a_batch_and_none_in_mesa():
    config = with_overrides(load_scenario("leader_who_learns"), {"quarters": 1})
    model = TeamModel(config, seed=3, replication=1).run()
    context = model.leader.context
    model.release()
    assert context is not None and context.replication == 1
    assert context.memory["worked"].shape == (config.team.size, len(CAUSE))
    batch = Planner(strategies.get("adaptive"), replications=[4, 5, 6], batched=True)
    team = reading(np.broadcast_to(MISREAD, (3, 2, len(CAUSE))), tenure=np.full((3, 2), 9.0))
    batch.doses(team, np.full(3, 8.0), 0)
    assert batch.contexts[0].memory["worked"].shape == (3, 2, len(CAUSE))
    assert batch.contexts[0].replication.tolist() == [4, 5, 6]


def adaptive_scenario(name: str, quarters: int = 4, **overrides: object):
    return with_overrides(load_scenario(name), {"quarters": quarters,
                                                "leader.strategy": "adaptive", **overrides})


@pytest.mark.parametrize("name", ["leader_who_learns", "high_turnover"])
def test_batched_engine_and_mesa_model_give_the_learning_leader_the_same_numbers(name):
    # high_turnover empties and refills slots: the memory of those slots starts afresh in
    # both engines alike.
    config = adaptive_scenario(name)
    batched = run_batch(config, 7, range(5)).quarterly_frame()
    mesa = pd.concat([run_once(config, 7, k) for k in range(5)], ignore_index=True)
    assert list(batched.columns) == list(mesa.columns)
    numbers = mesa.select_dtypes("number").columns
    np.testing.assert_allclose(batched[numbers].to_numpy(float),
                               mesa[numbers].to_numpy(float), rtol=0, atol=TOLERANCE)
    assert batched["hours_train"].sum() > 0
    if name == "high_turnover":
        assert batched["departures"].sum() > 0


def test_replications_do_not_share_the_learning_leaders_memory():
    config = adaptive_scenario("leader_who_learns")
    numbers = ["team_output", "hours_train", "hours_recognise", "hours_remove_obstacles"]
    together = run_batch(config, 9, [0, 1, 2]).quarterly_frame()
    alone = run_batch(config, 9, [1]).quarterly_frame()
    one = together[together.replication == 1][numbers].to_numpy(float)
    np.testing.assert_allclose(one, alone[numbers].to_numpy(float), rtol=0, atol=TOLERANCE)
    # In the Mesa model, replication 1 after replication 0 in the same process is
    # replication 1 alone.
    first, after = run_once(config, 9, 0), run_once(config, 9, 1)
    np.testing.assert_allclose(after[numbers].to_numpy(float), one, rtol=0, atol=TOLERANCE)
    assert not np.allclose(first[numbers].to_numpy(float), one)


YEAR_REPLICATIONS = 40


def year_output(config, strategy: str) -> pd.DataFrame:
    """Each replication's mean team output and training hours over the year (common random
    numbers: replication k meets the same team and events under every strategy)."""
    frame = run_batch(with_overrides(config, {"leader.strategy": strategy}), 20261206,
                      range(YEAR_REPLICATIONS)).quarterly_frame()
    return frame.groupby("replication")[["team_output", "hours_train"]].mean()


def test_adaptive_beats_diagnose_and_match_under_a_biased_reading():
    config = adaptive_scenario("leader_who_learns")
    learner, stuck = (year_output(config, name) for name in ("adaptive", "diagnose_and_match"))
    difference = learner.team_output - stuck.team_output
    half_width = 1.96 * difference.std(ddof=1) / np.sqrt(len(difference))
    assert difference.mean() - half_width > 0
    # It helps modestly, as learning from feedback does (field size, not several SDs).
    pooled = np.sqrt((learner.team_output.var(ddof=1) + stuck.team_output.var(ddof=1)) / 2)
    assert 0.05 < difference.mean() / pooled < 0.5
    # Hours moved from recognition to training, the remedy of the team's real gaps.
    assert learner.hours_train.mean() > 5 * max(stuck.hours_train.mean(), 0.1)


def test_adaptive_is_no_worse_than_diagnose_and_match_when_the_reading_is_accurate():
    config = adaptive_scenario("leader_who_learns", **{"leader.bias_strength": 0.0})
    learner, matcher = (year_output(config, name)
                        for name in ("adaptive", "diagnose_and_match"))
    relative = learner.team_output.mean() / matcher.team_output.mean() - 1.0
    assert relative > -0.02
