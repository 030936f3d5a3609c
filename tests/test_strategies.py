"""The built-in strategies, read against what each one is meant to do, and the checks the
model puts on any strategy's answer (leadership.strategy_doses).

The strategies are called on hand-made readings of a team (an Observation), so each test
knows exactly what the leader saw: who is new, who is capable, who has which gap."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.model import interventions as iv
from simulation.model import strategies
from simulation.model.config import ROOT_CAUSES
from simulation.model.diagnosis import Observation
from simulation.model.leadership import strategy_doses
from simulation.model.strategies import (
    SITUATIONS,
    RegisteredStrategy,
    classify_situations,
    diagnose_and_match,
    firefighter,
    situational,
)

HOURS = 8.0


def reading(gaps: list[list[float]] | np.ndarray, *, tenure: float | list[float] = 200.0,
            output: list[float] | None = None, active: list[float] | None = None
            ) -> Observation:
    """The leader's reading of a team: one row of five observed gaps per member slot (in
    ROOT_CAUSES order), everyone long in the role and in post unless told otherwise."""
    gaps = np.asarray(gaps, dtype=float)
    shape = gaps.shape[:-1]
    return Observation(
        gaps=gaps,
        trust=np.full(shape, 0.5),
        exhaustion=np.full(shape, 0.1),
        output=np.full(shape, 0.5) if output is None else np.asarray(output, dtype=float),
        tenure_weeks=np.broadcast_to(np.asarray(tenure, dtype=float), shape).copy(),
        active=np.ones(shape) if active is None else np.asarray(active, dtype=float))


def levels(capability: float = 0.8, motivation: float = 0.8) -> list[float]:
    """A member's gaps from their observed capability and motivation (no other gap)."""
    return [1.0 - capability, 1.0 - motivation, 0.0, 0.0, 0.0]


def situation_of(capability: float = 0.8, motivation: float = 0.8,
                 tenure: float = 200.0) -> str:
    """The situation situational leadership sees one member in."""
    seen = reading([levels(capability, motivation)], tenure=tenure)
    for asked, read in ((capability, seen.capability[0]), (motivation, seen.motivation[0])):
        if asked in (0.5, 0.6):  # a boundary is read exactly, so it is tested at the boundary
            assert read == asked
    return SITUATIONS[int(classify_situations(seen)[0])]


def hours_by_intervention(doses: np.ndarray) -> dict[str, float]:
    """The hours of one member's (or a team's) doses, by intervention, leaving out zeros."""
    per = doses.reshape(-1, iv.COUNT).sum(axis=0)
    return {name: float(per[index]) for index, name in enumerate(iv.NAMES)
            if per[index] != 0}


def approx(shares: dict[str, float], total: float = HOURS) -> dict[str, object]:
    """Hours by intervention from shares of ``total``."""
    return {name: pytest.approx(share * total, rel=1e-12) for name, share in shares.items()}


# --- situational leadership: where the lines are drawn --------------------------------------


def test_a_member_just_short_of_half_a_year_in_the_role_is_new_to_it():
    assert situation_of(tenure=25.9) == "new_to_role"
    # New to the role comes first, however capable and motivated the member looks.
    assert situation_of(capability=1.0, motivation=1.0, tenure=0.0) == "new_to_role"


def test_a_member_half_a_year_in_the_role_is_no_longer_new_to_it():
    assert situation_of(tenure=26.0) != "new_to_role"
    assert situation_of(tenure=26.0) == "developing"


def test_a_member_seen_at_half_capability_counts_as_capable():
    assert situation_of(capability=0.5, motivation=0.3) == "capable_but_unmotivated"
    assert situation_of(capability=0.4999, motivation=0.3) == "struggling"


def test_a_member_seen_at_half_motivation_counts_as_motivated():
    assert situation_of(capability=0.3, motivation=0.5) == "motivated_but_under_skilled"
    assert situation_of(capability=0.3, motivation=0.4999) == "struggling"


def test_a_capable_motivated_member_is_an_experienced_performer_from_two_years_in_the_role():
    assert situation_of(capability=0.8, motivation=0.8, tenure=104.0) == \
        "experienced_performer"
    assert situation_of(capability=0.8, motivation=0.8, tenure=103.9) == "developing"


def test_an_experienced_performer_also_needs_capability_of_six_tenths():
    assert situation_of(capability=0.6, motivation=0.8, tenure=300.0) == \
        "experienced_performer"
    assert situation_of(capability=0.5999, motivation=0.8, tenure=300.0) == "developing"


def test_a_member_neither_capable_nor_motivated_is_struggling():
    assert situation_of(capability=0.2, motivation=0.2, tenure=300.0) == "struggling"


def test_situations_are_read_for_every_run_of_a_batch():
    batch = reading([[levels(0.2, 0.2), levels(0.8, 0.8)],
                     [levels(0.8, 0.2), levels(0.2, 0.8)]], tenure=[[300.0, 300.0],
                                                                    [300.0, 10.0]])
    names = [[SITUATIONS[s] for s in run] for run in classify_situations(batch)]
    assert names == [["struggling", "experienced_performer"],
                     ["capable_but_unmotivated", "new_to_role"]]


# --- situational leadership: what each situation gets ---------------------------------------


def test_a_capable_motivated_veteran_is_delegated_to():
    doses = situational(reading([levels(0.8, 0.8)], tenure=300.0), np.asarray(HOURS))
    assert hours_by_intervention(doses) == approx({"empower": 1.0})


def test_a_newcomer_is_directed_clarified_trained_and_watched():
    doses = situational(reading([levels(0.8, 0.8)], tenure=4.0), np.asarray(HOURS))
    assert hours_by_intervention(doses) == approx({"clarify": 0.4, "train": 0.4,
                                                   "monitor": 0.2})


def test_a_motivated_but_under_skilled_member_is_trained_and_coached():
    doses = situational(reading([levels(0.3, 0.8)]), np.asarray(HOURS))
    assert hours_by_intervention(doses) == approx({"train": 0.5, "coach": 0.5})


def test_a_capable_but_unmotivated_member_is_supported():
    doses = situational(reading([levels(0.8, 0.3)]), np.asarray(HOURS))
    assert hours_by_intervention(doses) == approx({"recognise": 0.5, "empower": 0.3,
                                                   "coach": 0.2})


def test_members_in_the_same_situation_get_hours_in_proportion_to_their_need():
    # Both capable but unmotivated; the second also runs into obstacles (need 1.2 vs 0.8).
    team = reading([[0.2, 0.6, 0.0, 0.0, 0.0], [0.2, 0.6, 0.4, 0.0, 0.0]])
    doses = situational(team, np.asarray(HOURS))
    per_member = doses.sum(axis=-1)
    np.testing.assert_allclose(per_member, [HOURS * 0.8 / 2.0, HOURS * 1.2 / 2.0], rtol=1e-12)


def test_a_struggling_member_draws_four_times_the_attention_of_a_performer_of_equal_need():
    # Both show the same total gap (1.2), the struggler on ability and will, the
    # performer on the environment and direction.
    team = reading([[0.6, 0.6, 0.0, 0.0, 0.0], [0.2, 0.2, 0.4, 0.4, 0.0]], tenure=300.0)
    assert [SITUATIONS[s] for s in classify_situations(team)] == ["struggling",
                                                                 "experienced_performer"]
    doses = situational(team, np.asarray(HOURS))
    per_member = doses.sum(axis=-1)
    assert per_member.sum() == pytest.approx(HOURS)
    assert per_member[0] / per_member[1] == pytest.approx(1.2 / 0.3)
    assert hours_by_intervention(doses[0]) == approx(
        {"clarify": 0.3, "coach": 0.3, "monitor": 0.2, "recognise": 0.2}, per_member[0])


# --- diagnose and match ---------------------------------------------------------------------

REMEDY = {
    "capability": {"train": 0.75, "coach": 0.25},
    "motivation": {"recognise": 0.75, "empower": 0.25},
    "environment": {"remove_obstacles": 0.75, "build_systems": 0.25},
    "direction": {"clarify": 0.75, "monitor": 0.25},
    "accountability": {"monitor": 0.75, "clarify": 0.25},
}
"""The matched remedy of each root cause, in the root-cause matrix's words: three quarters
to the primary remedy, a quarter to the secondary column (practice and support for
capability, autonomy for motivation, the process for the environment,
feedback for unclear expectations, clear expectations for accountability)."""


def one_gap(cause: str, size: float, others: float = 0.0) -> list[float]:
    """A member's gaps: ``size`` on one cause, ``others`` on every other."""
    return [size if name == cause else others for name in ROOT_CAUSES]


def test_a_gap_just_under_the_diagnosis_threshold_gets_no_hours():
    team = reading([[0.19] * len(ROOT_CAUSES), [0.2] * len(ROOT_CAUSES)])
    assert np.all(diagnose_and_match(team, np.asarray(HOURS)) == 0)


@pytest.mark.parametrize("cause", ROOT_CAUSES)
def test_a_gap_just_over_the_diagnosis_threshold_gets_its_matched_remedy(cause):
    # The other gaps sit just under the threshold: every hour goes to this one.
    team = reading([one_gap(cause, 0.21, others=0.19)])
    doses = diagnose_and_match(team, np.asarray(HOURS))
    assert hours_by_intervention(doses) == approx(REMEDY[cause])


def test_hours_follow_how_far_each_gap_exceeds_the_diagnosis_threshold():
    # Gaps of 0.3 and 0.5 exceed the threshold by 0.1 and 0.3: one hour in four, three.
    team = reading([one_gap("direction", 0.3), one_gap("motivation", 0.5)])
    doses = diagnose_and_match(team, np.asarray(HOURS))
    assert sum(hours_by_intervention(doses[0]).values()) == pytest.approx(0.25 * HOURS)
    assert sum(hours_by_intervention(doses[1]).values()) == pytest.approx(0.75 * HOURS)
    assert hours_by_intervention(doses[0]) == approx(REMEDY["direction"], 0.25 * HOURS)
    assert hours_by_intervention(doses[1]) == approx(REMEDY["motivation"], 0.75 * HOURS)


def test_diagnose_and_match_leaves_a_vacant_slot_alone():
    team = reading([one_gap("capability", 0.9), one_gap("capability", 0.9)],
                   active=[1.0, 0.0])
    doses = diagnose_and_match(team, np.asarray(HOURS))
    assert np.all(doses[1] == 0)
    assert doses[0].sum() == pytest.approx(HOURS)


# --- the firefighter ------------------------------------------------------------------------


def test_the_firefighter_gives_every_hour_to_the_worst_performer_as_a_motivation_problem():
    team = reading([levels()] * 4, output=[0.8, 0.3, 0.5, 0.6])
    doses = firefighter(team, np.asarray(HOURS))
    assert doses[[0, 2, 3]].sum() == 0
    assert hours_by_intervention(doses[1]) == approx({"recognise": 0.5, "monitor": 0.5})


def test_the_firefighter_never_picks_a_vacant_slot_for_its_zero_output():
    team = reading([levels()] * 4, output=[0.8, 0.3, 0.0, 0.6], active=[1, 1, 0, 1])
    doses = firefighter(team, np.asarray(HOURS))
    assert doses[2].sum() == 0
    assert doses[1].sum() == pytest.approx(HOURS)


def test_the_firefighter_picks_each_runs_own_worst_performer():
    batch = reading([[levels()] * 3] * 2, output=[[0.2, 0.5, 0.9], [0.9, 0.5, 0.0]],
                    active=[[1, 1, 1], [1, 1, 0]])
    doses = firefighter(batch, np.asarray([HOURS, 2.0]))
    assert doses.sum(axis=-1).tolist() == [[HOURS, 0.0, 0.0], [0.0, 2.0, 0.0]]


# --- the other built-in strategies: what each spends its hours on -------------------------

EVEN_MIXES = {
    "micromanager": {"micromanage": 0.6, "monitor": 0.4},
    "marginal_gains": {"clarify": 0.13, "train": 0.14, "coach": 0.14, "recognise": 0.13,
                       "remove_obstacles": 0.13, "monitor": 0.13, "build_systems": 0.2},
    "big_push": {"train": 1.0},
    "clarify_only": {"clarify": 1.0},
    "train_only": {"train": 1.0},
    "monitor_only": {"monitor": 1.0},
    "build_capability": {"train": 0.6, "build_systems": 0.4},
}
"""Strategies that treat every member alike, and the mix each spends the hours on."""


@pytest.mark.parametrize("name", sorted(EVEN_MIXES))
def test_an_even_handed_strategy_spends_every_hour_on_its_mix_shared_over_the_filled_slots(
        name):
    team = reading([levels(0.3, 0.9), levels(0.9, 0.3), levels(0.9, 0.9), levels(0.1, 0.1)],
                   active=[1, 1, 1, 0])
    doses = strategies.get(name).plan(team, np.asarray(HOURS))
    assert doses.shape == (4, iv.COUNT)
    assert np.all(doses[3] == 0)
    for member in range(3):
        assert hours_by_intervention(doses[member]) == approx(EVEN_MIXES[name], HOURS / 3)


def test_hands_off_spends_nothing():
    team = reading([levels(0.1, 0.1)] * 3)
    doses = strategies.get("hands_off").plan(team, np.asarray(HOURS))
    assert doses.shape == (3, iv.COUNT)
    assert np.all(doses == 0)


def test_the_coach_develops_members_by_their_need_and_empowers_them_by_their_capability():
    # A capable member with no gap is only empowered; a member with no capability (a gap
    # of 1, and nothing else) is only developed: trained, coached and given feedback.
    team = reading([[0.0] * 5, one_gap("capability", 1.0)])
    doses = strategies.get("coach").plan(team, np.asarray(HOURS))
    # Weights: 1.0 x empower 0.4 for the first; 1.0 x (0.3 + 0.45 + 0.25) for the second.
    assert hours_by_intervention(doses[0]) == approx({"empower": 0.4 / 1.4})
    assert hours_by_intervention(doses[1]) == approx({"train": 0.3 / 1.4, "coach": 0.45 / 1.4,
                                                      "monitor": 0.25 / 1.4})


def test_every_built_in_strategy_serves_a_batch_as_it_serves_each_team():
    rng = np.random.default_rng(7)
    batch = reading(rng.uniform(0, 1, (3, 5, len(ROOT_CAUSES))),
                    tenure=rng.uniform(0, 300, (3, 5)).tolist(),
                    output=rng.uniform(0, 1, (3, 5)).tolist(),
                    active=[[1, 1, 0, 1, 1], [1, 1, 1, 1, 1], [0, 1, 1, 1, 0]])
    hours = np.array([8.0, 2.0, 0.0])
    for name in strategies.REGISTRY.names():
        whole = strategies.get(name).plan(batch, hours)
        for run in range(3):
            np.testing.assert_allclose(whole[run], strategies.get(name).plan(
                batch.run(run), hours[run]), rtol=0, atol=1e-12, err_msg=name)
        assert np.all(whole.sum(axis=(-2, -1)) <= hours + 1e-12), name
        assert np.all(whole[batch.active == 0] == 0), name


def test_the_built_in_answers_the_engines_take_unchecked_are_fresh_finite_and_in_hours():
    # The engines neither copy nor check a built-in's answer (strategies.BUILT_IN_PLANS):
    # every one must give a new array each call, finite, non-negative, within the hours and
    # nothing for vacant slots, for any reading (here extreme ones).
    rng = np.random.default_rng(11)
    gaps = rng.choice([0.0, 1.0, 0.5], (4, 6, len(ROOT_CAUSES)))
    batch = reading(gaps, tenure=rng.choice([0.0, 1000.0], (4, 6)).tolist(),
                    output=rng.choice([0.0, 2.0], (4, 6)).tolist(),
                    active=[[1, 0, 1, 1, 0, 1], [0] * 6, [1] * 6, [1, 0, 0, 0, 0, 0]])
    hours = np.array([8.0, 8.0, 0.0, 40.0])
    assert strategies.BUILT_IN_PLANS == {strategies.get(name).plan
                                         for name in strategies.REGISTRY.names()}
    for plan in strategies.BUILT_IN_PLANS:
        first, second = plan(batch, hours), plan(batch, hours)
        assert not np.shares_memory(first, second), plan.__name__
        assert first.flags.writeable and first.dtype == float, plan.__name__
        assert np.all(np.isfinite(first)) and np.all(first >= 0), plan.__name__
        assert np.all(first.sum(axis=(-2, -1)) <= hours * (1 + 1e-12)), plan.__name__
        assert np.all(first[batch.active == 0] == 0), plan.__name__
        assert first.shape == (4, 6, iv.COUNT), plan.__name__


# --- what the model checks in a strategy's answer -------------------------------------------


def answering(plan: np.ndarray) -> RegisteredStrategy:
    """A (vectorised) strategy that answers with the given doses, whatever it sees."""
    doses = np.asarray(plan, dtype=float)

    def fixed(observation: Observation, hours: np.ndarray) -> np.ndarray:
        return doses.copy()

    return RegisteredStrategy("fixed", fixed, "answers with fixed doses", vectorised=True)


def plan_of(members: int, **hours: float) -> np.ndarray:
    """Every member's doses: the same hours of each named intervention."""
    doses = np.zeros((members, iv.COUNT))
    for name, value in hours.items():
        doses[:, iv.index(name)] = value
    return doses


TEAM = reading([levels()] * 3)


def test_a_strategy_answering_in_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match="shape"):
        strategy_doses(answering(np.zeros((3, iv.COUNT - 1))), TEAM, np.asarray(HOURS))
    with pytest.raises(ValueError, match="shape"):
        strategy_doses(answering(np.zeros((2, 3, iv.COUNT))), TEAM, np.asarray(HOURS))


def test_a_strategy_asking_for_negative_hours_is_refused():
    plan = plan_of(3, coach=1.0)
    plan[1, iv.TRAIN] = -0.5
    with pytest.raises(ValueError, match="negative or non-finite"):
        strategy_doses(answering(plan), TEAM, np.asarray(HOURS))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_strategy_asking_for_non_finite_hours_is_refused(bad):
    plan = plan_of(3, coach=1.0)
    plan[2, iv.MONITOR] = bad
    with pytest.raises(ValueError, match="negative or non-finite"):
        strategy_doses(answering(plan), TEAM, np.asarray(HOURS))


def test_a_vacant_slot_gets_nothing_whatever_the_strategy_asks_for_it():
    team = reading([levels()] * 3, active=[1, 0, 1])
    doses = strategy_doses(answering(plan_of(3, coach=1.0, monitor=0.5)), team,
                           np.asarray(HOURS))
    assert np.all(doses[1] == 0)
    assert np.all(doses[[0, 2]] == plan_of(2, coach=1.0, monitor=0.5))


def test_a_plan_asking_for_more_hours_than_there_are_is_scaled_down_to_exactly_the_hours():
    plan = plan_of(3, coach=2.0, train=1.0)  # 9 hours asked, 8 available
    doses = strategy_doses(answering(plan), TEAM, np.asarray(HOURS))
    assert doses.sum() == pytest.approx(HOURS, rel=1e-12)
    np.testing.assert_allclose(doses, plan * HOURS / 9.0, rtol=1e-12)


def test_a_plan_with_no_hours_to_spend_gets_nothing():
    doses = strategy_doses(answering(plan_of(3, coach=1.0)), TEAM, np.asarray(0.0))
    assert np.all(doses == 0)


def test_a_plan_asking_for_fewer_hours_than_there_are_is_untouched():
    plan = plan_of(3, coach=1.0, clarify=0.5)  # 4.5 hours of 8
    doses = strategy_doses(answering(plan), TEAM, np.asarray(HOURS))
    assert np.array_equal(doses, plan)
    exactly = plan_of(3, coach=HOURS / 3)
    assert np.array_equal(strategy_doses(answering(exactly), TEAM, np.asarray(HOURS)),
                          exactly)


def test_a_batch_of_plans_is_checked_and_scaled_run_by_run():
    batch = reading([[levels()] * 3] * 3, active=[[1, 1, 1], [1, 0, 1], [1, 1, 1]])
    plans = np.stack([plan_of(3, coach=4.0),     # 12 of 8: scaled to 8
                      plan_of(3, coach=1.0),     # 3 (2 filled) of 8: untouched
                      plan_of(3, train=1.0)])    # 3 of 2: scaled to 2
    hours = np.array([8.0, 8.0, 2.0])
    doses = strategy_doses(answering(plans), batch, hours)
    np.testing.assert_allclose(doses.sum(axis=(-2, -1)), [8.0, 2.0, 2.0], rtol=1e-12)
    np.testing.assert_allclose(doses[0], plans[0] * 8.0 / 12.0, rtol=1e-12)
    assert np.array_equal(doses[1], plans[1] * [[1], [0], [1]])
    np.testing.assert_allclose(doses[2], plans[2] * 2.0 / 3.0, rtol=1e-12)
    bad = plans.copy()
    bad[2, 0, iv.COACH] = -1.0
    with pytest.raises(ValueError, match="negative or non-finite"):
        strategy_doses(answering(bad), batch, hours)


ONE_TEAM_CALLS: list[float] = []
"""Hours each call of the strategy below was given (a module's list: what a closure holds
is copied for every run, so a closure's list would not see the calls)."""


def test_a_strategy_for_one_team_is_checked_and_scaled_team_by_team_in_a_batch():
    batch = reading([[levels()] * 2] * 2, active=[[1, 1], [0, 1]])
    ONE_TEAM_CALLS.clear()

    def one_team(observation: Observation, hours: np.ndarray) -> np.ndarray:
        assert observation.active.shape == (2,)
        ONE_TEAM_CALLS.append(float(hours))
        return plan_of(2, coach=3.0)

    strategy = RegisteredStrategy("one_team", one_team, "", vectorised=False)
    doses = strategy_doses(strategy, batch, np.array([8.0, 1.5]))
    assert ONE_TEAM_CALLS == [8.0, 1.5]
    np.testing.assert_allclose(doses.sum(axis=(-2, -1)), [6.0, 1.5], rtol=1e-12)
    assert np.all(doses[1, 0] == 0)

    def wrong(observation: Observation, hours: np.ndarray) -> np.ndarray:
        return np.zeros(iv.COUNT)

    with pytest.raises(ValueError, match="shape"):
        strategy_doses(RegisteredStrategy("wrong", wrong, "", vectorised=False), batch,
                       np.array([8.0, 1.5]))
