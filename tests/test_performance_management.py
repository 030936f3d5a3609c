"""Performance conversations, improvement plans, hard decisions and hiring as an act of the
leader (docs/MODEL.md §7.23)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import make_state

from simulation import TeamModel
from simulation.engines import batch
from simulation.engines.batch import run_batch
from simulation.experiments.replications import run_once
from simulation.model import hiring, performance, strategies
from simulation.model import interventions as iv
from simulation.model.config import LeaderConfig, Parameters, ScenarioConfig
from simulation.model.scenario_files import load_scenario, shipped_scenarios, with_overrides
from simulation.model.state import with_new_hires
from simulation.model.week import simulate_week

P = Parameters()
QUARTER = 13


def register_conversations(name: str, weeks: tuple[int, ...], hours: float) -> None:
    """A strategy that holds a performance conversation of ``hours`` with every member in
    the (0-based) ``weeks``, and nothing else."""

    def plan(observation, available, context):
        doses = strategies.empty_weights(observation)
        if context.week in weeks:
            doses[..., iv.PERFORMANCE_CONVERSATION] = hours * observation.active
        return doses

    strategies.register(name, plan, vectorised=True)


def quarter_one(config: ScenarioConfig, replications: int = 40) -> pd.DataFrame:
    frame = run_batch(with_overrides(config, {"quarters": 1}), 5, range(replications))
    return frame.quarterly_frame()


CALM = with_overrides(load_scenario("baseline"), {
    "environment.crisis_rate": 0.0, "environment.turnover_rate": 0.0})
"""The baseline team in a quarter without crises or departures."""

MISREADING = {"leader.diagnostic_accuracy": 0.0, "leader.bias_cause": "motivation",
              "leader.bias_strength": 0.8}
"""A leader who reads every member's gaps as mostly motivation, noisily."""


# --- the conversation's quality ------------------------------------------------------------


def test_preparation_is_how_far_the_leaders_reading_matches_the_true_gaps():
    true = np.array([[0.6, 0.1, 0.1, 0.1, 0.1]])
    assert performance.preparation(true, true) == pytest.approx(1.0)
    misread = np.array([[0.1, 0.6, 0.1, 0.1, 0.1]])
    assert performance.preparation(misread, true) == pytest.approx(0.5)
    assert performance.preparation(np.zeros((1, 5)), np.zeros((1, 5))) == pytest.approx(1.0)


def test_a_well_prepared_conversation_agrees_actions_that_do_more_than_a_misprepared_one():
    register_conversations("weekly_talks", tuple(range(QUARTER)), 0.5)
    config = with_overrides(CALM, {"leader.strategy": "weekly_talks"})
    accurate = quarter_one(with_overrides(config, {"leader.diagnostic_accuracy": 1.0}))
    misread = quarter_one(with_overrides(config, MISREADING))
    silent = quarter_one(with_overrides(config, {"leader.strategy": "hands_off"}))
    for outcome in ("accountability_mean", "role_clarity_mean"):
        gained = accurate[outcome].to_numpy() - silent[outcome].to_numpy()
        misgained = misread[outcome].to_numpy() - silent[outcome].to_numpy()
        assert np.all(misgained > 0), outcome
        assert gained.mean() > 1.5 * misgained.mean(), outcome
    assert np.mean(accurate.team_output > misread.team_output) > 0.9


def test_a_conversation_followed_up_does_more_than_a_one_off_of_the_same_hours():
    register_conversations("one_off", (0,), 3.0)
    register_conversations("followed_up", (0, 1, 2), 1.0)
    roomy = with_overrides(CALM, {"leader.attention_hours": 24.0,
                                  "leader.capacity_hours": 40.0})
    one_off = quarter_one(with_overrides(roomy, {"leader.strategy": "one_off"}))
    followed = quarter_one(with_overrides(roomy, {"leader.strategy": "followed_up"}))
    assert one_off.hours_performance_conversation.sum() == pytest.approx(
        followed.hours_performance_conversation.sum())
    assert np.all(followed.accountability_mean > one_off.accountability_mean)
    assert np.all(followed.role_clarity_mean > one_off.role_clarity_mean)


def test_agreed_actions_fade_without_a_follow_up():
    state = make_state(1)
    for _ in range(3):
        state = state.replace(agreed_actions=performance.agreed_actions_step(
            state.agreed_actions, np.array([0.6]), np.array([0.9]), P))
    held = float(state.agreed_actions[0])
    lapsed = performance.agreed_actions_step(state.agreed_actions, np.zeros(1), np.ones(1), P)
    assert float(lapsed[0]) == pytest.approx(held * (1.0 - P.agreed_actions_fade))
    renewed = performance.agreed_actions_step(state.agreed_actions, np.array([0.6]),
                                              np.array([0.9]), P)
    assert float(renewed[0]) > held > float(lapsed[0])


# --- plans and decisions -------------------------------------------------------------------


def deciding_leader(**keys: object) -> LeaderConfig:
    chosen = {"improvement_plans": True, "plan_weeks": 12, "dismissal": "dismiss", **keys}
    return dataclasses.replace(LeaderConfig(), **chosen)


def at_the_deadline(relative_first: float, members: int = 4):
    """A team whose first member is in the last week of a plan, with their running output
    ``relative_first`` of the others'."""
    state = make_state(members, capability=0.6)
    output = np.full(members, 0.5)
    output[0] = 0.5 * relative_first
    weeks = np.zeros(members)
    weeks[0] = 1.0
    return state.replace(recent_output=output, improvement_plan_weeks=weeks,
                         tenure_weeks=np.full(members, 100.0))


def test_a_member_on_a_plan_who_improves_keeps_the_job():
    state = at_the_deadline(relative_first=0.95)
    after, decisions = performance.plan_week(state, np.zeros(4, dtype=bool),
                                             deciding_leader(), P)
    assert not decisions.exits.any()
    assert after.active[0] == 1.0 and after.improvement_plan_weeks[0] == 0.0


@pytest.mark.parametrize("policy", ["move", "dismiss"])
def test_a_member_on_a_plan_who_does_not_improve_is_moved_or_dismissed_at_the_deadline(
        policy):
    state = at_the_deadline(relative_first=0.5)
    before, _ = performance.plan_week(state.replace(
        improvement_plan_weeks=np.array([2.0, 0, 0, 0])), np.zeros(4, dtype=bool),
        deciding_leader(dismissal=policy), P)
    assert before.active[0] == 1.0  # a week before the deadline: no decision yet
    after, decisions = performance.plan_week(state, np.zeros(4, dtype=bool),
                                             deciding_leader(dismissal=policy), P)
    mask = decisions.moved if policy == "move" else decisions.dismissed
    assert mask.tolist() == [True, False, False, False]
    assert after.active.tolist() == [0.0, 1.0, 1.0, 1.0]
    kept, never = performance.plan_week(state, np.zeros(4, dtype=bool),
                                        deciding_leader(dismissal="never"), P)
    assert not never.exits.any() and kept.active[0] == 1.0


def test_in_the_scenario_the_low_performer_is_put_on_a_plan_and_dismissed_at_its_deadline():
    model = TeamModel(load_scenario("hard_decisions"), seed=7, replication=0)
    opened = dismissed = None
    while model.running and dismissed is None:
        model.step()
        outcome_weeks = model.state.improvement_plan_weeks
        if opened is None and outcome_weeks[0] > 0:
            opened = model.weeks_done
        if model.state.active[0] == 0:
            dismissed = model.weeks_done
    assert opened is not None and dismissed is not None
    assert dismissed - opened == model.config.leader.plan_weeks
    assert model.weekly_frame().dismissals.sum() == 1
    assert model.team[0].slot == 1  # slot 0 is vacant: its agent was removed


def team_with_a_shortfall(cause: str) -> tuple:
    """Four members; the first falls short of the others on ``cause`` (capability: the
    person; obstacles: the environment) and is at the deadline of a well-supported plan."""
    state = at_the_deadline(relative_first=0.5)
    if cause == "capability":
        state = state.replace(capability=np.array([0.2, 0.6, 0.6, 0.6]))
    else:
        state = state.replace(obstacles=np.array([0.95, 0.3, 0.3, 0.3]))
    return state.replace(plan_support=np.array([0.7, 0, 0, 0]),
                         trust=np.full(4, 0.6), psychological_safety=np.asarray(0.6))


def test_colleagues_attribute_a_shortfall_to_the_person_or_to_the_environment():
    person = performance.attribution(team_with_a_shortfall("capability"), P)
    situation = performance.attribution(team_with_a_shortfall("obstacles"), P)
    assert person[0] > 0.9 and situation[0] < 0.1


def test_an_unfair_dismissal_costs_the_teams_trust_and_safety_more_than_a_fair_one():
    results = {}
    for label, cause, plans in (("fair", "capability", True),
                                ("environment", "obstacles", True),
                                ("no plan", "capability", False)):
        state = team_with_a_shortfall(cause)
        after, decisions = performance.plan_week(
            state, np.zeros(4, dtype=bool), deciding_leader(improvement_plans=plans), P)
        assert decisions.dismissed[0]
        results[label] = (float(decisions.fairness[0]), after.trust[1:].mean(),
                          float(after.psychological_safety), float(after.mutual_accountability))
    fair = results["fair"]
    for unfair in ("environment", "no plan"):
        assert results[unfair][0] < fair[0] - 0.2
        assert results[unfair][1] < fair[1] - 0.02  # trust
        assert results[unfair][2] < fair[2] - 0.02  # safety
        assert results[unfair][3] < fair[3]  # the norm gains less
    assert fair[1] > 0.6 * (1.0 - 0.25 * P.dismissal_trust_loss)  # a fair one costs little


def test_without_a_plan_the_same_dismissal_costs_the_team_more_trust_and_safety():
    config = with_overrides(load_scenario("hard_decisions"), {"quarters": 3})
    costs = {}
    for plans in (True, False):
        seen: list[tuple[float, float]] = []

        def watched(state, *args, seen=seen, **kwargs):
            outcome = simulate_week(state, *args, **kwargs)
            for run in np.flatnonzero(outcome.decisions.exits.any(axis=-1)):
                staying = (state.active[run] > 0) & ~outcome.leaving[run]
                seen.append((outcome.state.trust[run][staying].mean()
                             - state.trust[run][staying].mean(),
                             float(outcome.state.psychological_safety[run]
                                   - state.psychological_safety[run])))
            return outcome

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(batch, "simulate_week", watched)
            run_batch(with_overrides(config, {"leader.improvement_plans": plans}), 7, range(60))
        costs[plans] = np.array(seen)
    assert len(costs[True]) == len(costs[False]) > 30  # the same decisions, at the same weeks
    assert costs[False][:, 0].mean() < 2.0 * costs[True][:, 0].mean() < 0  # trust
    assert costs[False][:, 1].mean() < 2.0 * costs[True][:, 1].mean() < 0  # safety


# --- hiring --------------------------------------------------------------------------------


def test_hiring_effort_brings_the_start_of_a_new_hire_forward():
    config = with_overrides(ScenarioConfig(), {"team.size": 2,
                                               "environment.hiring_delay_weeks": 8})
    vacant = make_state(2).replace(active=np.array([0.0, 1.0]))
    for weeks, effort, filled in ((7, 0.0, False), (8, 0.0, True), (5, 0.6, True),
                                  (4, 0.6, False)):
        state = vacant.replace(vacancy_weeks=np.array([weeks, 0.0]),
                               hiring_effort=np.array([effort, 0.0]))
        assert hiring.vacancy_filled(state, config, P).tolist() == [filled, False], (weeks,
                                                                                     effort)


def test_hiring_effort_raises_the_new_hires_capability_and_role_clarity():
    config = ScenarioConfig()
    vacant = make_state(1).replace(active=np.zeros(1))
    draw = np.zeros(1)
    plain = with_new_hires(vacant, np.ones(1, dtype=bool), draw, config)
    searched = with_new_hires(vacant.replace(hiring_effort=np.ones(1)), np.ones(1, dtype=bool),
                              draw, config)
    assert searched.capability[0] == pytest.approx(plain.capability[0]
                                                   + P.hire_capability_gain)
    assert searched.role_clarity[0] > plain.role_clarity[0] + 0.1
    assert searched.hiring_effort[0] == 0.0 and searched.vacancy_weeks[0] == 0.0


def test_hiring_hours_shorten_vacancies_and_bring_more_capable_hires():
    def hiring_only(observation, hours):
        vacancies = 1.0 - observation.active
        weights = strategies.whole_team(
            strategies.profile(hire=1.0) * vacancies.sum(axis=-1)[..., None], observation)
        return strategies.spread(weights, hours * (vacancies.sum(axis=-1) > 0))

    strategies.register("hiring_only", hiring_only, vectorised=True)
    config = with_overrides(load_scenario("high_turnover"), {"quarters": 4,
                                                             "leader.attention_hours": 4.0})
    results = {}
    for strategy in ("hands_off", "hiring_only"):
        result = run_batch(with_overrides(config, {"leader.strategy": strategy}), 3, range(40),
                           member_detail=True)
        record = result.record
        frame = result.quarterly_frame()
        vacant = (1.0 - record.active).sum()
        hires = frame.hires.sum()
        tenure = record.member_states["tenure_weeks"]
        starting = (tenure == 1.0) & (record.active > 0)  # a new hire's first week worked
        capability = record.member_states["capability"][starting].mean()
        results[strategy] = (vacant / hires, capability, frame.hours_hire.sum())
    assert results["hands_off"][2] == 0 and results["hiring_only"][2] > 0
    assert results["hiring_only"][0] < 0.85 * results["hands_off"][0]  # vacant weeks a hire
    assert results["hiring_only"][1] > results["hands_off"][1] + 0.05


# --- defaults and engines ------------------------------------------------------------------

INERT = {"parameters.performance_conversation_accountability_rate": 1.0,
         "parameters.performance_conversation_clarity_rate": 1.0,
         "parameters.agreed_actions_fade": 0.0, "parameters.hire_speed": 10.0,
         "parameters.hire_capability_gain": 1.0, "parameters.hire_clarity_gain": 1.0,
         "parameters.dismissal_trust_loss": 1.0, "parameters.dismissal_safety_loss": 1.0,
         "parameters.dismissal_norm_gain": 1.0, "parameters.move_severity": 1.0,
         "leader.plan_threshold": 1.0, "leader.plan_weeks": 1, "leader.plan_low_weeks": 1,
         "leader.plan_after_weeks": 0, "parameters.low_performer_ceiling": 0.0}
"""Every constant and key of performance management at an extreme: inert while the leader
spends no hours on conversations or hiring and neither plans nor decides."""


@pytest.mark.parametrize("name", sorted(set(shipped_scenarios()) - {"hard_decisions"}))
def test_with_the_defaults_no_shipped_scenario_uses_or_feels_performance_management(name):
    config = load_scenario(name)
    plain = run_batch(config, 1, range(3)).quarterly_frame()
    extreme = run_batch(with_overrides(config, INERT), 1, range(3)).quarterly_frame()
    for column in ("hours_performance_conversation", "hours_hire", "plans_opened", "moves",
                   "dismissals"):
        assert plain[column].sum() == 0, column
    pd.testing.assert_frame_equal(plain, extreme)


@pytest.mark.parametrize("overrides", [{}, {"leader.improvement_plans": False},
                                       {"leader.dismissal": "move"}, MISREADING],
                         ids=["plan", "no plan", "move", "misreading"])
def test_both_engines_give_the_same_numbers_for_hard_decisions(overrides):
    config = with_overrides(load_scenario("hard_decisions"), {"quarters": 6, **overrides})
    batched = run_batch(config, 7, range(6)).quarterly_frame()
    expected = pd.concat([run_once(config, 7, k) for k in range(6)], ignore_index=True)
    assert batched.dismissals.sum() + batched.moves.sum() > 0
    numbers = expected.select_dtypes("number").columns
    np.testing.assert_allclose(batched[numbers].to_numpy(float),
                               expected[numbers].to_numpy(float), rtol=0, atol=1e-9)


@pytest.mark.parametrize("policy", ["move", "dismiss"])
def test_every_state_stays_in_range_with_plans_decisions_and_hiring_at_every_extreme(
        policy, monkeypatch):
    from test_bounds import REPLICATIONS, SCENARIO, extremes, outside, watching_every_week

    labels, sets = extremes()
    config = with_overrides(SCENARIO, {
        "leader.strategy": "performance_manager", "leader.improvement_plans": True,
        "leader.dismissal": policy, "leader.plan_weeks": 3, "leader.plan_low_weeks": 2,
        "leader.plan_after_weeks": 0, "leader.plan_threshold": 0.9})
    every_week = watching_every_week(monkeypatch)
    parameters = batch.stack_parameters([one for one in sets for _ in range(REPLICATIONS)])
    result = run_batch(config, 17, list(range(REPLICATIONS)) * len(sets), member_detail=True,
                       parameters=parameters)
    runs = [label for label in labels for _ in range(REPLICATIONS)]
    problems = [f"{name}: {runs[r]}" for name, bad in every_week.items()
                for r in np.flatnonzero(bad)]
    assert not problems, problems[:10]
    frame = result.quarterly_frame()
    assert np.isfinite(frame.select_dtypes("number").to_numpy()).all()
    assert frame.moves.sum() + frame.dismissals.sum() > 0 and frame.hours_hire.sum() > 0
    assert not np.any(outside(result.record.team_output[..., None], None))
