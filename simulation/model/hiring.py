"""Hiring as an act of the leader: the hours she puts into the search for a vacant slot's
next member (the intervention ``hire``) shorten the vacancy and bring a better hire.

A vacancy opens the week after a member leaves (or is moved or dismissed). Each week it is
open, its search advances by one week of the organisation's own recruiting, plus
``hire_speed`` weeks per unit of the leader's hiring effort that week; the new hire starts
at the beginning of the first week at which the search has come ``hiring_delay_weeks``
weeks far (:func:`vacancy_filled`). Without her effort that is exactly the hiring delay of
the calendar (``calendar_rules.hire_start_week``).

Her effort on a vacant slot in a week is the efficacy of the team's hiring hours in effect
shared over its vacant slots, at ``hire_saturation`` hours per slot (the hours are booked
on the filled slots, like every team intervention's). What she put into the whole search,
its mean effort (``hiring_effort``), raises the mean capability the new hire is drawn
around (``hire_capability_gain``: a structured search selects better, Schmidt & Hunter
1998) and their starting role clarity (``hire_clarity_gain``: a realistic preview of the
job, Premack & Wanous 1985), in :func:`simulation.model.state.with_new_hires`. Pure
functions over member arrays ``(..., members)``; nothing is drawn at random.
"""

from __future__ import annotations

from simulation.model import interventions as iv
from simulation.model.arrays import divide, maybe, np
from simulation.model.config import Parameters, ScenarioConfig
from simulation.model.equations import efficacy, last_dot, last_sum, team_level
from simulation.model.state import TeamState


def effort(in_effect: np.ndarray, active: np.ndarray, p: Parameters) -> np.ndarray:
    """The week's hiring effort on each vacant slot, in [0, 1) (0 for filled slots): the
    team's hiring hours in effect (``in_effect``, doses ``(..., members,
    interventions)``) shared equally over its vacant slots, at ``hire_saturation``."""
    vacant = 1.0 - active
    vacancies = last_sum(vacant)
    team_hours = last_dot(in_effect[..., iv.HIRE], active)
    per_vacancy = divide(team_hours, vacancies,
                         where=vacancies > 0)
    return efficacy(per_vacancy, team_level(p.hire_saturation))[..., None] * vacant


def searched(state: TeamState, in_effect: np.ndarray, p: Parameters) -> TeamState:
    """The state after a week of search: every slot that was vacant this week has been open
    a week longer, and its mean hiring effort takes in this week's (:func:`effort`)."""
    vacant = state.active == 0
    if not maybe(vacant.any()):
        return state
    weeks = state.vacancy_weeks + vacant
    this_week = effort(in_effect, state.active, p)
    moved = divide(this_week - state.hiring_effort, weeks,
                   where=weeks > 0)
    return state.replace(vacancy_weeks=weeks,
                         hiring_effort=np.where(vacant, state.hiring_effort + moved,
                                                state.hiring_effort))


def search_progress(state: TeamState, p: Parameters) -> np.ndarray:
    """How far each vacant slot's search has come, in weeks of the organisation's own
    recruiting: its weeks open, each worth ``1 + hire_speed`` x the leader's effort in it
    (``vacancy_weeks x (1 + hire_speed x hiring_effort)``)."""
    return state.vacancy_weeks * (1.0 + p.hire_speed * state.hiring_effort)


def vacancy_filled(state: TeamState, config: ScenarioConfig, p: Parameters) -> np.ndarray:
    """Mask of the vacant slots whose new hire starts at the beginning of this week: those
    whose search has come the hiring delay far (:func:`search_progress`)."""
    delay = config.environment.hiring_delay_weeks
    return (state.active == 0) & (search_progress(state, p) >= delay)
