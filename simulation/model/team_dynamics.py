"""How the team's direction, barriers and systems move in a week, what the team
interventions do, and :func:`advance_week`: one synchronous week of every state (the
members' in :mod:`~simulation.model.member_dynamics`, psychological safety in
:mod:`~simulation.model.safety`, the team's climate in :mod:`~simulation.model.team_climate`).

Team arrays have the state's leading shape ``(...)``; a parameter that a batch gives per
run arrives as ``(runs, 1)`` and is applied to team arrays through ``team_level``.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulation.model import credibility, network, safety, succession, team_climate
from simulation.model import interventions as iv
from simulation.model.arrays import is_traced, keep_where, known, np
from simulation.model.config import Parameters
from simulation.model.equations import (
    approach,
    coordination,
    delayed_dose,
    efficacy,
    member_output,
    team_level,
    team_output,
)
from simulation.model.member_dynamics import (
    accountability_step,
    capability_step,
    embed,
    exhaustion_step,
    learning_pace,
    motivation_parts,
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
    complexity: float = 0.5
    """The task's complexity (``work.complexity``)."""
    interdependence: float = 0.5
    """How far team output depends on working together (``work.interdependence``)."""
    identifiability: float = 0.5
    """How far each member's contribution can be seen (``work.identifiability``)."""
    productivity: np.ndarray | float = 1.0
    """How productive the team's work is, a factor on the team's output (team arrays; mean
    1 over teams, ``work.productivity_sd``): what the members put in is theirs, what it
    yields also depends on the market, the tools and the task."""


def team_effect(effect: np.ndarray, state: TeamState, which: int) -> np.ndarray:
    """Team-level effect of an intervention: its mean efficacy over the filled slots."""
    return state.mean(effect[..., which])


def effects_of(in_effect: np.ndarray, active: np.ndarray, p: Parameters) -> np.ndarray:
    """The effect in [0, 1) of the doses in effect, ``(..., members, interventions)``: a
    member's own hours for the interventions that act on the member; for those that act
    on the team (``interventions.TEAM_LEVEL``) the team hours, the same for every member
    (so a team session for eight is one effect, not eight)."""
    saturation = iv.saturations(p)
    if is_traced():  # the same numbers, without writing into parts of an array
        every_team_hours = np.einsum("...mk,...m->...k", in_effect, active)[..., None, :]
        return np.where(iv.TEAM_LEVEL_MASK, efficacy(every_team_hours, saturation),
                        efficacy(in_effect, saturation))
    effect = np.empty(np.broadcast_shapes(in_effect.shape, saturation.shape))
    for part in MEMBER_RUNS:
        efficacy(in_effect[..., part], saturation[..., part], out=effect[..., part])
    team_hours = np.einsum("...mk,...m->...k", in_effect[..., TEAM_LEVEL], active)[..., None, :]
    effect[..., TEAM_LEVEL] = efficacy(team_hours, saturation[..., TEAM_LEVEL])
    return effect


TEAM_LEVEL = list(iv.TEAM_LEVEL)
MEMBER_LEVEL = list(iv.MEMBER_LEVEL)
"""Positions of the team-level and the member-level interventions on the last axis."""


def contiguous_slices(positions: list[int]) -> list[slice]:
    """Ascending positions as slices of neighbours: ``[0, 1, 2, 5]`` is ``[0:3, 5:6]``
    (basic indexing gives views where a list of positions gives copies)."""
    slices: list[slice] = []
    for k in positions:
        if slices and slices[-1].stop == k:
            slices[-1] = slice(slices[-1].start, k + 1)
        else:
            slices.append(slice(k, k + 1))
    return slices


MEMBER_RUNS = contiguous_slices(MEMBER_LEVEL)
"""The member-level positions as slices."""


def complexity_damping(complexity: float | np.ndarray, p: Parameters) -> float | np.ndarray:
    """Share of goal-setting's and clarification's effect that acts on a task of this
    complexity: all of it on the simplest task, less on complex ones (Wood, Mento & Locke
    1987)."""
    return 1.0 - team_level(p.complexity_goal_weight) * np.asarray(complexity)


def direction_step(state: TeamState, effect: np.ndarray, conditions: WeekConditions,
                   p: Parameters, strategic_clarity: np.ndarray | float = 1.0) -> np.ndarray:
    """The team's direction clarity after a week: the leader's clarification, and a little
    her transparency (the reasons behind her decisions tell the team where it is going),
    take it toward the clarity of the direction she herself holds (``strategic_clarity``,
    not toward 1), it drifts back to what the environment offers as far as she holds it, and
    changed conditions knock it down, the more the less clear her strategy
    (:func:`change_loss`).

    A team can be no clearer about where it is going than the leader who tells it: goals
    act through their clarity and specificity (Locke & Latham 2002), a team's direction is
    the first condition of its effectiveness and comes from its leader (Hackman 2002,
    "compelling direction"; Wageman 2001), and a strategy reaches the front line only as
    clearly as its managers hold it (Kaplan & Norton 2001; Sull, Homkes & Sull 2015). Her
    clarification conveys her direction as it is: where the team is clearer than she is,
    it muddies the team's (mixed messages from the role's main sender raise role
    ambiguity: Kahn et al. 1964; Rizzo, House & Lirtzman 1970). Between clarifications the
    team drifts to the environment's direction as far as she relays it, no further than
    her own. At 1, the model's leader before she had the attribute."""
    d = state.direction_clarity
    clarified = team_effect(effect, state, iv.CLARIFY) * complexity_damping(
        conditions.complexity, p)
    held = team_level(strategic_clarity)
    raised = d + team_level(p.clarify_direction_rate) * clarified * (held - d)
    raised = raised + team_level(p.transparency_direction_rate) * effect[
        ..., 0, iv.TRANSPARENCY] * (held - raised)
    relayed = np.minimum(conditions.direction_baseline, held)
    drifted = approach(raised, relayed, team_level(p.direction_drift))
    lost = change_loss(conditions.change_shock, held, p)
    return np.clip(drifted * (1.0 - lost), 0.0, 1.0)


def change_loss(change_shock: np.ndarray, strategic_clarity: np.ndarray | float,
                p: Parameters) -> np.ndarray:
    """Share of the team's direction clarity that changed conditions take this week:
    ``change_size`` under a leader with a fully clear strategy, who makes sense of the
    change for her team and re-anchors it (sensegiving: Gioia & Chittipeddi 1991; Maitlis
    2005), up to ``1 + unclear_strategy_change_loss`` times as much under one with none,
    who passes the change on as it comes."""
    unclear = 1.0 - np.asarray(strategic_clarity)
    return np.minimum(change_shock * (1.0 + team_level(p.unclear_strategy_change_loss)
                                      * unclear), 1.0)


def barriers_step(state: TeamState, effect: np.ndarray, conditions: WeekConditions,
                  p: Parameters) -> np.ndarray:
    """The environment's barriers after a week: removal lowers them, they creep back toward
    the environment's level, and new obstacles emerge."""
    b = state.barriers
    removed = b - team_level(p.remove_barriers_rate) * team_effect(
        effect, state, iv.REMOVE_OBSTACLES) * b
    crept = approach(removed, conditions.barrier_baseline, team_level(p.barrier_growth))
    return np.clip(crept + conditions.obstacle_shock * (1.0 - crept), 0.0, 1.0)


def systems_step(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """Embedded systems after a week: built by team hours (with diminishing returns), they
    erode slowly."""
    s = state.systems
    built = team_level(p.build_systems_rate) * effect[..., 0, iv.BUILD_SYSTEMS]
    return np.clip(s + built * (1.0 - s) - team_level(p.systems_decay) * s, 0.0, 1.0)


def retrospective_safety(state: TeamState, effect: np.ndarray, blame: np.ndarray,
                         p: Parameters) -> np.ndarray:
    """Change in psychological safety from the week's retrospectives: run with curiosity
    they close a share of the safety gap (a team that reviews its work without blame learns
    to speak up: Edmondson 1999; Tannenbaum & Cerasoli 2013 on debriefs), run with blame
    they take as much of the safety there is."""
    psi = state.psychological_safety
    rate = team_level(p.retrospective_safety_rate) * effect[..., 0, iv.RETROSPECTIVE]
    return rate * ((1.0 - blame) * (1.0 - psi) - blame * psi)


def modelling(kept: np.ndarray, breached: np.ndarray, effect: np.ndarray,
              state: TeamState) -> np.ndarray:
    """How far the leader models mutual accountability this week, in [0, 1]: half for
    keeping her 1:1 commitments, half for holding members to theirs (monitoring), less for
    every commitment she breaks."""
    held = state.mean(kept) + state.mean(effect[..., iv.MONITOR])
    return np.clip(held / 2.0 - state.mean(breached), 0.0, 1.0)


# ---------------------------------------------------------------------------------------
# One week


@dataclass(frozen=True)
class WeekResult:
    """What one week produced, and the problems members raised or hid."""

    member_output: np.ndarray
    team_output: np.ndarray
    problems: safety.Problems


def advance_week(state: TeamState, doses: np.ndarray, kept: np.ndarray, breached: np.ndarray,
                 conditions: WeekConditions, p: Parameters,
                 allowed: np.ndarray | None = None, voice: np.ndarray | None = None,
                 blame: np.ndarray | float = 0.0, focus: np.ndarray | float = 1.0,
                 strategic_clarity: np.ndarray | float = 1.0,
                 conduct: credibility.Conduct | None = None,
                 leading_hours: np.ndarray | float = 0.0
                 ) -> tuple[TeamState, WeekResult]:
    """One week of the team: produce output from the state at the start of the week, then
    update every state from that same starting point (a synchronous update, so the order in
    which members are visited cannot matter).

    ``doses`` are the granted leader hours ``(..., members, interventions)``; ``kept`` and
    ``breached`` weigh, in [0, 1), each member's 1:1 that was held or cancelled this week
    (0 where there was none; see :func:`commitment_weight`). ``allowed`` is what the
    team's structure allows each tie (:func:`simulation.model.network.structure`; none:
    a complete network, everyone working with everyone). ``voice`` holds the week's
    uniforms ``(..., members)`` for problems raised or hidden (none: no problems), and
    ``blame`` the share of raised problems the leader meets with blame
    (:func:`simulation.model.safety.blame_share`). ``focus`` is the share of the hours that
    act after the leader's switching between members and kinds of work
    (:func:`simulation.model.focus.focus`): the time is spent in full, the effect is
    ``focus`` of it. ``strategic_clarity`` is how clear the direction she holds is
    (``leader.strategic_clarity``, :func:`direction_step`).
    ``conduct`` is the week's favouritism and inconsistency, which erode her credibility
    (none: neither).
    ``leading_hours`` ``(..., members)`` are the hours a deputy leads in the leader's
    place, off her own work (:func:`simulation.model.succession.deputise`).
    """
    if allowed is None:
        allowed = 1.0 - np.eye(state.members)
    acting = doses if known(np.all(np.asarray(focus) == 1.0)) else \
        doses * np.asarray(focus)[..., None, None]
    in_effect = delayed_dose(state.dose_in_effect, acting, iv.lags(p))
    effect = effects_of(in_effect, state.active, p)
    blames = np.asarray(blame) * np.ones_like(state.psychological_safety)
    raised_or_not = (safety.problems(state, voice, p) if voice is not None else
                     safety.Problems(np.zeros(state.active.shape, dtype=bool),
                                     np.zeros(state.active.shape, dtype=bool)))
    damping = complexity_damping(conditions.complexity, p)
    goals = effect[..., 0, iv.SET_GOALS] * damping
    effort_scale = ((team_climate.team_effort(state, p)
                     * (1.0 + team_level(p.goal_effort) * goals))[..., None]
                    * (1.0 - team_climate.member_loafing(state, conditions.identifiability, p)))
    sessions = np.einsum("...mk,...m->...", doses[..., list(iv.TEAM_SESSIONS)], state.active)
    outputs = member_output(state, doses[..., iv.TRAIN], conditions.pressure, p,
                            effort_scale, sessions, leading_hours)
    seen_before = state.recent_output > 0
    progress = np.where(seen_before, np.maximum(outputs - state.recent_output, 0.0), 0.0)
    team_progress = team_climate.relative_progress(outputs, state.recent_output,
                                                   state.active)
    tie_strength = state.tie_strength

    habit = state.habit_strength
    capability = capability_step(state, effect, p,
                                 learning_pace(effect, conditions.complexity, p))
    motivation, lift = motivation_parts(state, effect, progress, p,
                                        conditions.direction_baseline)
    accountability = accountability_step(state, effect, p)
    role_clarity = role_clarity_step(state, effect, p, damping)
    obstacles = safety.hidden_obstacles(obstacles_step(state, effect, p),
                                        raised_or_not.hidden, p)
    filled = state.active > 0
    vacant = ~filled

    def member(new: np.ndarray, old: np.ndarray) -> np.ndarray:
        """A vacant slot keeps its state: ``new`` (this week's, not read elsewhere) with
        the old values written back where the slot is vacant."""
        return keep_where(new, old, vacant[..., None] if new.ndim > filled.ndim else vacant)

    mediation = (team_level(p.mediate_rate) * effect[..., 0, iv.MEDIATE]
                 * np.minimum(2.0 * state.mean(state.trust), 1.0))
    team_building = effect[..., 0, iv.TEAM_BUILDING]
    psi = (safety.psychological_safety_step(state, effect, raised_or_not.raised, blames, p)
           + retrospective_safety(state, effect, blames, p))
    norm = team_climate.norm_step(state, modelling(kept, breached, effect, state), p)
    norm = norm + team_level(p.retrospective_norm_rate) * effect[..., 0, iv.RETROSPECTIVE] * (
        1.0 - norm)
    updated = state.replace(
        capability=member(capability, state.capability),
        capability_anchor=member(embed(state.capability_anchor, state.capability, habit, p),
                                 state.capability_anchor),
        motivation=member(motivation + lift, state.motivation),
        standing_lift=member(lift, state.standing_lift),
        motivation_anchor=member(embed(state.motivation_anchor,
                                       state.motivation - state.standing_lift, habit, p),
                                 state.motivation_anchor),
        trust=member(trust_step(state, effect, kept, breached, p,
                                safety.blamed(raised_or_not.raised, blames)), state.trust),
        accountability=member(accountability, state.accountability),
        accountability_anchor=member(
            embed(state.accountability_anchor, state.accountability, habit, p),
            state.accountability_anchor),
        scrutiny=member(scrutiny_step(state, effect, p), state.scrutiny),
        role_clarity=member(role_clarity, state.role_clarity),
        role_clarity_anchor=member(
            embed(state.role_clarity_anchor, state.role_clarity, habit, p),
            state.role_clarity_anchor),
        obstacles=member(obstacles, state.obstacles),
        habit_strength=member(approach(habit, state.systems[..., None], p.habit_rate), habit),
        exhaustion=member(exhaustion_step(state.exhaustion, conditions.pressure, p,
                                          effect[..., iv.CARE]), state.exhaustion),
        tenure_weeks=state.tenure_weeks + state.active,
        recent_output=member(np.where(seen_before, approach(state.recent_output, outputs,
                                                            p.output_memory), outputs),
                             state.recent_output),
        departure_shock=state.departure_shock * (1.0 - p.departure_shock_decay),
        leadership_readiness=member(succession.readiness_step(state, effect, p),
                                    state.leadership_readiness),
        ties=network.ties_step(state.ties, allowed, state.psychological_safety, p,
                               team_building, state.relationship_conflict),
        dose_in_effect=member(in_effect, state.dose_in_effect),
        psychological_safety=np.clip(psi, 0.0, 1.0),
        direction_clarity=direction_step(state, effect, conditions, p, strategic_clarity),
        barriers=barriers_step(state, effect, conditions, p),
        systems=systems_step(state, effect, p),
        mutual_accountability=np.clip(norm, 0.0, 1.0),
        task_conflict=team_climate.task_conflict_step(state, conditions.complexity,
                                                      conditions.interdependence, p),
        relationship_conflict=team_climate.relationship_conflict_step(
            state, conditions.pressure, mediation, p),
        cohesion=team_climate.cohesion_step(
            state, team_progress, team_level(p.team_building_rate) * team_building,
            tie_strength, p),
        collective_efficacy=team_climate.efficacy_step(
            state, team_progress, team_level(p.goal_efficacy_rate) * goals, p,
            conditions.productivity),
        leader_credibility=credibility.credibility_step(state, effect, kept, breached,
                                                        conduct, p),
    )
    produced = team_output(outputs, coordination(state.psychological_safety, state.cohesion),
                           conditions.interdependence, p,
                           team_climate.conflict_factor(state, p)) * conditions.productivity
    return updated, WeekResult(outputs, produced, raised_or_not)
