"""Typed, frozen configuration: a scenario is a team, its leader and its environment.

Every field carries its meaning and its allowed range in ``metadata`` so that the loader
(:mod:`simulation.model.scenario_files`) can validate a file and the documentation can list
them. The vocabulary follows exploratory modelling: the *scenario* (team and environment)
is kept apart from the *strategy* (the leader's policy) and the *replication* (the seed).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

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
"""The five root causes of a performance gap, in the order used by every gap array."""


def spec(doc: str, low: float | None = None, high: float | None = None, **extra: Any) -> Any:
    """Field metadata: a one-line meaning and the closed range a value must lie in."""
    return {"doc": doc, "low": low, "high": high, **extra}


def described(default: Any, doc: str, low: float | None = None, high: float | None = None,
              **extra: Any) -> Any:
    """A dataclass field with a default, its meaning and its allowed range."""
    return field(default=default, metadata=spec(doc, low, high, **extra))


@dataclass(frozen=True)
class Parameters:
    """The model's constants: one default set, shipped with the package.

    Rates are per week. Every field can be overridden in a scenario's ``[parameters]``
    table, which is how sensitivity analyses and calibrations vary them.
    """

    # --- performance production -------------------------------------------------------
    follow_through_floor: float = described(
        0.67, "share of planned work completed by a member with no accountability", 0, 1)
    direction_floor: float = described(
        0.62, "share of output kept when direction and role are completely unclear", 0, 1)
    barrier_weight: float = described(
        0.5, "share of output lost to a full load of obstacles", 0, 1)
    exhaustion_weight: float = described(
        0.5, "share of output lost by a fully exhausted member", 0, 1)
    pressure_effort: float = described(
        0.35, "extra effort drawn out by full pressure from a rested member", 0, 2)
    collaboration_weight: float = described(
        0.3, "extra team output from collaboration at full psychological safety", 0, 2)
    training_member_hours: float = described(
        3.0, "hours a member spends in training for each hour the leader puts into it", 0, 20)
    work_week_hours: float = described(40.0, "a member's working hours in a week", 10, 80)

    # --- interventions: weekly effect at full dose, lag, saturation -----------------------
    clarify_rate: float = described(0.4, "share of a role-clarity gap closed per week", 0, 1)
    clarify_direction_rate: float = described(
        0.15, "share of the team's direction gap closed per week of clarification", 0, 1)
    clarify_lag: float = described(1.0, "weeks before clarification takes full effect", 1, 52)
    clarify_saturation: float = described(1.0, "hours per member for 63% of full effect", 0.05, 40)
    train_rate: float = described(0.038, "share of a capability gap closed per week", 0, 1)
    train_lag: float = described(3.0, "weeks before training takes full effect", 1, 52)
    train_saturation: float = described(2.0, "hours per member for 63% of full effect", 0.05, 40)
    coach_capability_rate: float = described(
        0.025, "share of a capability gap closed per week of coaching", 0, 1)
    coach_motivation_rate: float = described(
        0.03, "share of a motivation gap closed per week of coaching", 0, 1)
    coach_accountability_rate: float = described(
        0.03, "share of an accountability gap closed per week of coaching", 0, 1)
    coach_lag: float = described(2.0, "weeks before coaching takes full effect", 1, 52)
    coach_saturation: float = described(1.0, "hours per member for 63% of full effect", 0.05, 40)
    recognise_rate: float = described(0.03, "share of a motivation gap closed per week", 0, 1)
    recognise_trust_rate: float = described(
        0.01, "share of a trust gap closed per week of recognition", 0, 1)
    recognise_lag: float = described(1.0, "weeks before recognition takes full effect", 1, 52)
    recognise_saturation: float = described(
        0.5, "hours per member for 63% of full effect", 0.05, 40)
    remove_obstacles_rate: float = described(
        0.15, "share of a member's perceived obstacles removed per week", 0, 1)
    remove_barriers_rate: float = described(
        0.06, "share of the environment's barriers removed per week at full team dose", 0, 1)
    remove_obstacles_lag: float = described(2.0, "weeks before obstacle removal acts", 1, 52)
    remove_obstacles_saturation: float = described(
        1.5, "hours per member for 63% of full effect", 0.05, 40)
    monitor_scrutiny_rate: float = described(
        0.5, "share of the scrutiny gap opened per week of monitoring", 0, 1)
    monitor_accountability_rate: float = described(
        0.003, "share of an accountability gap closed per week by feedback and consequences",
        0, 1)
    feedback_motivation_rate: float = described(
        0.03, "motivation moved per week by feedback, per unit of trust above the threshold",
        0, 1)
    feedback_trust_threshold: float = described(
        0.45, "trust below which feedback lowers motivation (Kluger & DeNisi 1996)", 0, 1)
    feedback_trust_rate: float = described(
        0.02, "trust moved per week by feedback, per unit of trust above the threshold", 0, 1)
    monitor_lag: float = described(1.0, "weeks before monitoring takes full effect", 1, 52)
    monitor_saturation: float = described(0.5, "hours per member for 63% of full effect", 0.05,
                                          40)
    build_systems_rate: float = described(
        0.06, "share of the systems gap closed per week at full team dose", 0, 1)
    build_systems_lag: float = described(4.0, "weeks before system building acts", 1, 52)
    build_systems_saturation: float = described(
        3.0, "team hours per week for 63% of full effect", 0.05, 60)
    empower_motivation_rate: float = described(
        0.06, "share of a capable member's motivation gap closed per week", 0, 1)
    empower_trust_rate: float = described(
        0.01, "share of a trust gap closed per week of empowerment", 0, 1)
    empower_lag: float = described(2.0, "weeks before empowerment takes full effect", 1, 52)
    empower_saturation: float = described(0.5, "hours per member for 63% of full effect", 0.05,
                                          40)
    micromanage_accountability_rate: float = described(
        0.1, "share of an accountability gap closed per week of micromanagement", 0, 1)
    micromanage_motivation_loss: float = described(
        0.012, "share of motivation lost per week by a fully experienced, capable member", 0, 1)
    micromanage_trust_loss: float = described(
        0.015, "share of trust lost per week by a fully experienced, capable member", 0, 1)
    micromanage_safety_loss: float = described(
        0.02, "share of psychological safety lost per week at full team dose", 0, 1)
    micromanage_novice_sting: float = described(
        0.25, "share of micromanagement's full harm that a novice with no capability feels",
        0, 1)
    micromanage_full_sting_seasoning: float = described(
        0.5, "experience x capability at which micromanagement harms fully", 0.01, 1)
    micromanage_lag: float = described(1.0, "weeks before micromanagement acts", 1, 52)
    micromanage_saturation: float = described(
        0.5, "hours per member for 63% of full effect", 0.05, 40)

    # --- trust ---------------------------------------------------------------------------
    meeting_saturation: float = described(
        0.5, "1:1 hours at which a meeting counts 63% as a commitment (kept or broken)",
        0.05, 10)
    trust_gain: float = described(
        0.005, "share of the trust gap closed by one kept 1:1 commitment", 0, 1)
    trust_breach_loss: float = described(
        0.2, "share of trust lost in one breach (a cancelled 1:1)", 0, 1)
    trust_drift: float = described(
        0.002, "weekly relaxation of trust toward neutral without contact", 0, 1)
    trust_neutral: float = described(0.5, "the trust level a stranger starts from", 0, 1)
    safety_rate: float = described(
        0.02, "weekly approach of psychological safety to the team's mean trust", 0, 1)

    # --- drift, decay and embedding (regression when attention is withdrawn) ------------
    motivation_drift: float = described(
        0.06, "weekly relaxation of motivation toward its anchor (unembedded)", 0, 1)
    accountability_drift: float = described(
        0.1, "weekly relaxation of accountability toward its anchor (unembedded)", 0, 1)
    clarity_drift: float = described(
        0.03, "weekly relaxation of role clarity toward its anchor (unembedded)", 0, 1)
    capability_decay: float = described(
        0.008, "weekly decay of unembedded capability toward its anchor (Arthur et al. 1998)",
        0, 1)
    direction_drift: float = described(
        0.02, "weekly relaxation of the team's direction toward the environment's level", 0, 1)
    scrutiny_decay: float = described(
        0.35, "weekly loss of scrutiny when monitoring stops (Hawthorne effect fades)", 0, 1)
    systems_scrutiny: float = described(
        0.5, "scrutiny held up by fully built monitoring systems without the leader", 0, 1)
    scrutiny_weight: float = described(
        0.6, "share of the accountability gap that full scrutiny covers", 0, 1)
    embed_rate: float = described(
        0.05, "weekly rate at which a fully formed habit moves an anchor to the current level",
        0, 1)
    habit_rate: float = described(
        0.07, "weekly approach of habit strength to the team's systems (Lally et al. 2010)",
        0, 1)
    systems_decay: float = described(0.004, "weekly erosion of built systems", 0, 1)
    barrier_growth: float = described(
        0.02, "weekly drift of barriers back toward the environment's level", 0, 1)
    obstacle_perception_rate: float = described(
        0.1, "weekly approach of a member's perceived obstacles to the environment's", 0, 1)

    # --- learning ---------------------------------------------------------------------------
    on_the_job_learning: float = described(
        0.02, "share of a novice's capability gap closed per week by doing the job", 0, 1)
    experience_half_weeks: float = described(
        104.0, "tenure in weeks at which a member counts as half experienced", 1, 1000)

    # --- motivation: progress, pressure, exhaustion -------------------------------------------
    progress_gain: float = described(
        1.0, "motivation gained per unit of visible progress (Amabile & Kramer 2011)", 0, 10)
    output_memory: float = described(
        0.25, "weekly weight of the newest week in a member's sense of recent output", 0, 1)
    exhaustion_threshold: float = described(
        0.55, "load above which exhaustion builds (job demands-resources)", 0, 1)
    exhaustion_gain: float = described(
        0.08, "weekly build-up of exhaustion per unit of load above the threshold", 0, 1)
    exhaustion_recovery: float = described(
        0.08, "weekly recovery from exhaustion per unit of spare capacity", 0, 1)
    exhaustion_motivation_loss: float = described(
        0.04, "weekly share of motivation lost by a fully exhausted member", 0, 1)
    crisis_pressure: float = described(
        0.25, "extra pressure on the team during a crisis", 0, 1)

    # --- turnover --------------------------------------------------------------------------
    turnover_motivation_weight: float = described(
        4.0, "log-hazard of leaving per unit of motivation below the reference", 0, 20)
    turnover_trust_weight: float = described(
        3.0, "log-hazard of leaving per unit of trust below the reference", 0, 20)
    turnover_exhaustion_weight: float = described(
        2.5, "log-hazard of leaving per unit of exhaustion", 0, 20)
    turnover_reference_motivation: float = described(
        0.6, "motivation at which the hazard of leaving is the base rate", 0, 1)
    turnover_reference_trust: float = described(
        0.5, "trust at which the hazard of leaving is the base rate", 0, 1)
    new_hire_motivation: float = described(0.7, "motivation of a new hire (honeymoon)", 0, 1)
    new_hire_accountability: float = described(0.5, "accountability of a new hire", 0, 1)
    new_hire_role_clarity: float = described(0.3, "role clarity of a new hire", 0, 1)
    new_hire_capability_sd: float = described(
        0.05, "spread of new hires' starting capability", 0, 0.5)

    # --- diagnosis ----------------------------------------------------------------------------
    observation_noise: float = described(
        0.3, "standard deviation of a leader's reading of a state at zero accuracy", 0, 1)


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


@dataclass(frozen=True)
class AttentionChange:
    """A stretch of quarters in which the leader's hours are scaled (e.g. a reassignment)."""

    from_quarter: int = described(1, "first quarter of the stretch (1-based)", 1, 200)
    to_quarter: int = described(
        0, "last quarter of the stretch, inclusive; 0 means to the end of the run", 0, 200)
    level: float = described(1.0, "share of the normal hours the leader gives the team", 0, 1)


@dataclass(frozen=True)
class LeaderConfig:
    """The leader: attention, diagnosis and policy (the strategy)."""

    strategy: str = described("diagnose_and_match", "name of the leader's strategy",
                              max_length=MAX_NAME,
                              kind="strategy")
    attention_hours: float = described(
        8.0, "hours a week the leader can give the team", 0, 60)
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
    deputy_share: float = described(
        0.0, "share of withdrawn hours a deputy carries on", 0, 1)
    withdrawn_from_quarter: int = described(
        0, "quarter in which the leader is reassigned; 0 means never", 0, 200)
    withdrawn_quarters: int = described(
        4, "quarters the reassignment lasts; 0 means to the end of the run", 0, 200)
    withdrawn_level: float = described(
        0.1, "share of the normal hours the leader gives the team while reassigned", 0, 1)
    attention: tuple[AttentionChange, ...] = described(
        (), "stretches of quarters with scaled attention (applied after a reassignment)")


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
    parameters: Parameters = field(
        default_factory=Parameters, metadata=spec("overrides of the model's constants"))

    @property
    def weeks(self) -> int:
        """Weekly steps in the run."""
        return self.quarters * WEEKS_PER_QUARTER


def field_docs(cls: type) -> dict[str, dict[str, Any]]:
    """Meaning and range of every field of a configuration class, for docs and errors."""
    return {f.name: dict(f.metadata) for f in fields(cls)}
