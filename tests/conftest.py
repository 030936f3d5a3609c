"""Shared fixtures: small teams and neutral weeks for testing the equations directly."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import interventions as iv
from simulation.config import Parameters, ScenarioConfig
from simulation.dynamics import WeekConditions
from simulation.state import INITIAL_DRAWS, TeamState, initial_state


def make_state(members: int = 1, **levels: float) -> TeamState:
    """A team at the scenario defaults with no spread, with some member states set."""
    state = initial_state(ScenarioConfig(), np.zeros((members, INITIAL_DRAWS)))
    changes = {}
    for name, value in levels.items():
        current = getattr(state, name)
        changes[name] = np.full_like(current, value, dtype=float)
        if f"{name}_anchor" in state.__dataclass_fields__:
            changes[f"{name}_anchor"] = np.full_like(current, value, dtype=float)
    return state.replace(**changes)


def calm_week() -> WeekConditions:
    """A week with moderate pressure and no shocks, at the default environment."""
    return WeekConditions(pressure=np.asarray(0.35), direction_baseline=np.asarray(0.6),
                          barrier_baseline=np.asarray(0.3), obstacle_shock=np.asarray(0.0),
                          change_shock=np.asarray(0.0))


def dose(members: int = 1, **hours: float) -> np.ndarray:
    """Weekly leader hours per member by intervention name."""
    doses = np.zeros((members, iv.COUNT))
    for name, value in hours.items():
        doses[:, iv.index(name)] = value
    return doses


@pytest.fixture
def params() -> Parameters:
    """The shipped default parameters."""
    return Parameters()
