"""Running a scenario's replications through the Mesa model, and their manifest.

Every random number of replication k of base seed s is a hash of its address (see
:mod:`simulation.model.randomness`), so a set of replications is reproducible in any
process and replication k sees the same random numbers under every strategy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from simulation.engines.mesa_model import TeamModel
from simulation.experiments.publishing import git_revision, package_versions
from simulation.experiments.stats import summarise
from simulation.model.config import ScenarioConfig
from simulation.model.metrics import outcome_columns
from simulation.model.randomness import SEEDING
from simulation.model.scenario_files import to_dict
from simulation.model.strategies import REGISTRY, StrategyRegistry


@dataclass(frozen=True)
class Replications:
    """The quarterly rows of every replication of one scenario, and their summary."""

    config: ScenarioConfig
    seed: int
    quarterly: pd.DataFrame
    """One tidy row per (replication, quarter)."""

    @property
    def summary(self) -> pd.DataFrame:
        """Mean and 95% interval of every outcome, per quarter."""
        return summarise(self.quarterly, outcome_columns())


def run_once(config: ScenarioConfig, seed: int, replication: int,
             registry: StrategyRegistry = REGISTRY) -> pd.DataFrame:
    """One run's quarterly table; Mesa's reference to the model is released afterwards."""
    model = TeamModel(config, seed=seed, replication=replication, registry=registry,
                      data_collection=False)
    try:
        return model.run().quarterly_frame()
    finally:
        model.release()


def run_replications(config: ScenarioConfig, replications: int | None = None,
                     seed: int | None = None, registry: StrategyRegistry = REGISTRY,
                     progress: Callable[[int, int], None] | None = None) -> Replications:
    """Run ``replications`` runs of a scenario (its own defaults where None)."""
    count = config.replications if replications is None else replications
    base_seed = config.seed if seed is None else seed
    return Replications(config, base_seed, replicated(
        lambda replication: run_once(config, base_seed, replication, registry), count,
        progress))


def replicated(run: Callable[[int], pd.DataFrame], count: int,
               progress: Callable[[int, int], None] | None = None) -> pd.DataFrame:
    """The quarterly tables of replications ``0 .. count - 1`` (``run(k)`` each), one
    after another, reporting ``progress(done, count)`` after each."""
    frames = []
    for replication in range(count):
        frames.append(run(replication))
        if progress is not None:
            progress(replication + 1, count)
    return pd.concat(frames, ignore_index=True)


def manifest(result: Replications, source: str) -> dict[str, Any]:
    """What a reader needs to reproduce a result: configuration, seeds and versions."""
    return {
        "scenario": result.config.name,
        "source": source,
        "seed": result.seed,
        "replications": int(result.quarterly["replication"].nunique()),
        "seeding": SEEDING,
        "configuration": to_dict(result.config),
        "versions": package_versions(),
        "git_revision": git_revision(),
    }
