"""The workshop's levers: what a trainer can set on the what-if page, the scenario key each
sets and its range, validated like the scenario file's keys (a value out of range is
refused with a message naming the lever). The comparison itself is in
:mod:`simulation.workshop.whatif`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulation.model import strategies
from simulation.model.config import ROOT_CAUSES, ScenarioConfig
from simulation.model.scenario_files import ConfigError, shown, with_overrides


@dataclass(frozen=True)
class Lever:
    """A setting a trainer can move: the scenario key it sets and its range on the page."""

    name: str
    key: str
    """The dotted scenario key the lever sets."""
    label: str
    """What the page calls it."""
    group: str
    """The panel it sits in."""
    low: float = 0
    high: float = 1
    """The lever's range; ``high`` of a quarter lever is the run's last quarter."""
    step: float = 0.05
    whole: bool = False
    """Whole numbers only (team size, quarters)."""
    quarter: bool = False
    """A quarter of the run (its range ends at the run's last quarter)."""
    note: str = ""
    """What the extreme or special values mean."""
    optional: bool = False
    """The key may be left unset (None, "auto" on the page): the model decides."""

    def bounds(self, config: ScenarioConfig) -> tuple[float, float]:
        """The lever's range for a configuration."""
        return self.low, (config.quarters if self.quarter else self.high)


STRATEGY = "strategy"
"""A lever that is a choice rather than a number: the leader's strategy."""

STRUCTURE = "structure"
"""The other lever that is a choice: who works with whom (the network's structure)."""

CADENCE = "feedback_cadence"
"""A third choice: how often the leader gives feedback (weekly 1:1s to an annual review)."""

BIAS_CAUSE = "bias_cause"
"""A fourth choice: the root cause the leader's diagnostic bias favours."""

BIAS_CAUSES: tuple[str, ...] = ROOT_CAUSES
"""The causes the bias can favour (the model's root causes of a member's gap)."""

QUARTERS = "quarters"
"""The run-length lever: quarters simulated (the quarter levers' ranges end there)."""

STRUCTURES: dict[str, str] = {
    "complete": "everyone works with everyone",
    "subgroups": "silos: strong ties within each subgroup, weak bridges between them",
    "hub_and_spoke": "one member (the first slot) at the centre, weak ties between the others",
}
"""The structures the page offers, with what each means (a preset that lists its ties,
``network.structure = "explicit"``, keeps its own as a fourth choice)."""

_LEVERS: tuple[Lever, ...] = (
    Lever(QUARTERS, "quarters", "Run length (quarters)", "Run", 1, 40, 1, whole=True,
          note="13 weeks each; the quarter levers end there"),
    Lever("attention_hours", "leader.attention_hours", "Leader hours per week", "Leader",
          0, 40, 1),
    Lever("diagnostic_accuracy", "leader.diagnostic_accuracy", "Diagnostic accuracy",
          "Leader", note="1 reads every member perfectly"),
    Lever("bias_strength", "leader.bias_strength", "Diagnostic bias", "Leader",
          note="share of every other gap read as the leader's favourite cause"),
    Lever("strategic_clarity", "leader.strategic_clarity", "Strategic clarity", "Leader",
          note="how clear the direction she holds is; the team's gets no clearer"),
    Lever("capacity_hours", "leader.capacity_hours", "Leader's capacity (hours a week)",
          "Leader", 1, 40, 1, note="hours of leading she sustains; more exhaust her"),
    Lever("withdrawn_from_quarter", "leader.withdrawn_from_quarter",
          "Attention withdrawn from quarter", "Withdrawal", 0, 0, 1, whole=True, quarter=True,
          note="0: never"),
    Lever("withdrawn_quarters", "leader.withdrawn_quarters", "Withdrawn for (quarters)",
          "Withdrawal", 0, 0, 1, whole=True, quarter=True, note="0: to the end"),
    Lever("withdrawn_level", "leader.withdrawn_level", "Attention left while withdrawn",
          "Withdrawal", note="share of the normal hours"),
    Lever("deputy_share", "leader.deputy_share", "Deputy carries", "Withdrawal",
          note="share of the withdrawn hours a deputy carries on; auto: the most ready "
               "member, as far as her readiness allows", optional=True),
    Lever("systems_share", "leader.systems_share", "Hours building systems", "Systems",
          note="share of the leader's hours"),
    Lever("systems_until_quarter", "leader.systems_until_quarter", "Systems built until quarter",
          "Systems", 0, 0, 1, whole=True, quarter=True, note="0: throughout"),
    Lever("team_size", "team.size", "Team size", "Team", 1, 30, 1, whole=True),
    Lever("capability", "team.capability", "Starting capability", "Team"),
    Lever("motivation", "team.motivation", "Starting motivation", "Team"),
    Lever("interdependence", "work.interdependence", "Interdependence", "Work",
          note="0: each works alone and output adds up; 1: fully reciprocal"),
    Lever("complexity", "work.complexity", "Task complexity", "Work",
          note="0: simple and routine; 1: novel and complex"),
    Lever("turnover_rate", "environment.turnover_rate", "Turnover (yearly)", "Environment",
          step=0.01, note="yearly chance of leaving for a settled member"),
    Lever("crisis_rate", "environment.crisis_rate", "Crises per quarter", "Environment",
          0, 6, 0.1),
    Lever("pressure", "environment.pressure", "Workload pressure", "Environment",
          note="0 idle, 1 overload"),
)

LEVERS: dict[str, Lever] = {lever.name: lever for lever in _LEVERS}
"""The workshop's numeric levers, by name, in the page's order."""

CHOICES: dict[str, str] = {STRATEGY: "leader.strategy", STRUCTURE: "network.structure",
                           CADENCE: "leader.feedback_cadence", BIAS_CAUSE: "leader.bias_cause"}
"""The levers that are choices from a list, and the scenario key each sets."""

LEVER_KEYS: dict[str, str] = {**CHOICES, **{lever.name: lever.key for lever in _LEVERS}}
"""Every lever (the choices first) and the scenario key it sets."""


MEASURES: tuple[str, ...] = ("team_output", "capability_mean", "motivation_mean",
                             "trust_mean", "accountability_mean")
"""What the comparison shows: output and the four core states."""

LABELS: tuple[str, ...] = ("A", "B", "C", "D")
"""The configurations a comparison can hold, in order; A is the one the others are set
against."""


def levers_of(config: ScenarioConfig) -> dict[str, Any]:
    """Every lever's value in a configuration."""
    values: dict[str, Any] = {}
    for name, key in LEVER_KEYS.items():
        value: Any = config
        for part in key.split("."):  # "quarters" is a key of the scenario itself
            value = getattr(value, part)
        values[name] = value
    return values


def structures_of(config: ScenarioConfig) -> tuple[str, ...]:
    """The structures the structure lever offers for a preset: the page's own, and the
    preset's if it lists its ties."""
    offered = tuple(STRUCTURES)
    own = config.network.structure
    return offered if own in offered else (*offered, own)


def apply_levers(base: ScenarioConfig, levers: Mapping[str, Any]) -> ScenarioConfig:
    """A configuration with the levers set; an unknown lever, an unknown strategy or
    structure, or a value outside the lever's range raises ConfigError naming the lever."""
    overrides: dict[str, Any] = {}
    for name, value in levers.items():
        if name not in LEVER_KEYS:
            raise ConfigError("levers", name,
                              f"unknown lever (known: {', '.join(LEVER_KEYS)})")
        if name == STRATEGY and value not in strategies.REGISTRY:
            raise ConfigError("levers", name, f"unknown strategy {value!r} (known: "
                                              f"{', '.join(strategies.REGISTRY.names())})")
        if name == STRUCTURE:
            known = structures_of(base)
            if not isinstance(value, str) or value not in known:
                raise ConfigError("levers", name, f"unknown structure {shown(value)} "
                                                  f"(known: {', '.join(known)})")
            if value != "explicit" and base.network.ties:
                overrides["network.ties"] = []  # the preset's own ties go with its structure
        overrides[LEVER_KEYS[name]] = value
    try:
        config = with_overrides(base, overrides, "levers")
    except ConfigError as error:
        if error.key == "network.subgroups":  # more silos than members
            name = "team_size" if "team_size" in levers else STRUCTURE
            raise ConfigError("levers", name, too_few_for_subgroups(base, levers)) from None
        name = next((lever for lever, key in LEVER_KEYS.items() if key == error.key), error.key)
        if name not in levers and QUARTERS in levers and "run's last" in error.problem:
            raise ConfigError("levers", QUARTERS, run_too_short(base, levers)) from None
        lever = LEVERS.get(name)
        if lever is not None and lever.quarter:  # past the run's end: say the lever's range
            last = overrides.get("quarters", base.quarters)
            raise ConfigError("levers", name, f"must be from {lever.low:g} to {last:g}, "
                                              f"got {levers[name]}") from None
        raise ConfigError("levers", name, error.problem) from None
    for name, value in levers.items():
        if name in LEVERS and value is not None:  # None: an optional key left unset
            low, high = LEVERS[name].bounds(config)
            if not low <= value <= high:
                raise ConfigError("levers", name, f"must be from {low:g} to {high:g}, "
                                                  f"got {value!r}")
    return config


def shortest_run(base: ScenarioConfig, levers: Mapping[str, Any]) -> tuple[int, str]:
    """The fewest quarters the levers (and the preset's attention stretches) leave room
    for, and what needs them, in words."""
    needs = [(1, "")]
    for name in ("withdrawn_from_quarter", "systems_until_quarter"):
        value = levers.get(name, getattr(base.leader, name))
        needs.append((int(value), f"{LEVERS[name].label} is {value}"))
    for stretch in base.leader.attention:
        end = max(stretch.from_quarter, stretch.to_quarter)
        needs.append((end, f"the preset's attention stretch reaches quarter {end}"))
    return max(needs)


def run_too_short(base: ScenarioConfig, levers: Mapping[str, Any]) -> str:
    """Why a run length is refused: what needs a longer run (the run-length lever's
    message, when it was moved below a quarter the other levers name)."""
    least, reason = shortest_run(base, levers)
    return f"must be at least {least} ({reason}), got {levers[QUARTERS]}"


def too_few_for_subgroups(base: ScenarioConfig, levers: Mapping[str, Any]) -> str:
    """Why a team cannot be split into the preset's subgroups, in words that follow either
    lever's name ("Team size ...", "Network structure ...")."""
    size = levers.get("team_size", base.team.size)
    count = base.network.subgroups
    return (f"would split {size} member{'s' if size != 1 else ''} into {count} subgroups "
            f"(subgroups need a team of at least {count})")


