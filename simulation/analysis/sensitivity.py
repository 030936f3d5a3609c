"""Global sensitivity analysis of an outcome with respect to model parameters: Sobol
indices (scipy) or Morris screening (SALib), the methods of
:mod:`simulation.analysis.sensitivity_methods`, on one evaluation of the model.

At each parameter point the model runs ``replications`` times (replication k with the
same random numbers at every point: common random numbers) on the batched engine, every
run with its own parameters, spread over worker processes; the outcome's mean over
replications is the function value the indices read. A :class:`Study` is such an analysis
as an experiment file sets it, and keeps what is needed to redo it elsewhere: the points,
the outputs at each point and each replication, and a manifest of the exact calls.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulation.analysis.sensitivity_methods import (
    BOOTSTRAP_STREAM,
    CONFIDENCE,
    METHODS,
    Design,
    Method,
    Morris,
    Problem,
    Sobol,
    redo_code,
)
from simulation.engines.batch import run_batch, stack_parameters
from simulation.experiments.experiment_files import ExperimentConfig
from simulation.experiments.publishing import git_revision, package_versions
from simulation.experiments.workload import Workload
from simulation.model.config import Parameters, ScenarioConfig
from simulation.model.randomness import SEEDING
from simulation.model.scenario_files import ConfigError, to_dict, with_overrides

CHUNK_POINTS = 100
"""Parameter points per worker task."""

ProgressCallback = Callable[[int], None]
"""Told, in the calling process, each time a chunk of points is finished, how many points
it held: increments that add up to the number of points."""


@dataclass(frozen=True)
class Indices:
    """The indices of one outcome, one row per parameter."""

    table: pd.DataFrame
    """parameter, then the method's columns (Sobol: first_order, first_low, first_high,
    total_order, total_low, total_high; Morris: mu, mu_star, mu_star_conf, sigma)"""
    evaluations: int


def sobol(func: Callable[[np.ndarray], np.ndarray], names: Sequence[str],
          bounds: Sequence[tuple[float, float]], base_samples: int, seed: int,
          resamples: int = 1000) -> Indices:
    """Sobol indices of ``func`` (``(d, N)`` points in, ``(N,)`` values out) over uniform
    distributions on ``bounds``, with 95% bootstrap intervals."""
    return _indices(Sobol(resamples), func, names, bounds, base_samples, seed)


def morris(func: Callable[[np.ndarray], np.ndarray], names: Sequence[str],
           bounds: Sequence[tuple[float, float]], trajectories: int, seed: int,
           levels: int = 4, resamples: int = 1000) -> Indices:
    """Morris elementary effects of ``func`` (``(d, N)`` points in, ``(N,)`` values out)
    over ``trajectories`` trajectories on a grid of ``levels`` values within ``bounds``."""
    return _indices(Morris(levels, resamples), func, names, bounds, trajectories, seed)


def _indices(method: Method, func: Callable[[np.ndarray], np.ndarray], names: Sequence[str],
             bounds: Sequence[tuple[float, float]], size: int, seed: int) -> Indices:
    problem = Problem(tuple(names), tuple((float(low), float(high)) for low, high in bounds))
    design = method.sample(problem, size, seed)
    values = np.asarray(func(design.points.T), dtype=float)
    return Indices(method.analyze(problem, design, values, seed), len(values))


def outcome_by_replication(config: ScenarioConfig, names: Sequence[str], points: np.ndarray,
                           outcome: str, quarter: int, replications: int, seed: int
                           ) -> np.ndarray:
    """The outcome at each parameter point (``(d, N)`` in) and replication: ``(N, R)``."""
    count = points.shape[1]
    sets = [dataclasses.replace(config.parameters,
                                **{name: float(points[i, j]) for i, name in enumerate(names)})
            for j in range(count)]
    runs = [one for one in sets for _ in range(replications)]
    reps = list(range(replications)) * count
    frame = run_batch(config, seed, reps, parameters=stack_parameters(runs)).quarterly_frame()
    values = frame.loc[frame.quarter == quarter, outcome].to_numpy(dtype=float)
    return values.reshape(count, replications)


def outcome_at_points(config: ScenarioConfig, names: Sequence[str], points: np.ndarray,
                      outcome: str, quarter: int, replications: int, seed: int
                      ) -> np.ndarray:
    """The outcome's mean over replications at each parameter point (``(d, N)`` in)."""
    return outcome_by_replication(config, names, points, outcome, quarter, replications,
                                  seed).mean(axis=1)


def known_parameters(names: Sequence[str]) -> None:
    """Raise a KeyError naming the first of ``names`` that is not a model constant."""
    unknown = [name for name in names if name not in Parameters.__dataclass_fields__]
    if unknown:
        raise KeyError(f"unknown parameter {unknown[0]!r}")


def worker_processes(points: int, workers: int) -> int:
    """The processes that evaluate ``points`` points given ``workers``: one a chunk of
    CHUNK_POINTS at most, and none beside this one for a single chunk."""
    chunks = -(-points // CHUNK_POINTS)
    return 1 if chunks <= 1 else min(workers, chunks)


def model_values(config: ScenarioConfig, names: Sequence[str], points: np.ndarray,
                 outcome: str, quarter: int, replications: int, seed: int, workers: int,
                 progress: ProgressCallback | None = None) -> np.ndarray:
    """:func:`outcome_by_replication` over chunks of points spread over ``workers``
    processes, ``progress`` told of each finished chunk."""
    known_parameters(names)
    tell = progress or (lambda count: None)
    chunks = [points[:, start:start + CHUNK_POINTS]
              for start in range(0, points.shape[1], CHUNK_POINTS)]
    rest = (outcome, quarter, replications, seed)
    processes = worker_processes(points.shape[1], workers)
    if processes == 1:
        parts = []
        for chunk in chunks:
            parts.append(outcome_by_replication(config, names, chunk, *rest))
            tell(chunk.shape[1])
        return np.concatenate(parts) if parts else np.empty((0, replications))
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(processes, mp_context=context) as pool:
        futures = {pool.submit(outcome_by_replication, config, names, chunk, *rest): index
                   for index, chunk in enumerate(chunks)}
        done: dict[int, np.ndarray] = {}
        for future in cf.as_completed(futures):
            index = futures[future]
            done[index] = future.result()
            tell(chunks[index].shape[1])
    return np.concatenate([done[index] for index in range(len(chunks))])


def model_function(config: ScenarioConfig, names: Sequence[str], outcome: str,
                   quarter: int, replications: int, seed: int, workers: int,
                   progress: ProgressCallback | None = None) -> Callable[[np.ndarray], np.ndarray]:
    """The model as a function of parameter points (``(d, N)`` in, the outcome's mean over
    replications ``(N,)`` out), spread over worker processes."""
    known_parameters(names)

    def evaluate(points: np.ndarray) -> np.ndarray:
        return model_values(config, names, points, outcome, quarter, replications, seed,
                            workers, progress).mean(axis=1)

    return evaluate


@dataclass(frozen=True)
class Study:
    """A sensitivity analysis of one outcome of one scenario, as an experiment file sets it
    (:func:`study_of`): the method, what varies, the design's size, where the outcome is
    read and how often each point runs."""

    name: str
    title: str
    source: str
    method: Method
    problem: Problem
    size: int
    """Base samples (Sobol) or trajectories (Morris)."""
    outcome: str
    quarter: int
    replications: int
    seed: int
    config: ScenarioConfig = field(repr=False)

    @property
    def points(self) -> int:
        """The parameter points the design evaluates."""
        return self.method.points(self.problem.num_vars, self.size)

    @property
    def runs(self) -> int:
        """Runs of the model: points x replications."""
        return self.points * self.replications

    @property
    def workload(self) -> Workload:
        """The work of evaluating the design on the batched engine."""
        return Workload(1, self.runs, self.runs * self.config.team.size * self.config.weeks,
                        "batch", self.runs * self.config.quarters)

    def describe(self) -> str:
        """The design's points in words: "1,792 parameter points (256 base samples x
        (5 + 2)) x 10 replications"."""
        d = self.problem.num_vars
        extra = self.method.points(d, 1) - d
        return (f"{self.points:,} parameter points ({self.size:,} {self.method.size_name} x "
                f"({d} + {extra})) x {self.replications} replications")

    def sample(self) -> Design:
        """The points to evaluate."""
        return self.method.sample(self.problem, self.size, self.seed)

    def evaluate(self, design: Design, workers: int,
                 progress: ProgressCallback | None = None) -> np.ndarray:
        """The outcome at each of the design's points and replications, ``(N, R)``."""
        return model_values(self.config, self.problem.names, design.points.T, self.outcome,
                            self.quarter, self.replications, self.seed, workers, progress)

    def analyse(self, design: Design, values: np.ndarray) -> pd.DataFrame:
        """The indices from the values ``(N, R)`` at the design's points (their means over
        replications), one row per parameter."""
        return self.method.analyze(self.problem, design, values.mean(axis=1), self.seed)


def study_of(experiment: ExperimentConfig) -> Study:
    """The sensitivity analysis an experiment asks for: its ``[sample]`` (method "sobol",
    ``size`` base samples, or "morris", ``trajectories`` and ``levels``) over
    ``parameters.*`` bounds, on its one scenario (with its one strategy, if it names one),
    the first of its outcomes at the last of its quarters, ``replications`` runs a point.
    What the analysis would ignore is refused, naming the file and the key."""
    source, sample = experiment.source, experiment.sample
    if sample is None or sample.method not in METHODS:
        raise ConfigError(source, "sample.method" if sample else "sample",
                          "a sensitivity analysis needs a [sample] table with method = "
                          '"sobol" or "morris"')
    for key, _, _ in sample.bounds:
        if not key.startswith("parameters."):
            raise ConfigError(source, f"sample.bounds.{key}",
                              "only parameters.* keys can be analysed (each run of the "
                              "batched engine takes its own model constants)")
    for key, present in (("grid", bool(experiment.grid)),
                         ("precision", experiment.precision is not None),
                         ("scenarios", len(experiment.scenarios) > 1),
                         ("strategies", len(experiment.strategies) > 1)):
        if present:
            raise ConfigError(source, key, "a sensitivity analysis varies only the "
                                           "[sample] bounds, on one scenario with one "
                                           "strategy and a fixed number of replications")
    config = experiment.base_configs[0]
    if not isinstance(config, ScenarioConfig):
        raise ConfigError(source, "scenarios[0]", "a sensitivity analysis takes one team's "
                                                  "scenario, not an organisation file")
    if experiment.strategies:
        config = with_overrides(config, {"leader.strategy": experiment.strategies[0]}, source)
    problem = Problem(tuple(key.split(".", 1)[1] for key, _, _ in sample.bounds),
                      tuple((low, high) for _, low, high in sample.bounds))
    morris_design = sample.method == "morris"
    return Study(
        name=experiment.name, title=experiment.title, source=source,
        method=Morris(levels=sample.levels) if morris_design else Sobol(),
        problem=problem, size=sample.trajectories if morris_design else sample.size,
        outcome=experiment.outcomes[0],
        quarter=max(experiment.quarters) if experiment.quarters else config.quarters,
        replications=experiment.replications, seed=experiment.seed, config=config)


def points_table(study: Study, design: Design) -> pd.DataFrame:
    """One row per point: its index, its place in the design and each parameter's value."""
    values = pd.DataFrame(design.points, columns=list(study.problem.names))
    return pd.concat([pd.DataFrame({"point": np.arange(len(values))}), design.layout,
                      values], axis=1)


def outputs_table(study: Study, values: np.ndarray) -> pd.DataFrame:
    """One row per point: its index, the outcome's mean over replications (the value the
    indices read) and its value in each replication."""
    columns = {"point": np.arange(len(values)), study.outcome: values.mean(axis=1)}
    columns |= {f"replication_{k}": values[:, k] for k in range(values.shape[1])}
    return pd.DataFrame(columns)


def versions() -> dict[str, str]:
    """Versions of Python and the packages an analysis depends on, SALib's included."""
    found = package_versions()
    try:
        found["SALib"] = metadata.version("SALib")
    except metadata.PackageNotFoundError:
        found["SALib"] = "not installed"
    return found


def study_manifest(study: Study, workers: int, seconds: float) -> dict[str, Any]:
    """What a reader needs to redo the analysis, in SALib or scipy, from the saved files."""
    source = Path(study.source)
    method = study.method
    design: dict[str, Any] = ({"trajectories": study.size, "levels": method.levels}
                              if isinstance(method, Morris) else
                              {"base_samples": study.size, "calc_second_order": False})
    return {
        "experiment": study.name,
        "title": study.title,
        "source": study.source,
        "experiment_file": source.read_text(encoding="utf-8") if source.is_file() else None,
        "method": method.name,
        "computed_by": method.computed_by,
        "problem": study.problem.salib(),
        **design,
        "points": study.points,
        "seed": study.seed,
        "seeding": {
            "design": f"numpy.random.default_rng({study.seed})",
            "bootstrap": f"numpy.random.default_rng(numpy.random.SeedSequence({study.seed}, "
                         f"spawn_key=({BOOTSTRAP_STREAM},)))",
            "replications": f"seed {study.seed}; {SEEDING} (common random numbers: the "
                            f"same at every point)",
        },
        "replications": study.replications,
        "outcome": study.outcome,
        "quarter": study.quarter,
        "scenario": study.config.name,
        "scenario_config": to_dict(study.config),
        "resamples": method.resamples,
        "confidence_level": CONFIDENCE,
        "files": {
            f"{method.name}.csv": "the indices, one row per parameter",
            "points.csv": "one row per point: point, its place in the design, then one "
                          "column per parameter (SALib's order)",
            "outputs.csv": f"one row per point: point, {study.outcome} (the mean over "
                           "replications, the value analysed), replication_0 ... "
                           f"replication_{study.replications - 1}",
        },
        "redo": redo_code(method, study.problem, study.size, study.seed, study.outcome),
        "workers": worker_processes(study.points, workers),
        "seconds": round(seconds, 1),
        "versions": versions(),
        "git_revision": git_revision(),
    }


def indices_lines(study: Study, table: pd.DataFrame) -> list[str]:
    """The indices as `teamsim sensitivity` prints them, the most influential first."""
    if isinstance(study.method, Morris):
        lines = [f"{'parameter':<30} {'mu* [95% half-width]':>24} {'mu':>10} {'sigma':>10}"]
        for row in table.sort_values("mu_star", ascending=False).itertuples():
            lines.append(f"{row.parameter:<30} {row.mu_star:10.4g} ± {row.mu_star_conf:<11.3g}"
                         f" {row.mu:10.4g} {row.sigma:10.4g}")
        return lines
    lines = [f"{'parameter':<30} {'first order [95%]':>26} {'total order [95%]':>26}"]
    for row in table.sort_values("total_order", ascending=False).itertuples():
        lines.append(f"{row.parameter:<30} {row.first_order:8.3f} [{row.first_low:6.3f}, "
                     f"{row.first_high:6.3f}] {row.total_order:8.3f} [{row.total_low:6.3f}, "
                     f"{row.total_high:6.3f}]")
    return lines
