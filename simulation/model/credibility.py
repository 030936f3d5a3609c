"""The leader's credibility: whether her deeds match her words, as her team sees it.

Pure functions over team arrays ``(...)`` (one value per run), member arrays ``(...,
members)`` and plans ``(..., members, interventions)``. Credibility is the team's
perception of the leader's behavioural integrity, the fit between what she says and what
she does (Simons 2002), the integrity and benevolence that make a leader trusted (Mayer,
Davis & Schoorman 1995; Dirks & Ferrin 2002: trust in the leader rests on both), what
Kouzes & Posner call "do what you say you will do". The four trust behaviours build it:
reliability (kept 1:1 commitments), truth (``candour``), care (``care``) and transparency
(``transparency``). Broken commitments, unequal treatment that need does not explain
(favouritism: distributive justice, Colquitt et al. 2001) and inconsistency (priorities
that change from week to week) erode it. Credibility in turn scales how much trust the
leader's trust-building acts earn (:func:`credibility_factor`, used by
:func:`simulation.model.member_dynamics.trust_step`).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulation.model import interventions as iv
from simulation.model.arrays import np
from simulation.model.config import Parameters
from simulation.model.diagnosis import true_gaps
from simulation.model.equations import efficacy, last_sum, team_level
from simulation.model.state import TeamState


@dataclass(frozen=True)
class Conduct:
    """What the team sees of the leader's week besides her commitments (team arrays, each
    in [0, 1])."""

    favouritism: np.ndarray | float
    """How unequally her hours went, beyond what the members' needs explain
    (:func:`favouritism`)."""
    inconsistency: np.ndarray | float
    """How far her week's priorities departed from those she has shown
    (:func:`inconsistency`)."""


def need_shares(state: TeamState, p: Parameters) -> np.ndarray:
    """Each filled slot's share of the team's need, ``(..., members)``: its members' true
    gaps summed over the five root causes, over the team's sum (equal shares in a team with
    no gap at all; 0 for vacant slots)."""
    need = np.sum(true_gaps(state, p), axis=-1) * state.active
    total = last_sum(need)
    equal = state.active / np.maximum(state.headcount, 1.0)[..., None]
    return np.where((total > 0)[..., None],
                    need / np.where(total > 0, total, 1.0)[..., None], equal)


def favouritism(planned: np.ndarray, state: TeamState, p: Parameters) -> np.ndarray:
    """How unequally the leader shares her time among the members, beyond what their needs
    explain, in [0, 1) (team arrays).

    The share of her member hours (every intervention but the team ones) that goes to
    members beyond their share of the team's need (:func:`need_shares`): the total
    variation distance between the two distributions, 0 when hours follow need, near 1
    when all of them go to one member among many with equal needs, as far as the team
    notices it (:func:`noticed`). It is weighed by how
    visible her time is, the commitment weight of her mean hours per member
    (:func:`~simulation.model.equations.commitment_weight`): a few minutes given unequally
    are not noticed as a whole week is. Members judge the fairness of what they and their
    colleagues get against need (distributive justice: Colquitt et al. 2001; Deutsch
    1975 on the need norm)."""
    hours = planned[..., iv.MEMBER_LEVEL].sum(axis=-1)
    total = last_sum(hours)
    given = total > 0
    shares = hours / np.where(given, total, 1.0)[..., None]
    beyond = last_sum(np.maximum(shares - need_shares(state, p), 0.0))
    visible = efficacy(total / np.maximum(state.headcount, 1.0),
                       team_level(p.meeting_saturation))
    return np.where(given, noticed(beyond, p) * visible, 0.0)


def noticed(distance: np.ndarray, p: Parameters) -> np.ndarray:
    """The part of a distance between two shares of hours (in [0, 1]) that the team
    notices: nothing up to ``unnoticed_share``, all of it at 1 (members do not weigh their
    leader's hours to the minute, and a week's plan that follows a noisy reading of needs
    is not a slight)."""
    tolerance = team_level(p.unnoticed_share)
    return np.maximum(distance - tolerance, 0.0) / (1.0 - tolerance)


def priorities_of(planned: np.ndarray) -> np.ndarray:
    """The shares of a plan's hours by intervention, ``(..., interventions)`` (zeros for a
    plan with no hours)."""
    by_intervention = np.einsum("...mk->...k", planned)
    total = last_sum(by_intervention)
    return by_intervention / np.where(total > 0, total, 1.0)[..., None]


def inconsistency(planned: np.ndarray, priorities: np.ndarray, p: Parameters) -> np.ndarray:
    """How far the week's plan departs from the priorities the leader has shown, in [0, 1]
    (team arrays): the total variation distance between the shares of her planned hours by
    intervention and her shown priorities (``leader_priorities``), 0 for a plan that keeps
    to them and 1 for one that spends everything on what she never did before. A leader
    with no priorities shown yet (the start of a run) or no hours this week is not
    inconsistent; the team notices only the part beyond ``unnoticed_share``
    (:func:`noticed`). Saying one thing matters and doing another, or changing what matters
    from week to week, is the inconsistency that erodes behavioural integrity (Simons
    2002)."""
    week = priorities_of(planned)
    shown = last_sum(priorities) > 0
    planning = last_sum(week) > 0
    distance = 0.5 * last_sum(np.abs(week - priorities))
    return np.where(shown & planning, noticed(distance, p), 0.0)


def priorities_step(priorities: np.ndarray, planned: np.ndarray, p: Parameters) -> np.ndarray:
    """The priorities the leader has shown, after a week: they move a share
    ``priorities_rate`` of the way to the week's plan (the first plan sets them; a week
    without hours leaves them as they were)."""
    week = priorities_of(planned)
    shown = (last_sum(priorities) > 0)[..., None]
    planning = (last_sum(week) > 0)[..., None]
    rate = np.asarray(team_level(p.priorities_rate))[..., None]
    moved = np.where(shown, priorities + rate * (week - priorities), week)
    return np.where(planning, moved, priorities)


def credibility_step(state: TeamState, effect: np.ndarray, kept: np.ndarray,
                     breached: np.ndarray, conduct: Conduct | None, p: Parameters
                     ) -> np.ndarray:
    """The leader's credibility after a week (team arrays).

    Built slowly, lost quickly, like the trust it carries (Slovic 1993): kept 1:1
    commitments (``kept``, member weights in [0, 1)), care and candour in effect (their
    team means) and transparency close a share of the gap to full credibility; broken
    commitments (``breached``), favouritism and inconsistency (``conduct``) take a share of
    the credibility there is."""
    c = state.leader_credibility
    built = (team_level(p.credibility_gain) * state.mean(kept)
             + team_level(p.care_credibility_rate) * state.mean(effect[..., iv.CARE])
             + team_level(p.candour_credibility_rate) * state.mean(effect[..., iv.CANDOUR])
             + team_level(p.transparency_credibility_rate) * effect[..., 0, iv.TRANSPARENCY])
    lost = team_level(p.credibility_breach_loss) * state.mean(breached)
    if conduct is not None:
        lost = (lost + team_level(p.favouritism_credibility_loss) * conduct.favouritism
                + team_level(p.inconsistency_credibility_loss) * conduct.inconsistency)
    return np.clip(c + np.minimum(built, 1.0) * (1.0 - c) - np.minimum(lost, 1.0) * c,
                   0.0, 1.0)


def credibility_factor(credibility: np.ndarray, p: Parameters) -> np.ndarray:
    """The factor on the trust the leader's trust-building acts earn, ``(..., 1)`` for
    member arrays: 1 at ``credibility_reference``, ``credibility_trust_weight`` more per
    unit of credibility above it, as much less below, never below 0. Kept promises and
    care from a leader whose word has held are read as what they seem; from one whose
    word has not, as exceptions (Simons 2002; Dirks & Ferrin 2002)."""
    weight = team_level(p.credibility_trust_weight)
    reference = team_level(p.credibility_reference)
    factor = np.maximum(1.0 + weight * (np.asarray(credibility) - reference), 0.0)
    return np.asarray(factor)[..., None]
