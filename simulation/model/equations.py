"""The model's basic equations: pure functions over numpy arrays of any shape.

No Mesa, no I/O, no randomness. Member arrays have shape ``(..., members)``, team arrays
``(...)``, doses ``(..., members, interventions)``. Both engines and the tests call these
same functions. One step is one week; rates are per week. Here: the building blocks, how a
member and the team produce output, how the leader's planned hours fit a crisis-struck
week, and the weekly hazard of leaving. The state updates built on them are in
:mod:`~simulation.model.member_dynamics` and :mod:`~simulation.model.team_dynamics`.

Most updates are first-order approaches of a state to a target (``x += rate * (target -
x)``), which keeps every bounded state inside [0, 1] for rates in [0, 1] and gives the
diminishing returns of closing a share of the remaining gap each week.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy

from simulation.model.arrays import divide, is_traced, np
from simulation.model.config import Parameters

if TYPE_CHECKING:  # the state's module builds on these equations
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


def efficacy(hours: np.ndarray, saturation: np.ndarray | float,
             out: np.ndarray | None = None) -> np.ndarray:
    """Share of an intervention's full weekly effect delivered by ``hours`` of it.

    ``1 - exp(-hours / saturation)``: diminishing returns, 63% of the full effect at the
    saturation dose and little more from doubling a generous dose. ``out``, if given, is
    the array (of the broadcast shape) to write it into.
    """
    if is_traced():
        return 1.0 - np.exp(-np.maximum(hours / saturation, 0.0))
    share = np.asarray(np.divide(hours, saturation, out=out))
    # In place: max(h / s, 0) is max(h, 0) / s for s > 0, and -(h / s) is (-h) / s exactly.
    np.maximum(share, 0.0, out=share)
    np.negative(share, out=share)
    np.exp(share, out=share)
    return np.subtract(1.0, share, out=share)


def delayed_dose(in_effect: np.ndarray, dose: np.ndarray, lag_weeks: np.ndarray
                 ) -> np.ndarray:
    """Dose in effect after a first-order delay of ``lag_weeks`` (Sterman 2000, ch. 11).

    A lag of 1 week means the dose acts at once; a longer lag spreads its action over the
    following weeks, and the action outlasts the dose by about as long.
    """
    change = np.subtract(dose, in_effect)
    change *= 1.0 / np.maximum(lag_weeks, 1.0)
    change += in_effect
    return change


def experience(tenure_weeks: np.ndarray, half_weeks: float) -> np.ndarray:
    """Experience in [0, 1): half at ``half_weeks`` of tenure, rising with diminishing steps."""
    return tenure_weeks / (tenure_weeks + half_weeks)


def last_sum(values: np.ndarray) -> np.ndarray:
    """Sum over the last axis (members, or interventions).

    ``einsum`` adds each row in the same order whatever the leading axes, so one team and
    a batch of runs get the same bits, and over axes this short it runs several times
    faster than ``np.sum`` (whose reduction pays per row)."""
    return np.einsum("...m->...", values)


def last_dot(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``sum(values * weights)`` over the last axis, as :func:`last_sum` adds."""
    return np.einsum("...m,...m->...", values, weights)


def total_hours(doses: np.ndarray) -> np.ndarray:
    """Hours of a plan ``(..., members, interventions)`` per team, as :func:`last_sum`
    adds."""
    return np.einsum("...mk->...", doses)


def team_mean(values: np.ndarray, active: np.ndarray,
              headcount: np.ndarray | None = None) -> np.ndarray:
    """Mean over the filled slots of a team (0 for a team with nobody in it);
    ``headcount``, if already counted, is ``last_sum(active)``."""
    if headcount is None:
        headcount = last_sum(active)
    return last_dot(values, active) / np.maximum(headcount, 1.0)


def relative_to_team(values: np.ndarray, active: np.ndarray,
                     headcount: np.ndarray | None = None) -> np.ndarray:
    """Each member's ``values`` over the team's mean of them (:func:`team_mean`; 1 in a
    team whose mean is 0, such as one that has produced nothing yet)."""
    mean = team_mean(values, active, headcount)[..., None]
    return divide(values, mean, mean > 0, fill=1.0)


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


def work_share(train_hours: np.ndarray, p: Parameters,
               session_hours: np.ndarray | float = 0.0,
               leading_hours: np.ndarray | float = 0.0) -> np.ndarray:
    """Share of the member's week left for the work after time spent in training, in
    team sessions (``session_hours``, team arrays: every member attends) and leading in
    the leader's place (``leading_hours``, member arrays: the deputy's).

    Training takes the trainee's own hours (capped at half the week), which is why spending
    on capability makes output worse before it makes it better (Repenning & Sterman 2002).
    """
    in_training = (p.training_member_hours * train_hours
                   + np.asarray(session_hours)[..., None] + leading_hours) / p.work_week_hours
    return 1.0 - np.minimum(in_training, 0.5)


# ---------------------------------------------------------------------------------------
# Performance production


def member_output(state: TeamState, train_hours: np.ndarray, pressure: np.ndarray,
                  p: Parameters, effort_scale: np.ndarray | float = 1.0,
                  session_hours: np.ndarray | float = 0.0,
                  leading_hours: np.ndarray | float = 0.0) -> np.ndarray:
    """A member's weekly output (0 upward; about 1 + ``pressure_effort`` at most for a
    neutral team).

    Ability times motivation (Vroom 1964; Maier 1955), the effort raised by pressure on a
    rested member and scaled by the team (``effort_scale``, member arrays: cohesion,
    collective efficacy, goals and social loafing), limited by unclear direction and by
    obstacles (Campbell et al. 1993), and carried through by accountability; exhausted
    members produce less, and hours in training, in team sessions and leading as the
    deputy are not spent on the work. Vacant slots produce nothing.
    """
    effort = state.motivation * (1.0 + p.pressure_effort * pressure[..., None]
                                 * (1.0 - state.exhaustion)) * effort_scale
    direction = p.direction_floor + (1.0 - p.direction_floor) * clarity(
        state.role_clarity, state.direction_clarity)
    unblocked = 1.0 - p.barrier_weight * obstacle_load(state.obstacles, state.barriers)
    follow_through = p.follow_through_floor + (1.0 - p.follow_through_floor) * \
        effective_accountability(state.accountability, state.scrutiny, p)
    fatigue = 1.0 - p.exhaustion_weight * state.exhaustion
    return (state.capability * effort * direction * unblocked * follow_through * fatigue
            * work_share(train_hours, p, session_hours, leading_hours) * state.active)


def team_output(outputs: np.ndarray, coordination: np.ndarray,
                interdependence: float | np.ndarray, p: Parameters,
                conflict: np.ndarray | float = 1.0) -> np.ndarray:
    """Team output: members' outputs plus what working together adds, scaled by conflict.

    ``coordination`` in [0, 1] is how well the team works together (psychological safety
    and cohesion, :func:`coordination`); what it adds grows with the task's
    ``interdependence`` (twice ``collaboration_weight`` at full coordination on a fully
    reciprocal task, nothing on a pooled one: Steiner 1972; Edmondson 1999: teams that feel
    safe to speak up learn and coordinate better). ``conflict`` is the factor of
    :func:`simulation.model.team_climate.conflict_factor`.
    """
    collaboration = (2.0 * team_level(p.collaboration_weight) * np.asarray(interdependence)
                     * coordination)
    return last_sum(outputs) * (1.0 + collaboration) * conflict


def coordination(psychological_safety: np.ndarray, cohesion: np.ndarray) -> np.ndarray:
    """How well the team works together, in [0, 1]: the mean of its psychological safety
    (speaking up, asking for help) and its cohesion (wanting to work together)."""
    return (psychological_safety + cohesion) / 2.0


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
    per_member = last_sum(planned)
    total = last_sum(per_member)
    cancelled = np.zeros(per_member.shape, dtype=bool)
    over = total > hours_left + 1e-12
    if is_traced():
        return _allocate_traced(planned, per_member, total, hours_left, over)
    if not np.any(over):
        # Every plan fits (the usual week): nothing to cancel, no need to rank.
        return planned, cancelled
    # Only the teams whose plans do not fit are ranked (a one-team array gains an axis).
    per_member, total, left = per_member[over], total[over], np.broadcast_to(
        hours_left, over.shape)[over]
    order = np.argsort(-per_member, axis=-1, kind="stable")
    ranked = np.take_along_axis(per_member, order, axis=-1)
    before_cancelling = total[..., None] - (np.cumsum(ranked, axis=-1) - ranked)
    cancel_ranked = (before_cancelling > left[..., None] + 1e-12) & (ranked > 0)
    cancelled_over = np.zeros_like(cancel_ranked)
    np.put_along_axis(cancelled_over, order, cancel_ranked, axis=-1)
    cancelled[over] = cancelled_over
    granted = planned.copy()
    granted[cancelled] = 0.0
    return granted, cancelled


def _allocate_traced(planned: np.ndarray, per_member: np.ndarray, total: np.ndarray,
                     hours_left: np.ndarray, over: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray]:
    """:func:`allocate_hours` for a compiled week: the same rule, every team at once (a
    traced program cannot pick out the teams whose plans do not fit) and without sorting
    (a sort of a few members per team is slow compiled): a member's rank is the members
    with larger plans (or as large, in lower slots), and what is left when her turn comes
    is the total less theirs."""
    ahead = ((per_member[..., None, :] > per_member[..., :, None])
             | ((per_member[..., None, :] == per_member[..., :, None])
                & numpy.tri(per_member.shape[-1], k=-1, dtype=bool)))
    before_cancelling = total[..., None] - np.einsum("...ij,...j->...i", ahead.astype(float),
                                                     per_member)
    left = np.broadcast_to(hours_left, over.shape)[..., None]
    cancelled = (before_cancelling > left + 1e-12) & (per_member > 0) & over[..., None]
    return np.where(cancelled[..., None], 0.0, planned), cancelled


def commitment_weight(one_to_one_hours: np.ndarray, p: Parameters) -> np.ndarray:
    """How much a planned 1:1 counts as a commitment, in [0, 1): a five-minute check-in
    builds (or, cancelled, breaks) less trust than an hour set aside for the member."""
    return efficacy(one_to_one_hours, p.meeting_saturation)


# ---------------------------------------------------------------------------------------
# Turnover


def leaving_probability(state: TeamState, annual_rate: float, p: Parameters) -> np.ndarray:
    """Weekly probability that each member leaves.

    A proportional hazard: the base yearly rate, raised by low motivation, low trust and
    exhaustion (Griffeth, Hom & Gaertner 2000: job satisfaction and commitment predict
    quitting; burnout raises it), and by the fading shock of close colleagues' recent
    departures (turnover contagion, Felps et al. 2009). Vacant slots cannot leave.
    """
    log_hazard = (p.turnover_motivation_weight * (p.turnover_reference_motivation
                                                  - state.motivation)
                  + p.turnover_trust_weight * (p.turnover_reference_trust - state.trust)
                  + p.turnover_exhaustion_weight * state.exhaustion
                  + p.turnover_contagion_weight * state.departure_shock)
    weekly_hazard = annual_rate / 52.0 * np.exp(log_hazard)
    return (1.0 - np.exp(-weekly_hazard)) * state.active
