"""An organisation's runs at once: every team's runs as a block ``(runs, members)`` of the
batched engine, the teams stepped week by week together so that a leader of several teams
splits her hours between them (:func:`simulation.model.organisation.organisation_week`).
Replication k is the same run as ``OrganisationModel(organisation, seed=seed,
replication=k)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from simulation.engines.batch import BatchResult, Block, block_runs
from simulation.model.leadership import Planner
from simulation.model.organisation import (
    TeamWeek,
    base_shares,
    organisation_frame,
    organisation_week,
)
from simulation.model.organisation_config import OrganisationConfig, team_seed
from simulation.model.randomness import draw_batch_noise
from simulation.model.strategies import REGISTRY, StrategyRegistry


@dataclass(frozen=True)
class OrganisationResult:
    """Every team's batch of an organisation's runs, and its quarterly table."""

    organisation: OrganisationConfig
    seed: int
    replications: tuple[int, ...]
    teams: tuple[BatchResult, ...]

    def quarterly_frame(self) -> pd.DataFrame:
        """The teams' rows and the organisation's (see ``organisation_frame``)."""
        return organisation_frame([team.quarterly_frame() for team in self.teams],
                                  self.organisation, self.seed)


def run_organisation_batch(organisation: OrganisationConfig, seed: int,
                           replications: Sequence[int],
                           registry: StrategyRegistry = REGISTRY) -> OrganisationResult:
    """Run replications ``replications`` of an organisation under base seed ``seed``."""
    reps = tuple(int(k) for k in replications)
    configs = [team.config for team in organisation.teams]
    seeds = [team_seed(seed, index) for index in range(len(configs))]
    size = min(block_runs(config) for config in configs)
    shares = base_shares(organisation)
    records: list[list] = [[] for _ in configs]
    for start in range(0, len(reps), size):
        rows = list(reps[start:start + size])
        blocks = [Block(config, draw_batch_noise(team, rows, config.weeks, config.team.size),
                        Planner(registry.get(config.leader.strategy), config.name, team, rows,
                                batched=True, first_index=start),
                        False, config.parameters)
                  for config, team in zip(configs, seeds, strict=True)]
        for week in range(organisation.weeks):
            outcomes = organisation_week(
                [TeamWeek(b.state, b.last_output, b.events(week), b.noise.week(week), b.config,
                          b.planner, b.p) for b in blocks], organisation, week, shares)
            for block, outcome in zip(blocks, outcomes, strict=True):
                block.finish(week, outcome)
        for team, block in enumerate(blocks):
            records[team].append(block.record)
    return OrganisationResult(organisation, seed, reps, tuple(
        BatchResult(config, team, reps, tuple(parts))
        for config, team, parts in zip(configs, seeds, records, strict=True)))
