"""One week of a team and its leader, written once for every engine.

:func:`simulate_week` is a pure function over arrays with any leading axes: one team
(member arrays ``(members,)``) in the Mesa model, or many runs at once (``(runs,
members)``) in the batched engine. In order: the week's new hires start; the leader reads
the team through noise and bias, plans the week with her strategy and fits the plan into
the hours the week's crises leave; the team works and its state moves by the equations
(the leader's credibility with it); then members decide whether to leave. What the
calendar brings to the week comes in as :class:`WeekEvents`, built by each engine from
:mod:`simulation.model.calendar_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from simulation.model import (
    credibility,
    diagnosis,
    equations,
    focus,
    leader_state,
    leadership,
    network,
    performance,
    safety,
    succession,
    team_dynamics,
)
from simulation.model.arrays import is_traced, maybe, np
from simulation.model.config import CADENCE_WEEKS, Parameters, ScenarioConfig
from simulation.model.diagnosis import Observation
from simulation.model.equations import total_hours
from simulation.model.randomness import WeekNoise
from simulation.model.state import DERIVED, TeamState, with_departures, with_new_hires


@dataclass(frozen=True)
class WeekEvents:
    """What the calendar brings to one week; team arrays have the state's leading shape."""

    attention_level: np.ndarray | float
    """The attention schedule's level this week: the share of her normal hours the leader
    gives the team (the deputy is added in the week, from the team's state)."""
    crises_active: np.ndarray | float
    """Crises under way this week."""
    crises_started: np.ndarray | float
    """Crises that broke out this week."""
    obstacle_shock: np.ndarray | float
    """Share of the free path blocked by obstacles that emerged this week."""
    change_shock: np.ndarray | float
    """Share of direction clarity lost to conditions that changed this week."""
    hired: np.ndarray
    """``(..., members)`` mask of slots whose new hires start this week."""
    leader_share: np.ndarray | float = 1.0
    """Share of the leader's hours this team gets this week when she leads several teams
    (:func:`simulation.model.organisation.attention_split`; 1 for a team of her own)."""
    leader_load: LeaderLoad | None = None
    """Her whole week over every team she leads, when she leads several (what tires or
    restores her); None for a team of her own, whose week is all of hers."""


@dataclass(frozen=True)
class LeaderLoad:
    """What the week asks of the leader as a person, over every team she leads: it builds
    or relieves her exhaustion (:func:`simulation.model.leader_state.exhaustion_step`)."""

    load: np.ndarray
    """Hours she leads over the hours she sustains (1 at capacity)."""
    crisis: np.ndarray | float
    """1 while a crisis is under way in a team of hers, else 0."""
    conflict: np.ndarray
    """Relationship conflict in her teams, each weighted by her share of attention to it."""


@dataclass(frozen=True)
class LeaderWeek:
    """The leader's week: what she saw, the hours she meant to give and what she gave."""

    attention_share: np.ndarray | float
    """Share of normal leadership the team gets: the schedule's level, with what a deputy
    carries of what it withdraws (:func:`simulation.model.succession.deputise`)."""
    deputy_hours: np.ndarray | float
    """``(..., members)`` hours the deputy leads this week: her part of the hours given
    (0 for the others, and for all when nothing is withdrawn or ``leader.deputy_share``
    fixes the share)."""
    hours_planned: np.ndarray
    """Hours the leader meant to give the team this week."""
    crisis_hours: np.ndarray | float
    """Hours crises took from them."""
    observation: Observation
    """Her reading of the team."""
    planned: np.ndarray
    """Doses planned, ``(..., members, interventions)``."""
    granted: np.ndarray
    """Doses given after crises took their hours."""
    kept: np.ndarray
    """Weight in [0, 1) of each member's 1:1 that was held (0 if none was held)."""
    breached: np.ndarray
    """Weight in [0, 1) of each member's planned 1:1 that was cancelled (a broken
    commitment; 0 if none was)."""
    blame: np.ndarray
    """Share of the problems members raise this week that she meets with blame."""
    feedback_bank: np.ndarray
    """Feedback hours banked for each member's next review after this week
    (``(..., members, feedback interventions)``; see ``leader_state.scheduled_feedback``)."""
    conduct: credibility.Conduct
    """How unequal and how inconsistent her plan was this week (what erodes her
    credibility besides broken commitments)."""


@dataclass(frozen=True)
class WeekOutcome:
    """What one week did: the new state, what the team produced, the leader's week, who
    left, and the week's event counts (as the weekly record stores them)."""

    state: TeamState
    produced: team_dynamics.WeekResult
    leader: LeaderWeek
    events: WeekEvents
    leaving: np.ndarray
    """``(..., members)`` mask of members who left at the week's end: of their own accord,
    or moved or dismissed by the leader (``decisions``)."""
    decisions: performance.Decisions
    """The week's improvement plans opened and the members moved or dismissed."""

    def counts(self) -> dict[str, np.ndarray | float]:
        """The week's events, one count per run (see ``metrics.EVENT_COUNTS``)."""
        return {
            "breaches": _count(self.leader.breached),
            "kept_commitments": _count(self.leader.kept),
            "departures": _count(self.leaving),
            "hires": _count(self.events.hired),
            "crises": self.events.crises_started,
            "problems_raised": _count(self.produced.problems.raised),
            "problems_hidden": _count(self.produced.problems.hidden),
            "plans_opened": _count(self.decisions.opened),
            "moves": _count(self.decisions.moved),
            "dismissals": _count(self.decisions.dismissed),
        }


def _count(values: np.ndarray) -> np.ndarray | int:
    """Nonzero entries per run (numpy's fast whole-array count for a single team)."""
    if values.ndim == 1:
        return int(np.count_nonzero(values))
    return equations.last_sum((values != 0).astype(float))


def lead(state: TeamState, last_output: np.ndarray, week: int, events: WeekEvents,
         noise: WeekNoise, config: ScenarioConfig, planner: leadership.Planner,
         p: Parameters) -> LeaderWeek:
    """The leader's part of the week: observe, plan, and fit the plan into the hours left;
    how she will meet the problems members raise. Her exhaustion widens her reading
    errors, cancels part of her plan and adds to her blame (:mod:`leader_state`).

    While her attention is withdrawn a deputy carries part of what is withdrawn
    (:func:`simulation.model.succession.deputise`): the hours planned are the leader's and
    the deputy's. A reassigned leader handles only that share of the team's crises;
    whoever covers for her handles the rest.
    """
    leader, env = config.leader, config.environment
    deputy, share, hours = leading_hours(state, events, config, p)
    crisis = env.crisis_hours * events.crises_active * deputy.attention_share
    tired = state.leader_exhaustion
    observation = diagnosis.observe(state, last_output, noise.team_reading,
                                    leader.diagnostic_accuracy, leader.bias_cause,
                                    leader.bias_strength, p,
                                    leader_state.reading_spread(tired, p))
    planned = leadership.plan_doses(planner, observation, hours,
                                    leadership.systems_share(leader, week), week)
    held = leader_state.hours_held(np.maximum(hours - crisis, 0.0), tired, p)
    cadence = CADENCE_WEEKS[leader.feedback_cadence]
    granted, kept, breached = leadership.fit_week(planned, held, p, banked=cadence > 1)
    granted, review, bank = leader_state.scheduled_feedback(granted, state.feedback_bank,
                                                            week, cadence, p)
    if review is not None:
        granted, kept = leadership.with_review(granted, kept, review * state.active[..., None],
                                               p)
    blame = safety.blame_share(leader.blame, granted, in_crisis(events), p,
                               leader_state.extra_blame(tired, p))
    conduct = credibility.Conduct(credibility.favouritism(planned, state, p),
                                  credibility.inconsistency(planned, state.leader_priorities,
                                                            p))
    return LeaderWeek(share, deputy.hours(total_hours(granted)), hours, crisis, observation,
                      planned, granted, kept, breached, blame, bank, conduct)


def leading_hours(state: TeamState, events: WeekEvents, config: ScenarioConfig,
                  p: Parameters
                  ) -> tuple[succession.Deputy, np.ndarray | float, np.ndarray]:
    """The week's deputy, the share of normal leadership the team gets and the hours of
    leading that share is (team arrays): her
    normal hours, at the attention schedule's level with what the deputy carries of what
    it withdraws, times her share of them when she leads several teams (a crisis the team
    has takes its hours from these, however small her share)."""
    deputy = succession.deputise(state, events.attention_level, config.leader.deputy_share, p)
    share = deputy.attention_share * events.leader_share
    return deputy, share, np.full(state.active.shape[:-1],
                                  config.leader.attention_hours * share)


def own_load(hours_planned: np.ndarray, events: WeekEvents, state: TeamState,
             config: ScenarioConfig) -> LeaderLoad:
    """The week's load on a leader of this team alone (the state at the week's start)."""
    return LeaderLoad(leader_state.leading_load(hours_planned, config.leader.capacity_hours),
                      in_crisis(events), state.relationship_conflict)


def in_crisis(events: WeekEvents) -> np.ndarray | float:
    """1 while any crisis is under way, else 0 (team arrays)."""
    active = events.crises_active
    return np.minimum(active, 1.0) if isinstance(active, np.ndarray) else min(active, 1.0)


def conditions_of(events: WeekEvents, config: ScenarioConfig, p: Parameters,
                  work_draw: np.ndarray | float = 0.0) -> team_dynamics.WeekConditions:
    """What the environment imposes this week: its pressure, raised while a crisis is under
    way, the baselines it drifts back to, the week's shocks, and how productive the team's
    work is (a lognormal factor of mean 1 from the run's draw ``work_draw``)."""
    env, work = config.environment, config.work
    sd = work.productivity_sd
    return team_dynamics.WeekConditions(
        pressure=np.asarray(np.minimum(
            env.pressure + equations.team_level(p.crisis_pressure) * in_crisis(events), 1.0)),
        direction_baseline=np.asarray(env.direction_clarity),
        barrier_baseline=np.asarray(env.barriers),
        obstacle_shock=np.asarray(events.obstacle_shock),
        change_shock=np.asarray(events.change_shock),
        complexity=work.complexity,
        interdependence=work.interdependence,
        identifiability=work.identifiability,
        productivity=np.exp(sd * np.asarray(work_draw) - sd * sd / 2.0),
    )


def simulate_week(state: TeamState, last_output: np.ndarray, week: int, events: WeekEvents,
                  noise: WeekNoise, config: ScenarioConfig, planner: leadership.Planner,
                  p: Parameters) -> WeekOutcome:
    """One week: new hires start, the leader takes her look at the team (her standing
    misreading of each member moves on) and leads with her strategy (``planner``: the
    strategy with the runs' own memory), with the most ready member deputising for what a
    withdrawal takes of her, the week's leading tires or restores her, the team works (the
    deputy's leading hours off her own work), some may leave; her performance
    conversations, plans, decisions and hiring effort take effect
    (:func:`simulation.model.performance.manage`).

    It is :func:`start_week` then :func:`work_week`; an organisation calls the two apart,
    to set the attention of a leader of several teams between them."""
    return work_week(start_week(state, events, noise, config, p), last_output, week, events,
                     noise, config, planner, p)


def start_week(state: TeamState, events: WeekEvents, noise: WeekNoise,
               config: ScenarioConfig, p: Parameters) -> TeamState:
    """The week's start: its new hires join and the leader's standing misreading of each
    member moves on."""
    state = hire(state, events.hired, noise, config, p)
    return state.replace(misreading=diagnosis.updated_misreading(
        state.misreading, noise.observation, events.hired, p))


def work_week(state: TeamState, last_output: np.ndarray, week: int, events: WeekEvents,
              noise: WeekNoise, config: ScenarioConfig, planner: leadership.Planner,
              p: Parameters) -> WeekOutcome:
    """The rest of :func:`simulate_week`, from the state :func:`start_week` gives. The
    leader's exhaustion moves with her whole week (``events.leader_load``) when she leads
    several teams, with this team's week otherwise."""
    observed = state
    led = lead(state, last_output, week, events, noise, config, planner, p)
    load = events.leader_load or own_load(led.hours_planned, events, state, config)
    tired = leader_state.exhaustion_step(state.leader_exhaustion, load.load, load.crisis,
                                         load.conflict, p)
    state, produced = team_dynamics.advance_week(state, led.granted, led.kept, led.breached,
                                                 conditions_of(events, config, p, noise.work), p,
                                                 network.structure(config), noise.voice,
                                                 led.blame, focus.focus(led.granted, p),
                                                 config.leader.strategic_clarity, led.conduct,
                                                 led.deputy_hours)
    state = state.replace(leader_exhaustion=tired, feedback_bank=led.feedback_bank,
                          leader_priorities=credibility.priorities_step(
                              state.leader_priorities, led.planned, p))
    leaving = noise.turnover < equations.leaving_probability(
        state, config.environment.turnover_rate, p)
    state, decisions = performance.manage(state, observed, led.observation, leaving, config,
                                          p)
    if maybe(leaving.any()):
        state = with_departures(state, leaving)
    if maybe(decisions.exits.any()):
        leaving = leaving | decisions.exits
    return WeekOutcome(state, produced, led, events, leaving, decisions)


def hire(state: TeamState, hired: np.ndarray, noise: WeekNoise, config: ScenarioConfig,
         p: Parameters) -> TeamState:
    """``with_new_hires`` for the slots in mask ``hired``. In a batch, only the runs that
    hire this week are touched (the same numbers, without rewriting every run's arrays)."""
    if not maybe(hired.any()):
        return state
    if hired.ndim == 1 or is_traced():
        return with_new_hires(state, hired, noise.hire, config, p, noise.hire_traits)
    runs = np.flatnonzero(hired.any(axis=-1))
    names = STATE_FIELDS
    part = with_new_hires(TeamState(**{name: getattr(state, name)[runs] for name in names}),
                          hired[runs], noise.hire[runs], config, _rows(p, runs),
                          noise.hire_traits[runs])
    # Each week makes new state arrays, so the hiring runs' rows are written in place, and
    # so are those of the measures already computed from the state (DERIVED).
    for name in names:
        getattr(state, name)[runs] = getattr(part, name)
    for measure in DERIVED:
        if measure in vars(state):
            vars(state)[measure] = vars(state)[measure].copy()
            vars(state)[measure][runs] = getattr(part, measure)
    return state


STATE_FIELDS = tuple(f.name for f in fields(TeamState))


def _rows(p: Parameters, rows: np.ndarray) -> Parameters:
    """Some runs' parameters (per-run arrays sliced; plain numbers as they are)."""
    if not any(isinstance(value, np.ndarray) for value in vars(p).values()):
        return p
    return Parameters(**{name: (value[rows] if isinstance(value, np.ndarray) else value)
                         for name, value in vars(p).items()})
