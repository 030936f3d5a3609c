"""What is measured each week and rolled up per quarter.

The weekly record is a set of arrays (week first); the quarterly roll-up turns it into one
tidy row per quarter. States are reported as they stand at the end of the quarter (mean
and spread over the filled slots); output, hours and events are averaged or counted over
the quarter's weeks.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from simulation.model import equations
from simulation.model import interventions as iv
from simulation.model.arrays import np
from simulation.model.config import WEEKS_PER_QUARTER
from simulation.model.state import LEADER_VARIABLES, TEAM_MEASURES, TEAM_VARIABLES
from simulation.model.succession import READINESS_THRESHOLD
from simulation.model.week import WeekOutcome

REPORTED_MEMBER_STATES: tuple[str, ...] = (
    "capability", "motivation", "trust", "accountability", "role_clarity", "obstacles",
    "habit_strength", "exhaustion", "scrutiny", "tenure_weeks", "departure_shock",
    "leadership_readiness",
)
"""Member states kept in the weekly record and reported per quarter."""

EVENT_COUNTS: tuple[str, ...] = ("breaches", "kept_commitments", "departures", "hires",
                                 "crises", "problems_raised", "problems_hidden",
                                 "plans_opened", "moves", "dismissals")
"""Events counted per week and summed per quarter (``departures`` counts every member who
left, moves and dismissals included)."""

TEAM_COLUMNS: tuple[str, ...] = (*TEAM_VARIABLES, *TEAM_MEASURES, *LEADER_VARIABLES)
"""Team states and measures, recorded every week and reported at each quarter's end."""


_RUN_ARRAYS = ("team_output", "member_output", "active", "member_ids", "headcount", "hours",
               "hours_planned", "crisis_hours", "attention_level")
"""The record's arrays, weeks first and runs second."""
_RUN_TABLES = ("member_states", "team_states", "events")
"""The record's tables of such arrays, by name."""


def outcome_columns() -> list[str]:
    """Every outcome column of the quarterly table, in order."""
    states = [f"{name}_{stat}" for name in REPORTED_MEMBER_STATES for stat in ("mean", "sd")]
    hours = [f"hours_{name}" for name in iv.NAMES]
    return (["team_output", "output_per_member", "headcount", *states, "ready_share",
             *TEAM_COLUMNS,
             *hours, "hours_planned", "crisis_hours", *EVENT_COUNTS, "attention_level"])


def ready_share(readiness: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Share of the filled slots whose member is ready to lead (leadership readiness at or
    above ``succession.READINESS_THRESHOLD``)."""
    return equations.team_mean((readiness >= READINESS_THRESHOLD).astype(float), active)


@dataclass
class WeeklyRecord:
    """Arrays of one or more runs, one entry per week, weeks first: team arrays are
    ``(weeks, runs)``, member arrays ``(weeks, runs, members)``. The Mesa model keeps one
    run; the batched engine many. Both roll quarters up with the same code.

    With ``member_detail`` off (the batched engine in sweeps), member and team states are
    kept only for the last week of each quarter, which is all the quarterly roll-up reads.
    """

    weeks: int
    members: int
    runs: int = 1
    member_detail: bool = True
    states: tuple[str, ...] = REPORTED_MEMBER_STATES
    """Member states kept (the reported ones at least: the roll-up reads them)."""
    team_output: np.ndarray = field(init=False)
    member_output: np.ndarray = field(init=False)
    member_states: dict[str, np.ndarray] = field(init=False)
    active: np.ndarray = field(init=False)
    member_ids: np.ndarray = field(init=False)
    team_states: dict[str, np.ndarray] = field(init=False)
    hours: np.ndarray = field(init=False)
    hours_planned: np.ndarray = field(init=False)
    crisis_hours: np.ndarray = field(init=False)
    attention_level: np.ndarray = field(init=False)
    events: dict[str, np.ndarray] = field(init=False)

    def __post_init__(self) -> None:
        runs, weeks, members = self.runs, self.weeks, self.members
        kept = weeks if self.member_detail else weeks // WEEKS_PER_QUARTER
        self.team_output = np.zeros((weeks, runs))
        self.member_output = np.zeros((kept, runs, members))
        self.states = tuple(dict.fromkeys((*REPORTED_MEMBER_STATES, *self.states)))
        self.member_states = {name: np.zeros((kept, runs, members)) for name in self.states}
        self.active = np.zeros((kept, runs, members))
        self.member_ids = np.zeros((kept, runs, members), dtype=np.int64)
        self.headcount = np.zeros((weeks, runs))
        self.team_states = {name: np.zeros((kept, runs)) for name in TEAM_COLUMNS}
        self.hours = np.zeros((weeks, runs, iv.COUNT))
        self.hours_planned = np.zeros((weeks, runs))
        self.crisis_hours = np.zeros((weeks, runs))
        self.attention_level = np.zeros((weeks, runs))
        self.events = {name: np.zeros((weeks, runs)) for name in EVENT_COUNTS}

    def _member_row(self, week: int) -> int | None:
        """Where a week's member states go (None: not kept)."""
        if self.member_detail:
            return week
        if (week + 1) % WEEKS_PER_QUARTER == 0:
            return week // WEEKS_PER_QUARTER
        return None

    def _quarter_end_row(self, quarter: int) -> int:
        last = quarter * WEEKS_PER_QUARTER - 1
        return last if self.member_detail else quarter - 1

    def record(self, week: int, outcome: WeekOutcome,
               member_ids: np.ndarray | None = None) -> None:
        """Store one week of every run: output produced, the state at the week's end, the
        leader's hours and the week's events (arrays with the run axis first, or a single
        run's without it)."""
        state, led = outcome.state, outcome.leader
        self.team_output[week] = outcome.produced.team_output
        self.headcount[week] = equations.last_sum(state.active)
        row = self._member_row(week)
        if row is not None:
            self.member_output[row] = outcome.produced.member_output
            for name in self.states:
                self.member_states[name][row] = getattr(state, name)
            self.active[row] = state.active
            if member_ids is not None:
                self.member_ids[row] = member_ids
            for name in TEAM_COLUMNS:
                self.team_states[name][row] = getattr(state, name)
        self.hours[week] = np.einsum("...mk->...k", led.granted)
        self.hours_planned[week] = led.hours_planned
        self.crisis_hours[week] = led.crisis_hours
        self.attention_level[week] = led.attention_share
        for name, count in outcome.counts().items():
            self.events[name][week] = count

    def quarter_columns(self, quarter: int) -> dict[str, np.ndarray]:
        """The roll-up of a (1-based) quarter: every outcome, one value per run."""
        weeks = slice((quarter - 1) * WEEKS_PER_QUARTER, quarter * WEEKS_PER_QUARTER)
        return self._window_columns(weeks, self._quarter_end_row(quarter))

    def weekly_columns(self, weeks_done: int, run: int = 0) -> dict[str, np.ndarray]:
        """Every outcome of each of a run's first ``weeks_done`` weeks, one value per week:
        the quarter's roll-up over each week alone (states at its end; output, hours and
        events of the week). Needs ``member_detail``."""
        return self.weeks_as_runs(weeks_done, run)._window_columns(slice(0, 1), 0)

    @classmethod
    def joined(cls, records: Sequence[WeeklyRecord]) -> WeeklyRecord:
        """Several records of the same scenario (a batch's blocks) as one, their runs in
        order along the run axis: member detail of any number of runs in one array."""
        first = records[0]
        joined = cls.__new__(cls)
        joined.weeks, joined.members = first.weeks, first.members
        joined.runs = sum(record.runs for record in records)
        joined.member_detail, joined.states = first.member_detail, first.states
        for name in _RUN_ARRAYS:
            setattr(joined, name, np.concatenate([getattr(r, name) for r in records], axis=1))
        for name in _RUN_TABLES:
            setattr(joined, name, {key: np.concatenate([getattr(r, name)[key] for r in records],
                                                       axis=1)
                                   for key in getattr(first, name)})
        return joined

    def weeks_as_runs(self, weeks_done: int, run: int = 0) -> WeeklyRecord:
        """The weeks of one run as the runs of a one-week record, so that the roll-up of
        its one week gives every week's outcomes at once."""
        if not self.member_detail:
            raise ValueError("a week's outcomes need the weekly member detail "
                             "(member_detail=True)")
        done = slice(0, weeks_done)

        def runs(values: np.ndarray) -> np.ndarray:
            return values[done, run][None]

        view = WeeklyRecord.__new__(WeeklyRecord)
        view.weeks, view.members, view.runs = 1, self.members, weeks_done
        view.member_detail, view.states = True, self.states
        for name in _RUN_ARRAYS:
            setattr(view, name, runs(getattr(self, name)))
        for name in _RUN_TABLES:
            setattr(view, name, {key: runs(v) for key, v in getattr(self, name).items()})
        return view

    def _window_columns(self, weeks: slice, end: int) -> dict[str, np.ndarray]:
        """Every outcome over the weeks ``weeks``, states from the member row ``end``."""
        active = self.active[end]
        headcount = np.mean(self.headcount[weeks], axis=0)
        team_output = np.mean(self.team_output[weeks], axis=0)
        columns: dict[str, np.ndarray] = {
            "team_output": team_output,
            "output_per_member": np.divide(team_output, headcount,
                                           out=np.zeros_like(team_output),
                                           where=headcount > 0),
            "headcount": headcount,
        }
        for name in REPORTED_MEMBER_STATES:
            values = self.member_states[name][end]
            columns[f"{name}_mean"] = equations.team_mean(values, active)
            columns[f"{name}_sd"] = equations.team_spread(values, active)
        columns["ready_share"] = ready_share(self.member_states["leadership_readiness"][end],
                                             active)
        for name in TEAM_COLUMNS:
            columns[name] = self.team_states[name][end]
        quarter_hours = np.sum(self.hours[weeks], axis=0)
        for index, name in enumerate(iv.NAMES):
            columns[f"hours_{name}"] = quarter_hours[:, index]
        columns["hours_planned"] = np.sum(self.hours_planned[weeks], axis=0)
        columns["crisis_hours"] = np.sum(self.crisis_hours[weeks], axis=0)
        for name in EVENT_COUNTS:
            columns[name] = np.sum(self.events[name][weeks], axis=0)
        columns["attention_level"] = np.mean(self.attention_level[weeks], axis=0)
        return columns

    def quarter_row(self, quarter: int, run: int = 0) -> dict[str, float]:
        """The roll-up of a (1-based) quarter for one run."""
        return {name: float(values[run])
                for name, values in self.quarter_columns(quarter).items()}

    def weekly_frame(self, weeks_done: int, run: int = 0) -> pd.DataFrame:
        """One row per week of a run: team output, headcount, team and member states
        (needs ``member_detail``)."""
        done = slice(0, weeks_done)
        active = self.active[done, run]
        data: dict[str, np.ndarray] = {
            "week": np.arange(1, weeks_done + 1),
            "quarter": np.arange(weeks_done) // WEEKS_PER_QUARTER + 1,
            "team_output": self.team_output[done, run],
            "headcount": self.headcount[done, run],
        }
        for name in REPORTED_MEMBER_STATES:
            data[f"{name}_mean"] = equations.team_mean(self.member_states[name][done, run],
                                                      active)
        for name in TEAM_COLUMNS:
            data[name] = self.team_states[name][done, run]
        for name in EVENT_COUNTS:
            data[name] = self.events[name][done, run]
        data["attention_level"] = self.attention_level[done, run]
        return pd.DataFrame(data)

    def member_frame(self, weeks_done: int, run: int = 0) -> pd.DataFrame:
        """Member-level detail of a run: one row per (week, filled slot) (needs
        ``member_detail``)."""
        week_index, slot_index = np.nonzero(self.active[:weeks_done, run] > 0)
        data: dict[str, np.ndarray] = {
            "week": week_index + 1,
            "slot": slot_index,
            "member_id": self.member_ids[week_index, run, slot_index],
            "output": self.member_output[week_index, run, slot_index],
        }
        for name in REPORTED_MEMBER_STATES:
            data[name] = self.member_states[name][week_index, run, slot_index]
        return pd.DataFrame(data)
