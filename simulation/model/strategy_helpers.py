"""Helpers for writing strategies: share hours out by weights, build an intervention mix by
name, weigh members by their observed need, spread a team mix over the filled slots.
:mod:`simulation.model.strategies` re-exports them (``strategies.spread`` and so on)."""

from __future__ import annotations

from simulation.model import interventions as iv
from simulation.model.arrays import divide, np
from simulation.model.diagnosis import Observation
from simulation.model.equations import last_sum, total_hours


def spread(weights: np.ndarray, hours: np.ndarray) -> np.ndarray:
    """Share ``hours`` out in proportion to non-negative ``weights (..., members, K)``.

    Where all weights are zero the leader spends nothing.
    """
    weights = np.maximum(weights, 0.0)
    total = total_hours(weights)
    per_weight = divide(np.asarray(hours, dtype=float), total,
                        where=total > 0)
    weights *= per_weight[..., None, None]
    return weights


def empty_weights(observation: Observation) -> np.ndarray:
    """Zero weights, shape ``(..., members, interventions)``."""
    return np.zeros((*observation.shape, iv.COUNT))


def profile(**shares: float) -> np.ndarray:
    """An intervention mix by name, e.g. ``profile(train=0.5, coach=0.5)``."""
    return iv.mix(**shares)


def need(observation: Observation) -> np.ndarray:
    """How much each filled slot needs attention: the sum of its observed gaps."""
    return np.sum(observation.gaps, axis=-1) * observation.active


def whole_team(team_mix: np.ndarray, observation: Observation) -> np.ndarray:
    """Weights ``(..., members, interventions)`` for work with the whole team: a team mix
    ``(..., interventions)`` shared equally over the filled slots (a team intervention's
    effect follows the team hours, whichever slot they are booked on)."""
    headcount = np.maximum(last_sum(observation.active), 1.0)
    share = observation.active / headcount[..., None]
    return np.einsum("...k,...m->...mk", np.asarray(team_mix, dtype=float), share)
