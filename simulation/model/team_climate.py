"""The team's climate: its norm of mutual accountability, its conflicts, its cohesion and its
collective efficacy, and how they act on effort and on team output.

Pure functions over team arrays ``(...)`` and member arrays ``(..., members)``;
:func:`simulation.model.team_dynamics.advance_week` calls them from the week's starting
state (a synchronous update). Each docstring cites the source of its equation.
"""

from __future__ import annotations

from simulation.model.arrays import divide, np
from simulation.model.config import Parameters
from simulation.model.equations import approach, last_dot, team_level
from simulation.model.state import TeamState

NEUTRAL = 0.5
"""Cohesion and collective efficacy at which they neither add effort nor take it away."""


# ---------------------------------------------------------------------------------------
# Mutual accountability and social loafing


def norm_step(state: TeamState, modelling: np.ndarray, p: Parameters) -> np.ndarray:
    """The team's norm of mutual accountability after a week.

    A norm follows what the team practises: members' own follow-through, how safe it is to
    call a colleague on a missed commitment, and the systems that make commitments visible
    (embedding). A leader who keeps her own commitments and holds members to theirs
    (``modelling``, in [0, 1]) builds it faster (the leader as role model of the norm:
    Schein 2010, embedding mechanisms; Hackman 2002 on team norms)."""
    a = state.mutual_accountability
    w_safety, w_systems = team_level(p.norm_safety_weight), team_level(p.norm_systems_weight)
    target = (w_safety * state.psychological_safety + w_systems * state.systems
              + (1.0 - w_safety - w_systems) * state.mean(state.accountability))
    moved = approach(a, np.clip(target, 0.0, 1.0), team_level(p.norm_rate))
    return np.clip(moved + team_level(p.norm_modelling_rate) * modelling * (1.0 - moved),
                   0.0, 1.0)


def peer_enforcement(state: TeamState, p: Parameters) -> np.ndarray:
    """The weekly pull on each member's accountability toward the team's norm: members
    hold each other to it, upward in a team that follows through, downward in one that
    does not (nobody holds a member who works alone)."""
    has_colleagues = state.headcount[..., None] > 1
    return p.peer_accountability_rate * has_colleagues * (
        state.mutual_accountability[..., None] - state.accountability)


def loafing(state: TeamState, identifiability: float | np.ndarray, p: Parameters
            ) -> np.ndarray:
    """Share of a member's effort lost to social loafing (team arrays).

    Effort per member falls as the team grows, where contributions cannot be identified and
    the team's norm of mutual accountability is weak (Karau & Williams 1993, the collective
    effort model: loafing grows with group size and vanishes when individual contributions
    are identifiable or the group's evaluation matters to members). The size term rises
    from 0 for a member working alone toward 1 for a very large team, half-way at
    ``loafing_half_size`` colleagues."""
    colleagues = np.maximum(state.headcount - 1.0, 0.0)
    half = team_level(p.loafing_half_size)
    size = colleagues / (colleagues + half)
    return (team_level(p.loafing_weight) * (1.0 - np.asarray(identifiability))
            * (1.0 - state.mutual_accountability) * size)


def member_loafing(state: TeamState, identifiability: float | np.ndarray, p: Parameters
                   ) -> np.ndarray:
    """Share of each member's effort lost to social loafing, ``(..., members)``: the team's
    :func:`loafing`, more for members low in conscientiousness and less for those high in
    it (half again as much at none, half as much at full: Karau & Williams 1993 on
    individual differences in loafing). At most the whole effort."""
    return np.minimum(loafing(state, identifiability, p)[..., None]
                      * (1.5 - state.conscientiousness), 1.0)


# ---------------------------------------------------------------------------------------
# Conflict


def task_conflict_step(state: TeamState, complexity: float | np.ndarray,
                       interdependence: float | np.ndarray, p: Parameters) -> np.ndarray:
    """Task conflict after a week: it follows the disagreement the work brings, more where
    the work is complex and members depend on each other (Jehn 1995: non-routine,
    interdependent tasks breed more task conflict) and the more the members' knowledge
    and views differ (Jehn, Northcraft & Neale 1999: informational diversity breeds task
    conflict); ``task_conflict_base`` at middling work and diversity."""
    brought = team_level(p.task_conflict_base) * (0.5 + np.asarray(complexity)) * (
        0.5 + np.asarray(interdependence)) * 2.0 * state.diversity
    return np.clip(approach(state.task_conflict, np.minimum(brought, 1.0),
                            team_level(p.task_conflict_rate)), 0.0, 1.0)


def conversion_pressure(state: TeamState, pressure: np.ndarray) -> np.ndarray:
    """What turns disagreement about the work personal, in [0, 1]: a team that does not
    feel safe, made worse by workload pressure and unclear roles (Simons & Peterson 2000:
    task conflict spills into relationship conflict where trust is low, and hardly where
    it is high; Jehn 1997 on role ambiguity and pressure)."""
    unclear = 1.0 - state.mean(state.role_clarity)
    return (1.0 - state.psychological_safety) * (0.5 + (pressure + unclear) / 2.0) / 1.5


def relationship_conflict_step(state: TeamState, pressure: np.ndarray,
                               mediation: np.ndarray, p: Parameters) -> np.ndarray:
    """Relationship conflict after a week: task conflict turns personal in proportion to
    what presses it that way and to the team's proneness, heals slowly by itself, and
    faster where the leader mediates (``mediation``, the team effect in [0, 1])."""
    r = state.relationship_conflict
    turning = (team_level(p.conflict_conversion) * state.task_conflict
               * conversion_pressure(state, pressure) * 2.0 * state.conflict_proneness)
    healed = team_level(p.relationship_conflict_decay) + mediation
    return np.clip(r + np.minimum(turning, 1.0) * (1.0 - r) - np.minimum(healed, 1.0) * r,
                   0.0, 1.0)


def conflict_factor(state: TeamState, p: Parameters) -> np.ndarray:
    """How conflict scales team output: relationship conflict costs output; task conflict
    costs it where the team feels unsafe and adds to it where it feels safe, neutral at the
    reference safety (de Wit, Greer & Jehn 2012: relationship conflict hurts, task conflict
    on average does not; Bradley et al. 2012: task conflict helps teams high in
    psychological safety)."""
    task = team_level(p.task_conflict_output) * state.task_conflict * (
        state.psychological_safety - team_level(p.task_conflict_safety_reference))
    return (1.0 - team_level(p.relationship_conflict_output) * state.relationship_conflict) * (
        np.maximum(1.0 + task, 0.0))


# ---------------------------------------------------------------------------------------
# Cohesion and collective efficacy


def relative_progress(outputs: np.ndarray, recent_output: np.ndarray, active: np.ndarray
                      ) -> np.ndarray:
    """The team's visible progress this week: the change of its output against the
    members' sense of their recent output, as a share of it (team arrays; 0 in a team's
    first week), at most a doubling (from a recent output near nothing the share would
    have no bound; the gains it drives saturate well before)."""
    seen = (recent_output > 0) * active
    before = last_dot(recent_output, seen)
    now = last_dot(outputs, seen)
    share = divide(now - before, before, where=before > 0)
    return np.minimum(share, 1.0)


def cohesion_step(state: TeamState, progress: np.ndarray, team_building: np.ndarray,
                  tie_strength: np.ndarray, p: Parameters) -> np.ndarray:
    """Cohesion after a week: it follows the strength of the team's working ties where no
    personal friction sours them, grows with shared success (the team's progress) and with
    team building (``team_building``, the team effect in [0, 1]), and relationship conflict
    erodes it (Beal et al. 2003; de Wit et al. 2012). A member alone has no ties: their
    cohesion does not follow them."""
    alone = state.headcount < 2  # no ties to follow: cohesion stays put
    target = np.where(alone, state.cohesion, tie_strength * (1.0 - state.relationship_conflict))
    c = approach(state.cohesion, target, team_level(p.cohesion_rate))
    up = team_level(p.success_cohesion) * np.maximum(progress, 0.0) + team_building
    down = team_level(p.relationship_conflict_cohesion) * state.relationship_conflict
    return np.clip(c + np.minimum(up, 1.0) * (1.0 - c) - down * c, 0.0, 1.0)


def efficacy_step(state: TeamState, progress: np.ndarray, goals: np.ndarray,
                  p: Parameters, productivity: np.ndarray | float = 1.0) -> np.ndarray:
    """Collective efficacy after a week: visible progress (small wins) and specific goals
    (``goals``, the team effect in [0, 1]) raise it, a visible decline lowers it, and it
    relaxes slowly toward what the team's record supports (:func:`record_efficacy`; the
    record counts the team's results, its work's ``productivity`` included).
    Bandura 1997: mastery experience, the team's own record of performance, is the strongest
    source of efficacy; Weick 1984 on small wins; Lindsley, Brass & Thomas 1995 on the
    efficacy-performance spiral that follows."""
    e = state.collective_efficacy
    gain = team_level(p.efficacy_gain)
    up = gain * np.maximum(progress, 0.0) + goals
    down = gain * np.maximum(-progress, 0.0)
    moved = e + np.minimum(up, 1.0) * (1.0 - e) - np.minimum(down, 1.0) * e
    return np.clip(approach(moved, record_efficacy(state, p, productivity),
                            team_level(p.efficacy_drift)), 0.0, 1.0)


def record_efficacy(state: TeamState, p: Parameters, productivity: np.ndarray | float = 1.0
                    ) -> np.ndarray:
    """The collective efficacy the team's record supports (team arrays): neutral where its
    recent results per head (its members' recent output, times its work's
    ``productivity``) are what is expected of a team (``expected_output``), higher above it
    and lower below, by ``efficacy_record_weight`` per unit of the relative difference;
    neutral for a team with no record yet."""
    record = state.mean(state.recent_output) * productivity
    relative = np.where(record > 0, record / team_level(p.expected_output) - 1.0, 0.0)
    return np.clip(NEUTRAL + team_level(p.efficacy_record_weight) * relative, 0.0, 1.0)


def team_effort(state: TeamState, p: Parameters) -> np.ndarray:
    """How cohesion and collective efficacy scale each member's effort toward the team's
    result (team arrays): neutral at 0.5, up to ``team_effort_weight`` more at full, as
    much less at none (Gully et al. 2002: collective efficacy and team performance; Beal
    et al. 2003: cohesion and performance, mostly through effort)."""
    climate = (state.cohesion + state.collective_efficacy) / 2.0
    return 1.0 + team_level(p.team_effort_weight) * 2.0 * (climate - NEUTRAL)
