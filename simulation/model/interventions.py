"""The intervention catalogue: what a leader can spend an hour on.

Each intervention matches a root cause of a performance gap (or, for system building,
empowerment, micromanagement and goal-setting, a way of leading; for care, candour and
transparency, a trust behaviour). The numbers (weekly effect at full
dose, lag, saturation) live in :class:`simulation.model.config.Parameters` so that they
can be calibrated and varied; the equations that apply them live in
:mod:`simulation.model.member_dynamics` and :mod:`simulation.model.team_dynamics`.

A dose is leader hours per member per intervention in one week: an array of shape
``(..., members, COUNT)`` indexed by the constants below.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy

from simulation.model.arrays import is_traced, np
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
    Intervention("team_building", "collaboration",
                 "cohesion; the strength of the working ties",
                 "takes the whole team's hours away from the work", one_to_one=False),
    Intervention("mediate", "conflict",
                 "relationship conflict heals faster",
                 "does little where the team does not trust the leader", one_to_one=False),
    Intervention("clarify_roles", "roles",
                 "every member's role clarity at once (gaps and overlaps settled together)",
                 "none beyond the hours", one_to_one=False),
    Intervention("retrospective", "mutual_accountability",
                 "the norm of mutual accountability; team learning; psychological safety "
                 "when run with curiosity",
                 "takes the team's hours; run with blame it lowers safety", one_to_one=False),
    Intervention("set_goals", "",
                 "effort toward specific, challenging goals; collective efficacy",
                 "acts less on complex tasks, where it also narrows learning",
                 one_to_one=False),
    Intervention("care", "",
                 "trust (benevolence: time on the member's wellbeing and development as a "
                 "person); the member's exhaustion a little; the leader's credibility",
                 "none beyond the hours", one_to_one=True),
    Intervention("candour", "",
                 "an honest conversation about where the member stands: the leader's "
                 "credibility; trust where it lands; knowledge of results",
                 "lands only where the member trusts the leader enough", one_to_one=True),
    Intervention("transparency", "",
                 "sharing information and the reasons for decisions with the team: the "
                 "leader's credibility; psychological safety and the team's direction a "
                 "little", "none beyond the hours", one_to_one=False),
    Intervention("performance_conversation", "",
                 "a 1:1 on the member's performance that agrees actions on the gap: "
                 "accountability and role clarity while the actions stay open; as good as "
                 "the leader's reading of the member, and it fades without a follow-up",
                 "aimed by a wrong reading it agrees the wrong actions and does little",
                 one_to_one=True),
    Intervention("hire", "",
                 "the search for a vacant slot's next member: a shorter vacancy, a more "
                 "capable hire who starts clearer about the role",
                 "does nothing while no slot is vacant", one_to_one=False),
)

NAMES: tuple[str, ...] = tuple(item.name for item in CATALOGUE)
COUNT = len(CATALOGUE)
(CLARIFY, TRAIN, COACH, RECOGNISE, REMOVE_OBSTACLES, MONITOR, BUILD_SYSTEMS, EMPOWER,
 MICROMANAGE, TEAM_BUILDING, MEDIATE, CLARIFY_ROLES, RETROSPECTIVE, SET_GOALS, CARE, CANDOUR,
 TRANSPARENCY, PERFORMANCE_CONVERSATION, HIRE) = range(COUNT)

TRUST_BEHAVIOURS = (CARE, CANDOUR, TRANSPARENCY)
"""The trust behaviours that are acts of their own (truth as candour, care, transparency);
the fourth, reliability, is keeping the week's 1:1 commitments (docs/MODEL.md §7.21)."""

TEAM_LEVEL = (BUILD_SYSTEMS, TEAM_BUILDING, MEDIATE, CLARIFY_ROLES, RETROSPECTIVE, SET_GOALS,
              TRANSPARENCY, HIRE)
"""Interventions that act on the team as a whole: their effect follows the team hours (the
leader's hours summed over the members), with a saturation in team hours. Hiring's hours
are the team's too, shared over its vacant slots (:mod:`simulation.model.hiring`)."""

MEMBER_LEVEL = tuple(k for k in range(COUNT) if k not in TEAM_LEVEL)
"""Interventions held with one member: their hours are the member's own (the others act on
the team as a whole, whichever slot their hours are booked on)."""
TEAM_LEVEL_MASK = numpy.isin(numpy.arange(COUNT), TEAM_LEVEL)
"""True on the last axis's positions of the team-level interventions."""

TEAM_SESSIONS = (TEAM_BUILDING, RETROSPECTIVE)
"""Team interventions the whole team attends: their hours come out of every member's
working week."""

FEEDBACK = (COACH, RECOGNISE, MONITOR, CANDOUR)
"""Interventions that are feedback to the member on their work (developmental, positive,
corrective, and candour about where they stand): what the leader's feedback cadence
schedules (``leader.feedback_cadence``)."""
IS_FEEDBACK = np.isin(np.arange(COUNT), FEEDBACK)
"""Mask over interventions: which are feedback (:data:`FEEDBACK`)."""

ONE_TO_ONE = np.array([item.one_to_one for item in CATALOGUE])
"""Mask over interventions: which count as 1:1 time with the member."""

PRIMARY_SHARE = 0.75
"""Share of a cause's remedy that goes to its primary interventions (the rest to the
secondary column of the practitioner's root-cause matrix)."""

PRIMARY: dict[str, str] = {
    "capability": "train",
    "motivation": "recognise",
    "environment": "remove_obstacles",
    "direction": "clarify",
    "accountability": "monitor",
    "collaboration": "team_building",
    "roles": "clarify_roles",
    "mutual_accountability": "retrospective",
    "conflict": "mediate",
}
"""The primary remedy of each root cause, member-level and team-level."""

SECONDARY: dict[str, str] = {
    "capability": "coach",  # practice and support on the job
    "motivation": "empower",  # the work's environment: autonomy (obstacles are their own cause)
    "environment": "build_systems",  # fix the process, not only today's obstacle
    "direction": "monitor",  # feedback and accountability on the expectations
    "accountability": "clarify",  # consequences need clear expectations
    "collaboration": "clarify_roles",  # who does what with whom
    "roles": "set_goals",  # shared goals settle overlaps
    "mutual_accountability": "set_goals",  # commitments made specific and visible
    "conflict": "clarify_roles",  # unclear roles turn disagreement personal
}
"""The secondary column of the root-cause matrix: what supports the primary remedy."""

REMEDIES: dict[str, dict[str, float]] = {
    cause: {PRIMARY[cause]: PRIMARY_SHARE, SECONDARY[cause]: 1.0 - PRIMARY_SHARE}
    for cause in PRIMARY}
"""The root-cause matrix: the mix of interventions matched to each root cause (member
causes and team causes), primary and secondary."""

MATCHED: dict[str, int] = {cause: NAMES.index(name) for cause, name in PRIMARY.items()}
"""The main matched intervention for each root cause."""


def index(name: str) -> int:
    """Position of an intervention by name."""
    try:
        return NAMES.index(name)
    except ValueError:
        raise KeyError(f"unknown intervention {name!r} (known: {', '.join(NAMES)})") from None


def mix(**shares: float) -> np.ndarray:
    """An intervention mix by name, e.g. ``mix(train=0.5, coach=0.5)``, in catalogue order."""
    weights = numpy.zeros(COUNT)  # a constant, whatever ``np`` is
    for name, share in shares.items():
        weights[index(name)] = share
    return weights


def lags(params: Parameters) -> np.ndarray:
    """Lag in weeks of every intervention, in catalogue order (last axis)."""
    return _by_intervention(params, "lag")


def saturations(params: Parameters) -> np.ndarray:
    """Hours for 63% of full effect of every intervention, in catalogue order (last axis)."""
    return _by_intervention(params, "saturation")


def _by_intervention(params: Parameters, kind: str) -> np.ndarray:
    """A per-intervention parameter along a last axis; with per-run parameter arrays
    ``(runs, 1)`` the result is ``(runs, 1, interventions)``. Read-only: for plain
    numbers it is built once per parameter set (the engines ask for it every week)."""
    if is_traced():  # the parameters are traced numbers
        return _stacked(params, kind)
    try:
        return _constant_by_intervention(params, kind)
    except TypeError:  # per-run arrays: not hashable, built afresh
        return _stacked(params, kind)


@functools.lru_cache(maxsize=64)
def _constant_by_intervention(params: Parameters, kind: str) -> np.ndarray:
    stacked = _stacked(params, kind)
    stacked.flags.writeable = False
    return stacked


def _stacked(params: Parameters, kind: str) -> np.ndarray:
    values = [getattr(params, f"{name}_{kind}") for name in NAMES]
    return np.stack(np.broadcast_arrays(*values), axis=-1)
