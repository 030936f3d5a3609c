"""TeamModel: the Mesa model of a team and its leader, stepped one week at a time.

    model = TeamModel(scenario="baseline", seed=7)
    model.run()
    model.quarterly_frame()

Each ``step()`` advances the SimPy calendar through one week: that week's events (crises,
obstacles, changed conditions, new hires, the attention schedule), then the week's work
(:func:`simulation.model.week.simulate_week`: the leader observes, plans and spends the
hours the week leaves; the team produces and its state moves by the equations; members
may leave), then, at a quarter's end, the quarterly review. The agents follow the state:
a departure removes its agent, a new hire is a new agent in the slot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from simulation.engines.agents import Leader, TeamMember, checked_value
from simulation.engines.simpy_calendar import Calendar
from simulation.model import hiring
from simulation.model import interventions as iv
from simulation.model.config import ScenarioConfig
from simulation.model.metrics import WeeklyRecord
from simulation.model.randomness import draw_run_noise, run_generator
from simulation.model.scenario_files import load_scenario
from simulation.model.state import TEAM_MEASURES, TEAM_VARIABLES
from simulation.model.strategies import REGISTRY, StrategyRegistry
from simulation.model.week import WeekEvents, WeekOutcome, simulate_week


class TeamModel(mesa.Model):
    """A team of members and their leader over simulated quarters.

    Args:
        scenario: a ScenarioConfig, a scenario file path or a shipped scenario's name.
        seed: base seed of the replications (the scenario's own seed if None).
        replication: which replication of that seed this run is (common random numbers:
            replication k meets the same random numbers under every strategy).
        registry: where the leader's strategy is looked up.
    """

    def __init__(self, scenario: ScenarioConfig | str | Path = "baseline", *,
                 seed: int | None = None, replication: int = 0,
                 registry: StrategyRegistry = REGISTRY) -> None:
        config = scenario if isinstance(scenario, ScenarioConfig) else load_scenario(scenario)
        self.config = config
        self.params = config.parameters
        self.seed = config.seed if seed is None else int(seed)
        self.replication = replication
        generator = run_generator(self.seed, replication)
        members = config.team.size
        # The run's noise is drawn before Mesa touches the generator, so its layout does not
        # depend on Mesa's internals.
        self.noise = draw_run_noise(generator, config.weeks, members)
        super().__init__(rng=generator)
        self.state = self.noise.starting_team(config)
        self.last_output = np.zeros(members)
        self.members: list[TeamMember | None] = [TeamMember(self, slot)
                                                 for slot in range(members)]
        self.leader = Leader(self, config.leader, registry.get(config.leader.strategy))
        self.record = WeeklyRecord(config.weeks, members)
        self.quarter_rows: list[dict[str, Any]] = []
        self._given: WeekOutcome | None = None
        self.calendar = Calendar(config, self.noise, self._work_week, self._review_quarter)

    # --- Mesa interface -------------------------------------------------------------------

    def step(self) -> None:
        """Simulate one week."""
        self.calendar.run_week()
        self.running = not self.calendar.finished

    def run(self) -> TeamModel:
        """Simulate every remaining week of the scenario."""
        while not self.calendar.finished:
            self.step()
        return self

    def release(self) -> None:
        """Drop Mesa's class-level reference to this model so a long sweep does not leak."""
        mesa.Agent._ids.pop(self, None)

    # --- the week -------------------------------------------------------------------------

    @property
    def weeks_done(self) -> int:
        """Weeks simulated so far."""
        return self.calendar.week

    @property
    def team(self) -> list[TeamMember]:
        """The members currently in the team (vacant slots left out)."""
        return [member for member in self.members if member is not None]

    def begin_week(self) -> WeekEvents:
        """Take the week's events from the calendar (run to the week's work) and welcome
        its new hires as agents; an organisation calls it, then :meth:`give` the week."""
        events, hired = self.calendar.take_week_events()
        for slot in hired:
            self.members[slot] = TeamMember(self, slot)
        return events

    def give(self, outcome: WeekOutcome) -> None:
        """The coming week's outcome, worked out by the organisation the team is in
        (:class:`simulation.engines.organisation_model.OrganisationModel`)."""
        self._given = outcome

    def _work_week(self, week: int) -> None:
        outcome, self._given = self._given, None
        if outcome is None:
            outcome = simulate_week(self.state, self.last_output, week, self.begin_week(),
                                    self.noise.week(week), self.config, self.leader.planner,
                                    self.params)
        self.state, self.last_output = outcome.state, outcome.produced.member_output
        self.leader.remember(outcome)
        if outcome.leaving.any():
            for leaver in np.flatnonzero(outcome.leaving):
                self._depart(int(leaver), week)
        self.record.record(week, outcome, np.array(
            [m.unique_id if m is not None else 0 for m in self.members]))

    def _depart(self, slot: int, week: int) -> None:
        """A member leaves (of their own accord, or moved or dismissed): their agent is removed
        and the vacancy opens."""
        member = self.members[slot]
        if member is not None:
            member.remove()
        self.members[slot] = None
        self.calendar.start_hiring(slot, week, self._vacancy_filled)

    def _vacancy_filled(self, slot: int) -> bool:
        """Whether the search for a vacant slot's next member is done (the calendar's rule on
        the state after the last week worked)."""
        return bool(hiring.vacancy_filled(self.state, self.config, self.params)[slot])

    def _review_quarter(self, quarter: int) -> None:
        row = {"quarter": quarter, **self.record.quarter_row(quarter)}
        self.quarter_rows.append(row)

    # --- results --------------------------------------------------------------------------

    def quarterly_frame(self) -> pd.DataFrame:
        """One tidy row per completed quarter, with the run's identity."""
        frame = pd.DataFrame(self.quarter_rows)
        frame.insert(0, "scenario", self.config.name)
        frame.insert(1, "strategy", self.config.leader.strategy)
        frame.insert(2, "seed", self.seed)
        frame.insert(3, "replication", self.replication)
        return frame

    def weekly_frame(self) -> pd.DataFrame:
        """One row per simulated week."""
        return self.record.weekly_frame(self.weeks_done)

    def member_frame(self) -> pd.DataFrame:
        """Member-level detail: one row per member per simulated week."""
        return self.record.member_frame(self.weeks_done)

    def hours_by_intervention(self) -> dict[str, float]:
        """Leader hours granted so far, per intervention."""
        totals = np.sum(self.record.hours[: self.weeks_done, 0], axis=0)
        return {name: float(totals[index]) for index, name in enumerate(iv.NAMES)}


class TeamStateView:
    """Descriptor: the model's view of one team-level state (a float). Assigning a team
    state variable writes it through to the model's state (from 0 to 1); the measures
    derived from the state (``tie_strength``) cannot be assigned."""

    def __init__(self, variable: str, meaning: str) -> None:
        self.variable = variable
        self.__doc__ = meaning

    def __get__(self, model: TeamModel | None, owner: type | None = None) -> Any:
        if model is None:
            return self
        return float(getattr(model.state, self.variable))

    def __set__(self, model: TeamModel, value: Any) -> None:
        if self.variable not in TEAM_VARIABLES:
            raise AttributeError(f"{self.variable} is measured from the team's state, not "
                                 "assigned")
        number = checked_value(self.variable, value, 0.0, 1.0)
        model.state = model.state.replace(**{self.variable: np.asarray(number)[()]})


for _variable, _meaning in {**TEAM_VARIABLES, **TEAM_MEASURES}.items():
    setattr(TeamModel, _variable, TeamStateView(_variable, _meaning))
