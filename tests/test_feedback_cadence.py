"""The leader's feedback cadence: weekly or fortnightly 1:1s, or a quarterly or annual review
that gets the hours banked for it; feedback loses value with delay (Kulik & Kulik 1988),
and between conversations members do not know where they stand, which sustains their
motivation while they do (Hackman & Oldham 1976)."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import TeamModel
from simulation.analysis.leader_patterns import cadence_outcomes
from simulation.analysis.pattern_checks import Context, parameters_with
from simulation.engines.batch import run_batch
from simulation.model import interventions as iv
from simulation.model import leader_state, member_dynamics
from simulation.model.config import CADENCE_WEEKS, Parameters, ScenarioConfig
from simulation.model.scenario_files import ConfigError, load_scenario, with_overrides

P = Parameters()


def week_plan(members: int = 3, hours: float = 1.0) -> np.ndarray:
    """Every member gets an hour of each feedback intervention and an hour of clarifying."""
    plan = np.zeros((members, iv.COUNT))
    plan[:, list(iv.FEEDBACK)] = hours
    plan[:, iv.CLARIFY] = hours
    return plan


def banked_over(weeks: int, cadence: str) -> tuple[np.ndarray, list[np.ndarray | None]]:
    bank = np.zeros((3, len(iv.FEEDBACK)))
    reviews = []
    for week in range(weeks):
        given, review, bank = leader_state.scheduled_feedback(
            week_plan(), bank, week, CADENCE_WEEKS[cadence], P)
        reviews.append(review)
        assert given[:, iv.CLARIFY] == pytest.approx(1.0)  # only feedback waits for a review
    return bank, reviews


def test_weekly_feedback_is_given_in_the_week_it_is_planned():
    plan = week_plan()
    given, review, bank = leader_state.scheduled_feedback(plan, np.zeros((3, 3)), 5, 1, P)
    assert review is None
    np.testing.assert_array_equal(given, plan)
    np.testing.assert_array_equal(bank, 0.0)


def test_between_reviews_feedback_hours_are_banked_not_given():
    bank, reviews = banked_over(12, "quarterly")
    assert all(review is None for review in reviews)
    decay = np.exp(-1.0 / P.feedback_decay_weeks)
    # Twelve weeks of an hour each, the older the staler.
    np.testing.assert_allclose(bank, (1 - decay ** 12) / (1 - decay))
    assert np.all((bank > 6.0) & (bank < 12.0))


def test_feedback_banked_for_a_review_loses_value_with_delay():
    decay = np.exp(-1.0 / P.feedback_decay_weeks)
    _, fortnight = banked_over(2, "fortnightly")
    assert fortnight[0] is None and fortnight[1] is not None
    np.testing.assert_allclose(fortnight[1][:, list(iv.FEEDBACK)], 1.0 + decay)
    _, year = banked_over(52, "annual")
    review = year[-1]
    assert review is not None and all(r is None for r in year[:-1])
    fresh_share = review[:, list(iv.FEEDBACK)] / 52.0
    # A year's hours, about a fifth of their value left by the review.
    np.testing.assert_allclose(fresh_share, (1 - decay ** 52) / (1 - decay) / 52)
    assert 0.15 < fresh_share[0, 0] < 0.3


def year_end(cadence: str, replications: int = 60, **parameters: float
             ) -> dict[str, float]:
    """Quarter 4 (weekly means) of the coaching leader's calm year under a cadence."""
    ctx = Context(replications, 5, parameters_with(parameters))
    return {name: float(values.mean())
            for name, values in cadence_outcomes(cadence, ctx).items()}


def test_regular_feedback_beats_the_annual_review_with_the_same_hours():
    weekly, annual = year_end("weekly"), year_end("annual")
    assert weekly["output"] > 1.1 * annual["output"]
    assert weekly["motivation"] > 1.05 * annual["motivation"]
    assert weekly["trust"] > annual["trust"]


def test_the_longer_feedback_waits_the_less_the_team_gains():
    output = [year_end(cadence, replications=30)["output"] for cadence in CADENCE_WEEKS]
    assert output[0] > output[2] > output[3]
    assert output[1] > output[2]


def test_without_knowledge_of_results_the_annual_review_costs_little_motivation():
    """The mechanism P22 rests on: what members lose between reviews is knowing where they
    stand."""
    with_it = year_end("weekly")["motivation"] / year_end("annual")["motivation"]
    without = (year_end("weekly", standing_weight=0.0)["motivation"]
               / year_end("annual", standing_weight=0.0)["motivation"])
    assert without - 1.0 < 0.5 * (with_it - 1.0)


def test_members_know_where_they_stand_while_feedback_on_their_work_is_in_effect():
    effect = np.zeros((3, iv.COUNT))
    effect[1, iv.MONITOR] = 0.5
    effect[2, iv.RECOGNISE] = 0.9  # praise is not information about the work
    known = member_dynamics.knowledge_of_results(effect)
    np.testing.assert_allclose(known, [0.0, 0.5, 0.0])
    effect[1, iv.COACH] = 0.5
    # Each kind informs on its own: the second adds less than the first.
    assert member_dynamics.knowledge_of_results(effect)[1] == pytest.approx(0.75)


def test_the_lift_of_knowing_where_one_stands_goes_when_the_feedback_stops():
    config = with_overrides(ScenarioConfig(), {"quarters": 1})
    state = TeamModel(config, seed=3).state
    state = state.replace(ties=np.zeros_like(state.ties),  # no colleagues' moods at play
                          trust=np.full(state.members, 0.9))  # feedback lands with all
    effect = np.zeros((state.members, iv.COUNT))
    effect[:, iv.COACH] = 0.8
    progress = np.zeros(state.members)
    base, lift = member_dynamics.motivation_parts(state, effect, progress, P)
    assert np.all(lift > 0) and lift.mean() > 0.05
    lifted = state.replace(motivation=base + lift, standing_lift=lift)
    after, gone = member_dynamics.motivation_parts(lifted, np.zeros_like(effect), progress, P)
    np.testing.assert_array_equal(gone, 0.0)
    # The rest of motivation moves on from where it was, without the lift.
    np.testing.assert_allclose(after, member_dynamics.motivation_parts(
        state.replace(motivation=base), np.zeros_like(effect), progress, P)[0])


def test_a_review_is_held_in_a_crisis_week_and_kept_as_a_commitment():
    config = with_overrides(load_scenario("annual_review"), {
        "quarters": 4, "environment.scheduled_crises": [52], "environment.crisis_hours": 8.0})
    model = TeamModel(config, seed=1, replication=0)
    coaching = []
    while model.running:
        model.step()
        assert model.leader.last_plan is not None
        coaching.append(float(model.leader.last_plan.granted[..., iv.COACH].sum()))
    last = model.weekly_frame().set_index("week").loc[52]
    assert last.crises >= 1  # the week has no hours left for 1:1s ...
    assert coaching[-1] > 10.0 and max(coaching[:-1]) == 0.0  # ... but the review is held
    assert last.kept_commitments > 0
    model.release()


def test_a_new_hire_starts_with_nothing_banked_for_them():
    config = with_overrides(load_scenario("annual_review"), {"quarters": 2})
    model = TeamModel(config, seed=2, replication=0)
    for _ in range(10):
        model.step()
    assert np.all(model.state.feedback_bank.sum(axis=-1) > 0)
    from simulation.model.state import with_new_hires
    hired = np.zeros(model.state.members, dtype=bool)
    hired[0] = True
    after = with_new_hires(model.state, hired, np.zeros(model.state.members), config)
    assert np.all(after.feedback_bank[0] == 0)
    assert np.all(after.feedback_bank[1:].sum(axis=-1) > 0)
    model.release()


def test_the_engines_agree_under_every_cadence():
    for cadence in CADENCE_WEEKS:
        config = with_overrides(load_scenario("annual_review"), {
            "quarters": 5, "leader.feedback_cadence": cadence})
        batched = run_batch(config, 9, range(3)).quarterly_frame()
        for k in range(3):
            model = TeamModel(config, seed=9, replication=k).run()
            expected = model.quarterly_frame()
            got = batched[batched.replication == k].reset_index(drop=True)
            numbers = expected.select_dtypes("number").columns
            np.testing.assert_allclose(got[numbers].to_numpy(float),
                                       expected[numbers].to_numpy(float), rtol=0, atol=1e-9)
            model.release()


def test_an_unknown_cadence_is_refused_naming_the_key(tmp_path):
    path = tmp_path / "monthly.toml"
    path.write_text('name = "monthly"\n[leader]\nfeedback_cadence = "monthly"\n')
    with pytest.raises(ConfigError, match="feedback_cadence"):
        load_scenario(path)
