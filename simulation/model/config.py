"""Typed, frozen configuration: a scenario is a team, its leader and its environment.

Every field carries its meaning and its allowed range in ``metadata`` so that the loader
(:mod:`simulation.model.scenario_files`) can validate a file and the documentation can list
them. The vocabulary follows exploratory modelling: the *scenario* (team and environment)
is kept apart from the *strategy* (the leader's policy) and the *replication* (the seed).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulation.model.fields import described as described
from simulation.model.fields import field_docs as field_docs
from simulation.model.fields import set_type as set_type
from simulation.model.fields import spec as spec
from simulation.model.parameters import Parameters as Parameters

WEEKS_PER_QUARTER = 13
"""Weekly steps in a simulated quarter."""

DEFAULT_SEED = 20261123
"""The base seed used wherever none is given (scenarios, experiments, checks, the page)."""

MAX_NAME, MAX_TITLE, MAX_DESCRIPTION = 64, 200, 20_000
"""Longest name (it names a results folder), title and description a file may give."""

NAME_PATTERN = r"[A-Za-z0-9][A-Za-z0-9_.-]*"
"""What a scenario's or experiment's name may be: it names a folder under results/."""

ROOT_CAUSES: tuple[str, ...] = (
    "capability",
    "motivation",
    "environment",
    "direction",
    "accountability",
)
"""The five root causes of a member's performance gap, in the order used by every gap
array."""

TEAM_CAUSES: tuple[str, ...] = (
    "collaboration",
    "roles",
    "mutual_accountability",
    "conflict",
)
"""The team-level causes of a performance gap (the practitioner's team-problems table):
poor collaboration, unclear roles (gaps and overlaps), weak mutual accountability and
destructive conflict, in the order of ``Observation.team_gaps``."""


@dataclass(frozen=True)
class TeamConfig:
    """The team at the start: member slots and the distribution of their starting state."""

    size: int = described(8, "member slots in the team", 1, 100)
    capability: float = described(0.5, "mean starting capability", 0, 1)
    capability_sd: float = described(0.1, "spread of starting capability", 0, 0.5)
    capability_ceiling: float = described(0.9, "mean capability a member can reach", 0, 1)
    motivation: float = described(0.6, "mean starting motivation", 0, 1)
    motivation_sd: float = described(0.1, "spread of starting motivation", 0, 0.5)
    trust: float = described(0.5, "mean starting trust in the leader", 0, 1)
    trust_sd: float = described(0.1, "spread of starting trust", 0, 0.5)
    accountability: float = described(0.5, "mean starting accountability", 0, 1)
    role_clarity: float = described(0.6, "mean starting role clarity", 0, 1)
    obstacles: float = described(0.3, "mean starting perceived obstacles", 0, 1)
    habit_strength: float = described(0.1, "mean starting habit strength", 0, 1)
    exhaustion: float = described(0.1, "mean starting exhaustion", 0, 1)
    spread: float = described(
        0.05, "spread of starting accountability, role clarity and obstacles", 0, 0.5)
    tenure_years: float = described(2.0, "mean tenure in role at the start, in years", 0, 40)
    tenure_years_sd: float = described(1.0, "spread of tenure in role, in years", 0, 20)
    psychological_safety: float = described(0.5, "starting psychological safety", 0, 1)
    systems: float = described(0.1, "starting level of embedded systems and practice", 0, 1)
    new_hire_capability: float = described(0.25, "mean capability of a new hire", 0, 1)
    affect_sd: float = described(
        0.3, "spread of members' trait affect (disposition from negative -1 to positive 1)",
        0, 1)
    feedback_sensitivity_sd: float = described(
        0.5, "spread (log scale) of how strongly feedback moves members", 0, 2)
    learning_rate_sd: float = described(
        0.4, "spread (log scale) of how fast members learn from training and coaching", 0, 2)
    conscientiousness_sd: float = described(
        0.15, "spread of members' conscientiousness around 0.5", 0, 0.5)
    leadership_readiness: float = described(
        0.3, "mean starting leadership readiness: how ready members are to take on the "
             "leader's work (a deputy's, a successor's)", 0, 1)
    leadership_readiness_sd: float = described(
        0.1, "spread of starting leadership readiness; it follows the members' capability, "
              "tenure and conscientiousness (MODEL.md §5.1)", 0, 0.5)
    bad_apples: int = described(
        0, "persistently negative members (the first slots): trait affect -1, low "
           "motivation that is their own (Felps, Mitchell & Byington 2006)", 0, 100)
    stars: int = described(
        0, "exceptionally positive members (the slots after any bad apples): trait affect "
           "+1, high motivation that is their own", 0, 100)
    low_performers: int = described(
        0, "members who cannot grow into the job (the slots after any bad apples and "
           "stars): their capability, and the ceiling it can reach, at most "
           "`low_performer_ceiling`", 0, 100)
    mutual_accountability: float = described(
        0.4, "starting strength of the team's norm of follow-through that members hold "
             "each other to", 0, 1)
    task_conflict: float = described(
        0.3, "starting disagreement about the work (ideas, methods, decisions)", 0, 1)
    relationship_conflict: float = described(
        0.1, "starting personal friction between members", 0, 1)
    cohesion: float = described(0.5, "starting attraction of members to the team", 0, 1)
    collective_efficacy: float = described(
        0.5, "starting shared belief that the team can reach its results", 0, 1)
    conflict_proneness: float = described(
        0.5, "mean proneness of the team's task disagreements to turn personal", 0, 1)
    diversity: float = described(
        0.5, "mean informational diversity of the team's members (knowledge, background): "
             "it brings disagreement about the work (Jehn, Northcraft & Neale 1999)", 0, 1)
    diversity_sd: float = described(
        0.2, "spread of informational diversity between teams (replications)", 0, 0.5)
    between_teams_sd: float = described(
        0.1, "spread between teams (replications) of starting psychological safety, "
              "conflict proneness and members' mean trust (and, by 0.4 of it, of their mean "
              "capability and motivation)",
        0, 0.5)


CADENCE_WEEKS: dict[str, int] = {"weekly": 1, "fortnightly": 2, "quarterly": WEEKS_PER_QUARTER,
                                  "annual": 4 * WEEKS_PER_QUARTER}
"""How often the leader gives feedback (``leader.feedback_cadence``): weeks from one
feedback conversation to the next. Between them, the hours her strategy plans for feedback
are banked for the next conversation."""
CADENCES: tuple[str, ...] = tuple(CADENCE_WEEKS)

DISMISSALS: tuple[str, ...] = ("never", "move", "dismiss")
"""What the leader decides at an improvement plan's deadline for a member who has not
improved (``leader.dismissal``)."""

STRUCTURES: tuple[str, ...] = ("complete", "subgroups", "hub_and_spoke", "explicit")
"""How the team's network of ties is laid out (:mod:`simulation.model.network`)."""


@dataclass(frozen=True)
class NetworkConfig:
    """Who works with whom: the structure of the team's ties and their starting strength."""

    structure: str = described(
        "complete", "complete: everyone works with everyone; subgroups: silos with weak "
                    "bridges; hub_and_spoke: slot 0 at the centre; explicit: the ties listed",
        choices=STRUCTURES)
    subgroups: int = described(2, "number of subgroups (silos) when structure = subgroups",
                               1, 100)
    tie_strength: float = described(
        0.6, "starting strength of a tie, as a share of what the structure allows", 0, 1)
    bridge_strength: float = described(
        0.15, "what the structure allows between subgroups, or between spokes of a hub "
              "(1 within a subgroup, and between hub and spoke)", 0, 1)
    ties: tuple[tuple[float, ...], ...] = described(
        (), "the ties when structure = explicit: [slot, slot, strength allowed], slots "
            "from 0 to team.size - 1")


@dataclass(frozen=True)
class WorkConfig:
    """The team's task: how complex it is and how much it needs the team to work together."""

    complexity: float = described(
        0.5, "complexity of the task (0 simple and routine, 1 novel and complex): goals and "
             "clarification act less, learning takes longer (Wood, Mento & Locke 1987)", 0, 1)
    interdependence: float = described(
        0.5, "how far team output depends on coordination and cohesion rather than the sum "
             "of individual outputs (0 pooled, 1 fully reciprocal)", 0, 1)
    identifiability: float = described(
        0.5, "how far each member's own contribution can be seen (1 fully); loafing needs "
             "it low (Karau & Williams 1993)", 0, 1)
    productivity_sd: float = described(
        0.15, "spread between teams of how productive their work is, whatever their state "
             "(market, tools, task difficulty): the log-sd of a factor on output, mean 1 "
             "(Syverson 2011 on persistent productivity differences)", 0, 1)


@dataclass(frozen=True)
class AttentionChange:
    """A stretch of quarters in which the leader's hours are scaled (e.g. a reassignment)."""

    from_quarter: int = described(1, "first quarter of the stretch (1-based)", 1, 200)
    to_quarter: int = described(
        0, "last quarter of the stretch, inclusive; 0 means to the end of the run", 0, 200)
    level: float = described(
        1.0, "share of the normal hours the leader gives the team (above 1: overtime)", 0, 3)


@dataclass(frozen=True)
class LeaderConfig:
    """The leader: attention, diagnosis and policy (the strategy)."""

    strategy: str = described("diagnose_and_match", "name of the leader's strategy",
                              max_length=MAX_NAME,
                              kind="strategy")
    attention_hours: float = described(
        8.0, "hours a week the leader can give the team", 0, 60)
    capacity_hours: float = described(
        12.0, "hours a week of leading the leader sustains without tiring (more exhausts "
              "her; fewer let her recover)", 1, 80)
    exhaustion: float = described(0.0, "the leader's exhaustion at the start", 0, 1)
    credibility: float = described(
        0.7, "the leader's credibility with the team at the start: how far they have seen "
             "her deeds match her words (kept commitments, honesty, care, openness)", 0, 1)
    diagnostic_accuracy: float = described(
        0.8, "how accurately the leader reads members' states (1 = perfectly)", 0, 1)
    bias_cause: str = described(
        "motivation", "the root cause the leader tends to see everywhere", choices=ROOT_CAUSES)
    bias_strength: float = described(
        0.0, "share of every other gap the leader reads as the biased cause", 0, 1)
    systems_share: float = described(
        0.0, "share of the leader's hours spent building systems and practice", 0, 1)
    systems_until_quarter: int = described(
        0, "last quarter of system building; 0 means throughout", 0, 200)
    deputy_share: float | None = described(
        None, "share of withdrawn hours a deputy carries on, fixed; unset: the team's most "
              "ready member deputises and carries what her readiness allows (MODEL.md §7.20)",
        0, 1)
    feedback_cadence: str = described(
        "weekly", "how often the leader gives feedback (coaching, recognition, feedback on "
                  "the work): weekly or fortnightly 1:1s, or a quarterly or annual review "
                  "that gets the hours banked since the last one", choices=CADENCES)
    blame: float = described(
        0.2, "share of raised problems and mistakes the leader meets with blame rather "
             "than curiosity (more under crisis and when micromanaging)", 0, 1)
    strategic_clarity: float = described(
        1.0, "how clear the direction the leader herself holds and conveys is: where the "
             "team is going and why (1 fully clear, as the model's leader before this key; "
             "0 none). The team's direction reaches no further: her clarification takes it "
             "toward hers, the team gets no more of the environment's direction than she "
             "holds, and changed conditions cost it more the less clear hers is", 0, 1)
    withdrawn_from_quarter: int = described(
        0, "quarter in which the leader is reassigned; 0 means never", 0, 200)
    withdrawn_quarters: int = described(
        4, "quarters the reassignment lasts; 0 means to the end of the run", 0, 200)
    withdrawn_level: float = described(
        0.1, "share of the normal hours the leader gives the team while reassigned", 0, 1)
    attention: tuple[AttentionChange, ...] = described(
        (), "stretches of quarters with scaled attention (applied after a reassignment)")
    improvement_plans: bool = described(
        False, "whether the leader puts a member whose output stays low on an improvement "
               "plan: the member is told the standard and the deadline, and the leader's "
               "performance conversations are the plan's support")
    plan_threshold: float = described(
        0.7, "output relative to the team's mean (each member's running mean of weekly "
             "output) below which she opens a plan, or without plans starts the clock to a "
             "decision; a member on a plan who reaches it by the deadline has improved",
        0, 1)
    plan_weeks: int = described(12, "weeks from opening a plan to its deadline", 1, 104)
    plan_low_weeks: int = described(
        13, "weeks in a row a member's output must stay below `plan_threshold` before she "
            "opens a plan (a dip is not a pattern)", 1, 104)
    plan_after_weeks: int = described(
        26, "weeks in the role before a member can be put on a plan (newcomers ramp up "
            "first)", 0, 520)
    dismissal: str = described(
        "never", "what she decides at the deadline for a member who has not improved: "
                 "never (the plan closes), move (reassigned elsewhere) or dismiss; a move "
                 "and a dismissal both leave a vacancy", choices=DISMISSALS)


@dataclass(frozen=True)
class EnvironmentConfig:
    """What the team works in: direction, barriers, pressure and the events that strike."""

    direction_clarity: float = described(0.6, "clarity of the team's goals and direction", 0, 1)
    barriers: float = described(0.3, "obstacles in the environment (0 none, 1 blocked)", 0, 1)
    pressure: float = described(0.35, "workload pressure (0 idle, 1 overload)", 0, 1)
    crisis_rate: float = described(0.5, "expected crises per quarter", 0, 13)
    crisis_hours: float = described(3.0, "leader hours a week a crisis takes", 0, 60)
    crisis_weeks: int = described(2, "weeks a crisis lasts", 1, 52)
    scheduled_crises: tuple[int, ...] = described(
        (), "weeks (1-based) in which a crisis strikes for certain, besides random ones",
        1, 5200)
    obstacle_rate: float = described(0.5, "expected new obstacles per quarter", 0, 13)
    obstacle_size: float = described(0.15, "share of the free path a new obstacle blocks", 0, 1)
    change_rate: float = described(0.25, "expected changes of conditions per quarter", 0, 13)
    change_size: float = described(
        0.2, "share of direction clarity lost when conditions change", 0, 1)
    turnover_rate: float = described(
        0.12, "yearly hazard of leaving at the reference motivation and trust, unexhausted",
        0, 1)
    hiring_delay_weeks: int = described(8, "weeks a vacancy stays open", 0, 104)


@dataclass(frozen=True)
class ScenarioConfig:
    """A scenario: the story, the team, its leader, its environment and the horizon."""

    name: str = described("scenario", "short name; results go to results/<name>/",
                          pattern=NAME_PATTERN, max_length=MAX_NAME)
    title: str = described("", "one-line title", max_length=MAX_TITLE)
    description: str = described("", "the story the scenario tells, in plain words",
                                 max_length=MAX_DESCRIPTION)
    quarters: int = described(12, "quarters simulated (13 weekly steps each)", 1, 100)
    replications: int = described(20, "default number of replications", 1, 100000)
    seed: int = described(DEFAULT_SEED, "default base seed of the replications", 0, 2**63 - 1)
    team: TeamConfig = field(default_factory=TeamConfig, metadata=spec("the team"))
    leader: LeaderConfig = field(default_factory=LeaderConfig, metadata=spec("the leader"))
    environment: EnvironmentConfig = field(
        default_factory=EnvironmentConfig, metadata=spec("the environment"))
    network: NetworkConfig = field(
        default_factory=NetworkConfig, metadata=spec("who works with whom"))
    work: WorkConfig = field(default_factory=WorkConfig, metadata=spec("the team's task"))
    parameters: Parameters = field(
        default_factory=Parameters, metadata=spec("overrides of the model's constants"))

    @property
    def weeks(self) -> int:
        """Weekly steps in the run."""
        return self.quarters * WEEKS_PER_QUARTER
