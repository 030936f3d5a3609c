"""Running an organisation's replications through the Mesa model, their summary per team
and for the organisation, and their manifest (the organisation's counterpart of
:mod:`simulation.experiments.replications`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from simulation.engines.organisation_model import OrganisationModel
from simulation.experiments.publishing import git_revision, package_versions
from simulation.experiments.replications import replicated
from simulation.experiments.stats import summarise
from simulation.model.metrics import outcome_columns
from simulation.model.organisation_config import OrganisationConfig, team_seed
from simulation.model.randomness import SEEDING
from simulation.model.scenario_files import to_dict
from simulation.model.strategies import REGISTRY, StrategyRegistry


@dataclass(frozen=True)
class OrganisationReplications:
    """The quarterly rows of every replication of an organisation (its teams' and its
    own), and their summary."""

    organisation: OrganisationConfig
    seed: int
    quarterly: pd.DataFrame

    @property
    def summary(self) -> pd.DataFrame:
        """Mean and 95% interval of every outcome, per team (and the organisation) and
        quarter, the teams in the file's order and the organisation last."""
        summary = summarise(self.quarterly, outcome_columns(), by=("team", "quarter"))
        order = {name: index for index, name in enumerate(self.quarterly["team"].unique())}
        return summary.sort_values(["team", "quarter"], key=lambda column: column.map(order)
                                   if column.name == "team" else column,
                                   kind="stable").reset_index(drop=True)


def run_organisation_once(organisation: OrganisationConfig, seed: int, replication: int,
                          registry: StrategyRegistry = REGISTRY) -> pd.DataFrame:
    """One run's quarterly table; Mesa's references to the models are released after."""
    model = OrganisationModel(organisation, seed=seed, replication=replication,
                              registry=registry)
    try:
        return model.run().quarterly_frame()
    finally:
        model.release()


def run_organisation_replications(organisation: OrganisationConfig,
                                  replications: int | None = None, seed: int | None = None,
                                  registry: StrategyRegistry = REGISTRY,
                                  progress: Callable[[int, int], None] | None = None
                                  ) -> OrganisationReplications:
    """Run ``replications`` runs of an organisation (its own defaults where None)."""
    count = organisation.replications if replications is None else replications
    base_seed = organisation.seed if seed is None else seed
    return OrganisationReplications(organisation, base_seed, replicated(
        lambda replication: run_organisation_once(organisation, base_seed, replication,
                                                  registry), count, progress))


def organisation_manifest(result: OrganisationReplications, source: str) -> dict[str, Any]:
    """What a reader needs to reproduce an organisation's result."""
    organisation = result.organisation
    return {
        "scenario": organisation.name,
        "organisation": True,
        "source": source,
        "seed": result.seed,
        "replications": int(result.quarterly["replication"].nunique()),
        "seeding": f"team i's runs have base seed team_seed(seed, i) (from numpy "
                   f"SeedSequence([seed, i])); {SEEDING}",
        "team_seeds": {team.name: team_seed(result.seed, index)
                       for index, team in enumerate(organisation.teams)},
        "inputs": to_dict(organisation.inputs),
        "leaders": {leader.name: {"teams": [organisation.teams[i].name for i in leader.teams],
                                  "crisis_pull": leader.crisis_pull,
                                  "attention": to_dict(leader.attention)}
                    for leader in organisation.leaders},
        "teams": {team.name: {"leader": team.leader, "share": team.share,
                              "configuration": to_dict(team.config)}
                  for team in organisation.teams},
        "versions": package_versions(),
        "git_revision": git_revision(),
    }
