"""The run's timeline in SimPy: weeks, quarterly reviews, the leader's attention schedule,
crises, emerging obstacles, changing conditions, vacancies and hiring delays.

Time is measured in weeks. Events of week ``w`` (a crisis breaking, a new obstacle, a
reassignment taking effect, a new hire starting) happen at time ``w``; the week's work
happens at ``w + 0.5``, so it always sees that week's events; the quarterly review follows
the last week's work at ``w + 0.75``. Whether an event strikes is decided by the run's
pre-drawn uniforms (see :mod:`simulation.randomness`), so the timeline is reproducible.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from simulation.config import WEEKS_PER_QUARTER, LeaderConfig, ScenarioConfig
from simulation.randomness import RunNoise

WORK_OFFSET = 0.5
REVIEW_OFFSET = 0.75

Process = Generator[simpy.Event, Any, None]


def weekly_probability(rate_per_quarter: float) -> float:
    """Chance that a Poisson event with the given quarterly rate strikes in a week."""
    return float(1.0 - np.exp(-rate_per_quarter / WEEKS_PER_QUARTER))


def attention_level(leader: LeaderConfig, quarter: int) -> float:
    """Share of normal hours the leader gives the team in a (1-based) quarter.

    A reassignment (``withdrawn_from_quarter``) applies first; ``attention`` stretches
    override it, and where stretches overlap the later one in the file wins.
    """
    level = 1.0
    start = leader.withdrawn_from_quarter
    if start and quarter >= start and (leader.withdrawn_quarters == 0
                                       or quarter < start + leader.withdrawn_quarters):
        level = leader.withdrawn_level
    for change in leader.attention:
        last = change.to_quarter or 10**9
        if change.from_quarter <= quarter <= last:
            level = change.level
    return level


class Calendar:
    """The SimPy environment and the processes that drive one run.

    ``work_week(week)`` is called once per week after that week's events;
    ``review_quarter(quarter)`` after each quarter's last week.
    """

    def __init__(self, config: ScenarioConfig, noise: RunNoise,
                 work_week: Callable[[int], None],
                 review_quarter: Callable[[int], None]) -> None:
        self.env = simpy.Environment()
        self.config = config
        self.noise = noise
        self.weeks = config.weeks
        self.attention_level = 1.0
        self.crisis_hours = 0.0
        self.crises_active = 0
        self.crises_started = 0
        self.obstacle_shock = 0.0
        self.change_shock = 0.0
        self.hires_due: list[int] = []
        self._work_week = work_week
        self._review_quarter = review_quarter
        env = self.env
        env.process(self._attention_schedule())
        env.process(self._crises())
        env.process(self._emerging_obstacles())
        env.process(self._changing_conditions())
        env.process(self._working_weeks())
        env.process(self._quarterly_reviews())

    @property
    def week(self) -> int:
        """The week the calendar is in (0-based); equals the weeks done once a week ends."""
        return int(self.env.now)

    @property
    def finished(self) -> bool:
        """Whether every week of the run has been worked."""
        return self.env.now >= self.weeks

    def run_week(self) -> None:
        """Advance the timeline through one week: its events, its work, any review."""
        if self.finished:
            raise RuntimeError("the run is over: every week has been simulated")
        self.env.run(until=self.week + 1)

    def take_week_events(self) -> tuple[float, float, list[int]]:
        """This week's obstacle and change shocks and the slots whose new hires start now;
        the calendar forgets them once taken."""
        taken = (self.obstacle_shock, self.change_shock, self.hires_due)
        self.obstacle_shock, self.change_shock, self.hires_due = 0.0, 0.0, []
        return taken

    def start_hiring(self, slot: int) -> None:
        """Open a vacancy: the new hire starts after the hiring delay."""
        self.env.process(self._hire(slot))

    # --- processes --------------------------------------------------------------------

    def _working_weeks(self) -> Process:
        yield self.env.timeout(WORK_OFFSET)
        for week in range(self.weeks):
            self._work_week(week)
            if week < self.weeks - 1:
                yield self.env.timeout(1)

    def _quarterly_reviews(self) -> Process:
        yield self.env.timeout(WEEKS_PER_QUARTER - 1 + REVIEW_OFFSET)
        for quarter in range(1, self.config.quarters + 1):
            self._review_quarter(quarter)
            if quarter < self.config.quarters:
                yield self.env.timeout(WEEKS_PER_QUARTER)

    def _attention_schedule(self) -> Process:
        for week in range(self.weeks):
            self.attention_level = attention_level(self.config.leader,
                                                   week // WEEKS_PER_QUARTER + 1)
            yield self.env.timeout(1)

    def _crises(self) -> Process:
        chance = weekly_probability(self.config.environment.crisis_rate)
        scheduled = set(self.config.environment.scheduled_crises)
        for week in range(self.weeks):
            if self.noise.crisis[week] < chance:
                self.env.process(self._crisis())
            if week + 1 in scheduled:
                self.env.process(self._crisis())
            yield self.env.timeout(1)

    def _crisis(self) -> Process:
        """A crisis pulls the leader's hours and adds pressure while it lasts."""
        hours = self.config.environment.crisis_hours
        self.crises_started += 1
        self.crises_active += 1
        self.crisis_hours += hours
        yield self.env.timeout(self.config.environment.crisis_weeks)
        self.crises_active -= 1
        self.crisis_hours -= hours

    def _emerging_obstacles(self) -> Process:
        env_config = self.config.environment
        chance = weekly_probability(env_config.obstacle_rate)
        for week in range(self.weeks):
            if self.noise.obstacle[week] < chance:
                self.obstacle_shock = env_config.obstacle_size
            yield self.env.timeout(1)

    def _changing_conditions(self) -> Process:
        env_config = self.config.environment
        chance = weekly_probability(env_config.change_rate)
        for week in range(self.weeks):
            if self.noise.change[week] < chance:
                self.change_shock = env_config.change_size
            yield self.env.timeout(1)

    def _hire(self, slot: int) -> Process:
        """A vacancy: open for the hiring delay, then the new hire starts at a week's start."""
        yield self.env.timeout(self.config.environment.hiring_delay_weeks + 1 - WORK_OFFSET)
        self.hires_due.append(slot)
