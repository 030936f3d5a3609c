"""The member states of performance management and hiring (docs/MODEL.md §7.23): their
meanings, those a departure clears, and what a vacancy's search and a low performer's
ceiling make of a starting member. Pure functions over member arrays; the state
(:mod:`simulation.model.state`) builds on them."""

from __future__ import annotations

from simulation.model.arrays import np
from simulation.model.config import Parameters, TeamConfig

PERFORMANCE_VARIABLES: dict[str, str] = {
    "agreed_actions": "how far the actions agreed in the member's performance conversations "
                      "are still open: as right as the leader's reading of the member when "
                      "they were agreed, lapsing without a follow-up",
    "improvement_plan_weeks": "weeks left to the deadline of the member's improvement plan "
                              "(without plans, to the leader's decision on a member whose "
                              "output stays low; 0 upward, 0 when there is none)",
    "plan_support": "the support the member's current (or last) plan has given: the mean "
                    "of their open agreed actions over its weeks",
    "low_output_weeks": "weeks in a row the member's output has stayed below the leader's "
                        "standard (`leader.plan_threshold` of the team's; 0 upward, counted "
                        "while she runs plans or decisions)",
    "vacancy_weeks": "weeks a vacant slot has been open (0 upward; 0 for a filled slot)",
    "hiring_effort": "the leader's mean hiring effort over a vacant slot's weeks so far (0 "
                     "for a filled slot)",
}
"""Per-member states of performance management and hiring: name and meaning (0 for every
starting member and every new hire)."""

PERFORMANCE_MANAGEMENT: tuple[str, ...] = tuple(PERFORMANCE_VARIABLES)
"""Their names, in the state's order."""

PLAN_STATES: tuple[str, ...] = PERFORMANCE_MANAGEMENT[:4]
"""Those a member's departure clears (the search's states are 0 while a slot is filled)."""


def searched_hire(effort: np.ndarray, new_hire_capability: float, p: Parameters
                  ) -> tuple[np.ndarray, np.ndarray]:
    """The mean a new hire's capability is drawn around and their starting role clarity,
    after a search of mean effort ``effort`` (``hiring_effort``; 0: the new-hire values)."""
    capability = new_hire_capability + p.hire_capability_gain * effort
    clarity = p.new_hire_role_clarity + p.hire_clarity_gain * effort * (
        1.0 - p.new_hire_role_clarity)
    return capability, clarity


def with_low_performers(team: TeamConfig, p: Parameters, capability: np.ndarray,
                        ceiling: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starting capability and ceiling with the ``team.low_performers`` slots after any bad
    apples and stars held to ``low_performer_ceiling``: they cannot grow into the job."""
    if not team.low_performers:
        return capability, ceiling
    slot = np.arange(capability.shape[-1])
    first = team.bad_apples + team.stars
    low = (slot >= first) & (slot < first + team.low_performers)
    return (np.where(low, np.minimum(capability, p.low_performer_ceiling), capability),
            np.where(low, p.low_performer_ceiling, ceiling))
