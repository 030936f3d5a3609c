"""Global sensitivity analysis: first- and total-order Sobol indices of an outcome with
respect to model parameters, with bootstrap confidence intervals.

The indices come from ``scipy.stats.sobol_indices`` (Saltelli et al. 2010 estimators):
``n * (d + 2)`` parameter points for ``d`` parameters and ``n`` base samples. At each point
the model runs ``replications`` times (replication k with the same random numbers at every
point: common random numbers) on the batched engine, every run with its own parameters,
and the outcome's mean over replications is the function value.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import multiprocessing
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from simulation.engines.batch import run_batch, stack_parameters
from simulation.model.config import Parameters, ScenarioConfig

CHUNK_POINTS = 100
"""Parameter points per worker task."""


@dataclass(frozen=True)
class Indices:
    """Sobol indices of one outcome, one row per parameter."""

    table: pd.DataFrame
    """parameter, first_order, first_low, first_high, total_order, total_low, total_high"""
    evaluations: int


def sobol(func: Callable[[np.ndarray], np.ndarray], names: Sequence[str],
          bounds: Sequence[tuple[float, float]], base_samples: int, seed: int,
          resamples: int = 1000) -> Indices:
    """Sobol indices of ``func`` (``(d, N)`` points in, ``(N,)`` values out) over uniform
    distributions on ``bounds``, with 95% bootstrap intervals."""
    dists = [stats.uniform(loc=low, scale=high - low) for low, high in bounds]
    evaluations = [0]

    def counted(x: np.ndarray) -> np.ndarray:
        evaluations[0] += x.shape[1]
        return np.asarray(func(x), dtype=float)

    result = stats.sobol_indices(func=counted, n=base_samples, dists=dists,
                                 rng=np.random.default_rng(seed))
    boot = result.bootstrap(confidence_level=0.95, n_resamples=resamples)
    # One output: scipy gives every array with the parameters along the only axis.
    table = pd.DataFrame({
        "parameter": list(names),
        "first_order": np.ravel(result.first_order),
        "first_low": np.ravel(boot.first_order.confidence_interval.low),
        "first_high": np.ravel(boot.first_order.confidence_interval.high),
        "total_order": np.ravel(result.total_order),
        "total_low": np.ravel(boot.total_order.confidence_interval.low),
        "total_high": np.ravel(boot.total_order.confidence_interval.high),
    })
    return Indices(table, evaluations[0])


def outcome_at_points(config: ScenarioConfig, names: Sequence[str], points: np.ndarray,
                      outcome: str, quarter: int, replications: int, seed: int
                      ) -> np.ndarray:
    """The outcome's mean over replications at each parameter point (``(d, N)`` in)."""
    count = points.shape[1]
    sets = [dataclasses.replace(config.parameters,
                                **{name: float(points[i, j]) for i, name in enumerate(names)})
            for j in range(count)]
    runs = [one for one in sets for _ in range(replications)]
    reps = list(range(replications)) * count
    frame = run_batch(config, seed, reps, parameters=stack_parameters(runs)).quarterly_frame()
    values = frame.loc[frame.quarter == quarter, outcome].to_numpy(dtype=float)
    return values.reshape(count, replications).mean(axis=1)


def model_function(config: ScenarioConfig, names: Sequence[str], outcome: str,
                   quarter: int, replications: int, seed: int, workers: int
                   ) -> Callable[[np.ndarray], np.ndarray]:
    """The model as a function of parameter points, spread over worker processes."""
    unknown = [name for name in names if name not in Parameters.__dataclass_fields__]
    if unknown:
        raise KeyError(f"unknown parameter {unknown[0]!r}")

    def evaluate(points: np.ndarray) -> np.ndarray:
        chunks = [points[:, start:start + CHUNK_POINTS]
                  for start in range(0, points.shape[1], CHUNK_POINTS)]
        rest = (outcome, quarter, replications, seed)
        if workers == 1:
            parts = [outcome_at_points(config, names, chunk, *rest) for chunk in chunks]
        else:
            context = multiprocessing.get_context("spawn")
            with cf.ProcessPoolExecutor(workers, mp_context=context) as pool:
                futures = [pool.submit(outcome_at_points, config, names, chunk, *rest)
                           for chunk in chunks]
                parts = [future.result() for future in futures]
        return np.concatenate(parts)

    return evaluate
