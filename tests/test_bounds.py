"""Every bounded state stays in [0, 1], and nothing turns NaN, at the ends of every
parameter's allowed range.

For each field of Parameters, the model runs with that one field at its low end and at its
high end (and with every field at its low end, or its high end, at once), in one batched
run per strategy, through a scenario with pressure, crises, obstacles, changed conditions
and turnover, for a team without habits and one with strong habits. Every member and team
state at the end of every week (anchors included), the weekly record and the quarterly
table are checked. Then the updates that are not bounded by construction (motivation, trust,
accountability, role clarity) are pushed as hard as the allowed ranges let them, one week,
straight through the equations."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from conftest import make_state

from simulation.engines import batch
from simulation.engines.batch import run_batch, stack_parameters
from simulation.model import interventions as iv
from simulation.model import member_dynamics, strategies
from simulation.model.config import Parameters, ScenarioConfig, field_docs
from simulation.model.metrics import REPORTED_MEMBER_STATES
from simulation.model.scenario_files import with_overrides
from simulation.model.state import LEADER_VARIABLES, MEMBER_VARIABLES, TIE_VARIABLES
from simulation.model.state import TEAM_VARIABLES as TEAM_STATES
from simulation.model.week import simulate_week

TEAM_VARIABLES = {**TEAM_STATES, **LEADER_VARIABLES}
"""Every state with one value per team: the team's and its leader's."""

UNBOUNDED = {"tenure_weeks", "recent_output", "feedback_sensitivity", "learning_rate",
             "improvement_plan_weeks", "low_output_weeks", "vacancy_weeks"}
"""Member states that are 0 upward, not bounded by 1."""

SIGNED = {"affect"}
"""Member states from -1 to 1 (checked as (value + 1) / 2 in [0, 1])."""

RANGES = {name: (meta["low"], meta["high"]) for name, meta in field_docs(Parameters).items()}

SCENARIO = with_overrides(ScenarioConfig(), {
    "quarters": 4, "team.size": 5, "team.exhaustion": 0.5, "team.tenure_years_sd": 2.0,
    "leader.attention_hours": 20.0, "leader.diagnostic_accuracy": 0.4,
    "leader.systems_share": 0.2, "leader.bias_strength": 0.3,
    "environment.pressure": 0.8, "environment.crisis_rate": 2.0,
    "environment.crisis_hours": 12.0, "environment.crisis_weeks": 3,
    "environment.scheduled_crises": [2, 14, 27], "environment.obstacle_rate": 2.0,
    "environment.change_rate": 2.0, "environment.turnover_rate": 1.0,
    "environment.hiring_delay_weeks": 2,
})
"""Four quarters under pressure, with crises (some scheduled), new obstacles, changed
conditions and a high hazard of leaving, so that slots empty and fill."""

HABITS = {"no_habits": {"team.habit_strength": 0.0, "team.systems": 0.0},
          "strong_habits": {"team.habit_strength": 0.9, "team.systems": 0.9}}
"""A team whose gains all drift away, and one whose gains embed fast (anchors move)."""

STRATEGIES = strategies.REGISTRY.names()
"""Every built-in strategy: between them they spend hours on every intervention."""

REPLICATIONS = 3


def extremes() -> tuple[list[str], list[Parameters]]:
    """Labels and parameter sets: each field at each end of its range, then all at once."""
    labels, sets = [], []
    for name, (low, high) in RANGES.items():
        assert low is not None and high is not None, f"{name} has an open range"
        for end, value in (("low", low), ("high", high)):
            labels.append(f"{name}={value} ({end})")
            sets.append(dataclasses.replace(Parameters(), **{name: float(value)}))
    for end, index in (("low", 0), ("high", 1)):
        labels.append(f"every parameter at its {end} end")
        sets.append(Parameters(**{name: float(ends[index]) for name, ends in RANGES.items()}))
    return labels, sets


def test_every_parameter_has_a_finite_allowed_range():
    assert len(RANGES) == len(dataclasses.fields(Parameters)) > 50
    for name, (low, high) in RANGES.items():
        assert low is not None and high is not None and low <= high, name
        assert np.isfinite(low) and np.isfinite(high), name


def outside(values: np.ndarray, upper: float | None = 1.0) -> np.ndarray:
    """Mask over runs (axis 1 of a weekly array) where any value is NaN or out of range."""
    bad = ~np.isfinite(values) | (values < 0)
    if upper is not None:
        bad |= values > upper
    return np.any(bad.reshape(values.shape[0], values.shape[1], -1), axis=(0, 2))


def watching_every_week(monkeypatch: pytest.MonkeyPatch) -> dict[str, np.ndarray]:
    """Make the batched engine report, for every state variable, the runs in which it was
    ever NaN or out of range at a week's end (every member and team state, anchors and
    ceilings included, not only those the weekly record keeps)."""
    seen: dict[str, np.ndarray] = {}

    def checked_week(*args, **kwargs):
        outcome = simulate_week(*args, **kwargs)
        for name in (*MEMBER_VARIABLES, *TEAM_VARIABLES, *TIE_VARIABLES):
            values = getattr(outcome.state, name)
            if name in SIGNED:
                values = (values + 1.0) / 2.0
            bad = outside(values[None, ..., None] if name in TEAM_VARIABLES
                          else values[None], None if name in UNBOUNDED else 1.0)
            seen[name] = seen[name] | bad if name in seen else bad
        return outcome

    monkeypatch.setattr(batch, "simulate_week", checked_week)
    # Every extreme in one block, however many parameters there are to take to their ends.
    monkeypatch.setattr(batch, "BLOCK", 1 << 16)
    return seen


@pytest.mark.parametrize("habits", sorted(HABITS))
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_state_stays_in_0_1_at_both_ends_of_every_parameters_range(strategy, habits,
                                                                        monkeypatch):
    labels, sets = extremes()
    runs = [label for label in labels for _ in range(REPLICATIONS)]
    parameters = stack_parameters([one for one in sets for _ in range(REPLICATIONS)])
    config = with_overrides(SCENARIO, {"leader.strategy": strategy, **HABITS[habits]})
    every_week = watching_every_week(monkeypatch)
    result = run_batch(config, 17, list(range(REPLICATIONS)) * len(sets),
                       member_detail=True, parameters=parameters,
                       engine="numpy")  # the watcher is on the numpy engine's week
    record = result.record
    assert set(every_week) == set(MEMBER_VARIABLES) | set(TEAM_VARIABLES) | set(TIE_VARIABLES)
    problems = [f"{name} (state): {runs[r]}" for name, bad in every_week.items()
                for r in np.flatnonzero(bad)]
    for name in REPORTED_MEMBER_STATES:
        weekly = record.member_states[name]
        assert weekly.shape == (config.weeks, len(runs), config.team.size)
        bad = outside(weekly, None if name in UNBOUNDED else 1.0)
        problems += [f"{name}: {runs[r]}" for r in np.flatnonzero(bad)]
    for name in TEAM_VARIABLES:
        bad = outside(record.team_states[name][..., None])
        problems += [f"{name}: {runs[r]}" for r in np.flatnonzero(bad)]
    for name, values in (("member output", record.member_output),
                         ("team output", record.team_output[..., None])):
        problems += [f"{name}: {runs[r]}" for r in np.flatnonzero(outside(values, None))]
    assert not problems, problems[:10]

    # The quarterly table reports the same states: means in [0, 1], nothing NaN.
    frame = result.quarterly_frame()
    assert len(frame) == len(runs) * config.quarters
    numbers = frame.select_dtypes("number").to_numpy()
    assert np.isfinite(numbers).all()
    bounded = [f"{name}_mean" for name in REPORTED_MEMBER_STATES if name not in UNBOUNDED]
    for column in [*bounded, *TEAM_VARIABLES]:
        wrong = np.flatnonzero(~frame[column].between(0.0, 1.0).to_numpy())
        assert not wrong.size, (column, sorted({runs[row // config.quarters]
                                                for row in wrong})[:5])
    # The batch did meet what it was built to meet.
    assert set(frame.columns) >= {f"hours_{name}" for name in iv.NAMES}
    assert frame["departures"].sum() > 0 and frame["hires"].sum() > 0
    assert frame["crises"].sum() > 0
    one_to_one = sum(frame[f"hours_{name}"].sum() for name, meeting in
                     zip(iv.NAMES, iv.ONE_TO_ONE, strict=True) if meeting)
    assert (frame["breaches"].sum() > 0) == (one_to_one > 0)  # crises cancel 1:1s


# --- the updates that lean on their final clip ----------------------------------------------

ALMOST_FULL = 0.99
"""An intervention's efficacy at a generous dose (efficacy approaches 1, never reaches it)."""


def full_effect(*names: str) -> np.ndarray:
    effect = np.zeros((1, iv.COUNT))
    for name in names:
        effect[:, iv.index(name)] = ALMOST_FULL
    return effect


EVERYTHING = tuple(iv.NAMES)

UPWARD = Parameters(
    recognise_rate=1.0, coach_motivation_rate=1.0, empower_motivation_rate=1.0,
    progress_gain=10.0, feedback_motivation_rate=1.0, feedback_trust_threshold=0.0,
    motivation_drift=1.0, micromanage_motivation_loss=0.0, exhaustion_motivation_loss=0.0,
    trust_gain=1.0, recognise_trust_rate=1.0, empower_trust_rate=1.0,
    feedback_trust_rate=1.0, trust_drift=1.0, trust_neutral=1.0, trust_breach_loss=0.0,
    micromanage_trust_loss=0.0, monitor_accountability_rate=1.0,
    coach_accountability_rate=1.0, micromanage_accountability_rate=1.0,
    accountability_drift=1.0, clarify_rate=1.0, clarity_drift=1.0)
"""Every allowed push on motivation, trust, accountability and role clarity upward."""

DOWNWARD = Parameters(
    recognise_rate=0.0, coach_motivation_rate=0.0, empower_motivation_rate=0.0,
    progress_gain=0.0, feedback_motivation_rate=1.0, feedback_trust_threshold=1.0,
    motivation_drift=1.0, micromanage_motivation_loss=1.0, exhaustion_motivation_loss=1.0,
    micromanage_novice_sting=1.0, trust_gain=0.0, recognise_trust_rate=0.0,
    empower_trust_rate=0.0, feedback_trust_rate=1.0, trust_drift=1.0, trust_neutral=0.0,
    trust_breach_loss=1.0, micromanage_trust_loss=1.0)
"""Every allowed push on motivation and trust downward."""


def test_motivation_stays_at_most_1_when_every_push_is_upward_at_once():
    # Halfway, anchored at 1, fully trusting, capable, with habits not yet formed: the
    # sum of the pushes is about 2, which only the final clip holds at 1.
    state = make_state(motivation=0.5, trust=1.0, capability=1.0, habit_strength=0.0,
                       exhaustion=0.0).replace(motivation_anchor=np.ones(1))
    motivation = member_dynamics.motivation_step(state, full_effect(*EVERYTHING),
                                                 np.ones(1), UPWARD)
    assert 0.0 <= motivation[0] <= 1.0
    assert motivation[0] == 1.0


def test_motivation_stays_at_least_0_when_every_push_is_downward_at_once():
    state = make_state(motivation=0.5, trust=0.0, capability=1.0, habit_strength=0.0,
                       exhaustion=1.0, tenure_weeks=500.0).replace(
                           motivation_anchor=np.zeros(1))
    motivation = member_dynamics.motivation_step(state, full_effect(*EVERYTHING),
                                                 np.zeros(1), DOWNWARD)
    assert motivation[0] == 0.0


def test_trust_stays_in_0_1_when_every_push_points_the_same_way():
    state = make_state(trust=0.5, capability=1.0, tenure_weeks=500.0)
    up = member_dynamics.trust_step(state, full_effect(*EVERYTHING), np.ones(1), np.zeros(1),
                                    UPWARD)
    down = member_dynamics.trust_step(state, full_effect(*EVERYTHING), np.zeros(1),
                                      np.ones(1), DOWNWARD)
    assert up[0] == 1.0
    assert down[0] == 0.0


def test_accountability_and_role_clarity_stay_at_most_1_when_pushed_up_and_drawn_up():
    state = make_state(accountability=0.5, role_clarity=0.5, habit_strength=0.0).replace(
        accountability_anchor=np.ones(1), role_clarity_anchor=np.ones(1))
    effect = full_effect(*EVERYTHING)
    assert member_dynamics.accountability_step(state, effect, UPWARD)[0] == 1.0
    assert member_dynamics.role_clarity_step(state, effect, UPWARD)[0] == 1.0
