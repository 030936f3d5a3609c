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

import secrets
from pathlib import Path
from typing import Any

import mesa
import numpy as np
import pandas as pd

from simulation.engines.agents import Leader, TeamMember, checked_value
from simulation.engines.mesa_data import model_columns, team_collector
from simulation.engines.simpy_calendar import Calendar
from simulation.model import hiring
from simulation.model import interventions as iv
from simulation.model.config import ScenarioConfig
from simulation.model.metrics import REPORTED_MEMBER_STATES, WeeklyRecord
from simulation.model.randomness import draw_run_noise, run_generator
from simulation.model.scenario_files import keyword_overrides, load_scenario, with_overrides
from simulation.model.state import MEMBER_VARIABLES, TEAM_MEASURES, TEAM_VARIABLES
from simulation.model.strategies import REGISTRY, StrategyRegistry
from simulation.model.week import WeekEvents, WeekOutcome, simulate_week


class TeamModel(mesa.Model):
    """A team of members and their leader over simulated quarters.

    Every scenario key is a keyword argument, as Mesa models take their parameters (so
    ``mesa.batch_run(TeamModel, parameters={"leader__attention_hours": [4, 8, 12]},
    iterations=5)`` works); a nested key is spelled with ``__`` (``leader__attention_hours``
    is ``leader.attention_hours``, ``parameters__train_rate`` a model constant), and each
    value is checked as a scenario file's would be (:class:`~simulation.ConfigError`
    naming the key).

    Args:
        scenario: a ScenarioConfig, a scenario file path or a shipped scenario's name.
        seed: base seed of the replications. None (the default, as in Mesa) draws a fresh
            seed from the operating system's entropy and records it as ``model.seed``, so
            repeated models differ and each can be rerun.
        rng: Mesa 3's alternative to ``seed``: an int is the seed; a numpy Generator (or
            anything ``numpy.random.default_rng`` takes) gives the seed by one draw.
            Pass either ``seed`` or ``rng``, not both.
        scenario_seed: use the scenario's own seed (``config.seed``; the command line's
            default) instead of a fresh one.
        replication: which replication of that seed this run is (common random numbers:
            replication k meets the same random numbers under every strategy).
        registry: where the leader's strategy is looked up.
        data_collection: keep Mesa's ``datacollector`` (every outcome and every agent's
            state each week, :mod:`simulation.engines.mesa_data`); the project's own
            runners switch it off, since the weekly record holds the same numbers.
        **keys: scenario keys that replace the scenario's.
    """

    def __init__(self, scenario: ScenarioConfig | str | Path = "baseline", *,
                 seed: int | None = None, rng: Any = None, scenario_seed: bool = False,
                 replication: int = 0, registry: StrategyRegistry = REGISTRY,
                 data_collection: bool = True, **keys: Any) -> None:
        config = scenario if isinstance(scenario, ScenarioConfig) else load_scenario(scenario)
        if keys:
            config = with_overrides(config, keyword_overrides(keys),
                                    f"TeamModel({config.name})")
        self.config = config
        self.params = config.parameters
        self.seed = base_seed(config, seed, rng, scenario_seed)
        self.replication = replication
        generator = run_generator(self.seed, replication)
        members = config.team.size
        self.noise = draw_run_noise(self.seed, replication, config.weeks, members)
        super().__init__(rng=generator)
        self.state = self.noise.starting_team(config)
        self.initial_state = self.state
        """The team's state before the first week (the state is immutable: steps replace
        ``state``, never change it)."""
        self.last_output = np.zeros(members)
        self.members: list[TeamMember | None] = [TeamMember(self, slot)
                                                 for slot in range(members)]
        self.leader = Leader(self, config.leader, registry.get(config.leader.strategy))
        self.record = WeeklyRecord(config.weeks, members, states=tuple(
            MEMBER_VARIABLES) if data_collection else REPORTED_MEMBER_STATES)
        self.quarter_rows: list[dict[str, Any]] = []
        self._given: WeekOutcome | None = None
        self._week_outcomes: tuple[int, dict[str, float]] | None = None
        self.calendar = Calendar(config, self.noise, self._work_week, self._review_quarter)
        self.datacollector = team_collector(self) if data_collection else None

    # --- Mesa interface -------------------------------------------------------------------

    def step(self) -> None:
        """Simulate one week (after the last, a RuntimeError: ``running`` is then False)."""
        self.calendar.run_week()
        self.running = not self.calendar.finished
        if self.datacollector is not None:
            self.datacollector.collect(self)

    def run(self) -> TeamModel:
        """Simulate every remaining week of the scenario."""
        while not self.calendar.finished:
            self.step()
        return self

    def release(self) -> None:
        """Kept for callers written before models were freed on their own: the agents'
        ids no longer hold the model (:class:`~simulation.engines.agents.WeakIdCounters`),
        so a model nobody refers to is freed without it."""
        mesa.Agent._ids.pop(self, None)

    def week_outcomes(self) -> dict[str, float]:
        """The run's identity and every outcome of the week last simulated (the quarterly
        table's columns over that week alone: :meth:`WeeklyRecord.weekly_columns`)."""
        week = self.weeks_done
        if week == 0:
            raise ValueError("no week has been simulated yet: see initial_state")
        if self._week_outcomes is None or self._week_outcomes[0] != week:
            self._week_outcomes = (week, {name: values[-1]
                                          for name, values in model_columns(self).items()})
        return self._week_outcomes[1]

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
        for slot in sorted(hired):  # numbered in slot order, as the batched engine does
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


def base_seed(config: ScenarioConfig, seed: int | None, rng: Any, scenario_seed: bool
              ) -> int:
    """A model's base seed from Mesa's arguments (see :class:`TeamModel`): ``seed``; an int
    ``rng`` or one draw from a Generator; the scenario's with ``scenario_seed``; else 63
    bits of the operating system's entropy (it fits the tables' int64 seed column)."""
    given = [name for name, value in (("seed", seed), ("rng", rng)) if value is not None]
    if scenario_seed:
        given.append("scenario_seed")
    if len(given) > 1:
        raise ValueError(f"pass one of seed, rng and scenario_seed, not {' and '.join(given)}")
    if scenario_seed:
        return config.seed
    if seed is not None:
        return int(seed)
    if rng is None:
        return secrets.randbits(63)
    if isinstance(rng, int | np.integer) and not isinstance(rng, bool):
        return int(rng)
    generator = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    return int(generator.integers(2**63))


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
