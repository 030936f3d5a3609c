"""Successors: members grow ready to lead under coaching, feedback on the work and stretch,
faster in a safe team and only as far as their capability allows (McCall, Lombardo &
Morrison 1988; DeRue & Wellman 2009; Day et al. 2014); while the leader is away the most
ready member deputises, carrying as much of the withdrawn leadership as her readiness
allows, and a scenario's explicit ``leader.deputy_share`` overrides her."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from simulation import TeamModel
from simulation.analysis.leader_patterns import became_ready
from simulation.engines.batch import run_batch
from simulation.model import equations, succession
from simulation.model import interventions as iv
from simulation.model.config import Parameters, ScenarioConfig
from simulation.model.metrics import WeeklyRecord
from simulation.model.scenario_files import ConfigError, load_scenario, with_overrides
from simulation.model.state import INITIAL_DRAWS, TRAIT_DRAWS, initial_state, with_new_hires
from simulation.workshop.levers import apply_levers, levers_of
from tests.conftest import make_state

P = Parameters()


def effects(members: int = 1, **levels: float) -> np.ndarray:
    """The effects in effect this week, by intervention name (each in [0, 1))."""
    effect = np.zeros((members, iv.COUNT))
    for name, value in levels.items():
        effect[:, iv.index(name)] = value
    return effect


def trusting(**levels: float):
    """One member who trusts her leader (feedback lands), with some states set."""
    return make_state(**{"trust": 0.8, "leadership_readiness": 0.3, "capability": 0.6,
                         **levels})


def grown(state, effect, p: Parameters = P, weeks: int = 1) -> float:
    """The member's readiness after some weeks of the same effects."""
    for _ in range(weeks):
        state = state.replace(leadership_readiness=succession.readiness_step(state, effect, p))
    return float(state.leadership_readiness[0])


# --- readiness ---------------------------------------------------------------------------


def test_readiness_grows_under_coaching_and_feedback_and_only_on_the_job_under_hands_off():
    start = trusting()
    assert np.all(succession.development(effects(), start, P) == 0)  # hands-off: nothing
    coached = grown(start, effects(coach=0.4, monitor=0.4), weeks=52)
    left_alone = grown(start, effects(), weeks=52)
    assert coached - 0.3 > 1.4 * (left_alone - 0.3) > 0
    without_the_job = dataclasses.replace(P, readiness_on_the_job=0.0)
    assert grown(start, effects(), without_the_job, weeks=52) < 0.3
    # Feedback from a leader the member does not trust is read as an attack: it grows
    # nothing that doing the job would not.
    distrusted = start.replace(trust=np.array([0.2]))
    assert grown(distrusted, effects(coach=0.4, monitor=0.4), weeks=52) == pytest.approx(
        grown(distrusted, effects(), weeks=52))


def test_a_coaching_leader_grows_more_readiness_than_a_hands_off_one_over_a_year():
    config = with_overrides(ScenarioConfig(), {"quarters": 4, "leader.strategy": "coach"})
    coached = run_batch(config, 3, range(40)).quarterly_frame()
    left = run_batch(with_overrides(config, {"leader.strategy": "hands_off"}), 3,
                     range(40)).quarterly_frame()
    gain = {name: frame.query("quarter == 4").leadership_readiness_mean.mean()
            - frame.query("quarter == 1").leadership_readiness_mean.mean()
            for name, frame in (("coach", coached), ("hands_off", left))}
    assert gain["coach"] > 1.3 * gain["hands_off"] > 0  # 1.45 when last measured


def test_stretch_grows_the_readiness_of_a_capable_member_not_of_an_incapable_one():
    def stretch_gain(capability: float) -> float:
        state = trusting(capability=capability)
        return grown(state, effects(empower=0.5), weeks=26) - grown(state, effects(),
                                                                    weeks=26)

    assert stretch_gain(0.8) > 0.002
    # Capability 0.05 allows readiness up to 0.35: stretch on her adds next to nothing.
    assert stretch_gain(0.05) < 0.1 * stretch_gain(0.8)


def test_stretch_develops_more_with_feedback_on_it():
    state = trusting()
    without = grown(state, effects(empower=0.5), weeks=26) - grown(state, effects(), weeks=26)
    feedback = effects(coach=0.4, monitor=0.4)
    with_feedback = (grown(state, feedback + effects(empower=0.5), weeks=26)
                     - grown(state, feedback, weeks=26))
    assert with_feedback > 3 * without > 0


def test_a_safe_team_grows_leaders_faster():
    development = effects(coach=0.4, monitor=0.4, empower=0.3)
    safe = grown(trusting(psychological_safety=0.8), development, weeks=52)
    unsafe = grown(trusting(psychological_safety=0.3), development, weeks=52)
    assert safe > unsafe > 0.3
    assert grown(trusting(psychological_safety=0.8), development, weeks=52,
                 p=dataclasses.replace(P, safety_learning_weight=0.0)) == pytest.approx(
        grown(trusting(psychological_safety=0.3), development, weeks=52,
              p=dataclasses.replace(P, safety_learning_weight=0.0)))


def test_readiness_cannot_outgrow_capability_and_fades_without_development():
    ceiling = 0.2 + P.readiness_capability_margin
    capped = grown(trusting(capability=0.2), effects(coach=0.9, monitor=0.9, empower=0.9),
                   weeks=520)
    assert capped < ceiling
    idle = dataclasses.replace(P, readiness_on_the_job=0.0)
    faded = grown(trusting(leadership_readiness=0.6), effects(), idle, weeks=52)
    assert faded == pytest.approx(0.6 * (1 - P.readiness_decay) ** 52)
    assert 0.5 < faded < 0.6  # slowly: a few percent a year


def test_readiness_stays_in_0_1_however_hard_it_is_pushed():
    extreme = dataclasses.replace(P, readiness_feedback_rate=1.0, readiness_stretch_rate=1.0,
                                  readiness_on_the_job=1.0, readiness_decay=1.0)
    for level in (0.0, 0.5, 1.0):
        state = trusting(leadership_readiness=level, capability=1.0, psychological_safety=1.0)
        value = succession.readiness_step(state, effects(coach=0.99, monitor=0.99,
                                                         empower=0.99), extreme)
        assert 0.0 <= float(value[0]) <= 1.0


def test_starting_readiness_follows_capability_tenure_and_conscientiousness_with_no_draw():
    config = ScenarioConfig()
    z = np.zeros((3, INITIAL_DRAWS))
    z[1, [0, 6]] = 1.0  # more capable, longer in the role
    traits = np.zeros((3, TRAIT_DRAWS))
    traits[2, 3] = 1.5  # more conscientious
    readiness = initial_state(config, z, traits).leadership_readiness
    team = config.team
    assert readiness[0] == pytest.approx(team.leadership_readiness)
    assert readiness[1] == pytest.approx(team.leadership_readiness
                                         + team.leadership_readiness_sd * 2 / np.sqrt(3))
    assert readiness[2] > readiness[0]


def test_new_hires_start_with_little_readiness():
    state = make_state(members=3, leadership_readiness=0.6)
    three = ScenarioConfig(team=dataclasses.replace(ScenarioConfig().team, size=3))
    hired = with_new_hires(state, np.array([False, True, False]), np.zeros(3), three)
    np.testing.assert_allclose(hired.leadership_readiness, [0.6, P.new_hire_readiness, 0.6])


# --- the deputy ---------------------------------------------------------------------------


def team_with_readiness(*levels: float, vacant: tuple[int, ...] = ()):
    state = make_state(members=len(levels))
    active = np.ones(len(levels))
    active[list(vacant)] = 0.0
    return state.replace(leadership_readiness=np.array(levels), active=active)


def test_the_most_ready_member_of_the_team_becomes_the_deputy():
    state = team_with_readiness(0.2, 0.65, 0.5, 0.9, vacant=(3,))
    np.testing.assert_array_equal(succession.most_ready(state), [False, True, False, False])
    deputy = succession.deputise(state, 0.1, None, P)
    assert deputy.member is not None and deputy.member[1] == 1.0
    hours = np.asarray(deputy.hours(np.asarray(4.0)))
    assert hours[1] > 0 and np.count_nonzero(hours) == 1


def test_a_more_ready_deputy_carries_more_of_a_withdrawal():
    def share(readiness: float) -> float:
        state = team_with_readiness(0.2, readiness)
        return float(succession.deputise(state, 0.1, None, P).attention_share)

    assert share(0.3) == pytest.approx(0.1)  # nobody ready enough carries none of it
    assert 0.1 < share(0.5) < share(0.6) < share(0.7)
    assert share(0.7) == pytest.approx(0.1 + 0.9 * P.deputy_full_share)
    assert share(0.95) == pytest.approx(share(0.7))


def test_nobody_deputises_when_nothing_is_withdrawn():
    state = team_with_readiness(0.9, 0.9)
    for level in (1.0, 1.5):
        deputy = succession.deputise(state, level, None, P)
        assert deputy.attention_share == level and deputy.member is None
        assert deputy.hours(np.asarray(8.0)) == 0.0


def test_the_deputy_leads_out_of_her_own_work():
    state = make_state(members=2, capability=0.7, motivation=0.7)
    none = np.zeros(2)
    pressure = np.asarray(0.35)
    working = equations.member_output(state, none, pressure, P)
    leading = equations.member_output(state, none, pressure, P, leading_hours=np.array([4.0, 0]))
    assert leading[0] == pytest.approx(working[0] * (1 - 4.0 / P.work_week_hours))
    assert leading[1] == working[1]


def test_in_a_reassignment_the_most_ready_member_deputises_in_both_engines():
    config = load_scenario("succession")
    model = TeamModel(config, seed=5)
    deputies = []
    while model.running:
        model.step()
        deputies.append(model.leader.deputy)
    weeks = np.arange(config.weeks) // 13 + 1
    assert all(deputy is None for deputy, quarter in zip(deputies, weeks, strict=True)
               if quarter not in range(5, 9))
    assert all(deputy is not None for deputy, quarter in zip(deputies, weeks, strict=True)
               if quarter in range(5, 9))
    frame = model.quarterly_frame()
    assert frame.attention_level[4:8].min() > 0.1 + 0.9 * 0.1  # she carries a part
    batched = run_batch(config, 5, [0]).quarterly_frame()
    pd.testing.assert_frame_equal(batched, frame, check_exact=False, rtol=0, atol=1e-9)


def test_a_successor_grown_beforehand_carries_the_team_through_the_reassignment():
    config = load_scenario("succession")
    grown_first = run_batch(config, 7, range(40)).quarterly_frame()
    nobody = run_batch(with_overrides(config, {"leader.deputy_share": 0.0}), 7,
                       range(40)).quarterly_frame()

    def away(frame: pd.DataFrame, outcome: str) -> float:
        return float(frame[frame.quarter.between(5, 8)][outcome].mean())

    assert away(grown_first, "attention_level") > 0.3
    assert away(nobody, "attention_level") == pytest.approx(0.1)
    assert away(grown_first, "team_output") > 1.03 * away(nobody, "team_output")


# --- the explicit deputy_share ----------------------------------------------------------


def test_an_explicit_deputy_share_overrides_the_readiness_of_the_team():
    state = team_with_readiness(0.95, 0.2)
    deputy = succession.deputise(state, 0.4, 0.25, P)
    assert deputy.attention_share == pytest.approx(0.4 + 0.6 * 0.25)
    assert deputy.member is None and deputy.hours(np.asarray(8.0)) == 0.0


def test_with_an_explicit_deputy_share_readiness_changes_nothing_in_a_run():
    """Old files that set deputy_share keep their numbers: however readiness is grown,
    nothing but the readiness columns moves."""
    config = with_overrides(load_scenario("attention_withdrawn"),
                            {"leader.deputy_share": 0.25, "quarters": 8})
    pushed = with_overrides(config, {"parameters.readiness_feedback_rate": 0.5,
                                     "parameters.readiness_on_the_job": 0.5,
                                     "parameters.deputy_full_share": 1.0,
                                     "parameters.deputy_readiness_floor": 0.0})
    same, other = (run_batch(c, 2, range(6)).quarterly_frame() for c in (config, pushed))
    readiness = ["leadership_readiness_mean", "leadership_readiness_sd", "ready_share"]
    assert not np.allclose(same[readiness], other[readiness])
    pd.testing.assert_frame_equal(same.drop(columns=readiness), other.drop(columns=readiness))


def test_without_a_withdrawal_readiness_feeds_back_into_nothing():
    config = ScenarioConfig(quarters=4)
    pushed = with_overrides(config, {"parameters.readiness_feedback_rate": 0.5,
                                     "parameters.readiness_decay": 0.5,
                                     "team.leadership_readiness": 0.9})
    same, other = (run_batch(c, 2, range(6)).quarterly_frame() for c in (config, pushed))
    readiness = ["leadership_readiness_mean", "leadership_readiness_sd", "ready_share"]
    pd.testing.assert_frame_equal(same.drop(columns=readiness), other.drop(columns=readiness))


def test_deputy_share_is_unset_by_default_and_refused_out_of_range(tmp_path):
    assert ScenarioConfig().leader.deputy_share is None
    path = tmp_path / "team.toml"
    path.write_text('name = "team"\n[leader]\ndeputy_share = 1.5\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"leader\.deputy_share: must be at most 1"):
        load_scenario(path)
    path.write_text('name = "team"\n[leader]\ndeputy_share = 0\n', encoding="utf-8")
    explicit = load_scenario(path)
    assert explicit.leader.deputy_share == 0.0
    assert with_overrides(explicit, {"leader.deputy_share": None}).leader.deputy_share is None


def test_the_workshops_deputy_lever_is_auto_until_it_is_set():
    base = load_scenario("succession")
    assert levers_of(base)["deputy_share"] is None
    assert apply_levers(base, levers_of(base)) == base
    assert apply_levers(base, {"deputy_share": 0.3}).leader.deputy_share == 0.3
    with pytest.raises(ConfigError, match="deputy_share"):
        apply_levers(base, {"deputy_share": 1.3})


# --- what is reported ---------------------------------------------------------------------


def test_each_quarter_reports_readiness_and_the_share_ready_to_lead():
    model = TeamModel(load_scenario("succession"), seed=3).run()
    frame = model.quarterly_frame()
    assert frame.ready_share.between(0, 1).all()
    assert frame.leadership_readiness_mean.iloc[-1] > frame.leadership_readiness_mean.iloc[0]
    ready = succession.ready(model.state)
    assert frame.ready_share.iloc[-1] == pytest.approx(ready.sum() / model.state.active.sum())


def test_members_who_become_ready_are_counted_once_each_and_newcomers_too():
    record = WeeklyRecord(weeks=4, members=2)
    record.active[:, 0] = [[1, 1], [1, 1], [1, 0], [1, 1]]
    record.member_states["leadership_readiness"][:, 0] = [[0.5, 0.75], [0.72, 0.8],
                                                          [0.9, 0.0], [0.6, 0.1]]
    # Slot 0: one member, ready from week 2 (counted once). Slot 1: one who started ready
    # (not counted), then a newcomer in week 4 who is not ready.
    np.testing.assert_allclose(became_ready(record), [1 / 2])
