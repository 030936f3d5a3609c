"""How the team's own states move in a week (psychological safety, direction clarity,
barriers, systems), and :func:`advance_week`: one synchronous week of every state.

Team arrays have the state's leading shape ``(...)``; a parameter that a batch gives per
run arrives as ``(runs, 1)`` and is applied to team arrays through ``team_level``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.model import interventions as iv
from simulation.model import network
from simulation.model.config import Parameters
from simulation.model.equations import (
    approach,
    delayed_dose,
    efficacy,
    member_output,
    team_level,
    team_mean,
    team_output,
)
from simulation.model.member_dynamics import (
    accountability_step,
    capability_step,
    embed,
    exhaustion_step,
    motivation_step,
    obstacles_step,
    role_clarity_step,
    scrutiny_step,
    trust_step,
)
from simulation.model.state import TeamState


@dataclass(frozen=True)
class WeekConditions:
    """What the environment and the calendar impose on one week (team arrays)."""

    pressure: np.ndarray
    """Workload pressure including any crisis, in [0, 1]."""
    direction_baseline: np.ndarray
    """The direction clarity the environment offers without the leader."""
    barrier_baseline: np.ndarray
    """The barriers the environment drifts back to."""
    obstacle_shock: np.ndarray
    """Share of the free path blocked by obstacles that emerged this week."""
    change_shock: np.ndarray
    """Share of direction clarity lost to changed conditions this week."""


def team_effect(effect: np.ndarray, active: np.ndarray, which: int) -> np.ndarray:
    """Team-level effect of an intervention: its mean efficacy over the filled slots."""
    return team_mean(effect[..., which], active)


def psychological_safety_step(state: TeamState, effect: np.ndarray, p: Parameters
                              ) -> np.ndarray:
    """Psychological safety after a week: follows the team's trust slowly (quarters to
    years); micromanagement erodes it."""
    mean_trust = team_mean(state.trust, state.active)
    psi = approach(state.psychological_safety, mean_trust, team_level(p.safety_rate))
    erosion = team_level(p.micromanage_safety_loss) * team_effect(effect, state.active,
                                                                  iv.MICROMANAGE)
    return np.clip(psi - erosion * psi, 0.0, 1.0)


def direction_step(state: TeamState, effect: np.ndarray, conditions: WeekConditions,
                   p: Parameters) -> np.ndarray:
    """The team's direction clarity after a week: clarification raises it, it drifts back to
    what the environment offers, and changed conditions knock it down."""
    d = state.direction_clarity
    clarified = team_effect(effect, state.active, iv.CLARIFY)
    raised = d + team_level(p.clarify_direction_rate) * clarified * (1 - d)
    drifted = approach(raised, conditions.direction_baseline, team_level(p.direction_drift))
    return np.clip(drifted * (1.0 - conditions.change_shock), 0.0, 1.0)


def barriers_step(state: TeamState, effect: np.ndarray, conditions: WeekConditions,
                  p: Parameters) -> np.ndarray:
    """The environment's barriers after a week: removal lowers them, they creep back toward
    the environment's level, and new obstacles emerge."""
    b = state.barriers
    removed = b - team_level(p.remove_barriers_rate) * team_effect(effect, state.active,
                                                       iv.REMOVE_OBSTACLES) * b
    crept = approach(removed, conditions.barrier_baseline, team_level(p.barrier_growth))
    return np.clip(crept + conditions.obstacle_shock * (1.0 - crept), 0.0, 1.0)


def systems_step(state: TeamState, systems_hours: np.ndarray, p: Parameters) -> np.ndarray:
    """Embedded systems after a week: built by team hours (with diminishing returns), they
    erode slowly."""
    s = state.systems
    built = team_level(p.build_systems_rate) * efficacy(
        systems_hours, team_level(p.build_systems_saturation))
    return np.clip(s + built * (1.0 - s) - team_level(p.systems_decay) * s, 0.0, 1.0)


# ---------------------------------------------------------------------------------------
# One week


@dataclass(frozen=True)
class WeekResult:
    """What one week produced."""

    member_output: np.ndarray
    team_output: np.ndarray


def advance_week(state: TeamState, doses: np.ndarray, kept: np.ndarray, breached: np.ndarray,
                 conditions: WeekConditions, p: Parameters,
                 allowed: np.ndarray | None = None) -> tuple[TeamState, WeekResult]:
    """One week of the team: produce output from the state at the start of the week, then
    update every state from that same starting point (a synchronous update, so the order in
    which members are visited cannot matter).

    ``doses`` are the granted leader hours ``(..., members, interventions)``; ``kept`` and
    ``breached`` weigh, in [0, 1), each member's 1:1 that was held or cancelled this week
    (0 where there was none; see :func:`commitment_weight`). ``allowed`` is what the
    team's structure allows each tie (:func:`simulation.model.network.structure`; none:
    a complete network, everyone working with everyone).
    """
    if allowed is None:
        allowed = 1.0 - np.eye(state.members)
    in_effect = delayed_dose(state.dose_in_effect, doses, iv.lags(p))
    effect = efficacy(in_effect, iv.saturations(p))
    outputs = member_output(state, doses[..., iv.TRAIN], conditions.pressure, p)
    seen_before = state.recent_output > 0
    progress = np.where(seen_before, np.maximum(outputs - state.recent_output, 0.0), 0.0)
    systems_hours = np.sum(in_effect[..., iv.BUILD_SYSTEMS] * state.active, axis=-1)

    habit = state.habit_strength
    capability = capability_step(state, effect, p)
    motivation = motivation_step(state, effect, progress, p)
    accountability = accountability_step(state, effect, p)
    role_clarity = role_clarity_step(state, effect, p)
    filled = state.active > 0

    def member(new: np.ndarray, old: np.ndarray) -> np.ndarray:
        return np.where(filled, new, old)

    updated = state.replace(
        capability=member(capability, state.capability),
        capability_anchor=member(embed(state.capability_anchor, state.capability, habit, p),
                                 state.capability_anchor),
        motivation=member(motivation, state.motivation),
        motivation_anchor=member(embed(state.motivation_anchor, state.motivation, habit, p),
                                 state.motivation_anchor),
        trust=member(trust_step(state, effect, kept, breached, p), state.trust),
        accountability=member(accountability, state.accountability),
        accountability_anchor=member(
            embed(state.accountability_anchor, state.accountability, habit, p),
            state.accountability_anchor),
        scrutiny=member(scrutiny_step(state, effect, p), state.scrutiny),
        role_clarity=member(role_clarity, state.role_clarity),
        role_clarity_anchor=member(
            embed(state.role_clarity_anchor, state.role_clarity, habit, p),
            state.role_clarity_anchor),
        obstacles=member(obstacles_step(state, effect, p), state.obstacles),
        habit_strength=member(approach(habit, state.systems[..., None], p.habit_rate), habit),
        exhaustion=member(exhaustion_step(state.exhaustion, conditions.pressure, p),
                          state.exhaustion),
        tenure_weeks=state.tenure_weeks + state.active,
        recent_output=member(np.where(seen_before, approach(state.recent_output, outputs,
                                                            p.output_memory), outputs),
                             state.recent_output),
        departure_shock=state.departure_shock * (1.0 - p.departure_shock_decay),
        ties=network.ties_step(state.ties, allowed, state.psychological_safety, p),
        dose_in_effect=np.where(filled[..., None], in_effect, state.dose_in_effect),
        psychological_safety=psychological_safety_step(state, effect, p),
        direction_clarity=direction_step(state, effect, conditions, p),
        barriers=barriers_step(state, effect, conditions, p),
        systems=systems_step(state, systems_hours, p),
    )
    result = WeekResult(outputs, team_output(outputs, state.psychological_safety, p))
    return updated, result
