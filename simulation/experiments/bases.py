"""What an experiment runs: a base is a scenario (one team) or an organisation (several
teams, :mod:`simulation.model.organisation_files`). These few functions are where the two
differ for sweeps: overriding a key, the strategy a base's leader follows, its members,
and an organisation's quarterly rows. An organisation's rows in a sweep's store
are the organisation's own (its teams' summed or averaged, ``organisation_frame``)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from simulation.engines.organisation_batch import run_organisation_batch
from simulation.experiments.experiment_files import Base as Base
from simulation.experiments.experiment_files import overridden as overridden
from simulation.experiments.organisations import run_organisation_once
from simulation.model.organisation_config import ORGANISATION_ROW, OrganisationConfig


def own_strategy(base: Base) -> str:
    """The strategy a base's leader follows (an organisation's: its leaders', joined by
    "/" when they differ)."""
    if isinstance(base, OrganisationConfig):
        return "/".join(dict.fromkeys(team.config.leader.strategy for team in base.teams))
    return base.leader.strategy


def members(base: Base) -> int:
    """Member slots of a run: the team's, or every team's of an organisation."""
    if isinstance(base, OrganisationConfig):
        return sum(team.config.team.size for team in base.teams)
    return base.team.size


def organisation_batch_frame(organisation: OrganisationConfig, seed: int,
                             replications: Sequence[int]) -> pd.DataFrame:
    """The organisation's own quarterly rows of some replications on the batched engine
    (its runs have no failures of their own: a failing batch raises)."""
    return _own_rows(run_organisation_batch(organisation, seed, replications).quarterly_frame())


def organisation_mesa_frame(organisation: OrganisationConfig, seed: int,
                            replication: int) -> pd.DataFrame:
    """One run's own quarterly rows of an organisation through the Mesa model."""
    return _own_rows(run_organisation_once(organisation, seed, replication))


def _own_rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["team"] == ORGANISATION_ROW].reset_index(drop=True)
