"""Experimental designs: the points (settings of dotted scenario keys) an experiment runs.

A full factorial grid, a Latin hypercube (McKay, Beckman & Conover 1979) or a scrambled
Sobol sequence (Sobol 1967; scipy.stats.qmc) over bounds, or a grid crossed with a sample.
Sampled points are drawn from their own stream of the experiment's seed, so the design is
reproducible and independent of the runs' random numbers.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
from scipy.stats import qmc

from simulation.experiments.experiment_files import ExperimentConfig, key_type
from simulation.experiments.workload import check_workload, experiment_workload

DESIGN_STREAM = 2**32 - 1
"""Spawn key of the design's random stream (replications use 0, 1, 2, ...)."""


def grid_points(grid: tuple[tuple[str, tuple[Any, ...]], ...]) -> list[dict[str, Any]]:
    """Every combination of the grid's values, the last key varying fastest."""
    keys = [key for key, _ in grid]
    return [dict(zip(keys, values, strict=True))
            for values in itertools.product(*(values for _, values in grid))]


def sample_points(experiment: ExperimentConfig) -> list[dict[str, Any]]:
    """The sampled points of an experiment (one empty point when it samples nothing)."""
    sample = experiment.sample
    if sample is None:
        return [{}]
    keys = [key for key, _, _ in sample.bounds]
    low = np.array([b[1] for b in sample.bounds])
    high = np.array([b[2] for b in sample.bounds])
    rng = np.random.default_rng(np.random.SeedSequence(experiment.seed,
                                                       spawn_key=(DESIGN_STREAM,)))
    if sample.method == "sobol":
        unit = qmc.Sobol(len(keys), scramble=True, seed=rng).random_base2(
            int(np.log2(sample.size)))
    else:
        unit = qmc.LatinHypercube(len(keys), seed=rng).random(sample.size)
    whole = np.array([key_type(key) is int for key in keys])
    # A whole-number key spreads over [low, high + 1) and is floored, so that every value
    # from low to high is equally likely (rounding would halve the weight of the ends).
    scaled = qmc.scale(unit, low, np.where(whole, np.floor(high) + 1, high))
    points = []
    for row in scaled:
        point: dict[str, Any] = {}
        for key, value, is_whole in zip(keys, row, whole, strict=True):
            point[key] = int(np.floor(value)) if is_whole else float(value)
        points.append(point)
    return points


def design_points(experiment: ExperimentConfig, engine: str = "batch",
                  max_work: int | None = None) -> list[dict[str, Any]]:
    """The experiment's points: the grid crossed with the sample. A design whose sweep
    would be larger than the limit (:mod:`simulation.experiments.workload`) is refused
    before a point is built."""
    workload, key = experiment_workload(experiment, engine)
    check_workload(workload, experiment.source, key, max_work)
    return [grid | sampled for grid in grid_points(experiment.grid)
            for sampled in sample_points(experiment)]
