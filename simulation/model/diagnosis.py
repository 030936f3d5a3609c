"""What the leader sees: members' states read through noise and a diagnostic bias.

The leader reads the five root causes of each member's performance gap (capability,
motivation, environment, direction, accountability) with noise that shrinks as diagnostic
accuracy rises, and with a bias that reads part of every other gap as one favourite cause
(the classic one: seeing a motivation problem where the cause is capability or the
environment). Output is visible; trust and exhaustion are read with the same noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.model import equations
from simulation.model.config import ROOT_CAUSES, Parameters
from simulation.model.state import TeamState

CAUSE: dict[str, int] = {cause: index for index, cause in enumerate(ROOT_CAUSES)}
"""Where each root cause sits on the last axis of a gap array."""

READINGS: tuple[str, ...] = (*ROOT_CAUSES, "trust", "exhaustion")
"""What the leader reads each week, in the order of the reading errors' last axis: the
gap on each root cause, then trust and exhaustion (read with the same noise)."""

OBSERVED_READINGS = len(READINGS)
"""Standard normal draws per member per week for the leader's readings."""

READING: dict[str, int] = {reading: index for index, reading in enumerate(READINGS)}
"""Where each reading's error sits on the last axis of the observation noise."""


@dataclass(frozen=True)
class Observation:
    """The leader's reading of the team, shape ``(..., members)`` unless noted.

    ``gaps[..., k]`` is the observed gap on root cause ``ROOT_CAUSES[k]`` in [0, 1] (0 no
    gap). The level properties are the same readings as levels (1 - gap).
    """

    gaps: np.ndarray
    """Observed gap per root cause, shape ``(..., members, 5)``."""
    trust: np.ndarray
    exhaustion: np.ndarray
    output: np.ndarray
    """Each member's output last week (visible, so read without noise)."""
    tenure_weeks: np.ndarray
    active: np.ndarray
    """1 for a filled slot, 0 for a vacancy."""

    def run(self, index: int) -> Observation:
        """One run's reading, from a batch of runs."""
        return Observation(gaps=self.gaps[index], trust=self.trust[index],
                           exhaustion=self.exhaustion[index], output=self.output[index],
                           tenure_weeks=self.tenure_weeks[index], active=self.active[index])

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of a member array: ``(..., members)``."""
        return tuple(self.active.shape)

    @property
    def capability(self) -> np.ndarray:
        """Observed capability."""
        return 1.0 - self.gaps[..., CAUSE["capability"]]

    @property
    def motivation(self) -> np.ndarray:
        """Observed motivation."""
        return 1.0 - self.gaps[..., CAUSE["motivation"]]

    @property
    def obstacles(self) -> np.ndarray:
        """Observed obstacle load."""
        return self.gaps[..., CAUSE["environment"]]

    @property
    def clarity(self) -> np.ndarray:
        """Observed clarity of direction and role."""
        return 1.0 - self.gaps[..., CAUSE["direction"]]

    @property
    def accountability(self) -> np.ndarray:
        """Observed accountability."""
        return 1.0 - self.gaps[..., CAUSE["accountability"]]


def true_gaps(state: TeamState, p: Parameters) -> np.ndarray:
    """The real gap on each root cause, shape ``(..., members, 5)`` in ROOT_CAUSES order."""
    gaps = {
        "capability": 1.0 - state.capability,
        "motivation": 1.0 - state.motivation,
        "environment": equations.obstacle_load(state.obstacles, state.barriers),
        "direction": 1.0 - equations.clarity(state.role_clarity, state.direction_clarity),
        "accountability": 1.0 - equations.effective_accountability(
            state.accountability, state.scrutiny, p),
    }
    return np.stack([gaps[cause] for cause in ROOT_CAUSES], axis=-1)


def biased(gaps: np.ndarray, cause: int, strength: float) -> np.ndarray:
    """Gaps as a biased leader reads them: a share ``strength`` of every other gap is
    attributed to ``cause`` instead (capped at a full gap)."""
    if strength == 0:
        return gaps
    others = np.ones(gaps.shape[-1], dtype=bool)
    others[cause] = False
    moved = strength * gaps[..., others]
    read = gaps.copy()
    read[..., others] -= moved
    read[..., cause] = np.minimum(read[..., cause] + np.sum(moved, axis=-1), 1.0)
    return read


def observe(state: TeamState, last_output: np.ndarray, noise: np.ndarray, accuracy: float,
            bias_cause: str, bias_strength: float, p: Parameters) -> Observation:
    """The leader's reading of the team this week.

    ``noise`` holds standard normal draws of shape ``(..., members, OBSERVED_READINGS)``;
    the reading error's standard deviation is ``observation_noise * (1 - accuracy)``.
    """
    sd = p.observation_noise * (1.0 - accuracy)
    per_reading = sd[..., None] if isinstance(sd, np.ndarray) else sd  # per-run values
    gaps = np.clip(true_gaps(state, p) + per_reading * noise[..., : len(ROOT_CAUSES)],
                   0.0, 1.0)
    gaps = biased(gaps, CAUSE[bias_cause], bias_strength)
    trust = np.clip(state.trust + sd * noise[..., READING["trust"]], 0.0, 1.0)
    exhaustion = np.clip(state.exhaustion + sd * noise[..., READING["exhaustion"]], 0.0, 1.0)
    return Observation(gaps=gaps, trust=trust, exhaustion=exhaustion, output=last_output,
                       tenure_weeks=state.tenure_weeks, active=state.active)
