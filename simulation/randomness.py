"""Reproducible randomness: one numpy Generator per run, noise drawn in a fixed layout.

A run is identified by the base seed and its replication number; its generator is seeded
from ``SeedSequence(seed, spawn_key=(replication,))``, the same stream that
``SeedSequence(seed).spawn(n)[replication]`` gives. Replication k therefore meets the same
random numbers whatever strategy or setting is being compared (common random numbers).

All the run's noise is drawn once, up front, in a fixed order and shape (by purpose, week
and member slot), so that any driver of the same run (the Mesa model or an array engine)
consumes exactly the same numbers, whatever happens during the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.diagnosis import OBSERVED_READINGS
from simulation.state import INITIAL_DRAWS


def run_seed_sequence(seed: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of replication ``replication`` under base seed ``seed``."""
    return np.random.SeedSequence(seed, spawn_key=(replication,))


def run_generator(seed: int, replication: int) -> np.random.Generator:
    """The run's one numpy Generator."""
    return np.random.default_rng(run_seed_sequence(seed, replication))


@dataclass(frozen=True)
class RunNoise:
    """Every random number one run uses, by purpose (shapes for ``weeks`` W, slots M)."""

    initial: np.ndarray
    """(M, INITIAL_DRAWS) standard normals: the starting team."""
    observation: np.ndarray
    """(W, M, OBSERVED_READINGS) standard normals: the leader's reading errors."""
    turnover: np.ndarray
    """(W, M) uniforms: whether a member leaves this week."""
    hire: np.ndarray
    """(W, M) standard normals: a new hire's starting capability."""
    crisis: np.ndarray
    """(W,) uniforms: whether a crisis strikes this week."""
    obstacle: np.ndarray
    """(W,) uniforms: whether a new obstacle emerges this week."""
    change: np.ndarray
    """(W,) uniforms: whether conditions change this week."""


def draw_run_noise(rng: np.random.Generator, weeks: int, members: int) -> RunNoise:
    """Draw a run's noise from its generator in the fixed layout (the order below)."""
    return RunNoise(
        initial=rng.standard_normal((members, INITIAL_DRAWS)),
        observation=rng.standard_normal((weeks, members, OBSERVED_READINGS)),
        turnover=rng.random((weeks, members)),
        hire=rng.standard_normal((weeks, members)),
        crisis=rng.random(weeks),
        obstacle=rng.random(weeks),
        change=rng.random(weeks),
    )
