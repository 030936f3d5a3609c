"""The team's climate as the field describes it: social loafing and the norm of mutual
accountability, psychological safety built and lost in how the leader meets raised
problems, what an unsafe team hides from her reading, conflict, cohesion and collective
efficacy, the team interventions, and the strategies that use them. Small tests on the
equations first, then a few short whole runs compared over replications with common random
numbers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
from conftest import calm_week, dose, make_state

from simulation import TeamModel
from simulation.engines.batch import run_batch
from simulation.model import diagnosis, network, safety, strategies, team_climate
from simulation.model import interventions as iv
from simulation.model.config import ROOT_CAUSES, Parameters, ScenarioConfig
from simulation.model.diagnosis import TEAM_READINGS, Observation
from simulation.model.equations import member_output, team_output
from simulation.model.member_dynamics import (
    accountability_step,
    capability_step,
    feedback_effect,
    feedback_threshold,
    learning_pace,
    role_clarity_step,
    trust_step,
)
from simulation.model.randomness import draw_batch_noise
from simulation.model.scenario_files import load_scenario, with_overrides
from simulation.model.state import TEAM_DRAWN
from simulation.model.strategies import StrategyRegistry
from simulation.model.team_dynamics import (
    advance_week,
    complexity_damping,
    effects_of,
    modelling,
    retrospective_safety,
)

P = Parameters()


def effect_of(members: int = 1, **levels: float) -> np.ndarray:
    """Intervention effects in [0, 1) by name, the same for every member."""
    effect = np.zeros((members, iv.COUNT))
    for name, value in levels.items():
        effect[:, iv.index(name)] = value
    return effect


def week_of(state, doses, blame: float = 0.0):
    """One calm week of a team under ``doses``, nobody's 1:1 kept or broken."""
    nobody = np.zeros(state.members, dtype=bool)
    return advance_week(state, doses, nobody, nobody, calm_week(), P, blame=blame)


def reading(members: int = 4, gaps: float = 0.0, **team: float) -> Observation:
    """A leader's reading of a settled team (tenured, no vacancy): every member gap at
    ``gaps``, every team state at a healthy 0.7 unless given."""
    read = {name: 0.7 for name in TEAM_READINGS} | {"task_conflict": 0.2,
                                                    "relationship_conflict": 0.1} | team
    return Observation(gaps=np.full((members, len(ROOT_CAUSES)), gaps),
                       trust=np.full(members, 0.6), exhaustion=np.full(members, 0.1),
                       output=np.full(members, 0.5), tenure_weeks=np.full(members, 150.0),
                       active=np.ones(members),
                       team=np.array([read[name] for name in TEAM_READINGS]))


def hours_on(doses: np.ndarray, *names: str) -> float:
    """Leader hours in a plan spent on the named interventions."""
    return float(sum(np.sum(doses[..., iv.index(name)]) for name in names))


def run_means(overrides: dict, seed: int, runs: int, column: str = "team_output",
              registry: StrategyRegistry = strategies.REGISTRY) -> np.ndarray:
    """Each replication's mean of a quarterly column over a short run of the baseline."""
    config = with_overrides(load_scenario("baseline"), overrides)
    frame = run_batch(config, seed, range(runs), registry=registry).quarterly_frame()
    return frame.groupby("replication")[column].mean().to_numpy()


# ---------------------------------------------------------------------------------------
# Social loafing and the norm of mutual accountability


def test_loafing_grows_with_team_size_where_contributions_are_hidden():
    lost = [float(team_climate.loafing(make_state(members=size), 0.0, P))
            for size in (1, 2, 4, 8, 16)]
    assert lost[0] == 0.0  # nobody to hide behind
    assert np.all(np.diff(lost) > 0)
    # worked by hand: 7 colleagues, half-size 4, the default weight, default norm 0.4
    np.testing.assert_allclose(lost[3], P.loafing_weight * (1 - 0.4) * 7 / 11)


def test_loafing_vanishes_where_each_contribution_is_identifiable():
    team = make_state(members=12)
    assert float(team_climate.loafing(team, 1.0, P)) == 0.0
    assert float(team_climate.loafing(team, 0.5, P)) < float(team_climate.loafing(team, 0.0, P))


def test_a_strong_norm_of_mutual_accountability_halves_loafing_or_better():
    weak = team_climate.loafing(make_state(members=8, mutual_accountability=0.4), 0.0, P)
    strong = team_climate.loafing(make_state(members=8, mutual_accountability=0.8), 0.0, P)
    assert strong <= 0.5 * weak


def test_loafing_costs_effort_in_a_large_team_with_hidden_contributions():
    team = make_state(members=8)
    hidden = dataclasses.replace(calm_week(), identifiability=0.0)
    seen = dataclasses.replace(calm_week(), identifiability=1.0)
    nobody = np.zeros(8, dtype=bool)
    _, loafing_week = advance_week(team, dose(8), nobody, nobody, hidden, P)
    _, visible_week = advance_week(team, dose(8), nobody, nobody, seen, P)
    lost = 1 - float(team_climate.loafing(team, 0.0, P))
    np.testing.assert_allclose(loafing_week.member_output, visible_week.member_output * lost)


def test_a_strong_norm_pulls_members_accountability_up_and_a_weak_one_down():
    none = effect_of(4)
    strong = make_state(members=4, accountability=0.5, mutual_accountability=0.9)
    weak = make_state(members=4, accountability=0.5, mutual_accountability=0.1)
    assert np.all(team_climate.peer_enforcement(strong, P) > 0)
    assert np.all(accountability_step(strong, none, P) > 0.5)
    assert np.all(accountability_step(weak, none, P) < 0.5)
    at_norm = make_state(members=4, accountability=0.5, mutual_accountability=0.5)
    np.testing.assert_allclose(accountability_step(at_norm, none, P), 0.5)


def test_a_leader_who_keeps_commitments_and_monitors_builds_the_norm():
    team = make_state(members=4)
    held, absent = np.full(4, 0.6), np.zeros(4)
    models = modelling(held, absent, effect_of(4, monitor=0.6), team)
    breaks = modelling(absent, held, effect_of(4, monitor=0.6), team)
    np.testing.assert_allclose(models, 0.6)  # half kept, half monitoring
    assert breaks == 0.0
    with_model = team_climate.norm_step(team, models, P)
    without = team_climate.norm_step(team, np.asarray(0.0), P)
    assert with_model > without
    assert team_climate.norm_step(team, breaks, P) == without


def test_a_safe_team_with_embedded_systems_grows_its_norm():
    settled = make_state(members=4, accountability=0.4, mutual_accountability=0.4,
                         psychological_safety=0.9, systems=0.9)
    unsafe = make_state(members=4, accountability=0.4, mutual_accountability=0.4,
                        psychological_safety=0.1, systems=0.1)
    idle = np.asarray(0.0)
    assert team_climate.norm_step(settled, idle, P) > 0.4 > team_climate.norm_step(unsafe,
                                                                                   idle, P)


# ---------------------------------------------------------------------------------------
# Psychological safety: voice, blame and curiosity


def test_blame_for_raised_problems_erodes_safety_and_curiosity_builds_it():
    team = make_state(members=4, psychological_safety=0.5)
    everyone = np.ones(4, dtype=bool)
    met_with_curiosity = safety.response_to_problems(team, everyone, np.asarray(0.0), P)
    met_with_blame = safety.response_to_problems(team, everyone, np.asarray(1.0), P)
    np.testing.assert_allclose(met_with_curiosity, 0.08 * 0.5)
    np.testing.assert_allclose(met_with_blame, -0.15 * 0.5)
    unchanged = safety.psychological_safety_step(team, effect_of(4), ~everyone,
                                                 np.asarray(0.0), P)
    curious = safety.psychological_safety_step(team, effect_of(4), everyone, np.asarray(0.0), P)
    blaming = safety.psychological_safety_step(team, effect_of(4), everyone, np.asarray(1.0), P)
    assert blaming < unchanged < curious


def test_a_member_blamed_for_raising_a_problem_loses_trust_in_the_leader():
    team = make_state(members=2, trust=0.6)
    raised = np.array([True, False])
    blamed = safety.blamed(raised, np.asarray(0.8))
    np.testing.assert_allclose(blamed, [0.8, 0.0])
    after = trust_step(team, effect_of(2), np.zeros(2), np.zeros(2), P, blamed)
    assert after[0] < after[1]


def test_micromanaging_and_crises_raise_the_share_of_problems_met_with_blame():
    members = 4
    coaching = dose(members, coach=1.0)
    half_micromanaging = dose(members, coach=0.5, micromanage=0.5)
    np.testing.assert_allclose(safety.blame_share(0.2, coaching, 0.0, P), 0.2)
    np.testing.assert_allclose(safety.blame_share(0.2, half_micromanaging, 0.0, P),
                               0.2 + 0.5 * P.micromanage_blame)
    assert P.micromanage_blame > 0
    np.testing.assert_allclose(safety.blame_share(0.2, coaching, 1.0, P), 0.2 + P.crisis_blame)
    assert safety.blame_share(0.9, half_micromanaging, 1.0, P) == 1.0
    assert safety.blame_share(0.2, dose(members), 0.0, P) == 0.2  # no hours, no share


def test_unsafe_teams_raise_fewer_problems_and_hide_more():
    voice = np.linspace(0.0, 1.0, 100_001)[:, None]  # every member's week, finely
    counted = {}
    for level in (0.2, 0.8):
        found = safety.problems(make_state(psychological_safety=level), voice, P)
        counted[level] = (found.raised.mean(), found.hidden.mean())
    (raised_unsafe, hidden_unsafe), (raised_safe, hidden_safe) = counted[0.2], counted[0.8]
    assert raised_unsafe < raised_safe and hidden_unsafe > hidden_safe
    # worked by hand: problems 0.15 a week, raised with 0.2 + 0.8 * safety
    np.testing.assert_allclose([raised_unsafe, hidden_unsafe], [0.054, 0.096], atol=1e-4)
    np.testing.assert_allclose(raised_unsafe + hidden_unsafe, raised_safe + hidden_safe,
                               atol=1e-4)


def test_a_vacant_slot_raises_and_hides_nothing():
    team = make_state(members=2, psychological_safety=0.5)
    team = team.replace(active=np.array([1.0, 0.0]))
    found = safety.problems(team, np.zeros(2), P)
    assert list(found.raised) == [True, False] and not found.hidden.any()


def test_a_hidden_problem_stays_unsolved_and_adds_obstacles():
    obstacles = np.array([0.3, 0.3])
    after = safety.hidden_obstacles(obstacles, np.array([True, False]), P)
    np.testing.assert_allclose(after, [0.3 + 0.03 * 0.7, 0.3])


def test_retrospectives_run_with_curiosity_raise_safety_and_run_with_blame_lower_it():
    team = make_state(members=4, psychological_safety=0.5)
    retrospectives = effect_of(4, retrospective=0.8)
    assert retrospective_safety(team, retrospectives, np.asarray(0.0), P) > 0
    assert retrospective_safety(team, retrospectives, np.asarray(1.0), P) < 0
    assert retrospective_safety(team, effect_of(4), np.asarray(1.0), P) == 0

    def safety_after(doses, blame):
        state = team.replace(dose_in_effect=doses.copy())  # sessions already under way
        return float(week_of(state, doses, blame)[0].psychological_safety)

    sessions, none = dose(4, retrospective=1.0), dose(4)
    assert safety_after(sessions, 0.0) > safety_after(none, 0.0)
    assert safety_after(sessions, 1.0) < safety_after(none, 1.0)


def test_a_blaming_leader_leaves_the_team_less_safe_and_hiding_more_problems_over_a_year():
    config = with_overrides(load_scenario("baseline"), {"quarters": 4})
    frames = {blame: run_batch(with_overrides(config, {"leader.blame": blame}), 11,
                               range(30)).quarterly_frame() for blame in (0.0, 0.9)}
    last = {blame: frame[frame.quarter == 4] for blame, frame in frames.items()}
    lost_safety = (last[0.0].psychological_safety.to_numpy()
                   - last[0.9].psychological_safety.to_numpy())
    hidden = {blame: frame.groupby("replication").problems_hidden.sum().to_numpy()
              for blame, frame in frames.items()}
    assert lost_safety.mean() > 0.15 and np.all(lost_safety > 0)  # about 0.3 seen
    assert hidden[0.9].mean() > hidden[0.0].mean() + 4  # about 10 more a year seen
    assert last[0.9].trust_mean.mean() < last[0.0].trust_mean.mean()
    # the hidden problems stay unsolved: about 0.01 more obstacles, in every replication
    more_obstacles = last[0.9].obstacles_mean.to_numpy() - last[0.0].obstacles_mean.to_numpy()
    assert more_obstacles.mean() > 0.004 and np.mean(more_obstacles > 0) > 0.9


# ---------------------------------------------------------------------------------------
# What the leader sees


def observed(psychological_safety: float, misreading: float = 0.0, accuracy: float = 0.5):
    """A four-member team read at some safety, with a standing misreading of each member
    (in standard deviations); the reading and the true gaps."""
    team = make_state(members=4, psychological_safety=psychological_safety)
    team = team.replace(misreading=np.full_like(team.misreading, misreading))
    read = diagnosis.observe(team, np.zeros(4), np.full(len(TEAM_READINGS), misreading),
                             accuracy, "motivation", 0.0, P)
    return read, diagnosis.true_gaps(team, P)


def test_in_an_unsafe_team_the_leaders_reading_leans_toward_fine():
    unsafe, truth = observed(0.1)
    safe, _ = observed(1.0)
    np.testing.assert_allclose(safe.gaps, truth)  # nothing hidden, no misreading
    np.testing.assert_allclose(unsafe.gaps, truth * (1 - 0.3 * 0.9))
    assert np.all(unsafe.trust > 0.5)  # members look more trusting than they are
    assert np.all(unsafe.exhaustion < 0.1)  # and less strained


def test_in_an_unsafe_team_the_leaders_reading_is_noisier():
    def error_of(level):
        misread, _ = observed(level, misreading=1.0)
        plain, _ = observed(level)
        return misread.gaps - plain.gaps

    assert np.all(error_of(0.1) > error_of(0.9))
    # worked by hand: noise 0.3 at half accuracy, half as much again when fully unsafe
    np.testing.assert_allclose(error_of(0.0), 0.3 * 0.5 * 1.5)


def test_an_unsafe_team_hides_its_conflicts_from_the_leader():
    team = make_state(members=4, psychological_safety=0.1, relationship_conflict=0.5)
    read = diagnosis.observe(team, np.zeros(4), np.zeros(len(TEAM_READINGS)), 1.0,
                             "motivation", 0.0, P)
    np.testing.assert_allclose(read.team_state("relationship_conflict"), 0.5 * (1 - 0.27))
    np.testing.assert_allclose(read.team_gaps[diagnosis.TEAM_CAUSE["conflict"]],
                               0.5 * (1 - 0.27))


def test_the_leaders_misreading_of_a_member_persists_for_weeks_with_the_same_spread():
    rng = np.random.default_rng(5)
    members, weeks = 400, 300
    misreading = rng.standard_normal((members, diagnosis.OBSERVED_READINGS))
    nobody_new = np.zeros(members, dtype=bool)
    history = []
    for _ in range(weeks):
        misreading = diagnosis.updated_misreading(
            misreading, rng.standard_normal(misreading.shape), nobody_new, P)
        history.append(misreading)
    series = np.array(history)
    lag_one = np.corrcoef(series[:-1].ravel(), series[1:].ravel())[0, 1]
    lag_five = np.corrcoef(series[:-5].ravel(), series[5:].ravel())[0, 1]
    assert abs(lag_one - P.misreading_persistence) < 0.01
    assert abs(lag_five - P.misreading_persistence ** 5) < 0.02
    assert abs(series.std() - 1.0) < 0.02


def test_a_newcomer_is_read_afresh():
    misreading = np.full((3, diagnosis.OBSERVED_READINGS), 2.0)
    noise = np.full_like(misreading, -1.0)
    newcomer = np.array([False, True, False])
    updated = diagnosis.updated_misreading(misreading, noise, newcomer, P)
    np.testing.assert_allclose(updated[1], -1.0)
    rho = P.misreading_persistence
    np.testing.assert_allclose(updated[0], rho * 2.0 - np.sqrt(1 - rho * rho))


def test_an_accurate_leader_gets_more_from_the_team_than_an_inaccurate_one():
    output = {accuracy: run_means({"leader.diagnostic_accuracy": accuracy, "quarters": 8},
                                  seed=11, runs=200) for accuracy in (0.1, 0.9)}
    gain = output[0.9] - output[0.1]
    # about 1.0% more (standard error 0.16%), and better in most replications (62-68% over
    # seeds, since knowing where one stands lifts motivation whatever the feedback
    # addresses), when this test was last calibrated; 40 replications left it to the draw
    assert gain.mean() > 0.005 * output[0.1].mean()
    assert np.mean(gain > 0) > 0.6


# ---------------------------------------------------------------------------------------
# Conflict


def test_task_conflict_turns_personal_more_under_pressure_unclear_roles_and_low_safety():
    def turned(pressure=0.35, role_clarity=0.6, psychological_safety=0.5):
        team = make_state(members=4, role_clarity=role_clarity,
                          psychological_safety=psychological_safety, task_conflict=0.5,
                          relationship_conflict=0.0)
        return float(team_climate.relationship_conflict_step(
            team, np.asarray(pressure), np.asarray(0.0), P))

    assert turned(pressure=0.9) > turned(pressure=0.1)
    assert turned(role_clarity=0.2) > turned(role_clarity=0.9)
    assert turned(psychological_safety=0.1) > turned(psychological_safety=0.9)
    calm = make_state(members=4, task_conflict=0.0, relationship_conflict=0.0)
    assert team_climate.relationship_conflict_step(calm, np.asarray(0.9), np.asarray(0.0),
                                                   P) == 0.0  # no disagreement to turn


def test_conflict_prone_teams_turn_disagreement_personal_faster():
    def turned(proneness):
        team = make_state(members=4, task_conflict=0.5, relationship_conflict=0.0,
                          conflict_proneness=proneness)
        return float(team_climate.relationship_conflict_step(team, np.asarray(0.5),
                                                             np.asarray(0.0), P))

    assert turned(0.9) > turned(0.5) > turned(0.1)


def test_complex_interdependent_work_brings_more_task_conflict():
    team = make_state(members=4, task_conflict=0.3)
    assert (team_climate.task_conflict_step(team, 0.9, 0.9, P)
            > team_climate.task_conflict_step(team, 0.5, 0.5, P)
            > team_climate.task_conflict_step(team, 0.1, 0.1, P))


def test_relationship_conflict_costs_team_output():
    calm = make_state(members=4, relationship_conflict=0.0, task_conflict=0.0)
    feuding = make_state(members=4, relationship_conflict=0.6, task_conflict=0.0)
    np.testing.assert_allclose(team_climate.conflict_factor(feuding, P),
                               1 - P.relationship_conflict_output * 0.6)
    outputs = np.full(4, 0.5)
    assert (team_output(outputs, np.asarray(0.5), 0.5, P, team_climate.conflict_factor(feuding, P))
            < team_output(outputs, np.asarray(0.5), 0.5, P,
                          team_climate.conflict_factor(calm, P)))


def test_task_conflict_helps_safe_teams_and_hurts_unsafe_ones():
    def factor(psychological_safety):
        return float(team_climate.conflict_factor(make_state(
            members=4, task_conflict=0.6, relationship_conflict=0.0,
            psychological_safety=psychological_safety), P))

    reference = P.task_conflict_safety_reference
    assert factor(0.9) > 1.0 > factor(0.1)
    np.testing.assert_allclose(factor(reference), 1.0)  # neutral at the reference safety
    np.testing.assert_allclose(factor(0.9), 1 + P.task_conflict_output * 0.6 * (0.9 - reference))


def test_relationship_conflict_weakens_ties_and_cohesion():
    team = make_state(members=4)
    allowed = 1.0 - np.eye(4)
    friction = network.ties_step(team.ties, allowed, 0.5, P, 0.0, 0.8)
    peace = network.ties_step(team.ties, allowed, 0.5, P, 0.0, 0.0)
    off_diagonal = allowed > 0
    assert np.all(friction[off_diagonal] < peace[off_diagonal])
    feuding = make_state(members=4, relationship_conflict=0.6, cohesion=0.5)
    calm = make_state(members=4, relationship_conflict=0.0, cohesion=0.5)
    strength, none = team.tie_strength, np.asarray(0.0)
    soured = team_climate.cohesion_step(feuding, none, none, strength, P)
    assert soured < team_climate.cohesion_step(calm, none, none, strength, P)
    # worked by hand: cohesion follows ties soured by friction (0.6 * 0.4), and friction
    # erodes it besides (0.05 of it at full conflict)
    followed = 0.5 + 0.03 * (0.6 * 0.4 - 0.5)
    np.testing.assert_allclose(soured, followed * (1 - 0.05 * 0.6))


def test_mediation_heals_relationship_conflict_more_when_the_team_trusts_the_leader():
    def healed(trust):
        team = make_state(members=4, trust=trust, relationship_conflict=0.5)
        mediated = week_of(team, dose(4, mediate=1.0))[0].relationship_conflict
        left_alone = week_of(team, dose(4))[0].relationship_conflict
        return float(left_alone - mediated)

    assert healed(0.2) > 0
    assert healed(0.8) > 1.5 * healed(0.2)


# ---------------------------------------------------------------------------------------
# Cohesion, collective efficacy and effort


def test_team_building_raises_cohesion_and_ties():
    team = make_state(members=4, cohesion=0.4)
    built, _ = week_of(team, dose(4, team_building=1.0))
    idle, _ = week_of(team, dose(4))
    assert built.cohesion > idle.cohesion
    assert built.tie_strength > idle.tie_strength


def test_small_wins_raise_collective_efficacy_and_a_decline_lowers_it():
    team = make_state(members=4, collective_efficacy=0.5)
    none = np.asarray(0.0)
    assert team_climate.efficacy_step(team, np.asarray(0.05), none, P) > 0.5
    assert team_climate.efficacy_step(team, np.asarray(-0.05), none, P) < 0.5
    np.testing.assert_allclose(team_climate.efficacy_step(team, none, none, P), 0.5)
    recent = np.full(4, 0.5)
    np.testing.assert_allclose(team_climate.relative_progress(np.full(4, 0.55), recent,
                                                              team.active), 0.1)


def test_shared_success_builds_cohesion():
    team = make_state(members=4, cohesion=0.5)
    strength = team.tie_strength
    none = np.asarray(0.0)
    assert (team_climate.cohesion_step(team, np.asarray(0.05), none, strength, P)
            > team_climate.cohesion_step(team, none, none, strength, P))


def test_a_cohesive_confident_team_puts_in_more_effort():
    assert team_climate.team_effort(make_state(cohesion=0.9, collective_efficacy=0.9), P) > 1
    assert team_climate.team_effort(make_state(cohesion=0.1, collective_efficacy=0.1), P) < 1
    np.testing.assert_allclose(team_climate.team_effort(make_state(), P), 1.0)


def test_goal_setting_lifts_effort_more_on_simple_tasks_than_on_complex_ones():
    np.testing.assert_allclose(complexity_damping(0.1, P), 1 - P.complexity_goal_weight * 0.1)
    np.testing.assert_allclose(complexity_damping(0.9, P), 1 - P.complexity_goal_weight * 0.9)

    def goals_only(observation, hours):
        """Spends every hour setting goals with the whole team."""
        return strategies.spread(strategies.whole_team(strategies.profile(set_goals=1.0),
                                                       observation), hours)

    registry = StrategyRegistry()
    registry.register("goals_only", goals_only, vectorised=True)
    registry.register("hands_off", strategies.hands_off, vectorised=True)

    def gain(complexity):
        output = {name: run_means({"leader.strategy": name, "work.complexity": complexity,
                                   "quarters": 2}, seed=11, runs=20, registry=registry)
                  for name in ("goals_only", "hands_off")}
        return output["goals_only"] / output["hands_off"] - 1

    simple, complex_ = gain(0.1), gain(0.9)
    assert np.all(complex_ > 0)  # goals help on any task
    # about 18% on the simple task and 10% on the complex one when this was written
    assert simple.mean() > complex_.mean() + 0.03


def test_training_teaches_slower_on_complex_tasks():
    none = effect_of(4)
    np.testing.assert_allclose(learning_pace(none, 0.5, P), 1.0)
    assert learning_pace(none, 0.9, P) < 1.0 < learning_pace(none, 0.1, P)
    trained = effect_of(4, train=0.8)
    team = make_state(members=4, capability=0.4)
    assert np.all(capability_step(team, trained, P, learning_pace(trained, 0.9, P))
                  < capability_step(team, trained, P, learning_pace(trained, 0.1, P)))


def test_retrospectives_add_team_learning_and_goals_narrow_it_on_complex_tasks():
    assert learning_pace(effect_of(4, retrospective=0.8), 0.5, P) > 1.0
    goals = effect_of(4, set_goals=0.8)
    assert learning_pace(goals, 0.9, P) < learning_pace(effect_of(4), 0.9, P)
    np.testing.assert_allclose(learning_pace(goals, 0.0, P),
                               learning_pace(effect_of(4), 0.0, P))


def test_interdependent_work_gains_more_from_coordination():
    outputs = np.full(4, 1.0)

    def coordination_gain(interdependence):
        return float(team_output(outputs, np.asarray(0.9), interdependence, P)
                     / team_output(outputs, np.asarray(0.1), interdependence, P))

    assert coordination_gain(0.9) > coordination_gain(0.5) > coordination_gain(0.1)
    assert coordination_gain(0.0) == 1.0  # pooled work: the sum of outputs
    np.testing.assert_allclose(team_output(outputs, np.asarray(1.0), 1.0, P), 4 * 1.6)


def test_feedback_lands_better_in_a_safe_team():
    safe = make_state(psychological_safety=0.9)
    unsafe = make_state(psychological_safety=0.1)
    assert feedback_threshold(safe, P) < feedback_threshold(unsafe, P)
    trust = np.full(1, 0.45)  # at the threshold of a team at the reference safety
    landed = feedback_effect(trust, np.ones(1), 0.03, feedback_threshold(safe, P))
    stung = feedback_effect(trust, np.ones(1), 0.03, feedback_threshold(unsafe, P))
    assert landed > 0 > stung


def test_team_sessions_take_members_hours_from_the_work():
    team = make_state(members=4)
    untouched = member_output(team, np.zeros(4), np.asarray(0.35), P)
    four_hours_in_session = member_output(team, np.zeros(4), np.asarray(0.35), P, 1.0, 4.0)
    np.testing.assert_allclose(four_hours_in_session, untouched * (1 - 4 / 40))
    _, in_sessions = week_of(team, dose(4, team_building=0.5))  # two team hours in all
    _, at_work = week_of(team, dose(4))
    np.testing.assert_allclose(in_sessions.member_output, at_work.member_output * (1 - 2 / 40))


def test_a_team_intervention_acts_on_the_team_hours_wherever_they_are_booked():
    active = np.ones(4)
    on_one = np.zeros((4, iv.COUNT))
    on_one[0, iv.TEAM_BUILDING] = 2.0
    shared = dose(4, team_building=0.5)
    np.testing.assert_allclose(effects_of(on_one, active, P)[:, iv.TEAM_BUILDING],
                               effects_of(shared, active, P)[:, iv.TEAM_BUILDING])
    # a member intervention still acts on the member's own hours
    coached = np.zeros((4, iv.COUNT))
    coached[0, iv.COACH] = 2.0
    assert effects_of(coached, active, P)[1, iv.COACH] == 0.0


def test_clarifying_roles_together_raises_every_members_role_clarity():
    team = make_state(members=4, role_clarity=0.3)
    clarified = role_clarity_step(team, effect_of(4, clarify_roles=0.8), P)
    np.testing.assert_allclose(clarified, 0.3 + 0.1 * 0.8 * 0.7)


# ---------------------------------------------------------------------------------------
# Strategies that lead the team


def test_diagnose_and_match_mediates_when_relationship_conflict_reads_high():
    feuding = strategies.diagnose_and_match(reading(relationship_conflict=0.8), np.asarray(8.0))
    calm = strategies.diagnose_and_match(reading(relationship_conflict=0.1), np.asarray(8.0))
    assert hours_on(calm, "mediate") == 0.0
    # the conflict row of the root-cause matrix: mediation first, then clarifying roles
    np.testing.assert_allclose(hours_on(feuding, "mediate"), 0.75 * 8)
    np.testing.assert_allclose(hours_on(feuding, "clarify_roles"), 0.25 * 8)


def test_diagnose_and_match_weighs_team_gaps_against_member_gaps():
    both = strategies.diagnose_and_match(reading(gaps=0.4, relationship_conflict=0.8),
                                         np.asarray(8.0))
    team_hours = hours_on(both, *(iv.NAMES[i] for i in iv.TEAM_LEVEL))
    assert 0 < team_hours < 8.0
    np.testing.assert_allclose(np.sum(both), 8.0)


def test_situational_leadership_settles_a_storming_team():
    storming = reading(relationship_conflict=0.5)
    performing = reading()
    stage = strategies.classify_team_stage
    assert strategies.TEAM_STAGES[int(stage(storming))] == "storming"
    assert strategies.TEAM_STAGES[int(stage(performing))] == "performing"
    settling = strategies.situational(storming, np.asarray(8.0))
    assert hours_on(settling, "mediate") > hours_on(settling, "team_building") > 0
    assert hours_on(strategies.situational(performing, np.asarray(8.0)), "mediate") == 0.0


def test_the_team_builder_spends_most_hours_on_the_team():
    plan = strategies.team_builder(reading(gaps=0.3), np.asarray(8.0))
    team_hours = hours_on(plan, *(iv.NAMES[i] for i in iv.TEAM_LEVEL))
    np.testing.assert_allclose(team_hours, 0.7 * 8.0)
    np.testing.assert_allclose(hours_on(plan, "coach"), 0.3 * 8.0)
    assert hours_on(plan, "retrospective") > 0 and hours_on(plan, "set_goals") > 0


# ---------------------------------------------------------------------------------------
# Teams differ, and the engines agree


def starting_teams(between_teams_sd: float, runs: int = 10):
    """The starting states of ``runs`` replications of the default team."""
    config = ScenarioConfig()
    config = dataclasses.replace(config, team=dataclasses.replace(
        config.team, between_teams_sd=between_teams_sd,
        diversity_sd=2 * between_teams_sd))
    return draw_batch_noise(3, list(range(runs)), config.weeks,
                            config.team.size).starting_team(config)


def test_teams_differ_at_the_start_only_when_they_are_drawn_apart():
    apart, alike = starting_teams(0.08, runs=400), starting_teams(0.0, runs=400)
    team_states = [name for name in TEAM_DRAWN
                   if name not in ("capability", "motivation", "trust")]
    for name in team_states:
        assert np.std(getattr(apart, name)) > 0.02, name
        assert np.ptp(getattr(alike, name)) == 0.0, name
    # teams' mean capability spreads more than their members' own draws alone make it
    assert np.std(apart.capability.mean(axis=-1)) > np.std(alike.capability.mean(axis=-1))


def test_the_engines_agree_on_a_scenario_with_the_new_keys():
    config = with_overrides(load_scenario("baseline"), {
        "quarters": 3, "leader.strategy": "team_builder", "leader.blame": 0.6,
        "work.complexity": 0.8, "work.interdependence": 0.9, "work.identifiability": 0.2,
        "team.between_teams_sd": 0.15, "team.conflict_proneness": 0.8,
        "team.relationship_conflict": 0.3, "environment.crisis_rate": 2.0,
        "environment.turnover_rate": 0.6})
    batched = run_batch(config, 7, range(4)).quarterly_frame()
    expected = pd.concat([TeamModel(config, seed=7, replication=k).run().quarterly_frame()
                          for k in range(4)], ignore_index=True)
    pd.testing.assert_frame_equal(batched, expected, check_exact=False, rtol=0, atol=1e-9)
    assert batched.hours_mediate.sum() > 0 and batched.problems_hidden.sum() > 0
    assert batched.hires.sum() > 0  # newcomers, read afresh in both engines


def test_the_mesa_model_shows_the_team_states_and_the_members_their_traits():
    model = TeamModel(load_scenario("baseline"), seed=3)
    model.step()
    for name in ("psychological_safety", "cohesion", "collective_efficacy",
                 "mutual_accountability", "task_conflict", "relationship_conflict",
                 "tie_strength"):
        assert getattr(model, name) == float(getattr(model.state, name))
    member = model.team[2]
    for trait in ("feedback_sensitivity", "learning_rate", "conscientiousness"):
        assert getattr(member, trait) == float(getattr(model.state, trait)[2])
    assert len({round(m.learning_rate, 6) for m in model.team}) > 1  # people differ
