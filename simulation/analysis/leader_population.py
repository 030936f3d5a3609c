"""A population of leaders who differ on every leadership dimension, and their runs on the
batched engine (for the gap decomposition, :mod:`simulation.analysis.decompose`).

A leader of the population is the model's default leader (``diagnose_and_match``: she
reads each member's five root causes and the team's, and applies the matched remedies in
proportion to how far each gap she sees exceeds what she lets stand) with a profile of
her own, one value per :class:`LeaderDimension`:

* her *strategic clarity* (``leader.strategic_clarity``): how clear the direction she
  herself holds and conveys is, which bounds the direction her team can reach
  (:func:`simulation.model.team_dynamics.direction_step`); P21 reads its share;
* her *standard* on each practice: the observed gap she lets stand before she acts on its
  causes (clarifying direction and roles, development, motivation, obstacles,
  accountability, the team), so that one leader keeps expectations crisp and lets skills
  slide, another the reverse; a stricter standard acts sooner and, on the same gap, weighs
  the remedy more;
* habits that spend a share of her hours whatever she sees: micromanaging everyone,
  handing autonomy to the capable (empowerment, as the ``coach`` strategy does), the
  trust behaviours (care, candour and transparency, as the ``trustworthy`` strategy
  does), building systems (as ``leader.systems_share`` does);
* her feedback cadence: weekly, fortnightly, quarterly or annual reviews;
* the person: her attention hours, her diagnostic accuracy, her diagnostic bias (toward
  the scenario's bias cause, by default motivation, the classic one) and her blame
  disposition.

With every standard at the default leader's (0.2 for member gaps, 0.4 for the team's), no
habits, and the scenario's strategic clarity, hours, accuracy, bias, blame and systems
share, a leader of the population *is* the scenario's diagnose-and-match leader: the same
numbers, run for run (a test checks it). Leaders run together on the batched engine: what
the strategy decides (standards, habits, bias) and the accuracy (through the per-run
constant ``observation_noise``, whose product with ``1 - accuracy`` is the reading error)
vary run by run inside one batch; the strategic clarity, the feedback cadence, the hours
and the blame disposition are configuration, so the population takes them on a lattice of levels and
runs each cell of the lattice as a batch.
Replication k of every leader meets the same team and events (common random numbers).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import qmc

from simulation.analysis.leader_dimensions import DIMENSIONS as DIMENSIONS
from simulation.analysis.leader_dimensions import LeaderDimension as LeaderDimension
from simulation.analysis.leader_dimensions import dimension_names as dimension_names
from simulation.engines.batch import block_runs, run_batch, stack_parameters
from simulation.model import diagnosis, strategies
from simulation.model import interventions as iv
from simulation.model.config import (
    CADENCE_WEEKS,
    ROOT_CAUSES,
    TEAM_CAUSES,
    Parameters,
    ScenarioConfig,
)
from simulation.model.diagnosis import CAUSE, Observation
from simulation.model.equations import last_sum
from simulation.model.scenario_files import with_overrides
from simulation.model.strategies import DIAGNOSIS_THRESHOLD, TEAM_DIAGNOSIS_THRESHOLD

POPULATION_LEADER = "population_leader"
"""The name the population's strategy runs under (in a registry of its own)."""

DESIGN_STREAM = 2**32 - 2
"""Spawn key of the population's design stream (replications use 0, 1, 2, ...)."""


def sample_population(count: int, seed: int,
                      dimensions: Sequence[LeaderDimension] = DIMENSIONS) -> np.ndarray:
    """``count`` leaders, ``(count, dimensions)``: a Latin hypercube (McKay, Beckman &
    Conover 1979) over the dimensions' ranges, from its own stream of ``seed``. A lattice
    dimension's values are the middles of its strata, each taken equally often when
    ``count`` is a multiple of its levels."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DESIGN_STREAM,)))
    unit = qmc.LatinHypercube(len(dimensions), seed=rng).random(count)
    return np.column_stack([dimension.values(unit[:, j])
                            for j, dimension in enumerate(dimensions)])


def default_leader(config: ScenarioConfig,
                   dimensions: Sequence[LeaderDimension] = DIMENSIONS) -> np.ndarray:
    """The profile of the scenario's own leader, ``(dimensions,)``: diagnose and match with
    her hours, accuracy, bias, blame and systems share (every emphasis 1, no other habit)."""
    return np.array([scenario_value(config, d) for d in dimensions])


def scenario_value(config: ScenarioConfig, dimension: LeaderDimension) -> float:
    """The value of a dimension that leaves the scenario's leader as she is."""
    leader = config.leader
    own = {"accuracy": leader.diagnostic_accuracy, "bias": leader.bias_strength,
           "leader.attention_hours": leader.attention_hours, "leader.blame": leader.blame,
           "leader.strategic_clarity": leader.strategic_clarity,
           "leader.feedback_cadence": float(CADENCE_WEEKS[leader.feedback_cadence])}
    if dimension.acts_on == ("build_systems",):
        return leader.systems_share
    return float(own.get(dimension.kind, dimension.default))


TEAM_OFFSET = TEAM_DIAGNOSIS_THRESHOLD - DIAGNOSIS_THRESHOLD
"""A standard on a team cause is the member-scale standard plus this (the default leader
lets team gaps up to 0.4 stand, member gaps up to 0.2)."""


@dataclass(frozen=True)
class Profiles:
    """What the population's strategy reads for each run of a batch: read-only arrays
    with the runs along the first axis."""

    standards: np.ndarray
    """Observed gap let stand per member root cause, ``(runs, 1, len(ROOT_CAUSES))``."""
    team_standards: np.ndarray
    """Observed gap let stand per team cause, ``(runs, len(TEAM_CAUSES))``."""
    habits: np.ndarray
    """Share of her hours per intervention spent by habit, ``(runs, interventions)``."""
    bias: np.ndarray
    """Share of every other gap read as the bias cause, ``(runs, 1, 1)``."""

    @classmethod
    def of(cls, leaders: np.ndarray, dimensions: Sequence[LeaderDimension]) -> Profiles:
        """The profiles of leaders ``(runs, dimensions)``."""
        runs = leaders.shape[0]
        standards = np.full((runs, 1, len(ROOT_CAUSES)), DIAGNOSIS_THRESHOLD)
        team_standards = np.full((runs, len(TEAM_CAUSES)), TEAM_DIAGNOSIS_THRESHOLD)
        habits, bias = np.zeros((runs, iv.COUNT)), np.zeros((runs, 1, 1))
        for j, dimension in enumerate(dimensions):
            if dimension.kind == "standard":
                for cause in dimension.acts_on:
                    if cause in ROOT_CAUSES:
                        standards[:, 0, ROOT_CAUSES.index(cause)] = leaders[:, j]
                    else:
                        team_standards[:, TEAM_CAUSES.index(cause)] = (leaders[:, j]
                                                                       + TEAM_OFFSET)
            elif dimension.kind == "habit":
                for intervention in dimension.acts_on:
                    habits[:, iv.index(intervention)] += leaders[:, j] / len(dimension.acts_on)
            elif dimension.kind == "bias":
                bias[:, 0, 0] = leaders[:, j]
        for array in (standards, team_standards, habits, bias):
            array.flags.writeable = False
        return cls(standards, team_standards, habits, bias)


def population_strategy(profiles: Profiles, bias_cause: str) -> strategies.Strategy:
    """The population's leaders as one vectorised strategy: run ``r`` of the batch is led
    by leader ``r`` of ``profiles``. Her habits take their shares of the hours
    (empowerment for the capable as she sees them; micromanagement, the trust behaviours
    and systems shared over the filled slots, as ``leader.systems_share`` shares systems);
    the rest goes to
    diagnose and match (:func:`simulation.model.strategies.diagnose_and_match`) on what
    she reads through her bias, each cause's remedies weighed by how far its gap exceeds
    her standard for it."""
    cause = CAUSE[bias_cause]
    matched_share = 1.0 - profiles.habits.sum(axis=-1)
    habitual = [int(k) for k in np.flatnonzero(profiles.habits.any(axis=0))]

    def plan(observation: Observation, hours: np.ndarray) -> np.ndarray:
        if observation.active.shape[0] != matched_share.shape[0]:
            raise ValueError("the population's strategy leads exactly its batch's runs")
        seen = dataclasses.replace(observation,
                                   gaps=diagnosis.biased(observation.gaps, cause, profiles.bias))
        excess = np.maximum(seen.gaps - profiles.standards, 0.0)
        weights = excess @ strategies.CAUSE_REMEDIES
        weights *= seen.active[..., None]
        headcount = last_sum(seen.active)
        team = (np.maximum(seen.team_gaps - profiles.team_standards, 0.0)
                * (strategies.TEAM_EMPHASIS * headcount)[..., None])
        weights += strategies.whole_team(team @ strategies.TEAM_CAUSE_REMEDIES, seen)
        doses = strategies.spread(weights, hours * matched_share)
        active = seen.active
        for intervention in habitual:
            weight = seen.capability * active if intervention == iv.EMPOWER else active
            total = last_sum(weight)[:, None]
            spent = (hours * profiles.habits[:, intervention])[:, None]
            doses[..., intervention] += spent * np.divide(
                weight, total, out=np.zeros_like(weight), where=total > 0)
        return doses

    return plan


def run_leaders(config: ScenarioConfig, leaders: np.ndarray, seed: int, replications: int,
                outcome: str = "team_output", quarter: int = 0,
                dimensions: Sequence[LeaderDimension] = DIMENSIONS,
                ran: Callable[[int], None] | None = None) -> np.ndarray:
    """Each leader's outcome at a quarter (0: the last) on replications ``0 ..
    replications - 1`` of ``seed``, ``(leaders, replications)``: replication k of every
    leader meets the same team and events. ``leaders`` holds one column per dimension;
    what the dimensions leave out stays as the scenario's leader has it. ``ran`` hears how
    many runs each batch made, as it ends (for a progress line)."""
    quarter = quarter or config.quarters
    full = complete(config, leaders, dimensions)
    configured = [j for j, d in enumerate(DIMENSIONS) if d.configured]
    values = np.empty((leaders.shape[0], replications))
    for cell in np.unique(full[:, configured], axis=0):
        rows = np.flatnonzero(np.all(full[:, configured] == cell, axis=1))
        cell_config = leader_config(config, {DIMENSIONS[j].kind: configured_value(
            DIMENSIONS[j], float(value)) for j, value in zip(configured, cell, strict=True)})
        per_batch = max(1, block_runs(cell_config) // replications)
        for start in range(0, len(rows), per_batch):
            chosen = rows[start:start + per_batch]
            values[chosen] = _run_cell(cell_config, config.parameters, full[chosen], seed,
                                       replications, outcome, quarter)
            if ran is not None:
                ran(len(chosen) * replications)
    return values


def complete(config: ScenarioConfig, leaders: np.ndarray,
             dimensions: Sequence[LeaderDimension]) -> np.ndarray:
    """Leaders over ``dimensions`` as profiles over every dimension of DIMENSIONS (by
    kind and interventions), the missing ones at the scenario leader's values."""
    full = np.tile(default_leader(config), (leaders.shape[0], 1))
    for j, dimension in enumerate(dimensions):
        matches = [k for k, known in enumerate(DIMENSIONS)
                   if (known.kind, known.acts_on) == (dimension.kind, dimension.acts_on)]
        if not matches:
            raise KeyError(f"dimension {dimension.name!r} is not one of the population's "
                           f"kinds")
        full[:, matches[0]] = leaders[:, j]
    return full


def configured_value(dimension: LeaderDimension, value: float) -> float | str:
    """A configured dimension's value as its scenario key takes it (the feedback cadence
    by name, from its weeks between reviews)."""
    if dimension.kind == "leader.feedback_cadence":
        return next(name for name, weeks in CADENCE_WEEKS.items() if weeks == value)
    return value


def leader_config(config: ScenarioConfig, overrides: dict[str, float | str]
                  ) -> ScenarioConfig:
    """The scenario with the population's strategy in place of its leader's, her reading
    error and bias carried by the strategy and the per-run constants, and the lattice
    cell's leader keys."""
    return with_overrides(config, {
        "leader.strategy": POPULATION_LEADER, "leader.diagnostic_accuracy": 0.0,
        "leader.bias_strength": 0.0, "leader.systems_share": 0.0,
        "leader.systems_until_quarter": 0, **overrides}, "the leader population")


def _run_cell(config: ScenarioConfig, base: Parameters, leaders: np.ndarray, seed: int,
              replications: int, outcome: str, quarter: int) -> np.ndarray:
    """One batch: leaders (full profiles) of one lattice cell, each on every
    replication."""
    runs = np.repeat(leaders, replications, axis=0)
    registry = strategies.StrategyRegistry()
    registry.register(POPULATION_LEADER, population_strategy(
        Profiles.of(runs, DIMENSIONS), config.leader.bias_cause), vectorised=True)
    accuracy = next(j for j, d in enumerate(DIMENSIONS) if d.kind == "accuracy")
    # The model's reading error is observation_noise * (1 - accuracy): with the
    # configured accuracy 0, each run's constant carries its leader's whole error.
    parameters = stack_parameters([
        dataclasses.replace(base, observation_noise=base.observation_noise * (1.0 - float(a)))
        for a in runs[:, accuracy]])
    reps = [k for _ in range(len(leaders)) for k in range(replications)]
    frame = run_batch(config, seed, reps, registry, parameters=parameters).quarterly_frame()
    at = frame[outcome].to_numpy(dtype=float)[quarter - 1::config.quarters]
    return at.reshape(len(leaders), replications)
