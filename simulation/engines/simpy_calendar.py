"""The run's timeline in SimPy: weeks, quarterly reviews, the leader's attention schedule,
crises, emerging obstacles, changing conditions, vacancies and hiring delays.

The rules (when each event strikes, how long a crisis lasts, when a vacancy is filled) are
those of :mod:`simulation.model.calendar_rules`, the same the batched engine lays out as
arrays; here they fire as SimPy events. Time is measured in weeks. Events of week ``w`` (a
crisis breaking, a new obstacle, a reassignment taking effect, a new hire starting) happen
at time ``w``; the week's work happens at ``w + 0.5``, so it always sees that week's
events; the quarterly review follows the last week's work at ``w + 0.75``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import numpy as np
import simpy

from simulation.model import calendar_rules as rules
from simulation.model.config import WEEKS_PER_QUARTER, ScenarioConfig
from simulation.model.randomness import RunNoise
from simulation.model.week import WeekEvents

WORK_OFFSET = 0.5
REVIEW_OFFSET = 0.75

Process = Generator[simpy.Event, Any, None]


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
        self.weeks = config.weeks
        self.timeline = rules.timeline(config, noise)
        self.attention_level = 1.0
        self.crises_active = 0
        self.crises_started = 0
        self.obstacle_shock = 0.0
        self.change_shock = 0.0
        self.hires_due: list[int] = []
        self._work_week = work_week
        self._review_quarter = review_quarter
        env = self.env
        env.process(self._week_starts())
        env.process(self._crises())
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

    def run_to_work(self) -> None:
        """Advance the timeline through the coming week's events, to just before its work
        (an organisation then sets the week of a leader of several teams)."""
        if self.finished:
            raise RuntimeError("the run is over: every week has been simulated")
        self.env.run(until=self.week + WORK_OFFSET)

    def take_week_events(self) -> tuple[WeekEvents, list[int]]:
        """What this week brings (the attention schedule's level, crises, shocks, the new
        hires who start now) and the slots of those new hires. The calendar forgets the one-off
        events once taken."""
        hired = np.zeros(self.config.team.size, dtype=bool)
        if self.hires_due:
            hired[self.hires_due] = True
        events = WeekEvents(
            attention_level=self.attention_level,
            crises_active=float(self.crises_active),
            crises_started=float(self.crises_started),
            obstacle_shock=self.obstacle_shock,
            change_shock=self.change_shock,
            hired=hired)
        slots = self.hires_due
        self.obstacle_shock, self.change_shock, self.hires_due = 0.0, 0.0, []
        self.crises_started = 0
        return events, slots

    def start_hiring(self, slot: int, leaving_week: int,
                     filled: Callable[[int], bool]) -> None:
        """Open a vacancy: the new hire starts at the first week's start at which
        ``filled(slot)`` finds the search done (``hiring.vacancy_filled`` on the
        model's state)."""
        self.env.process(self._hire(slot, leaving_week, filled))

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

    def _week_starts(self) -> Process:
        """The schedule's level takes effect at each week's start; a new obstacle may
        emerge and conditions may change."""
        timeline = self.timeline
        for week in range(self.weeks):
            self.attention_level = float(timeline.attention_level[week])
            self.obstacle_shock = float(timeline.obstacle_shock[week])
            self.change_shock = float(timeline.change_shock[week])
            yield self.env.timeout(1)

    def _crises(self) -> Process:
        for week in range(self.weeks):
            for _ in range(int(self.timeline.crises_started[week])):
                self.env.process(self._crisis())
            yield self.env.timeout(1)

    def _crisis(self) -> Process:
        """A crisis pulls the leader's hours and adds pressure while it lasts."""
        self.crises_started += 1
        self.crises_active += 1
        yield self.env.timeout(rules.crisis_duration(self.config))
        self.crises_active -= 1

    def _hire(self, slot: int, leaving_week: int, filled: Callable[[int], bool]) -> Process:
        """A vacancy: open from the week after the departure, checked at each week's start
        until its search is done; then the new hire starts."""
        yield self.env.timeout(leaving_week + 1 - self.env.now)
        while not filled(slot):
            yield self.env.timeout(1)
        self.hires_due.append(slot)
