"""The leader as a person: how the weeks tire her, how calm weeks restore her, and what
exhaustion does to how she leads. Pure functions over team arrays (one value per run).

The depleted leader (Byrne et al. 2014; Barnes et al. 2015): hours of leading beyond her
capacity, crises and conflict in the team build her exhaustion; weeks below capacity let
her recover (Sonnentag & Fritz 2015 on recovery from work). An exhausted leader reads her
team less accurately (larger reading errors), keeps fewer of her commitments (part of the
week's planned 1:1s and sessions is not held) and more often meets a raised problem with
blame (self-control depleted: abusive supervision rises with the leader's depletion and
short sleep).

Her feedback cadence (``leader.feedback_cadence``): weekly 1:1s give feedback on the week's
work; under a fortnightly, quarterly or annual cadence the hours her strategy plans for
feedback each week are banked for the member's next conversation, and what they are about
loses value while it waits (:func:`scheduled_feedback`).
"""

from __future__ import annotations

from simulation.model.arrays import is_traced, np, put
from simulation.model.config import Parameters
from simulation.model.equations import team_level
from simulation.model.interventions import FEEDBACK


def leading_load(hours: np.ndarray, capacity_hours: float) -> np.ndarray:
    """The week's load on the leader: the hours she leads this team over the hours she
    sustains (1 at capacity)."""
    return np.asarray(hours, dtype=float) / capacity_hours


def exhaustion_step(exhaustion: np.ndarray, load: np.ndarray, in_crisis: np.ndarray | float,
                    relationship_conflict: np.ndarray, p: Parameters) -> np.ndarray:
    """The leader's exhaustion after a week: load above her capacity, a crisis under way
    and relationship conflict in the team build it (each a share of the way to full);
    load below capacity lets her recover a share of it, the larger the spare capacity."""
    building = (team_level(p.leader_strain_gain) * np.maximum(load - 1.0, 0.0)
                + team_level(p.leader_crisis_strain) * np.asarray(in_crisis)
                + team_level(p.leader_conflict_strain) * relationship_conflict)
    recovering = team_level(p.leader_recovery) * np.clip(1.0 - load, 0.0, 1.0)
    return np.clip(exhaustion + np.minimum(building, 1.0) * (1.0 - exhaustion)
                   - recovering * exhaustion, 0.0, 1.0)


def depletion(exhaustion: np.ndarray, p: Parameters) -> np.ndarray:
    """How depleted the leader is, in [0, 1]: nothing up to ``depleted_threshold`` of
    exhaustion (a little tiredness costs neither a reading nor a meeting), full at 1."""
    threshold = team_level(p.depleted_threshold)
    return np.maximum(np.asarray(exhaustion) - threshold, 0.0) / (1.0 - threshold)


def reading_spread(exhaustion: np.ndarray, p: Parameters) -> np.ndarray:
    """Factor on the spread of the leader's reading errors (1 until she is depleted)."""
    return 1.0 + team_level(p.depleted_reading) * depletion(exhaustion, p)


def hours_held(hours_left: np.ndarray, exhaustion: np.ndarray, p: Parameters) -> np.ndarray:
    """Of the hours a week leaves her, those a depleted leader still holds; the rest of her
    plan is cancelled like hours a crisis takes (broken commitments)."""
    return hours_left * (1.0 - team_level(p.depleted_hours) * depletion(exhaustion, p))


def extra_blame(exhaustion: np.ndarray, p: Parameters) -> np.ndarray:
    """Share of raised problems an exhausted leader meets with blame on top of her
    disposition."""
    return team_level(p.depleted_blame) * np.asarray(exhaustion)


def scheduled_feedback(granted: np.ndarray, bank: np.ndarray, week: int, cadence_weeks: int,
                       p: Parameters) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
    """The week's doses under the leader's feedback cadence, from the doses her week held
    (``granted``): those given this week, the review held this week (doses ``(...,
    members, interventions)``, or None when none is due) and the bank carried on.

    Every ``cadence_weeks`` weeks (at the end of each period: the last week of a fortnight,
    quarter or year) the leader holds each member's review; in the weeks between, the hours
    her week held for feedback (:data:`~simulation.model.interventions.FEEDBACK`) are not
    given but banked for it (hours a crisis took from the week bank nothing). A week's
    banked hours lose a share ``1 - exp(-1 / feedback_decay_weeks)`` of their value with
    every week they wait (feedback loses value with delay: Kulik & Kulik 1988), so a review
    gives the fresh equivalent of what was banked: under the default decay about 96% of a
    fortnight's hours, 61% of a quarter's and 22% of a year's. Weekly feedback
    (``cadence_weeks`` 1) is the week as it is.
    """
    if cadence_weeks <= 1:
        return granted, None, bank
    carried = bank * np.exp(-1.0 / team_level(p.feedback_decay_weeks))[..., None, None] \
        + granted[..., FEEDBACK]
    given = put(granted.copy(), (..., FEEDBACK), 0.0)
    if is_traced():  # the week is a traced number: every week may be a review's
        due = ((week + 1) % cadence_weeks) == 0
        return (given, put(np.zeros_like(granted), (..., FEEDBACK), np.where(due, carried, 0.0)),
                np.where(due, 0.0, carried))
    if (week + 1) % cadence_weeks:
        return given, None, carried
    review = put(np.zeros_like(granted), (..., FEEDBACK), carried)
    return given, review, np.zeros_like(bank)
