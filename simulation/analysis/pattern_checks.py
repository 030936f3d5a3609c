"""How a published pattern becomes an executable check: bands, criteria, estimates with
their 95% intervals, the runs a check makes, and running a check.

A :class:`Pattern` states what it measures and the band each figure must lie in (its
:class:`Criterion` list, from which its prose is written); its measure function sets up
the runs and returns one :class:`Estimate` per criterion. A measurement passes only when
its whole interval lies inside the band. The patterns themselves are in
:mod:`simulation.analysis.patterns`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulation.engines.mesa_model import TeamModel
from simulation.experiments.stats import mean_interval
from simulation.model.config import DEFAULT_SEED, Parameters, ScenarioConfig
from simulation.model.scenario_files import with_overrides


@dataclass(frozen=True)
class Band:
    """An allowed range; open ends are None. A measurement passes when its whole 95%
    interval lies inside."""

    low: float | None = None
    high: float | None = None

    def contains(self, low: float, high: float) -> bool:
        """Whether the interval [low, high] lies inside the band."""
        return ((self.low is None or low >= self.low)
                and (self.high is None or high <= self.high))

    def __str__(self) -> str:
        if self.low is not None and self.high is not None:
            return f"{self.low:.3g} to {self.high:.3g}"
        if self.low is not None:
            return f"at least {self.low:.3g}"
        return f"at most {self.high:.3g}"


@dataclass(frozen=True)
class Criterion:
    """One figure a pattern measures and the band it must lie in."""

    measures: str
    band: Band

    def __str__(self) -> str:
        return f"{self.measures}: {self.band}"


def criteria(*pairs: tuple[str, Band]) -> tuple[Criterion, ...]:
    """A pattern's criteria from (what it measures, its band) pairs, in order."""
    return tuple(Criterion(measures, band) for measures, band in pairs)


@dataclass(frozen=True)
class Estimate:
    """A measured figure with its 95% interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True)
class Measurement:
    """One measured figure of a pattern, with its 95% interval and band."""

    name: str
    value: float
    low: float
    high: float
    band: Band

    @property
    def in_band(self) -> bool:
        """Whether the whole interval lies inside the band."""
        return bool(np.isfinite(self.value)) and self.band.contains(self.low, self.high)


@dataclass(frozen=True)
class Runs:
    """The replications of one setting: per replication its quarterly and weekly tables."""

    quarterly: list[pd.DataFrame]
    weekly: list[pd.DataFrame]
    models: list[TeamModel] = field(repr=False)

    def quarter(self, outcome: str, quarter: int) -> np.ndarray:
        """An outcome at a quarter, one value per replication."""
        return np.array([frame.loc[frame.quarter == quarter, outcome].iloc[0]
                         for frame in self.quarterly])

    def week(self, outcome: str, weeks: Sequence[int]) -> np.ndarray:
        """An outcome averaged over some (1-based) weeks, one value per replication."""
        return np.array([frame.loc[frame.week.isin(weeks), outcome].mean()
                         for frame in self.weekly])


@dataclass
class Context:
    """What a pattern check needs: replications, seed and the parameters under test. It
    keeps the runs of every labelled setting, for the figures of the evidence page."""

    replications: int
    seed: int
    parameters: Parameters = field(default_factory=Parameters)
    runs: dict[str, Runs] = field(default_factory=dict)

    def config(self, **overrides: Any) -> ScenarioConfig:
        """The default setting (a team of 8, 12 quarters, the default leader, the given
        parameters) with dotted-key overrides."""
        base = ScenarioConfig(name="pattern", parameters=self.parameters)
        return with_overrides(base, {key.replace("__", "."): value
                                     for key, value in overrides.items()}, "pattern")

    def run(self, config: ScenarioConfig, keep_models: bool = False, label: str = "") -> Runs:
        """Every replication of a setting (replication k shares its random numbers with
        replication k of every other setting of the pattern); kept under ``label``."""
        quarterly, weekly, models = [], [], []
        for replication in range(self.replications):
            model = TeamModel(config, seed=self.seed, replication=replication,
                              data_collection=False).run()
            quarterly.append(model.quarterly_frame())
            weekly.append(model.weekly_frame())
            if keep_models:
                models.append(model)
            model.release()
        runs = Runs(quarterly, weekly, models)
        if label:
            self.runs[label] = runs
        return runs


def interval(values: np.ndarray) -> Estimate:
    """The mean of per-replication values with its t-interval."""
    mean, low, high = mean_interval(values)
    return Estimate(mean, low, high)


def ratio_of_means(numerator: np.ndarray, denominator: np.ndarray, seed: int,
                   resamples: int = 4000) -> Estimate:
    """A ratio of two paired means with a percentile bootstrap interval (replications
    resampled in pairs, so common random numbers stay paired)."""
    rng = np.random.default_rng(seed)
    count = len(numerator)
    picks = rng.integers(0, count, size=(resamples, count))
    ratios = numerator[picks].mean(axis=1) / denominator[picks].mean(axis=1)
    low, high = np.percentile(ratios, [2.5, 97.5])
    return Estimate(float(numerator.mean() / denominator.mean()), float(low), float(high))


@dataclass(frozen=True)
class Pattern:
    """A published pattern as a named, executable check."""

    id: str
    title: str
    criteria: tuple[Criterion, ...]
    """What the check measures and each figure's band, in the order the measure function
    returns its estimates."""
    source: str
    measure: Callable[[Context], list[Estimate]]
    mechanisms: tuple[str, ...]
    """Parameters the pattern rests on (changing them far from default should break it)."""
    cheap: bool = True
    replication_factor: int = 1
    """Replications this pattern needs relative to the others: a ratio of two small
    differences needs more for its interval to be as narrow."""
    figure: tuple[str, ...] = ()
    """Outcomes worth a picture on the evidence page (weekly when the name ends in
    ``@week``), drawn from the runs the check kept."""

    @property
    def band(self) -> str:
        """The pattern's bands in words, written from its criteria."""
        return "; ".join(str(criterion) for criterion in self.criteria)


@dataclass(frozen=True)
class PatternResult:
    """A pattern's measurements under one set of parameters."""

    pattern: Pattern
    measurements: list[Measurement]
    replications: int
    seconds: float
    runs: dict[str, Runs] = field(default_factory=dict, repr=False)

    @property
    def passed(self) -> bool:
        """Whether every measurement lies inside its band."""
        return all(m.in_band for m in self.measurements)


def check(pattern: Pattern, replications: int = 30, seed: int = DEFAULT_SEED,
          parameters: Parameters | None = None) -> PatternResult:
    """Run one pattern's check."""
    started = time.monotonic()
    context = Context(replications * pattern.replication_factor, seed,
                      parameters or Parameters())
    estimates = pattern.measure(context)
    if len(estimates) != len(pattern.criteria):
        raise ValueError(f"{pattern.id} measured {len(estimates)} figures for "
                         f"{len(pattern.criteria)} criteria")
    measurements = [Measurement(criterion.measures, estimate.value, estimate.low,
                                estimate.high, criterion.band)
                    for criterion, estimate in zip(pattern.criteria, estimates, strict=True)]
    return PatternResult(pattern, measurements, context.replications,
                         time.monotonic() - started, context.runs)


def parameters_with(overrides: Mapping[str, float]) -> Parameters:
    """Default parameters with some replaced (validated as a scenario file's would be)."""
    base = ScenarioConfig()
    changed = with_overrides(base, {f"parameters.{k}": v for k, v in overrides.items()},
                             "parameters")
    return changed.parameters
