"""The team's state as arrays, so that the equations run over a whole team (or many) at once.

Member variables have shape ``(..., members)``; team variables have shape ``(...)``; the
doses in effect have shape ``(..., members, interventions)``. A single run uses
``(members,)``; a batch of runs ``(runs, members)``. The Mesa agents in
:mod:`simulation.engines.agents` read their own slot of these arrays as attributes.

Every variable lies in [0, 1] unless its description says otherwise.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

from simulation.model import equations, interventions, network
from simulation.model import performance_states as managed
from simulation.model.arrays import np
from simulation.model.config import ROOT_CAUSES, Parameters, ScenarioConfig
from simulation.model.member_draws import MEMBER_MEAN_SHARE as MEMBER_MEAN_SHARE
from simulation.model.member_draws import TEAM_DRAWN as TEAM_DRAWN
from simulation.model.member_draws import TEAM_DRAWS as TEAM_DRAWS
from simulation.model.member_draws import TRAIT_DRAWS as TRAIT_DRAWS
from simulation.model.member_draws import TRAITS as TRAITS
from simulation.model.member_draws import drawn_traits, starting_readiness

MEMBER_VARIABLES: dict[str, str] = {
    "capability": "skill to do the job (ability)",
    "capability_ceiling": "the capability this member can reach with development",
    "capability_anchor": "the capability that holds without practice or attention",
    "motivation": "willingness to put effort into the work",
    "motivation_anchor": "the motivation the member drifts back to when nobody attends",
    "standing_lift": "the part of motivation that knowing where one stands gives this week "
                     "(recent feedback on the work); it goes when the feedback stops",
    "trust": "trust in the leader",
    "accountability": "follow-through: owning and finishing commitments",
    "accountability_anchor": "the accountability that holds without attention",
    "scrutiny": "felt monitoring (the transient Hawthorne effect)",
    "role_clarity": "how clear the member is about what is expected of them",
    "role_clarity_anchor": "the role clarity that holds without attention",
    "obstacles": "obstacles the member runs into (0 none, 1 blocked)",
    "habit_strength": "how far good practice is embedded in the member's habits",
    "exhaustion": "accumulated strain without recovery",
    "tenure_weeks": "weeks in the role (0 upward)",
    "active": "1 when the slot is filled, 0 while it is vacant",
    "recent_output": "the member's sense of their recent output (0 upward)",
    "affect": "trait affect: a stable disposition from negative (-1) to positive (1)",
    "feedback_sensitivity": "how strongly feedback moves the member, either way (a trait; "
                            "1 is typical, 0 upward)",
    "learning_rate": "how fast the member learns from training and coaching (a trait; 1 "
                     "is typical, 0 upward)",
    "conscientiousness": "the member's own dutifulness and persistence (a trait)",
    "departure_shock": "the fading shock of close colleagues' recent departures",
    "leadership_readiness": "how ready the member is to lead as the leader's deputy or "
                            "successor (ready at 0.7, `succession.READINESS_THRESHOLD`)",
    **managed.PERFORMANCE_VARIABLES,
}
"""Per-member state: name and meaning."""

TEAM_VARIABLES: dict[str, str] = {
    "psychological_safety": "team-level trust: safe to speak up, ask, admit mistakes",
    "direction_clarity": "clarity of the team's goals and direction",
    "barriers": "obstacles in the environment (0 none, 1 blocked)",
    "systems": "embedded systems and practice (monitoring, process, documentation)",
    "mutual_accountability": "the team's norm of follow-through that members hold each "
                             "other to",
    "task_conflict": "disagreement about the work: ideas, methods, decisions",
    "relationship_conflict": "personal friction between members",
    "cohesion": "members' attraction to the team and to working together",
    "collective_efficacy": "the team's shared belief that it can reach its results",
    "conflict_proneness": "how readily the team's disagreements turn personal (a trait of "
                          "the team)",
    "diversity": "informational diversity of the members: how much their knowledge and "
                 "views differ (a trait of the team)",
}
"""Team-level state: name and meaning."""

LEADER_VARIABLES: dict[str, str] = {
    "leader_exhaustion": "the leader's own accumulated strain (0 rested, 1 exhausted)",
    "leader_credibility": "how far the team sees the leader's deeds match her words (0-1)",
}
"""The leader's own state (one value per team, like the team variables)."""

READINGS: tuple[str, ...] = (*ROOT_CAUSES, "trust", "exhaustion")
"""What the leader reads of each member, in the order of a reading error's last axis: the
gap on each root cause, then trust and exhaustion."""

LEADER_READING_VARIABLES: dict[str, str] = {
    "misreading": "the leader's standing error in reading each member, (..., members, "
                  "readings) in standard deviations: it lasts weeks, it is not fresh each week",
}
"""The leader's reading of each member that carries over from week to week."""

FEEDBACK_BANK_VARIABLES: dict[str, str] = {
    "feedback_bank": "feedback hours the leader has banked for each member's next review, "
                     "(..., members, feedback interventions), weighted by how fresh what "
                     "they are about still is (hours, 0 upward; 0 under weekly feedback)",
}
"""What the leader has saved up for each member's next review (``leader.feedback_cadence``)."""

LEADER_PRIORITIES_VARIABLES: dict[str, str] = {"leader_priorities": (
    "the priorities the team has seen the leader show: the shares of her recent plans' "
    "hours by intervention, (..., interventions) (all 0 until her first plan)")}
"""What the team expects the leader to spend her time on (inconsistency departs from it)."""

TIE_VARIABLES: dict[str, str] = {
    "ties": "strength of each working relationship, (..., members, members), symmetric",
}
"""State of pairs of members: name and meaning."""

CORE_STATES: tuple[str, ...] = ("capability", "motivation", "trust", "accountability")
"""The four core member states the product reports first."""


@dataclass(frozen=True)
class TeamState:
    """Arrays of the team's state (meanings: MEMBER_VARIABLES, TEAM_VARIABLES and the rest)."""

    capability: np.ndarray
    capability_ceiling: np.ndarray
    capability_anchor: np.ndarray
    motivation: np.ndarray
    motivation_anchor: np.ndarray
    standing_lift: np.ndarray
    trust: np.ndarray
    accountability: np.ndarray
    accountability_anchor: np.ndarray
    scrutiny: np.ndarray
    role_clarity: np.ndarray
    role_clarity_anchor: np.ndarray
    obstacles: np.ndarray
    habit_strength: np.ndarray
    exhaustion: np.ndarray
    tenure_weeks: np.ndarray
    active: np.ndarray
    recent_output: np.ndarray
    affect: np.ndarray
    feedback_sensitivity: np.ndarray
    learning_rate: np.ndarray
    conscientiousness: np.ndarray
    departure_shock: np.ndarray
    leadership_readiness: np.ndarray
    agreed_actions: np.ndarray
    improvement_plan_weeks: np.ndarray
    plan_support: np.ndarray
    low_output_weeks: np.ndarray
    vacancy_weeks: np.ndarray
    hiring_effort: np.ndarray
    ties: np.ndarray
    misreading: np.ndarray
    feedback_bank: np.ndarray
    dose_in_effect: np.ndarray
    psychological_safety: np.ndarray
    direction_clarity: np.ndarray
    barriers: np.ndarray
    systems: np.ndarray
    mutual_accountability: np.ndarray
    task_conflict: np.ndarray
    relationship_conflict: np.ndarray
    cohesion: np.ndarray
    collective_efficacy: np.ndarray
    conflict_proneness: np.ndarray
    diversity: np.ndarray
    leader_exhaustion: np.ndarray
    leader_credibility: np.ndarray
    leader_priorities: np.ndarray

    def replace(self, **changes: np.ndarray) -> TeamState:
        """A copy with some arrays replaced (``dataclasses.replace`` without its cost: the
        engines replace the state several times a week). Measures computed from the state
        (``DERIVED``) are carried over unless a change touches what they are computed from.
        """
        unknown = changes.keys() - STATE_FIELDS
        if unknown:
            raise TypeError(f"TeamState has no field {sorted(unknown)[0]!r}")
        copy = object.__new__(TeamState)
        values = copy.__dict__
        values.update(self.__dict__)
        values.update(changes)
        for measure, sources in DERIVED.items():
            if measure in values and not sources.isdisjoint(changes):
                del values[measure]
        return copy

    @property
    def members(self) -> int:
        """Number of member slots."""
        return int(self.capability.shape[-1])

    @functools.cached_property
    def headcount(self) -> np.ndarray:
        """Filled slots of the team (team arrays; computed once per state)."""
        return equations.last_sum(self.active)

    def mean(self, values: np.ndarray) -> np.ndarray:
        """Mean of member ``values`` over the filled slots: ``equations.team_mean`` with
        the headcount counted once."""
        return equations.team_mean(values, self.active, self.headcount)

    @functools.cached_property
    def tie_strength(self) -> np.ndarray:
        """Mean strength of the ties between filled slots (a team measure; computed once
        per state)."""
        return network.mean_tie(self.ties, self.active)


STATE_FIELDS = frozenset(field.name for field in dataclasses.fields(TeamState))
"""The names of the state's arrays."""

DERIVED: dict[str, frozenset[str]] = {
    "headcount": frozenset({"active"}),
    "tie_strength": frozenset({"active", "ties"}),
}
"""Measures computed once per state, and the arrays each is computed from."""


TEAM_MEASURES: dict[str, str] = {
    "tie_strength": "mean strength of the working relationships between members",
}
"""Team-level measures derived from the state (reported like the team variables)."""


INITIAL_DRAWS = 8
"""Standard normal draws per member slot used to set up the starting team."""

def initial_state(config: ScenarioConfig, draws: np.ndarray,
                  trait_draws: np.ndarray | None = None,
                  team_draws: np.ndarray | None = None,
                  reading_draws: np.ndarray | None = None) -> TeamState:
    """The starting team from the scenario and standard normal draws ``(..., members, 8)``,
    ``(..., members, TRAIT_DRAWS)`` for the members' traits, ``(..., TEAM_DRAWS)`` for
    how this team differs from others (:data:`TEAM_DRAWN`) and ``(..., members,
    readings)`` for the leader's standing misreading of each member (none: every trait and
    team at its mean, no misreading). The first ``team.bad_apples`` slots hold
    persistently negative members, the next ``team.stars`` exceptionally positive ones:
    their trait affect is -1 or +1 and their motivation (and the anchor it returns to)
    their own; the next ``team.low_performers`` cannot grow into the job: their capability
    and its ceiling are at most ``low_performer_ceiling``."""
    team, env, p = config.team, config.environment, config.parameters
    z = np.asarray(draws, dtype=float)
    shape = z.shape[:-1]
    traits = np.zeros((*shape, TRAIT_DRAWS)) if trait_draws is None else trait_draws
    team_z = np.zeros((*shape[:-1], TEAM_DRAWS)) if team_draws is None else team_draws

    spread = {"capability": MEMBER_MEAN_SHARE * team.between_teams_sd,
              "motivation": MEMBER_MEAN_SHARE * team.between_teams_sd,
              "diversity": team.diversity_sd}

    def team_offset(name: str) -> np.ndarray:
        sd = spread.get(name, team.between_teams_sd)
        return sd * team_z[..., TEAM_DRAWN.index(name)]

    def team_drawn(name: str, mean: float) -> np.ndarray:
        return np.clip(mean + team_offset(name), 0.0, 1.0)
    slot = np.arange(shape[-1])
    bad = slot < team.bad_apples
    star = (slot >= team.bad_apples) & (slot < team.bad_apples + team.stars)
    trait = drawn_traits(team, traits)
    affect = np.where(bad, -1.0, np.where(star, 1.0, trait["affect"]))

    def drawn(mean: float | np.ndarray, sd: float, column: int) -> np.ndarray:
        return np.clip(mean + sd * z[..., column], 0.0, 1.0)

    capability = drawn(team.capability + team_offset("capability")[..., None],
                       team.capability_sd, 0)
    ceiling = np.maximum(capability, np.clip(team.capability_ceiling + 0.05 * z[..., 1], 0, 1))
    capability, ceiling = managed.with_low_performers(team, p, capability, ceiling)
    motivation = np.where(bad, p.bad_apple_motivation, np.where(
        star, p.star_motivation, drawn(team.motivation + team_offset("motivation")[..., None],
                                       team.motivation_sd, 2)))
    accountability = drawn(team.accountability, team.spread, 4)
    role_clarity = drawn(team.role_clarity, team.spread, 5)
    tenure = 52.0 * np.maximum(0.0, team.tenure_years + team.tenure_years_sd * z[..., 6])
    team_shape = shape[:-1]
    return TeamState(
        capability=capability,
        capability_ceiling=ceiling,
        capability_anchor=capability.copy(),
        motivation=motivation,
        motivation_anchor=motivation.copy(),
        standing_lift=np.zeros(shape),
        trust=drawn(team.trust + team_offset("trust")[..., None], team.trust_sd, 3),
        accountability=accountability,
        accountability_anchor=accountability.copy(),
        scrutiny=np.zeros(shape),
        role_clarity=role_clarity,
        role_clarity_anchor=role_clarity.copy(),
        obstacles=drawn(team.obstacles, team.spread, 7),
        habit_strength=np.full(shape, team.habit_strength),
        exhaustion=np.full(shape, team.exhaustion),
        tenure_weeks=tenure,
        active=np.ones(shape),
        recent_output=np.zeros(shape),
        affect=affect,
        feedback_sensitivity=trait["feedback_sensitivity"],
        learning_rate=trait["learning_rate"],
        conscientiousness=trait["conscientiousness"],
        departure_shock=np.zeros(shape),
        leadership_readiness=starting_readiness(team, z, traits),
        **{name: np.zeros(shape) for name in managed.PERFORMANCE_MANAGEMENT},
        ties=network.initial_ties(config, shape),
        misreading=(np.zeros((*shape, len(READINGS))) if reading_draws is None
                    else np.array(reading_draws, dtype=float)),
        feedback_bank=np.zeros((*shape, len(interventions.FEEDBACK))),
        dose_in_effect=np.zeros((*shape, interventions.COUNT)),
        psychological_safety=team_drawn("psychological_safety", team.psychological_safety),
        direction_clarity=np.full(team_shape, env.direction_clarity),
        barriers=np.full(team_shape, env.barriers),
        systems=np.full(team_shape, team.systems),
        mutual_accountability=np.full(team_shape, team.mutual_accountability),
        task_conflict=np.full(team_shape, team.task_conflict),
        relationship_conflict=np.full(team_shape, team.relationship_conflict),
        cohesion=np.full(team_shape, team.cohesion),
        collective_efficacy=np.full(team_shape, team.collective_efficacy),
        conflict_proneness=team_drawn("conflict_proneness", team.conflict_proneness),
        diversity=team_drawn("diversity", team.diversity),
        leader_exhaustion=np.full(team_shape, config.leader.exhaustion),
        leader_credibility=np.full(team_shape, config.leader.credibility),
        leader_priorities=np.zeros((*team_shape, interventions.COUNT)),
    )


def with_departures(state: TeamState, leaving: np.ndarray,
                    shaking: np.ndarray | None = None) -> TeamState:
    """The state after the members in mask ``leaving`` have left: their slots go vacant
    (with no plan or agreed actions), and those who stay feel the shock of a departure in
    proportion to their ties to the leavers (turnover contagion, Felps et al. 2009), each
    leaver's weighed by ``shaking`` (none: 1; a decided exit's, by its unfairness)."""
    active = np.where(leaving, 0.0, state.active)
    leavers = leaving if shaking is None else leaving * shaking
    shock = state.departure_shock + network.closeness_to(leavers, state.ties)
    return state.replace(active=active,
                         departure_shock=np.where(active > 0, np.minimum(shock, 1.0), 0.0),
                         **{name: np.where(leaving, 0.0, getattr(state, name))
                            for name in managed.PLAN_STATES})


def with_new_hires(state: TeamState, hired: np.ndarray, capability_draw: np.ndarray,
                   config: ScenarioConfig, parameters: Parameters | None = None,
                   trait_draws: np.ndarray | None = None) -> TeamState:
    """The state after new hires fill the slots in mask ``hired``.

    A new hire starts with low capability (drawn around the team's new-hire mean), neutral
    trust, the honeymoon motivation of a new starter, low role clarity, no habits, no
    tenure, weak ties, traits of their own (``trait_draws`` ``(..., members,
    TRAIT_DRAWS)``; none: at the mean), no memory of the team's departures, little
    readiness to lead (``new_hire_readiness``) and no plan; the leader's hiring effort
    (``hiring_effort``) raises the capability drawn and the role clarity
    (:func:`~simulation.model.performance_states.searched_hire`).
    """
    p: Parameters = config.parameters if parameters is None else parameters
    mean, role_clarity = managed.searched_hire(state.hiring_effort,
                                               config.team.new_hire_capability, p)
    capability = np.clip(mean + p.new_hire_capability_sd * capability_draw, 0.0, 1.0)
    ceiling = np.maximum(capability, config.team.capability_ceiling)

    def fill(current: np.ndarray, value: np.ndarray | float) -> np.ndarray:
        return np.where(hired, value, current)

    return state.replace(
        capability=fill(state.capability, capability),
        capability_ceiling=fill(state.capability_ceiling, ceiling),
        capability_anchor=fill(state.capability_anchor, capability),
        motivation=fill(state.motivation, p.new_hire_motivation),
        motivation_anchor=fill(state.motivation_anchor, p.new_hire_motivation),
        standing_lift=fill(state.standing_lift, 0.0),
        trust=fill(state.trust, p.trust_neutral),
        accountability=fill(state.accountability, p.new_hire_accountability),
        accountability_anchor=fill(state.accountability_anchor, p.new_hire_accountability),
        scrutiny=fill(state.scrutiny, 0.0),
        role_clarity=fill(state.role_clarity, role_clarity),
        role_clarity_anchor=fill(state.role_clarity_anchor, role_clarity),
        obstacles=fill(state.obstacles, state.barriers[..., None]
                       * np.ones_like(state.obstacles)),
        habit_strength=fill(state.habit_strength, 0.0),
        exhaustion=fill(state.exhaustion, 0.0),
        tenure_weeks=fill(state.tenure_weeks, 0.0),
        active=fill(state.active, 1.0),
        recent_output=fill(state.recent_output, 0.0),
        **{name: fill(getattr(state, name), value) for name, value in drawn_traits(
            config.team, np.zeros((*hired.shape, TRAIT_DRAWS)) if trait_draws is None
            else trait_draws).items()},
        departure_shock=fill(state.departure_shock, 0.0),
        leadership_readiness=fill(state.leadership_readiness, p.new_hire_readiness),
        **{name: fill(getattr(state, name), 0.0) for name in managed.PERFORMANCE_MANAGEMENT},
        ties=network.with_new_ties(state.ties, hired, network.structure(config), p),
        dose_in_effect=np.where(hired[..., None], 0.0, state.dose_in_effect),
        feedback_bank=np.where(hired[..., None], 0.0, state.feedback_bank),
    )
