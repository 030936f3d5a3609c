"""What is measured each week and rolled up per quarter.

The weekly record is a set of arrays (week first); the quarterly roll-up turns it into one
tidy row per quarter. States are reported as they stand at the end of the quarter (mean
and spread over the filled slots); output, hours and events are averaged or counted over
the quarter's weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation import dynamics
from simulation import interventions as iv
from simulation.config import WEEKS_PER_QUARTER
from simulation.state import TEAM_VARIABLES, TeamState

REPORTED_MEMBER_STATES: tuple[str, ...] = (
    "capability", "motivation", "trust", "accountability", "role_clarity", "obstacles",
    "habit_strength", "exhaustion", "scrutiny", "tenure_weeks",
)
"""Member states kept in the weekly record and reported per quarter."""

EVENT_COUNTS: tuple[str, ...] = ("breaches", "kept_commitments", "departures", "hires",
                                 "crises")
"""Events counted per week and summed per quarter."""


def outcome_columns() -> list[str]:
    """Every outcome column of the quarterly table, in order."""
    states = [f"{name}_{stat}" for name in REPORTED_MEMBER_STATES for stat in ("mean", "sd")]
    hours = [f"hours_{name}" for name in iv.NAMES]
    return (["team_output", "output_per_member", "headcount", *states, *TEAM_VARIABLES,
             *hours, "hours_planned", "crisis_hours", *EVENT_COUNTS, "attention_level"])


@dataclass
class WeeklyRecord:
    """Arrays of one run, one entry per week (member arrays are ``(weeks, members)``)."""

    weeks: int
    members: int
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
        weeks, members = self.weeks, self.members
        self.team_output = np.zeros(weeks)
        self.member_output = np.zeros((weeks, members))
        self.member_states = {name: np.zeros((weeks, members))
                              for name in REPORTED_MEMBER_STATES}
        self.active = np.zeros((weeks, members))
        self.member_ids = np.zeros((weeks, members), dtype=np.int64)
        self.team_states = {name: np.zeros(weeks) for name in TEAM_VARIABLES}
        self.hours = np.zeros((weeks, iv.COUNT))
        self.hours_planned = np.zeros(weeks)
        self.crisis_hours = np.zeros(weeks)
        self.attention_level = np.zeros(weeks)
        self.events = {name: np.zeros(weeks) for name in EVENT_COUNTS}

    def record(self, week: int, state: TeamState, result: dynamics.WeekResult,
               granted: np.ndarray, hours_planned: float, crisis_hours: float,
               attention_level: float, events: dict[str, float],
               member_ids: np.ndarray) -> None:
        """Store one week: output produced, the state at the week's end, hours and events."""
        self.team_output[week] = result.team_output
        self.member_output[week] = result.member_output
        for name in REPORTED_MEMBER_STATES:
            self.member_states[name][week] = getattr(state, name)
        self.active[week] = state.active
        self.member_ids[week] = member_ids
        for name in TEAM_VARIABLES:
            self.team_states[name][week] = getattr(state, name)
        self.hours[week] = np.sum(granted, axis=0)
        self.hours_planned[week] = hours_planned
        self.crisis_hours[week] = crisis_hours
        self.attention_level[week] = attention_level
        for name, count in events.items():
            self.events[name][week] = count

    def quarter_row(self, quarter: int) -> dict[str, float]:
        """The roll-up of a (1-based) quarter."""
        weeks = slice((quarter - 1) * WEEKS_PER_QUARTER, quarter * WEEKS_PER_QUARTER)
        last = quarter * WEEKS_PER_QUARTER - 1
        active = self.active[last]
        headcount = float(np.mean(np.sum(self.active[weeks], axis=-1)))
        team_output = float(np.mean(self.team_output[weeks]))
        row: dict[str, float] = {
            "team_output": team_output,
            "output_per_member": team_output / headcount if headcount > 0 else 0.0,
            "headcount": headcount,
        }
        for name in REPORTED_MEMBER_STATES:
            values = self.member_states[name][last]
            row[f"{name}_mean"] = float(dynamics.team_mean(values, active))
            row[f"{name}_sd"] = float(dynamics.team_spread(values, active))
        for name in TEAM_VARIABLES:
            row[name] = float(self.team_states[name][last])
        quarter_hours = np.sum(self.hours[weeks], axis=0)
        for index, name in enumerate(iv.NAMES):
            row[f"hours_{name}"] = float(quarter_hours[index])
        row["hours_planned"] = float(np.sum(self.hours_planned[weeks]))
        row["crisis_hours"] = float(np.sum(self.crisis_hours[weeks]))
        for name in EVENT_COUNTS:
            row[name] = float(np.sum(self.events[name][weeks]))
        row["attention_level"] = float(np.mean(self.attention_level[weeks]))
        return row

    def weekly_frame(self, weeks_done: int) -> pd.DataFrame:
        """One row per week: team output, headcount, team states, mean member states."""
        done = slice(0, weeks_done)
        active = self.active[done]
        data: dict[str, np.ndarray] = {
            "week": np.arange(1, weeks_done + 1),
            "quarter": np.arange(weeks_done) // WEEKS_PER_QUARTER + 1,
            "team_output": self.team_output[done],
            "headcount": np.sum(active, axis=-1),
        }
        for name in REPORTED_MEMBER_STATES:
            data[f"{name}_mean"] = dynamics.team_mean(self.member_states[name][done], active)
        for name in TEAM_VARIABLES:
            data[name] = self.team_states[name][done]
        for name in EVENT_COUNTS:
            data[name] = self.events[name][done]
        data["attention_level"] = self.attention_level[done]
        return pd.DataFrame(data)

    def member_frame(self, weeks_done: int) -> pd.DataFrame:
        """Member-level detail: one row per (week, filled slot)."""
        week_index, slot_index = np.nonzero(self.active[:weeks_done] > 0)
        data: dict[str, np.ndarray] = {
            "week": week_index + 1,
            "slot": slot_index,
            "member_id": self.member_ids[week_index, slot_index],
            "output": self.member_output[week_index, slot_index],
        }
        for name in REPORTED_MEMBER_STATES:
            data[name] = self.member_states[name][week_index, slot_index]
        return pd.DataFrame(data)
