"""The leader's credibility and the four trust behaviours: kept commitments, candour, care
and transparency build it; broken commitments, favouritism and inconsistency erode it; it
scales the trust her acts earn (Simons 2002; Mayer, Davis & Schoorman 1995; Dirks & Ferrin
2002; Colquitt et al. 2001)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import calm_week, dose, make_state

from simulation import TeamModel
from simulation.engines.batch import run_batch
from simulation.experiments.replications import run_once
from simulation.model import credibility, leadership, member_dynamics, strategies
from simulation.model import interventions as iv
from simulation.model.config import Parameters, ScenarioConfig
from simulation.model.credibility import Conduct
from simulation.model.scenario_files import load_scenario, with_overrides
from simulation.model.strategies import StrategyRegistry
from simulation.model.team_dynamics import advance_week, effects_of

P = Parameters()
MEMBERS = 4


def team(**levels: float):
    """A team of four alike members (equal needs), with some states set."""
    return make_state(MEMBERS, **levels)


def effect_of(members: int = MEMBERS, **hours: float) -> np.ndarray:
    """The efficacy of weekly hours held long enough to be fully in effect."""
    return effects_of(dose(members, **hours), np.ones(members), P)


def credibility_after(state, effect=None, kept=0.0, breached=0.0, conduct=None,
                      p: Parameters = P) -> float:
    effect = np.zeros((state.members, iv.COUNT)) if effect is None else effect
    return float(credibility.credibility_step(
        state, effect, np.full(state.members, kept), np.full(state.members, breached),
        conduct, p))


# --- what builds and erodes credibility ----------------------------------------------------


def test_kept_commitments_build_credibility_and_breaches_erode_it_much_faster():
    state = team().replace(leader_credibility=np.asarray(0.5))
    gained = credibility_after(state, kept=0.6) - 0.5
    lost = 0.5 - credibility_after(state, breached=0.6)
    assert gained > 0 and lost > 0
    assert lost > 5 * gained  # one broken week undoes many kept ones (Slovic 1993)


def test_a_leader_with_no_contact_keeps_the_credibility_she_has():
    state = team().replace(leader_credibility=np.asarray(0.4))
    assert credibility_after(state) == pytest.approx(0.4)
    model = TeamModel(with_overrides(ScenarioConfig(), {
        "quarters": 2, "leader.strategy": "hands_off", "leader.credibility": 0.4}), seed=3)
    model.run()
    assert model.leader.credibility == pytest.approx(0.4)
    model.release()


def test_hours_given_alike_to_members_with_equal_needs_are_not_favouritism():
    equal = dose(MEMBERS, coach=1.0)
    assert float(credibility.favouritism(equal, team(), P)) == 0.0


def test_the_same_hours_given_to_one_favourite_with_equal_needs_erode_credibility():
    state = team()
    favourite = np.zeros((MEMBERS, iv.COUNT))
    favourite[0, iv.COACH] = float(MEMBERS)  # the team's four hours, all to slot 0
    unequal = float(credibility.favouritism(favourite, state, P))
    assert unequal > 0.5
    fair = credibility_after(state, conduct=Conduct(
        credibility.favouritism(dose(MEMBERS, coach=1.0), state, P), 0.0))
    favoured = credibility_after(state, conduct=Conduct(unequal, 0.0))
    assert favoured < fair == pytest.approx(float(state.leader_credibility))


def test_hours_that_follow_need_are_not_favouritism_but_hours_against_them_are():
    state = team().replace(capability=np.array([0.2, 0.2, 0.9, 0.9]))
    shares = credibility.need_shares(state, P)
    assert shares[0] > shares[2]
    following = np.zeros((MEMBERS, iv.COUNT))
    following[:, iv.TRAIN] = 4.0 * shares
    against = following[::-1].copy()  # the same hours, the neediest given the least
    assert float(credibility.favouritism(following, state, P)) == 0.0
    assert float(credibility.favouritism(against, state, P)) > 0.0


def test_team_sessions_booked_on_one_slot_are_not_favouritism():
    session = np.zeros((MEMBERS, iv.COUNT))
    session[0, iv.TRANSPARENCY] = 2.0  # a team intervention's hours are the team's
    assert float(credibility.favouritism(session, team(), P)) == 0.0


def test_a_plan_that_keeps_to_her_priorities_is_consistent_and_one_that_flips_is_not():
    plan = dose(MEMBERS, train=1.0)
    shown = credibility.priorities_of(plan)
    assert float(credibility.inconsistency(plan, shown, P)) == 0.0
    flipped = dose(MEMBERS, recognise=1.0)
    assert float(credibility.inconsistency(flipped, shown, P)) == 1.0
    # The first plan sets her priorities: a leader who has shown none is not inconsistent.
    nothing = np.zeros(iv.COUNT)
    assert float(credibility.inconsistency(flipped, nothing, P)) == 0.0
    np.testing.assert_allclose(credibility.priorities_step(nothing, plan, P), shown)
    state = team()
    assert credibility_after(state, conduct=Conduct(0.0, 1.0)) < float(
        state.leader_credibility)


def alternating(observation, hours, context):
    """Trains one week, recognises the next (the same hours, changing priorities)."""
    mix = strategies.profile(train=1.0) if context.week % 2 else strategies.profile(
        recognise=1.0)
    return strategies.spread(observation.active[..., None] * mix, hours)


def steady(observation, hours):
    """Half training, half recognition, every week."""
    mix = strategies.profile(train=0.5, recognise=0.5)
    return strategies.spread(observation.active[..., None] * mix, hours)


def test_a_leader_who_changes_her_priorities_every_week_loses_credibility():
    registry = StrategyRegistry()
    registry.register("alternating", alternating)
    registry.register("steady", steady, vectorised=True)
    base = with_overrides(load_scenario("baseline"), {"quarters": 4,
                                                     "environment.crisis_rate": 0.0})
    ends = {}
    for name in ("alternating", "steady"):
        frame = run_batch(with_overrides(base, {"leader.strategy": name}), 5, range(6),
                          registry=registry).quarterly_frame()
        ends[name] = frame[frame.quarter == 4].leader_credibility.mean()
    assert ends["alternating"] < ends["steady"] - 0.05


# --- what credibility does -----------------------------------------------------------------


def test_a_credible_leaders_kept_one_to_one_builds_more_trust_than_a_non_credible_ones():
    kept = np.full(MEMBERS, 0.6)
    no_effect = np.zeros((MEMBERS, iv.COUNT))

    def trust_gain(level: float) -> float:
        state = team(trust=0.5).replace(leader_credibility=np.asarray(level))
        return float(member_dynamics.trust_step(state, no_effect, kept, np.zeros(MEMBERS),
                                                P)[0]) - 0.5

    assert trust_gain(0.9) > trust_gain(0.7) > trust_gain(0.3) > 0
    # At the reference credibility trust responds as the trust rates say.
    assert credibility.credibility_factor(np.asarray(P.credibility_reference), P) == 1.0
    assert ScenarioConfig().leader.credibility == P.credibility_reference


def test_a_breach_costs_a_credible_and_a_non_credible_leader_the_same_trust():
    breached = np.full(MEMBERS, 0.6)
    no_effect = np.zeros((MEMBERS, iv.COUNT))
    after = [member_dynamics.trust_step(team(trust=0.5).replace(
        leader_credibility=np.asarray(level)), no_effect, np.zeros(MEMBERS), breached, P)
        for level in (0.9, 0.3)]
    np.testing.assert_allclose(after[0], after[1])


# --- the three trust behaviours that are acts ------------------------------------------------


def test_care_and_candour_are_one_to_one_time_and_transparency_is_the_teams():
    assert iv.ONE_TO_ONE[iv.CARE] and iv.ONE_TO_ONE[iv.CANDOUR]
    assert not iv.ONE_TO_ONE[iv.TRANSPARENCY] and iv.TRANSPARENCY in iv.TEAM_LEVEL
    assert iv.CANDOUR in iv.FEEDBACK
    assert iv.NAMES[14:17] == ("care", "candour", "transparency")  # earlier indices unchanged
    assert iv.NAMES.index("set_goals") == 13


def fixed_mix(**shares: float) -> strategies.Strategy:
    """A strategy that spends the week in one mix, alike for every member."""
    mix = strategies.profile(**shares)

    def plan(observation, hours):
        return strategies.spread(observation.active[..., None] * mix, hours)

    return plan


def test_a_plan_with_care_takes_its_hours_from_the_rest_of_the_week():
    registry = StrategyRegistry()
    registry.register("coach_only", fixed_mix(coach=1.0), vectorised=True)
    registry.register("with_care", fixed_mix(coach=0.75, care=0.25), vectorised=True)
    base = with_overrides(load_scenario("baseline"), {"quarters": 1,
                                                     "environment.crisis_rate": 0.0})
    frames = {name: run_batch(with_overrides(base, {"leader.strategy": name}), 2, range(3),
                              registry=registry).quarterly_frame()
              for name in ("coach_only", "with_care")}
    weeks = 13 * base.leader.attention_hours
    assert frames["with_care"].hours_care.to_numpy() == pytest.approx(0.25 * weeks)
    assert frames["with_care"].hours_coach.to_numpy() == pytest.approx(0.75 * weeks)
    assert frames["coach_only"].hours_coach.to_numpy() == pytest.approx(weeks)
    assert frames["with_care"].kept_commitments.sum() == frames[
        "coach_only"].kept_commitments.sum()  # both are 1:1s, each week


def test_a_cancelled_care_meeting_is_a_broken_commitment():
    planned = dose(2, care=1.0)
    granted, kept, breached = leadership.fit_week(planned, np.asarray(1.0), P)
    assert granted.sum() == 1.0 and np.count_nonzero(breached) == 1
    assert np.count_nonzero(kept) == 1


def test_care_builds_trust_relieves_exhaustion_and_builds_credibility():
    state = team(trust=0.5, exhaustion=0.6)
    care = effect_of(care=1.0)
    none = effect_of()
    kept = np.zeros(MEMBERS)
    assert (member_dynamics.trust_step(state, care, kept, kept, P)
            > member_dynamics.trust_step(state, none, kept, kept, P)).all()
    pressure = np.asarray(0.35)
    assert (member_dynamics.exhaustion_step(state.exhaustion, pressure, P,
                                            care[..., iv.CARE])
            < member_dynamics.exhaustion_step(state.exhaustion, pressure, P)).all()
    assert credibility_after(state, care) > credibility_after(state, none)


def test_candour_builds_trust_only_where_it_lands_and_builds_credibility_everywhere():
    candour, none = effect_of(candour=1.0), effect_of()
    kept = np.zeros(MEMBERS)
    for trust, lands in ((0.7, True), (0.2, False)):
        state = team(trust=trust)
        with_candour = member_dynamics.trust_step(state, candour, kept, kept, P)
        without = member_dynamics.trust_step(state, none, kept, kept, P)
        assert (with_candour > without).all() == lands
        assert credibility_after(state, candour) > credibility_after(state, none)


def test_candour_tells_members_where_they_stand():
    state = team(trust=0.7, motivation=0.5)
    _, lift = member_dynamics.motivation_parts(state, effect_of(candour=1.0),
                                               np.zeros(MEMBERS), P)
    _, no_lift = member_dynamics.motivation_parts(state, effect_of(), np.zeros(MEMBERS), P)
    assert (lift > 0).all() and (no_lift == 0).all()


def test_transparency_builds_credibility_safety_and_direction_for_the_whole_team():
    state = team(trust=0.5)
    session = np.zeros((MEMBERS, iv.COUNT))
    session[0, iv.TRANSPARENCY] = 2.0  # booked on one slot: the team's hours
    zeros = np.zeros(MEMBERS)
    with_it, _ = advance_week(state, session, zeros, zeros, calm_week(), P)
    without, _ = advance_week(state, np.zeros((MEMBERS, iv.COUNT)), zeros, zeros,
                              calm_week(), P)
    for name in ("leader_credibility", "psychological_safety", "direction_clarity"):
        assert float(getattr(with_it, name)) > float(getattr(without, name)), name


# --- the whole loop, in both engines ---------------------------------------------------------


def test_the_trustworthy_leader_ends_more_credible_and_more_trusted_than_the_matcher():
    base = with_overrides(load_scenario("broken_promises"), {"quarters": 4})
    ends = {}
    for name in ("trustworthy", "diagnose_and_match"):
        frame = run_batch(with_overrides(base, {"leader.strategy": name}), 3,
                          range(20)).quarterly_frame()
        ends[name] = frame[frame.quarter == 4][["leader_credibility", "trust_mean"]].mean()
    assert ends["trustworthy"].leader_credibility > ends["diagnose_and_match"].leader_credibility
    assert ends["trustworthy"].trust_mean > ends["diagnose_and_match"].trust_mean


@pytest.mark.parametrize("strategy", ["trustworthy", "firefighter"])
def test_both_engines_give_the_same_credibility_and_hours_on_the_new_acts(strategy):
    config = with_overrides(load_scenario("broken_promises"), {
        "quarters": 3, "leader.strategy": strategy, "environment.turnover_rate": 0.5})
    batched = run_batch(config, 4, range(4)).quarterly_frame()
    expected = pd.concat([run_once(config, 4, k) for k in range(4)], ignore_index=True)
    numbers = expected.select_dtypes("number").columns
    np.testing.assert_allclose(batched[numbers].to_numpy(float),
                               expected[numbers].to_numpy(float), rtol=0, atol=1e-9)
    assert batched.leader_credibility.std() > 0
    if strategy == "trustworthy":
        assert (batched[["hours_care", "hours_candour", "hours_transparency"]] > 0).all().all()
