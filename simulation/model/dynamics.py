"""The equations of the model: pure functions over numpy arrays of any shape.

No Mesa, no I/O, no randomness. Member arrays have shape ``(..., members)``, team arrays
``(...)``, doses ``(..., members, interventions)``. The Mesa model, a batched engine and the
tests all call these same functions. One step is one week; rates are per week.

Most updates are first-order approaches of a state to a target (``x += rate * (target -
x)``), which keeps every bounded state inside [0, 1] for rates in [0, 1] and gives the
diminishing returns of closing a share of the remaining gap each week.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.model import interventions as iv
from simulation.model.config import Parameters
from simulation.model.state import TeamState

# ---------------------------------------------------------------------------------------
# Building blocks


def team_level(value: float | np.ndarray) -> float | np.ndarray:
    """A parameter as it applies to team arrays ``(...)``.

    Parameters are plain numbers for a single scenario. The batched engine may give each
    run its own value as an array ``(runs, 1)``, which broadcasts against member arrays
    ``(runs, members)``; against team arrays ``(runs,)`` it is used without its last axis.
    """
    return value[..., 0] if isinstance(value, np.ndarray) and value.ndim else value


def approach(level: np.ndarray, target: np.ndarray | float, rate: np.ndarray | float
             ) -> np.ndarray:
    """Move ``level`` a share ``rate`` of the way to ``target`` (first-order adjustment)."""
    return level + rate * (target - level)


def efficacy(hours: np.ndarray, saturation: np.ndarray | float) -> np.ndarray:
    """Share of an intervention's full weekly effect delivered by ``hours`` of it.

    ``1 - exp(-hours / saturation)``: diminishing returns, 63% of the full effect at the
    saturation dose and little more from doubling a generous dose.
    """
    return 1.0 - np.exp(-np.maximum(hours, 0.0) / saturation)


def delayed_dose(in_effect: np.ndarray, dose: np.ndarray, lag_weeks: np.ndarray
                 ) -> np.ndarray:
    """Dose in effect after a first-order delay of ``lag_weeks`` (Sterman 2000, ch. 11).

    A lag of 1 week means the dose acts at once; a longer lag spreads its action over the
    following weeks, and the action outlasts the dose by about as long.
    """
    return approach(in_effect, dose, 1.0 / np.maximum(lag_weeks, 1.0))


def experience(tenure_weeks: np.ndarray, half_weeks: float) -> np.ndarray:
    """Experience in [0, 1): half at ``half_weeks`` of tenure, rising with diminishing steps."""
    return tenure_weeks / (tenure_weeks + half_weeks)


def team_mean(values: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Mean over the filled slots of a team (0 for a team with nobody in it)."""
    headcount = np.sum(active, axis=-1)
    return np.sum(values * active, axis=-1) / np.maximum(headcount, 1.0)


def team_spread(values: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Standard deviation over the filled slots of a team."""
    mean = team_mean(values, active)
    return np.sqrt(team_mean((values - mean[..., None]) ** 2, active))


def obstacle_load(obstacles: np.ndarray, barriers: np.ndarray) -> np.ndarray:
    """Combined obstacle load on each member: the member's own and the environment's.

    ``1 - (1 - obstacles)(1 - barriers)``: the share of the path that is blocked by either.
    """
    return 1.0 - (1.0 - obstacles) * (1.0 - barriers[..., None])


def clarity(role_clarity: np.ndarray, direction_clarity: np.ndarray) -> np.ndarray:
    """A member's clarity of what to do: geometric mean of role and team direction."""
    return np.sqrt(role_clarity * direction_clarity[..., None])


def effective_accountability(accountability: np.ndarray, scrutiny: np.ndarray,
                             p: Parameters) -> np.ndarray:
    """Accountability as acted on: own follow-through plus what scrutiny adds for now."""
    return accountability + (1.0 - accountability) * p.scrutiny_weight * scrutiny


def work_share(train_hours: np.ndarray, p: Parameters) -> np.ndarray:
    """Share of the member's week left for the work after time spent in training.

    Training takes the trainee's own hours (capped at half the week), which is why spending
    on capability makes output worse before it makes it better (Repenning & Sterman 2002).
    """
    in_training = p.training_member_hours * train_hours / p.work_week_hours
    return 1.0 - np.minimum(in_training, 0.5)


# ---------------------------------------------------------------------------------------
# Performance production


def member_output(state: TeamState, train_hours: np.ndarray, pressure: np.ndarray,
                  p: Parameters) -> np.ndarray:
    """A member's weekly output in [0, ~1.4].

    Ability times motivation (Vroom 1964; Maier 1955), the effort raised by pressure on a
    rested member, limited by unclear direction and by obstacles (Campbell et al. 1993), and
    carried through by accountability; exhausted members produce less. Vacant slots
    produce nothing.
    """
    effort = state.motivation * (1.0 + p.pressure_effort * pressure[..., None]
                                 * (1.0 - state.exhaustion))
    direction = p.direction_floor + (1.0 - p.direction_floor) * clarity(
        state.role_clarity, state.direction_clarity)
    unblocked = 1.0 - p.barrier_weight * obstacle_load(state.obstacles, state.barriers)
    follow_through = p.follow_through_floor + (1.0 - p.follow_through_floor) * \
        effective_accountability(state.accountability, state.scrutiny, p)
    fatigue = 1.0 - p.exhaustion_weight * state.exhaustion
    return (state.capability * effort * direction * unblocked * follow_through * fatigue
            * work_share(train_hours, p) * state.active)


def team_output(outputs: np.ndarray, psychological_safety: np.ndarray,
                p: Parameters) -> np.ndarray:
    """Team output: members' outputs plus collaboration, which needs psychological safety.

    Edmondson 1999: teams that feel safe to speak up learn and coordinate better.
    """
    collaboration = team_level(p.collaboration_weight) * psychological_safety
    return np.sum(outputs, axis=-1) * (1.0 + collaboration)


# ---------------------------------------------------------------------------------------
# The leader's contended week


def allocate_hours(planned: np.ndarray, hours_left: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Fit the leader's planned doses into the hours a crisis-struck week leaves.

    The leader keeps as many members' meetings as fit: when the plan is larger than the
    hours left, whole member plans are cancelled, largest first (lower slot first among
    equals), until the rest fits. Returns the granted doses and a mask of cancelled
    members.
    """
    per_member = np.sum(planned, axis=-1)
    if np.all(np.sum(per_member, axis=-1) <= hours_left + 1e-12):
        # Every plan fits (the usual week): nothing to cancel, no need to rank.
        return planned, np.zeros(per_member.shape, dtype=bool)
    order = np.argsort(-per_member, axis=-1, kind="stable")
    ranked = np.take_along_axis(per_member, order, axis=-1)
    total = np.sum(per_member, axis=-1, keepdims=True)
    before_cancelling = total - (np.cumsum(ranked, axis=-1) - ranked)
    cancel_ranked = (before_cancelling > hours_left[..., None] + 1e-12) & (ranked > 0)
    cancelled = np.zeros_like(cancel_ranked)
    np.put_along_axis(cancelled, order, cancel_ranked, axis=-1)
    granted = np.where(cancelled[..., None], 0.0, planned)
    return granted, cancelled


def commitment_weight(one_to_one_hours: np.ndarray, p: Parameters) -> np.ndarray:
    """How much a planned 1:1 counts as a commitment, in [0, 1): a five-minute check-in
    builds (or, cancelled, breaks) less trust than an hour set aside for the member."""
    return efficacy(one_to_one_hours, p.meeting_saturation)


# ---------------------------------------------------------------------------------------
# Member states


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


def capability_step(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """Capability after a week: learning toward the ceiling, decay toward the anchor.

    Training and coaching close a share of the gap to the member's ceiling each week (the
    exponential learning curve, Heathcote, Brown & Mewhort 2000); novices also learn on the
    job, experienced members little. Capability above its anchor that is not embedded in
    habit decays slowly (skill decay, Arthur et al. 1998).
    """
    gap = state.capability_ceiling - state.capability
    novice = 1.0 - experience(state.tenure_weeks, p.experience_half_weeks)
    learning = (p.train_rate * effect[..., iv.TRAIN] + p.coach_capability_rate
                * effect[..., iv.COACH] + p.on_the_job_learning * novice)
    unembedded = np.maximum(state.capability - state.capability_anchor, 0.0)
    decay = p.capability_decay * (1.0 - state.habit_strength) * unembedded
    return np.clip(state.capability + np.minimum(learning, 1.0) * gap - decay, 0.0, 1.0)


def feedback_effect(trust: np.ndarray, dose_effect: np.ndarray, rate: float,
                    threshold: float) -> np.ndarray:
    """Signed effect of feedback: positive above the trust threshold, negative below.

    Kluger & DeNisi (1996): about a third of feedback interventions lowered performance;
    feedback from someone not trusted is read as an attack.
    """
    return rate * dose_effect * (trust - threshold)


def bounded_push(level: np.ndarray, push: np.ndarray) -> np.ndarray:
    """Apply a signed push to a [0, 1] state: up by a share of the room above, down of the level."""
    return level + np.where(push > 0, push * (1.0 - level), push * level)


def micromanagement_sting(state: TeamState, p: Parameters) -> np.ndarray:
    """How much micromanagement hurts a member: most for experienced, capable members."""
    seasoned = experience(state.tenure_weeks, p.experience_half_weeks) * state.capability
    return 0.25 + 0.75 * np.clip(2.0 * seasoned, 0.0, 1.0)


def motivation_step(state: TeamState, effect: np.ndarray, progress: np.ndarray,
                    p: Parameters) -> np.ndarray:
    """Motivation after a week.

    Up: recognition and purpose, coaching, empowerment of capable members, visible progress
    (the progress principle, Amabile & Kramer 2011), feedback under trust. Down: feedback
    under low trust, micromanagement (autonomy lost, Deci & Ryan 2000), exhaustion. Without
    attention it drifts back to its anchor, unless embedded in habit.
    """
    m = state.motivation
    up = (p.recognise_rate * effect[..., iv.RECOGNISE] + p.coach_motivation_rate
          * effect[..., iv.COACH] + p.empower_motivation_rate * effect[..., iv.EMPOWER]
          * state.capability + p.progress_gain * progress)
    down = (p.micromanage_motivation_loss * effect[..., iv.MICROMANAGE]
            * micromanagement_sting(state, p)
            + p.exhaustion_motivation_loss * state.exhaustion)
    feedback = feedback_effect(state.trust, effect[..., iv.MONITOR],
                               p.feedback_motivation_rate, p.feedback_trust_threshold)
    drift = p.motivation_drift * (1.0 - state.habit_strength) * (state.motivation_anchor - m)
    pushed = bounded_push(m, feedback) + np.minimum(up, 1.0) * (1.0 - m) - down * m + drift
    return np.clip(pushed, 0.0, 1.0)


def trust_step(state: TeamState, effect: np.ndarray, kept: np.ndarray, breached: np.ndarray,
               p: Parameters) -> np.ndarray:
    """Trust in the leader after a week: built slowly, destroyed quickly.

    A kept 1:1 commitment closes a small share of the trust gap; a breach (a cancelled
    1:1) removes a large share of the trust there is (Slovic 1993; Schweitzer, Hershey &
    Bradlow 2006). ``kept`` and ``breached`` weigh each commitment in [0, 1] by its size
    (see :func:`commitment_weight`). Recognition and empowerment of capable members build
    trust; micromanagement and feedback under low trust erode it. Without contact trust
    relaxes slowly toward neutral.
    """
    t = state.trust
    up = (p.trust_gain * kept + p.recognise_trust_rate * effect[..., iv.RECOGNISE]
          + p.empower_trust_rate * effect[..., iv.EMPOWER] * state.capability)
    down = (p.trust_breach_loss * breached + p.micromanage_trust_loss
            * effect[..., iv.MICROMANAGE] * micromanagement_sting(state, p))
    feedback = feedback_effect(t, effect[..., iv.MONITOR], p.feedback_trust_rate,
                               p.feedback_trust_threshold)
    drift = p.trust_drift * (p.trust_neutral - t)
    pushed = bounded_push(t, feedback) + np.minimum(up, 1.0) * (1.0 - t) - \
        np.minimum(down, 1.0) * t + drift
    return np.clip(pushed, 0.0, 1.0)


def accountability_step(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """Accountability after a week: feedback and consequences, coaching and micromanagement
    raise it; without attention it drifts back to its anchor unless embedded."""
    a = state.accountability
    up = (p.monitor_accountability_rate * effect[..., iv.MONITOR] + p.coach_accountability_rate
          * effect[..., iv.COACH] + p.micromanage_accountability_rate
          * effect[..., iv.MICROMANAGE])
    drift = p.accountability_drift * (1.0 - state.habit_strength) * \
        (state.accountability_anchor - a)
    return np.clip(a + np.minimum(up, 1.0) * (1.0 - a) + drift, 0.0, 1.0)


def scrutiny_step(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """Felt scrutiny after a week: up fast while watched, gone within weeks when not.

    Monitoring systems hold part of it without the leader. The fast fade is the Hawthorne
    pattern (e.g. Srigley et al. 2014: hand hygiene fell back once auditors left).
    """
    watched = np.maximum(effect[..., iv.MONITOR], effect[..., iv.MICROMANAGE])
    held = p.systems_scrutiny * state.systems[..., None]
    raised = state.scrutiny + p.monitor_scrutiny_rate * watched * (1.0 - state.scrutiny)
    return np.clip(approach(raised, held, p.scrutiny_decay), 0.0, 1.0)


def role_clarity_step(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """Role clarity after a week: clarification closes the gap within weeks; it drifts back
    to its anchor unless embedded."""
    r = state.role_clarity
    drift = p.clarity_drift * (1.0 - state.habit_strength) * (state.role_clarity_anchor - r)
    return np.clip(r + p.clarify_rate * effect[..., iv.CLARIFY] * (1.0 - r) + drift, 0.0, 1.0)


def obstacles_step(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """A member's obstacles after a week: they follow the environment's barriers and fall
    where the leader removes them."""
    o = approach(state.obstacles, state.barriers[..., None], p.obstacle_perception_rate)
    return np.clip(o - p.remove_obstacles_rate * effect[..., iv.REMOVE_OBSTACLES] * o, 0.0, 1.0)


def embed(anchor: np.ndarray, level: np.ndarray, habit_strength: np.ndarray,
          p: Parameters) -> np.ndarray:
    """An anchor after a week: habits move it toward the current level (embedding).

    Gains held only by attention leave the anchor where it was, so they are lost when the
    attention goes; embedded gains move the anchor and hold.
    """
    return approach(anchor, level, p.embed_rate * habit_strength)


def exhaustion_step(exhaustion: np.ndarray, pressure: np.ndarray, p: Parameters
                    ) -> np.ndarray:
    """Exhaustion after a week: builds under load above the threshold, recovers below it.

    Job demands-resources (Demerouti et al. 2001); the overtime-burnout loop of Homer 1985.
    """
    load = pressure[..., None]
    building = p.exhaustion_gain * np.maximum(load - p.exhaustion_threshold, 0.0)
    recovering = p.exhaustion_recovery * np.maximum(p.exhaustion_threshold - load, 0.0)
    return np.clip(exhaustion + building * (1.0 - exhaustion) - recovering * exhaustion,
                   0.0, 1.0)


# ---------------------------------------------------------------------------------------
# Team states


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
                 conditions: WeekConditions, p: Parameters) -> tuple[TeamState, WeekResult]:
    """One week of the team: produce output from the state at the start of the week, then
    update every state from that same starting point (a synchronous update, so the order in
    which members are visited cannot matter).

    ``doses`` are the granted leader hours ``(..., members, interventions)``; ``kept`` and
    ``breached`` weigh, in [0, 1), each member's 1:1 that was held or cancelled this week
    (0 where there was none; see :func:`commitment_weight`).
    """
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
        dose_in_effect=np.where(filled[..., None], in_effect, state.dose_in_effect),
        psychological_safety=psychological_safety_step(state, effect, p),
        direction_clarity=direction_step(state, effect, conditions, p),
        barriers=barriers_step(state, effect, conditions, p),
        systems=systems_step(state, systems_hours, p),
    )
    result = WeekResult(outputs, team_output(outputs, state.psychological_safety, p))
    return updated, result


# ---------------------------------------------------------------------------------------
# Turnover


def leaving_probability(state: TeamState, annual_rate: float, p: Parameters) -> np.ndarray:
    """Weekly probability that each member leaves.

    A proportional hazard: the base yearly rate, raised by low motivation, low trust and
    exhaustion (Griffeth, Hom & Gaertner 2000: job satisfaction and commitment predict
    quitting; burnout raises it). Vacant slots cannot leave.
    """
    log_hazard = (p.turnover_motivation_weight * (p.turnover_reference_motivation
                                                  - state.motivation)
                  + p.turnover_trust_weight * (p.turnover_reference_trust - state.trust)
                  + p.turnover_exhaustion_weight * state.exhaustion)
    weekly_hazard = annual_rate / 52.0 * np.exp(log_hazard)
    return (1.0 - np.exp(-weekly_hazard)) * state.active
