"""The leader's week as pure functions over arrays: attention, the plan, and fitting the
plan into the hours a crisis-struck week leaves.

The Mesa ``Leader`` agent and the batched engine call these same functions, on one team
(arrays of shape ``(members,)``) or on many runs at once (``(runs, members)``), so both
compute the same numbers.
"""

from __future__ import annotations

import numpy as np

from simulation.model import equations
from simulation.model import interventions as iv
from simulation.model.config import WEEKS_PER_QUARTER, LeaderConfig, Parameters
from simulation.model.diagnosis import Observation
from simulation.model.strategies import RegisteredStrategy


def attention_share(level: float | np.ndarray, deputy_share: float) -> float | np.ndarray:
    """Share of normal leadership the team gets: the schedule's level, with a deputy
    carrying a share of whatever is withdrawn."""
    return level + (1.0 - level) * deputy_share


def systems_share(leader: LeaderConfig, week: int) -> float:
    """Share of the leader's hours set aside for building systems in a (0-based) week."""
    quarter = week // WEEKS_PER_QUARTER + 1
    until = leader.systems_until_quarter
    return leader.systems_share if (until == 0 or quarter <= until) else 0.0


def strategy_doses(strategy: RegisteredStrategy, observation: Observation,
                   hours: np.ndarray) -> np.ndarray:
    """Call a strategy and check its answer: the right shape, finite, non-negative, and
    nothing for vacant slots, scaled down to the hours available if it asks for more.

    A strategy registered as not vectorised is called one team at a time."""
    hours = np.asarray(hours, dtype=float)
    if strategy.vectorised or observation.active.ndim == 1:
        doses = np.array(strategy.plan(observation, hours), dtype=float)
    else:
        doses = np.stack([np.asarray(strategy.plan(observation.run(run), hours[run]),
                                     dtype=float)
                          for run in range(observation.active.shape[0])])
    expected = (*observation.shape, iv.COUNT)
    if doses.shape != expected:
        raise ValueError(f"strategy {strategy.name!r} returned doses of shape {doses.shape}, "
                         f"expected {expected}")
    if not np.all(np.isfinite(doses)) or np.any(doses < 0):
        raise ValueError(f"strategy {strategy.name!r} returned negative or non-finite hours")
    doses *= observation.active[..., None]
    total = np.sum(doses.reshape(*doses.shape[:-2], -1), axis=-1)
    over = total > hours * (1.0 + 1e-12)
    scale = np.where(over, hours / np.where(over, total, 1.0), 1.0)
    doses *= scale[..., None, None]
    return doses


def plan_doses(strategy: RegisteredStrategy, observation: Observation, hours: np.ndarray,
               share_for_systems: float) -> np.ndarray:
    """Doses for the week: the strategy's plan for its hours, plus the hours set aside for
    systems, shared over the filled slots."""
    hours = np.asarray(hours, dtype=float)
    doses = strategy_doses(strategy, observation, hours * (1.0 - share_for_systems))
    if share_for_systems > 0:
        headcount = np.sum(observation.active, axis=-1)
        staffed = headcount > 0
        added = (hours[..., None] * share_for_systems * observation.active
                 / np.where(staffed, headcount, 1.0)[..., None])
        doses[..., iv.BUILD_SYSTEMS] += np.where(staffed[..., None], added, 0.0)
    return doses


def fit_week(planned: np.ndarray, hours_left: np.ndarray, p: Parameters
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit the plan into the hours left (``equations.allocate_hours``) and weigh each
    member's 1:1 as kept or broken by its size: granted doses, kept, breached."""
    granted, cancelled = equations.allocate_hours(planned, np.asarray(hours_left))
    commitment = equations.commitment_weight(np.sum(planned[..., iv.ONE_TO_ONE], axis=-1), p)
    return (granted, np.where(cancelled, 0.0, commitment),
            np.where(cancelled, commitment, 0.0))
