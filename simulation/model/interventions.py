"""The intervention catalogue: what a leader can spend an hour on.

Each intervention matches a root cause of a performance gap (or, for system building,
empowerment and micromanagement, a way of leading). The numbers (weekly effect at full
dose, lag, saturation) live in :class:`simulation.model.config.Parameters` so that they
can be calibrated and varied; the equations that apply them live in
:mod:`simulation.model.member_dynamics` and :mod:`simulation.model.team_dynamics`.

A dose is leader hours per member per intervention in one week: an array of shape
``(..., members, COUNT)`` indexed by the constants below.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.model.config import Parameters


@dataclass(frozen=True)
class Intervention:
    """One entry of the catalogue."""

    name: str
    matches: str
    """The root cause this intervention is the matched remedy for ('' if none)."""
    moves: str
    """The states it moves, in words."""
    side_effects: str
    one_to_one: bool
    """Whether an hour of it is time in a 1:1 with the member (a commitment that can be
    kept or cancelled)."""


CATALOGUE: tuple[Intervention, ...] = (
    Intervention("clarify", "direction",
                 "role clarity fast (weeks); the team's direction",
                 "none", one_to_one=True),
    Intervention("train", "capability",
                 "capability toward its ceiling along a learning curve (weeks to months)",
                 "takes the member's own hours away from the work in the short run",
                 one_to_one=False),
    Intervention("coach", "capability",
                 "capability slowly; motivation and accountability a little",
                 "none", one_to_one=True),
    Intervention("recognise", "motivation",
                 "motivation (purpose and recognition); trust a little",
                 "strongly diminishing returns", one_to_one=True),
    Intervention("remove_obstacles", "environment",
                 "the member's perceived obstacles; the environment's barriers",
                 "none", one_to_one=False),
    Intervention("monitor", "accountability",
                 "scrutiny (transient, the Hawthorne effect); accountability through feedback "
                 "and consequences",
                 "feedback under low trust lowers motivation and trust",
                 one_to_one=True),
    Intervention("build_systems", "",
                 "the team's systems and practice, which embed gains in habits",
                 "pays off only over quarters", one_to_one=False),
    Intervention("empower", "",
                 "motivation and trust of capable members (autonomy)",
                 "little effect on members who lack the capability", one_to_one=True),
    Intervention("micromanage", "",
                 "accountability and scrutiny up in the short run",
                 "motivation, trust and psychological safety down, most for experienced, "
                 "capable members", one_to_one=True),
)

NAMES: tuple[str, ...] = tuple(item.name for item in CATALOGUE)
COUNT = len(CATALOGUE)
(CLARIFY, TRAIN, COACH, RECOGNISE, REMOVE_OBSTACLES, MONITOR, BUILD_SYSTEMS, EMPOWER,
 MICROMANAGE) = range(COUNT)

ONE_TO_ONE = np.array([item.one_to_one for item in CATALOGUE])
"""Mask over interventions: which count as 1:1 time with the member."""

REMEDIES: dict[str, dict[str, float]] = {
    "capability": {"train": 0.7, "coach": 0.3},
    "motivation": {"recognise": 1.0},
    "environment": {"remove_obstacles": 1.0},
    "direction": {"clarify": 1.0},
    "accountability": {"monitor": 1.0},
}
"""The root-cause matrix: the mix of interventions matched to each root cause (training
carries a capability gap, with coaching to apply it on the job)."""

MATCHED: dict[str, int] = {cause: NAMES.index(max(mix, key=mix.__getitem__))
                           for cause, mix in REMEDIES.items()}
"""The main matched intervention for each root cause."""


def index(name: str) -> int:
    """Position of an intervention by name."""
    try:
        return NAMES.index(name)
    except ValueError:
        raise KeyError(f"unknown intervention {name!r} (known: {', '.join(NAMES)})") from None


def lags(params: Parameters) -> np.ndarray:
    """Lag in weeks of every intervention, in catalogue order (last axis)."""
    return _by_intervention(params, "lag")


def saturations(params: Parameters) -> np.ndarray:
    """Hours for 63% of full effect of every intervention, in catalogue order (last axis)."""
    return _by_intervention(params, "saturation")


def _by_intervention(params: Parameters, kind: str) -> np.ndarray:
    """A per-intervention parameter along a last axis; with per-run parameter arrays
    ``(runs, 1)`` the result is ``(runs, 1, interventions)``."""
    values = [getattr(params, f"{name}_{kind}") for name in NAMES]
    return np.stack(np.broadcast_arrays(*values), axis=-1)
