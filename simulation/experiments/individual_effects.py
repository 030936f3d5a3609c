"""Effect sizes standardised on individuals, as meta-analyses of workplace interventions
report them, beside the team-level ones a simulation gives most readily.

Field studies mostly measure people: a training study's d is the difference in trainees'
means over the spread *between people*. A team-level d (team means compared across teams)
divides the same difference by the spread of team means, which is smaller, the more so the
less of the people's spread lies between teams: with ``n`` members and an intraclass
correlation ``icc``, ``d_team ~= d_individual / sqrt(icc + (1 - icc) / n)``. Comparing a
model's team-level d with an individual-level meta-analytic d overstates it; this module
gives both, with the intraclass correlation that links them.

    sizes = effect_sizes({"leader__strategy": "coach"}, {"leader__strategy": "hands_off"},
                         measure="capability", quarter=4, replications=100)
    sizes.individual_d, sizes.team_d, sizes.icc
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from simulation.engines.batch import run_batch
from simulation.experiments.simulate import scenario_with
from simulation.experiments.stats import cohens_d
from simulation.model.config import WEEKS_PER_QUARTER, ScenarioConfig
from simulation.model.metrics import REPORTED_MEMBER_STATES
from simulation.model.scenario_files import ConfigError
from simulation.model.strategies import REGISTRY, StrategyRegistry

MEASURES: tuple[str, ...] = ("output", *REPORTED_MEMBER_STATES)
"""What can be compared per member: their mean weekly output over the quarter, or a state
at its end."""


@dataclass(frozen=True)
class EffectSizes:
    """One comparison's effect sizes on one member measure at one quarter."""

    measure: str
    quarter: int
    individual_d: float
    """Cohen's d with people as the units: the difference in members' means over the
    pooled sd of members (the meta-analyses' d)."""
    team_d: float
    """Cohen's d with teams as the units: the difference in team means over the pooled sd
    of team means."""
    icc: float
    """ICC(1) of the measure among the control teams' members: the share of the
    individual variance that lies between teams."""
    teams: int
    """Teams per group."""
    individuals: tuple[int, int]
    """Members measured in the control and the treated group."""


def member_values(config: ScenarioConfig, measure: str, quarter: int, replications: int,
                  seed: int, registry: StrategyRegistry = REGISTRY
                  ) -> tuple[np.ndarray, np.ndarray]:
    """Every member's value of ``measure`` at ``quarter`` in ``replications`` runs, as
    ``(runs, members)`` values and a mask of the filled slots."""
    if measure not in MEASURES:
        raise ConfigError("effect_sizes", "measure",
                          f"must be one of {', '.join(MEASURES)}, not {measure!r}")
    if not 1 <= quarter <= config.quarters:
        raise ConfigError("effect_sizes", "quarter",
                          f"must be from 1 to the scenario's {config.quarters}, not {quarter}")
    weekly = measure == "output"  # a member's output over the quarter needs every week
    record = run_batch(config, seed, range(replications), registry,
                       member_detail=weekly).record
    end = quarter * WEEKS_PER_QUARTER - 1 if weekly else quarter - 1  # the quarter's end
    active = record.active[end] > 0
    if weekly:
        weeks = slice((quarter - 1) * WEEKS_PER_QUARTER, quarter * WEEKS_PER_QUARTER)
        return record.member_output[weeks].mean(axis=0), active
    return record.member_states[measure][end], active


def icc1(values: np.ndarray, active: np.ndarray) -> float:
    """ICC(1) from a one-way ANOVA of members within teams (teams of unequal size use
    the usual adjusted mean size)."""
    groups = [row[mask] for row, mask in zip(values, active, strict=True) if mask.sum() > 1]
    sizes = np.array([len(group) for group in groups], dtype=float)
    everyone = np.concatenate(groups)
    grand = everyone.mean()
    between = sum(len(g) * (g.mean() - grand) ** 2 for g in groups) / (len(groups) - 1)
    within = sum(((g - g.mean()) ** 2).sum() for g in groups) / (sizes.sum() - len(groups))
    n0 = (sizes.sum() - (sizes ** 2).sum() / sizes.sum()) / (len(groups) - 1)
    return float((between - within) / (between + (n0 - 1) * within))


def effect_sizes(treatment: Mapping[str, Any], control: Mapping[str, Any] | None = None,
                 scenario: ScenarioConfig | str | Path = "baseline", *,
                 measure: str = "output", quarter: int = 4, replications: int = 100,
                 seed: int | None = None, registry: StrategyRegistry = REGISTRY
                 ) -> EffectSizes:
    """The effect of ``treatment`` (scenario keys, spelled as :func:`simulate` takes them)
    against ``control`` (the scenario as it is, if None) on a member measure: Cohen's d
    on individuals and on teams, and the ICC that links them. Both groups run
    replications ``0 .. replications - 1`` of the same seed (the scenario's if None);
    ``registry`` is where the leaders' strategies are looked up (your own among them)."""
    treated = scenario_with(scenario, treatment, "effect_sizes: treatment")
    untreated = scenario_with(scenario, control or {}, "effect_sizes: control")
    base = treated.seed if seed is None else int(seed)
    if replications < 3:
        raise ConfigError("effect_sizes", "replications", "must be at least 3")
    a, a_active = member_values(untreated, measure, quarter, replications, base, registry)
    b, b_active = member_values(treated, measure, quarter, replications, base, registry)
    team_a = np.array([row[mask].mean() for row, mask in zip(a, a_active, strict=True)
                       if mask.any()])
    team_b = np.array([row[mask].mean() for row, mask in zip(b, b_active, strict=True)
                       if mask.any()])
    return EffectSizes(measure, quarter, individual_d=cohens_d(a[a_active], b[b_active]),
                       team_d=cohens_d(team_a, team_b), icc=icc1(a, a_active),
                       teams=replications,
                       individuals=(int(a_active.sum()), int(b_active.sum())))
