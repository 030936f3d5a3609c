"""What-if comparisons for workshops: configuration A against configuration B.

A trainer picks a preset (a shipped scenario), moves a few levers for A and for B, and sees
both teams' quarterly output and core states with interval bands, and the difference in
words ("B ends 18% higher than A in team output in quarter 12 (95% interval 12% to 24%)").
This module is the engine behind the browser page (:mod:`simulation.workshop`): levers are
validated like scenario keys (a value out of range is refused with a message naming the
lever), and both configurations run on the batched engine under common random numbers, so
30 replications of 12 quarters take well under a second.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import pandas as pd

from simulation.engines.batch import run_batch
from simulation.experiments.stats import paired_comparisons, summarise
from simulation.model import strategies
from simulation.model.config import DEFAULT_SEED, ScenarioConfig
from simulation.model.scenario_files import (
    ConfigError,
    load_scenario,
    shipped_scenarios,
    shown,
    with_overrides,
)
from simulation.workshop.sentence import OUTCOME, PER_MEMBER, difference_sentence


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

STRUCTURES: dict[str, str] = {
    "complete": "everyone works with everyone",
    "subgroups": "silos: strong ties within each subgroup, weak bridges between them",
    "hub_and_spoke": "one member (the first slot) at the centre, weak ties between the others",
}
"""The structures the page offers, with what each means (a preset that lists its ties,
``network.structure = "explicit"``, keeps its own as a fourth choice)."""

_LEVERS: tuple[Lever, ...] = (
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
)

LEVERS: dict[str, Lever] = {lever.name: lever for lever in _LEVERS}
"""The workshop's numeric levers, by name, in the page's order."""

LEVER_KEYS: dict[str, str] = {STRATEGY: "leader.strategy", STRUCTURE: "network.structure",
                              CADENCE: "leader.feedback_cadence",
                              **{lever.name: lever.key for lever in _LEVERS}}
"""Every lever (the three choices first) and the scenario key it sets."""


MEASURES: tuple[str, ...] = ("team_output", "capability_mean", "motivation_mean",
                             "trust_mean", "accountability_mean")
"""What the comparison shows: output and the four core states."""

LABELS = ("A", "B")


def levers_of(config: ScenarioConfig) -> dict[str, Any]:
    """Every lever's value in a configuration."""
    values: dict[str, Any] = {}
    for name, key in LEVER_KEYS.items():
        section, field_name = key.split(".")
        values[name] = getattr(getattr(config, section), field_name)
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


def too_few_for_subgroups(base: ScenarioConfig, levers: Mapping[str, Any]) -> str:
    """Why a team cannot be split into the preset's subgroups, in words that follow either
    lever's name ("Team size ...", "Network structure ...")."""
    size = levers.get("team_size", base.team.size)
    count = base.network.subgroups
    return (f"would split {size} member{'s' if size != 1 else ''} into {count} subgroups "
            f"(subgroups need a team of at least {count})")


@dataclass(frozen=True)
class Preset:
    """A shipped scenario as a starting point for a workshop, with its story."""

    name: str
    title: str
    story: str
    config: ScenarioConfig


@lru_cache(maxsize=1)
def presets() -> dict[str, Preset]:
    """Every shipped scenario, by name."""
    found = {}
    for name in shipped_scenarios():
        config = load_scenario(name, strategy_exists=strategies.REGISTRY.__contains__)
        story = " ".join(config.description.split())
        found[name] = Preset(name, config.title or name, story, config)
    return found


def preset_levers(preset: Preset) -> dict[str, dict[str, Any]]:
    """Both configurations' levers back at the preset's (choosing a preset, or the page's
    reset)."""
    return {label: levers_of(preset.config) for label in LABELS}


def copy_a_to_b(levers: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Both configurations' levers with B set to A's (A is left as it is)."""
    return {"A": dict(levers["A"]), "B": dict(levers["A"])}


@dataclass(frozen=True)
class WhatIf:
    """Configuration A against configuration B."""

    a: ScenarioConfig
    b: ScenarioConfig
    runs: pd.DataFrame
    """Both configurations' quarterly rows, labelled "A" and "B"."""
    difference: pd.Series
    """B against A on the outcome at the quarter spoken of, paired: difference, interval,
    relative difference and its interval."""
    seed: int = DEFAULT_SEED
    outcome: str = OUTCOME
    """What the sentence compares: team output, or output per member when the team sizes
    differ."""

    @property
    def quarter(self) -> int:
        """The quarter the sentence speaks of (by default the last both reach)."""
        return int(self.difference["quarter"])

    @property
    def replications(self) -> int:
        """Replications of each configuration."""
        return int(self.runs["replication"].nunique())

    @property
    def sentence(self) -> str:
        """The difference in words, for the room."""
        if self.a == self.b:
            return ("A and B are the same configuration: move a lever of B (or of A) to "
                    "compare.")
        return difference_sentence(self.difference, self.quarter, self.outcome)

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Per configuration and quarter: the mean of each measure and its 95% interval."""
        return summarise(self.runs, MEASURES, by=("label", "quarter"))

    def table(self) -> pd.DataFrame:
        """The comparison's numbers, tidy: for A, for B and for B minus A (paired,
        replication by replication), every measure in every quarter with its 95% interval."""
        rows = []
        for _, row in self.summary.iterrows():
            for measure in MEASURES:
                rows.append({"configuration": row["label"], "quarter": int(row["quarter"]),
                             "measure": measure, "mean": row[measure],
                             "low": row[f"{measure}_low"], "high": row[f"{measure}_high"],
                             "replications": int(row["runs"])})
        quarters = sorted(self.runs["quarter"].unique())
        paired = paired_comparisons(self.runs, MEASURES, quarters, reference="A")
        for _, row in paired.iterrows():
            rows.append({"configuration": "B-A", "quarter": int(row["quarter"]),
                         "measure": row["outcome"], "mean": row["difference"],
                         "low": row["low"], "high": row["high"],
                         "replications": int(row["runs"])})
        table = pd.DataFrame(rows)
        order = {measure: index for index, measure in enumerate(MEASURES)}
        return table.sort_values(["configuration", "measure", "quarter"],
                                 key=lambda column: column.map(order)
                                 if column.name == "measure" else column,
                                 kind="stable").reset_index(drop=True)

    def settings(self) -> dict[str, Any]:
        """What produced the numbers: the preset, the seed, and every lever of A and of B
        (``A_strategy``, ..., ``B_crisis_rate``; an optional lever left unset is empty)."""
        levers = {f"{label}_{name}": value for label, config in zip(LABELS, (self.a, self.b),
                                                                    strict=True)
                  for name, value in levers_of(config).items()}
        return {"preset": self.a.name, "seed": self.seed, **levers}

    def to_csv(self) -> str:
        """:meth:`table` as CSV text, for a spreadsheet or a slide, with the settings
        (:meth:`settings`) as constant columns after the numbers."""
        return self.table().assign(**self.settings()).to_csv(index=False,
                                                             float_format="%.6g")

    def file_name(self, extension: str) -> str:
        """A download's name: the preset and a short digest of the settings and the
        replications, so two different comparisons never share a name."""
        settings = json.dumps({**self.settings(), "replications": self.replications,
                               "quarter": self.quarter}, sort_keys=True, default=str)
        digest = hashlib.sha1(settings.encode()).hexdigest()[:8]
        return f"teamsim_whatif_{self.a.name}_{digest}.{extension}"


def compare(a: ScenarioConfig, b: ScenarioConfig, replications: int = 30,
            seed: int = DEFAULT_SEED, quarter: int | None = None) -> WhatIf:
    """Run both configurations (replication k of each meets the same random numbers) and
    compare them at ``quarter`` (by default, or past it, the last quarter both reach) on
    team output, or on output per member when their team sizes differ."""
    quarters = min(a.quarters, b.quarters)
    spoken = quarters if quarter is None else max(1, min(quarter, quarters))
    frames = [quarterly_runs(config, seed, replications).assign(label=name)
              for name, config in zip(LABELS, (a, b), strict=True)]
    runs = pd.concat(frames, ignore_index=True)
    runs = runs[runs.quarter <= quarters].reset_index(drop=True)
    outcome = OUTCOME if a.team.size == b.team.size else PER_MEMBER
    difference = paired_comparisons(runs, [outcome], [spoken], reference="A").iloc[0]
    return WhatIf(a, b, runs, difference, seed, outcome)


@lru_cache(maxsize=32)
def quarterly_runs(config: ScenarioConfig, seed: int, replications: int) -> pd.DataFrame:
    """A configuration's quarterly rows over its replications. Kept for the next call: on
    the page, moving one of B's levers leaves A as it was, so only B runs again. (The runs
    are a pure function of these arguments, so sharing them between sessions is safe, as
    long as no strategy is registered anew under a name already used; do not modify the
    frame.)"""
    return run_batch(config, seed, range(replications)).quarterly_frame()
