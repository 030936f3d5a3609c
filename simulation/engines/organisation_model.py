"""OrganisationModel: the Mesa model of an organisation, its teams stepped one week at a
time together.

    model = OrganisationModel("leader_of_two_teams", seed=7)
    model.run()
    model.quarterly_frame()

Each team is a :class:`~simulation.engines.mesa_model.TeamModel` (its agents, its SimPy
calendar). Each ``step()`` runs every team's calendar through the week's events, works out
the organisation's week (:func:`simulation.model.organisation.organisation_week`: a leader
of several teams splits her hours between hers and tires over all of them), then lets each
team work it and review its quarter. A team's ``Leader`` agent is its leader's presence in
that team: what she saw and did there.
"""

from __future__ import annotations

from pathlib import Path

import mesa
import numpy as np
import pandas as pd

from simulation.engines.mesa_model import TeamModel
from simulation.model.organisation import (
    TeamWeek,
    base_shares,
    organisation_frame,
    organisation_week,
)
from simulation.model.organisation_config import OrganisationConfig, team_seed
from simulation.model.organisation_files import load_organisation
from simulation.model.randomness import run_seed_sequence
from simulation.model.strategies import REGISTRY, StrategyRegistry


class OrganisationModel(mesa.Model):
    """The teams of an organisation and their leaders over simulated quarters.

    Args:
        organisation: an OrganisationConfig, an organisation file path or a shipped name.
        seed: base seed of the replications (the organisation's own if None); team i's runs
            draw from ``team_seed(seed, i)``.
        replication: which replication of that seed this run is.
        registry: where the leaders' strategies are looked up.
    """

    def __init__(self, organisation: OrganisationConfig | str | Path, *,
                 seed: int | None = None, replication: int = 0,
                 registry: StrategyRegistry = REGISTRY) -> None:
        config = (organisation if isinstance(organisation, OrganisationConfig)
                  else load_organisation(organisation))
        self.organisation = config
        self.seed = config.seed if seed is None else int(seed)
        self.replication = replication
        super().__init__(rng=np.random.default_rng(run_seed_sequence(self.seed, replication)))
        self.teams = [TeamModel(team.config, seed=team_seed(self.seed, index),
                                replication=replication, registry=registry,
                                data_collection=False)
                      for index, team in enumerate(config.teams)]
        self.shares = base_shares(config)

    @property
    def weeks_done(self) -> int:
        """Weeks simulated so far."""
        return self.teams[0].weeks_done

    def step(self) -> None:
        """Simulate one week of every team."""
        week = self.weeks_done
        for team in self.teams:
            team.calendar.run_to_work()
        weeks = [TeamWeek(team.state, team.last_output, team.begin_week(),
                          team.noise.week(week), team.config, team.leader.planner, team.params)
                 for team in self.teams]
        for team, outcome in zip(self.teams, organisation_week(weeks, self.organisation, week,
                                                                self.shares), strict=True):
            team.give(outcome)
            team.step()
        self.running = self.teams[0].running

    def run(self) -> OrganisationModel:
        """Simulate every remaining week."""
        while self.weeks_done < self.organisation.weeks:
            self.step()
        return self

    def release(self) -> None:
        """Drop Mesa's class-level references to this model and its teams."""
        for team in self.teams:
            team.release()
        mesa.Agent._ids.pop(self, None)

    def quarterly_frame(self) -> pd.DataFrame:
        """Every team's completed quarters and the organisation's (see
        ``organisation_frame``)."""
        return organisation_frame([team.quarterly_frame() for team in self.teams],
                                  self.organisation, self.seed)
