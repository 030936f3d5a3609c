"""What the Mesa model records for Mesa's own tools: a ``DataCollector`` with every outcome
as a model reporter and every member state as an agent reporter, one row per week, so that
``mesa.batch_run``, ``DataCollector.get_model_vars_dataframe`` /
``get_agent_vars_dataframe`` and Mesa's SolaraViz plot components work on
:class:`~simulation.engines.mesa_model.TeamModel`.

Rows are weeks. Model row ``i`` (``get_model_vars_dataframe().iloc[i]``) and the agent rows
``mesa.batch_run`` reports for Mesa step ``i`` are both the state at the end of week
``i + 1`` (the ``week`` column says which), so batch_run's last row is the last week's.
Weekly outcomes are the quarterly table's over one week
(:meth:`~simulation.model.metrics.WeeklyRecord.weekly_columns`): states at the week's end,
output, hours and events of the week.

The numbers are read from the model's weekly record when asked for, not copied every
week: collecting costs the run nothing, and ``collect()`` (which Mesa models call each
step) is kept for Mesa's interface and does nothing more.
"""

from __future__ import annotations

import weakref
from functools import partial
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from simulation.model.config import WEEKS_PER_QUARTER
from simulation.model.metrics import outcome_columns
from simulation.model.state import MEMBER_VARIABLES

if TYPE_CHECKING:
    from simulation.engines.mesa_model import TeamModel

RUN_COLUMNS: tuple[str, ...] = ("week", "quarter", "seed", "replication")
"""Model columns that say which run and week a row is, before the outcomes."""

AGENT_COLUMNS: tuple[str, ...] = ("role", "slot", "output", *MEMBER_VARIABLES, "credibility")
"""Agent columns: the agent's role (``member`` or ``leader``), a member's slot, the week's
output and every member state; the leader's row holds her own ``exhaustion`` and
``credibility`` and leaves the members' columns empty (None)."""

LEADER_STATES = {"exhaustion": "leader_exhaustion", "credibility": "leader_credibility"}
"""The leader's columns and the team-level states they read."""


def _outcome(model: TeamModel, name: str) -> float:
    return model.week_outcomes()[name]


class WeeklyCollector(mesa.DataCollector):
    """Mesa's DataCollector over a TeamModel's weekly record: ``model_vars`` (what
    ``get_model_vars_dataframe`` and batch_run read) and the agent records are built
    from the record on demand, for the weeks simulated so far. Mesa keys agent records
    by ``model.steps`` and model records by position, and batch_run reads both at the
    same index up to ``model.steps - 1``: here both are keyed by position, so batch_run
    reads the model's and the agents' rows of the same week, the last week included.
    Each model reporter gives the same number for the week last simulated (they are the
    documented names of the columns)."""

    def __init__(self, model: TeamModel) -> None:
        self._model = weakref.ref(model)
        self._built: tuple[int, dict[str, list[Any]], dict[int, list[tuple[Any, ...]]]] | None
        self._built = None
        super().__init__(
            model_reporters={name: partial(_outcome, name=name)
                             for name in (*RUN_COLUMNS, *outcome_columns())},
            agent_reporters={name: name for name in AGENT_COLUMNS})

    def collect(self, model: Any) -> None:
        """Nothing to copy: the week is in the model's record already."""

    def _tables(self) -> tuple[dict[str, list[Any]], dict[int, list[tuple[Any, ...]]]]:
        model = self._model()
        if model is None:
            return {}, {}
        done = model.weeks_done
        if self._built is None or self._built[0] != done:
            self._built = (done, model_columns(model), agent_rows(model))
        return self._built[1], self._built[2]

    @property  # type: ignore[override]
    def model_vars(self) -> dict[str, list[Any]]:
        """Every model column, one value per week simulated."""
        return self._tables()[0]

    @model_vars.setter
    def model_vars(self, value: dict[str, list[Any]]) -> None:
        """Mesa's constructor sets it empty; the columns come from the record."""

    @property
    def _agent_records(self) -> dict[int, list[tuple[Any, ...]]]:  # type: ignore[override]
        return self._tables()[1]

    @_agent_records.setter
    def _agent_records(self, value: dict[int, list[tuple[Any, ...]]]) -> None:
        """Mesa's constructor sets it empty; the rows come from the record."""


def model_columns(model: TeamModel) -> dict[str, list[Any]]:
    """The run's identity and every outcome, one value per week simulated."""
    done = model.weeks_done
    weeks = np.arange(1, done + 1)
    columns: dict[str, list[Any]] = {
        "week": weeks.tolist(),
        "quarter": ((weeks - 1) // WEEKS_PER_QUARTER + 1).tolist(),
        "seed": [model.seed] * done,
        "replication": [model.replication] * done,
    }
    if done:
        columns.update({name: values.tolist() for name, values
                        in model.record.weekly_columns(done).items()})
    else:
        columns.update({name: [] for name in outcome_columns()})
    return columns


def agent_rows(model: TeamModel) -> dict[int, list[tuple[Any, ...]]]:
    """Mesa's agent records: for each week simulated (keyed 0 for the first), one tuple
    (week, agent id, then :data:`AGENT_COLUMNS`) for the leader and for each member in
    the team at the week's end."""
    record, leader = model.record, model.leader
    member_columns = [name for name in AGENT_COLUMNS if name in MEMBER_VARIABLES]
    rows: dict[int, list[tuple[Any, ...]]] = {}
    for week in range(model.weeks_done):
        leader_values = {column: float(record.team_states[state][week, 0])
                         for column, state in LEADER_STATES.items()}
        leader_row = tuple(leader_values.get(name) for name in member_columns)
        week_rows = [(week + 1, leader.unique_id, "leader", None, None, *leader_row,
                      leader_values["credibility"])]
        for slot in np.flatnonzero(record.active[week, 0] > 0):
            states = tuple(float(record.member_states[name][week, 0, slot])
                           if name in record.member_states else None
                           for name in member_columns)
            week_rows.append((week + 1, int(record.member_ids[week, 0, slot]), "member",
                              int(slot), float(record.member_output[week, 0, slot]),
                              *states, None))
        rows[week] = week_rows
    return rows


def team_collector(model: TeamModel) -> WeeklyCollector:
    """The DataCollector of a TeamModel."""
    return WeeklyCollector(model)
