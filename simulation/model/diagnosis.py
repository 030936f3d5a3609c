"""What the leader sees: members' states read through noise and a diagnostic bias.

The leader reads the five root causes of each member's performance gap (capability,
motivation, environment, direction, accountability) with an error that shrinks as
diagnostic accuracy rises and that persists from week to week (a misreading of a person
lasts weeks), and with a bias that reads part of every other gap as one favourite cause
(the classic one: seeing a motivation problem where the cause is capability or the
environment). Where the team feels unsafe, members hide problems: the reading is noisier
and leans toward "fine". Output is visible; trust and exhaustion are read with the same
error.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy

from simulation.model import equations
from simulation.model.arrays import known, np
from simulation.model.config import ROOT_CAUSES, TEAM_CAUSES, Parameters
from simulation.model.state import READINGS, TeamState

CAUSE: dict[str, int] = {cause: index for index, cause in enumerate(ROOT_CAUSES)}
"""Where each root cause sits on the last axis of a gap array."""


OBSERVED_READINGS = len(READINGS)
"""Standard normal draws per member per week for the leader's readings."""

READING: dict[str, int] = {reading: index for index, reading in enumerate(READINGS)}
"""Where each reading's error sits on the last axis of the observation noise."""

TEAM_READINGS: tuple[str, ...] = ("psychological_safety", "cohesion", "collective_efficacy",
                                  "mutual_accountability", "task_conflict",
                                  "relationship_conflict")
"""The team states the leader reads each week, in the order of ``Observation.team``'s
last axis and of the team reading noise."""

TEAM_READING: dict[str, int] = {name: index for index, name in enumerate(TEAM_READINGS)}
"""Where each team reading sits on the last axis of ``Observation.team``."""

CONFLICT_READINGS = numpy.isin(TEAM_READINGS, ("task_conflict", "relationship_conflict"))
"""True at the team readings of conflict, which an unsafe team partly hides."""

TEAM_CAUSE: dict[str, int] = {cause: index for index, cause in enumerate(TEAM_CAUSES)}
"""Where each team-level cause sits on the last axis of ``Observation.team_gaps``."""


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
    team: np.ndarray | None = None
    """The team states as read, shape ``(..., len(TEAM_READINGS))`` in TEAM_READINGS
    order (see ``team_state`` and ``team_gaps``); left out, the team reads as one with no
    team-level gap (full safety, cohesion, efficacy and norm, no conflict): a convenience
    for building observations of members by hand."""
    plan_weeks: np.ndarray | None = None
    """Weeks left to each member's improvement-plan deadline (0: none; the leader knows
    whom she has put on a plan and when she decides, ``state.improvement_plan_weeks``);
    left out, nobody is on a plan."""

    def __post_init__(self) -> None:
        if self.team is None:
            healthy = np.array([0.0 if "conflict" in name else 1.0 for name in TEAM_READINGS])
            object.__setattr__(self, "team", np.broadcast_to(
                healthy, (*np.shape(self.active)[:-1], len(TEAM_READINGS))).copy())
        if self.plan_weeks is None:
            object.__setattr__(self, "plan_weeks", np.zeros(np.shape(self.active)))

    def run(self, index: int) -> Observation:
        """One run's reading, from a batch of runs."""
        return Observation(**{field.name: getattr(self, field.name)[index]
                              for field in fields(self)})

    def team_state(self, name: str) -> np.ndarray:
        """One team state as read (a name of TEAM_READINGS), shape ``(...)``."""
        assert self.team is not None  # filled in by __post_init__
        return self.team[..., TEAM_READING[name]]

    @property
    def team_gaps(self) -> np.ndarray:
        """Observed gap on each team-level cause, shape ``(..., len(TEAM_CAUSES))`` in
        TEAM_CAUSES order: poor collaboration (low safety and cohesion), unclear roles
        (the members' mean direction gap), weak mutual accountability (the norm's gap) and
        destructive conflict (relationship conflict)."""
        read = self.team_state
        gaps = {
            "collaboration": 1.0 - (read("psychological_safety") + read("cohesion")) / 2.0,
            "roles": equations.team_mean(self.gaps[..., CAUSE["direction"]], self.active),
            "mutual_accountability": 1.0 - read("mutual_accountability"),
            "conflict": read("relationship_conflict"),
        }
        return np.stack([gaps[cause] for cause in TEAM_CAUSES], axis=-1)

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


def biased(gaps: np.ndarray, cause: int, strength: float | np.ndarray) -> np.ndarray:
    """Gaps as a biased leader reads them: a share ``strength`` of every other gap is
    attributed to ``cause`` instead (capped at a full gap). ``strength`` is a number, or
    an array that broadcasts against the gaps (one per run: ``(runs, 1, 1)``)."""
    if known(np.isscalar(strength) and strength == 0):
        return gaps
    at_cause = numpy.arange(gaps.shape[-1]) == cause
    moved = strength * gaps * ~at_cause  # nothing moves off the favoured cause itself
    return np.where(at_cause, np.minimum(gaps[..., cause] + np.sum(moved, axis=-1),
                                         1.0)[..., None], gaps - moved)


def hiding(state: TeamState, p: Parameters) -> np.ndarray:
    """Share of each member's gaps (and strain) hidden from the leader, by the team's
    psychological safety: none in a team that feels entirely safe, ``hiding_weight`` in one
    that feels entirely unsafe (members who fear blame keep problems to themselves: Edmondson 1999;
    Detert & Burris 2007)."""
    unsafe = 1.0 - np.asarray(state.psychological_safety)
    return equations.team_level(p.hiding_weight) * unsafe


def updated_misreading(misreading: np.ndarray, noise: np.ndarray, fresh: np.ndarray,
                       p: Parameters) -> np.ndarray:
    """The leader's standing reading error of each member after this week's look.

    An AR(1) process in standard deviations: a share ``misreading_persistence`` of last
    week's error stays, fresh noise makes up the rest, so the error's spread stays the same
    while a misreading of a person lasts weeks (about ``1 / (1 - persistence)``). A
    newcomer (``fresh``) is read anew. ``noise`` holds this week's standard normal draws
    ``(..., members, OBSERVED_READINGS)``."""
    rho = p.misreading_persistence
    rho = rho[..., None] if isinstance(rho, np.ndarray) else rho  # per-run values
    carried = rho * misreading
    carried += np.sqrt(1.0 - rho * rho) * noise
    return np.where(fresh[..., None], noise, carried)


def observe(state: TeamState, last_output: np.ndarray, team_noise: np.ndarray,
            accuracy: float, bias_cause: str, bias_strength: float, p: Parameters,
            spread: np.ndarray | float = 1.0) -> Observation:
    """The leader's reading of the team this week.

    The reading error is the leader's standing misreading of each member
    (``state.misreading``, see :func:`updated_misreading`) times ``observation_noise * (1 -
    accuracy)``, larger where the team feels unsafe (``hiding_noise``); members of an
    unsafe team also hide part of their gaps and their strain, so the reading leans toward
    "fine" (:func:`hiding`). The team states are read with the same spread, from this
    week's draws ``team_noise`` ``(..., len(TEAM_READINGS))``; conflict, too, is partly
    hidden from the leader of an unsafe team. ``spread`` scales the error (team arrays:
    an exhausted leader's, :func:`simulation.model.leader_state.reading_spread`).
    """
    hidden = hiding(state, p)[..., None]
    unsafe = 1.0 - np.asarray(state.psychological_safety)[..., None]
    sd = (p.observation_noise * (1.0 - accuracy) * (1.0 + p.hiding_noise * unsafe)
          * np.asarray(spread)[..., None])
    error = state.misreading
    shown = true_gaps(state, p)
    shown *= 1.0 - hidden[..., None]
    shown += sd[..., None] * error[..., : len(ROOT_CAUSES)]
    gaps = np.clip(shown, 0.0, 1.0)
    gaps = biased(gaps, CAUSE[bias_cause], bias_strength)
    trust = np.clip(state.trust + hidden * (1.0 - state.trust)
                    + sd * error[..., READING["trust"]], 0.0, 1.0)
    exhaustion = np.clip(state.exhaustion * (1.0 - hidden)
                         + sd * error[..., READING["exhaustion"]], 0.0, 1.0)
    true_team = np.stack([np.asarray(getattr(state, name), dtype=float)
                          for name in TEAM_READINGS], axis=-1)
    true_team *= np.where(CONFLICT_READINGS, 1.0 - hidden, 1.0)
    team = np.clip(true_team + sd * team_noise, 0.0, 1.0)
    return Observation(gaps=gaps, trust=trust, exhaustion=exhaustion, output=last_output,
                       tenure_weeks=state.tenure_weeks, active=state.active, team=team,
                       plan_weeks=state.improvement_plan_weeks)
