"""Successors: members grow ready to lead, and while the leader is away the most ready of
them deputises. Pure functions over member arrays ``(..., members)`` and team arrays
``(...)``.

Leadership readiness (``TeamState.leadership_readiness``) grows the way leaders are
developed in the field: from challenging, stretching assignments (the "70" of McCall,
Lombardo & Morrison's 1988 *Lessons of Experience*), sustained by feedback and coaching on
them (the "20" of developmental relationships), with quickly diminishing returns where
challenge comes without feedback (DeRue & Wellman 2009: feedback availability offsets the
diminishing returns of developmental challenge); it is learning, so a psychologically safe
team learns it faster and each member at her own rate; and it rests on the work itself,
so it grows only as far as the member's capability allows (Day et al. 2014 review leader
development as skill built on expertise and experience). Without development it
fades slowly.

While the leader's attention is withdrawn (an attention level below 1) the team's most
ready member deputises: she carries a share of the withdrawn leadership hours that rises
with her readiness, from none below ``deputy_readiness_floor`` to ``deputy_full_share``
at :data:`READINESS_THRESHOLD`, and the hours she leads come out of her own work. A
scenario that sets ``leader.deputy_share`` fixes the share instead (the deputy of files
written before readiness was modelled: nobody in particular, at no cost to anyone's work).
Nothing else reads readiness: it acts only through the deputy.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulation.model import interventions as iv
from simulation.model.arrays import divide, maybe, np
from simulation.model.config import Parameters
from simulation.model.equations import team_level
from simulation.model.member_dynamics import knowledge_of_results, landing, learning_climate
from simulation.model.state import TeamState

READINESS_THRESHOLD = 0.7
"""Readiness at and above which a member counts as ready to lead (P20, the quarterly
``ready_share``), and at which a deputy carries her full share."""


def readiness_ceiling(capability: np.ndarray, p: Parameters) -> np.ndarray:
    """The readiness to lead a member's capability allows: capability plus
    ``readiness_capability_margin``, at most 1 (one cannot be ready to lead what one
    cannot do)."""
    return np.minimum(capability + p.readiness_capability_margin, 1.0)


def feedback_that_lands(effect: np.ndarray, state: TeamState, p: Parameters) -> np.ndarray:
    """Coaching and feedback on the work that tell the member where she stands and are
    taken as help, in [0, 1): her knowledge of results
    (:func:`~simulation.model.member_dynamics.knowledge_of_results`) times how well
    feedback lands (:func:`~simulation.model.member_dynamics.landing`: not at all from a
    leader she does not trust)."""
    return knowledge_of_results(effect) * landing(state, p)


def development(effect: np.ndarray, state: TeamState, p: Parameters) -> np.ndarray:
    """The week's leader development, before climate and learning rate: the feedback that
    lands (``readiness_feedback_rate``), and stretch, the room to decide and lead that
    empowerment gives a capable member (``readiness_stretch_rate`` x its effect x her
    capability, as empowerment acts elsewhere), of which only ``readiness_unaided_stretch``
    develops without feedback on it (DeRue & Wellman 2009)."""
    feedback = feedback_that_lands(effect, state, p)
    unaided = p.readiness_unaided_stretch
    stretch = effect[..., iv.EMPOWER] * state.capability * (unaided + (1.0 - unaided)
                                                            * feedback)
    return p.readiness_feedback_rate * feedback + p.readiness_stretch_rate * stretch


def readiness_step(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """Leadership readiness after a week: the week's development and what doing the job
    teaches (``readiness_on_the_job``), scaled by the team's learning climate
    (psychological safety, :func:`~simulation.model.member_dynamics.learning_climate`) and
    the member's learning rate, close a share of the gap to the readiness her capability
    allows (:func:`readiness_ceiling`); ``readiness_decay`` of it fades every week."""
    growth = ((development(effect, state, p) + p.readiness_on_the_job)
              * learning_climate(state, p) * state.learning_rate)
    r = state.leadership_readiness
    room = np.maximum(readiness_ceiling(state.capability, p) - r, 0.0)
    return np.clip(r + np.minimum(growth, 1.0) * room - p.readiness_decay * r, 0.0, 1.0)


def ready(state: TeamState) -> np.ndarray:
    """Mask of the filled slots whose member is ready to lead (:data:`READINESS_THRESHOLD`)."""
    return (state.active > 0) & (state.leadership_readiness >= READINESS_THRESHOLD)


def most_ready(state: TeamState) -> np.ndarray:
    """``(..., members)`` mask of the deputy: the filled slot of highest readiness (the
    lower slot among equals; nobody in a team with every slot vacant)."""
    readiness = np.where(state.active > 0, state.leadership_readiness, -1.0)
    slots = np.arange(state.members)
    chosen = slots == np.argmax(readiness, axis=-1)[..., None]
    return chosen & (state.active > 0)


def deputy_share(readiness: np.ndarray, p: Parameters) -> np.ndarray:
    """Share of the withdrawn leadership a deputy of this readiness carries (team arrays):
    none up to ``deputy_readiness_floor``, rising linearly to ``deputy_full_share`` at
    :data:`READINESS_THRESHOLD` and staying there."""
    floor = team_level(p.deputy_readiness_floor)
    rising = np.clip((readiness - floor) / (READINESS_THRESHOLD - floor), 0.0, 1.0)
    return team_level(p.deputy_full_share) * rising


@dataclass(frozen=True)
class Deputy:
    """Who carries the leadership a withdrawal leaves, and how much of it."""

    attention_share: np.ndarray | float
    """Share of normal leadership the team gets: the schedule's level with what the
    deputy carries (team arrays)."""
    carried: np.ndarray | float
    """The part of that share the deputy carries (team arrays; 0 when nothing is withdrawn
    or ``leader.deputy_share`` fixes the share: that deputy is nobody in the team)."""
    member: np.ndarray | None
    """``(..., members)`` mask of the member who deputises (None when nobody in the team
    does)."""

    def hours(self, week_hours: np.ndarray) -> np.ndarray | float:
        """``(..., members)`` hours the deputy leads this week, out of the hours the team
        got (``week_hours``, team arrays): her part of them (0 for everyone else)."""
        if self.member is None:
            return 0.0
        share = np.asarray(self.attention_share)
        part = divide(self.carried, share, where=share > 0)
        return self.member * (week_hours * part)[..., None]


def attention_share(level: float | np.ndarray, share: float | np.ndarray
                    ) -> float | np.ndarray:
    """Share of normal leadership the team gets: the schedule's level, with a deputy
    carrying ``share`` of whatever is withdrawn (a level above 1 is the leader's overtime,
    and nothing is withdrawn)."""
    return level + np.maximum(1.0 - level, 0.0) * share


def deputise(state: TeamState, level: float | np.ndarray, fixed_share: float | None,
             p: Parameters) -> Deputy:
    """The week's deputy, from the state at its start: with ``leader.deputy_share`` set
    (``fixed_share``), that share of what is withdrawn, carried by nobody in the team;
    otherwise the most ready member (:func:`most_ready`), carrying :func:`deputy_share` of
    it."""
    if fixed_share is not None:
        return Deputy(attention_share(level, fixed_share), 0.0, None)
    withdrawn = np.maximum(1.0 - np.asarray(level, dtype=float), 0.0)
    if not maybe(np.any(withdrawn > 0)):
        return Deputy(level, 0.0, None)
    deputy = most_ready(state)
    readiness = np.max(np.where(deputy, state.leadership_readiness, 0.0), axis=-1)
    share = deputy_share(readiness, p)
    return Deputy(attention_share(level, share), withdrawn * share, deputy.astype(float))
