"""Situational leadership as the built-in ``situational`` strategy reads it: each member's
situation (Hersey & Blanchard) and the team's stage of development (Tuckman 1965), each with
its approach, from the leader's observation."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.model.arrays import np
from simulation.model.diagnosis import Observation
from simulation.model.interventions import mix as profile

SITUATIONS: tuple[str, ...] = (
    "new_to_role",
    "struggling",
    "motivated_but_under_skilled",
    "capable_but_unmotivated",
    "experienced_performer",
    "developing",
)
"""The individual situations of situational leadership (Hersey & Blanchard)."""

SITUATION_APPROACH = np.array([
    profile(clarify=0.4, train=0.4, monitor=0.2),                # directing
    profile(clarify=0.3, coach=0.3, monitor=0.2, recognise=0.2),  # directing and supporting
    profile(train=0.5, coach=0.5),                                # coaching
    profile(recognise=0.5, empower=0.3, coach=0.2),               # supporting
    profile(empower=1.0),                                         # delegating
    profile(coach=0.5, clarify=0.2, recognise=0.3),               # coaching lightly
])
"""The approach for each situation, in SITUATIONS order."""

SITUATION_EMPHASIS = np.array([1.0, 1.2, 1.0, 1.0, 0.3, 0.8])
"""How much of the leader's attention each situation draws per unit of need."""


@dataclass(frozen=True)
class SituationThresholds:
    """Where situational leadership draws its lines, on the leader's reading."""

    new_to_role_weeks: float = 26.0
    """Tenure below which a member is new to the role (half a year)."""
    capable: float = 0.5
    """Observed capability from which a member counts as capable."""
    motivated: float = 0.5
    """Observed motivation from which a member counts as motivated."""
    experienced_weeks: float = 104.0
    """Tenure from which a capable, motivated member can be an experienced performer."""
    performer_capability: float = 0.6
    """Observed capability an experienced performer also needs."""


SITUATION_THRESHOLDS = SituationThresholds()
"""The thresholds the built-in situational strategy uses."""


def classify_situations(observation: Observation,
                        thresholds: SituationThresholds = SITUATION_THRESHOLDS) -> np.ndarray:
    """Each member's situation as an index into SITUATIONS, from the leader's reading."""
    capable = observation.capability >= thresholds.capable
    motivated = observation.motivation >= thresholds.motivated
    experienced = observation.tenure_weeks >= thresholds.experienced_weeks
    situation = SITUATIONS.index
    return np.select(
        [observation.tenure_weeks < thresholds.new_to_role_weeks,
         ~capable & ~motivated,
         ~capable & motivated,
         capable & ~motivated,
         capable & motivated & experienced
         & (observation.capability >= thresholds.performer_capability)],
        [situation("new_to_role"), situation("struggling"),
         situation("motivated_but_under_skilled"), situation("capable_but_unmotivated"),
         situation("experienced_performer")], default=situation("developing"))


TEAM_STAGES: tuple[str, ...] = ("forming", "storming", "norming", "performing")
"""The team's stage of development (Tuckman 1965), as situational leadership of a team
reads it."""

TEAM_STAGE_APPROACH = np.array([
    profile(team_building=0.4, set_goals=0.3, clarify_roles=0.3),  # forming: structure, bonds
    profile(mediate=0.5, clarify_roles=0.3, team_building=0.2),    # storming: settle conflict
    profile(retrospective=0.6, set_goals=0.4),                     # norming: shared standards
    profile(retrospective=0.5, set_goals=0.5),                     # performing: keep learning
])
"""The team approach for each stage, in TEAM_STAGES order."""

TEAM_STAGE_EMPHASIS = np.array([1.0, 1.2, 0.8, 0.3])
"""How much of the leader's attention each stage draws per unit of team need."""


def classify_team_stage(observation: Observation) -> np.ndarray:
    """The team's stage as an index into TEAM_STAGES, from the leader's reading: storming
    where relationship conflict shows, forming where the team does not yet hold together,
    norming where its norm of mutual accountability is weak, else performing."""
    read = observation.team_state
    return np.select(
        [read("relationship_conflict") >= 0.3,
         (read("cohesion") + read("psychological_safety")) / 2.0 < 0.45,
         read("mutual_accountability") < 0.5],
        [TEAM_STAGES.index("storming"), TEAM_STAGES.index("forming"),
         TEAM_STAGES.index("norming")], default=TEAM_STAGES.index("performing"))
