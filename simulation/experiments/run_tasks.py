"""The work a worker does in a sweep: a chunk of runs, each one setting's replication,
run on the batched engine (a setting's runs together) or the Mesa model, each returned as
a record for the store; a run that fails is recorded with its error, not raised."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.engines.batch import run_batch
from simulation.experiments import plugins
from simulation.experiments.bases import Base, organisation_batch_frame, organisation_mesa_frame
from simulation.experiments.replications import run_once
from simulation.experiments.store import DONE, FAILED, RunRecord
from simulation.model.organisation_config import OrganisationConfig


@dataclass(frozen=True)
class RunTask:
    """One run for a worker: the setting's configuration and the replication."""

    setting: int
    replication: int
    seed: int
    config: Base
    """The setting's scenario or organisation."""
    outcomes: tuple[str, ...]
    plugins: tuple[str, ...] = ()
    engine: str = "batch"
    """"batch" (the batched engine on its fastest backend, the default), "numpy" or
    "compiled" (the batched engine on that backend), or "mesa" (the agent model)."""



def run_tasks(chunk: Sequence[RunTask]) -> list[RunRecord]:
    """Run a chunk of runs (in a worker); a run that raises is recorded as failed.

    On the batched engine the runs of each setting go together, and a run whose strategy
    fails drops out of its batch while the others go on. If the whole batch raises, it is
    halved until the failing runs stand alone, so that only they are recorded as failed
    (each with the error it raises run alone, whatever the chunking)."""
    records: list[RunRecord] = []
    for task in chunk:
        plugins.load_plugins(task.plugins)
    for _, group in itertools.groupby(chunk, key=lambda task: task.setting):
        records += _records(list(group))
    return records


def _records(tasks: Sequence[RunTask]) -> list[RunRecord]:
    if tasks[0].engine == "mesa" or len(tasks) == 1:
        return [_single_record(task) for task in tasks]
    try:
        return _batch_records(tasks)
    except Exception:  # a call for the whole batch raised: find its failing runs by halves
        middle = len(tasks) // 2
        return _records(tasks[:middle]) + _records(tasks[middle:])


def _batch_records(tasks: Sequence[RunTask]) -> list[RunRecord]:
    first = tasks[0]
    failures: dict[int, Exception] = {}
    frame = batch_frame(first.config, first.seed, [t.replication for t in tasks], failures,
                        first.engine)
    values = frame[list(first.outcomes)].to_numpy(dtype=float)
    quarters = first.config.quarters
    return [_failed(t, failures[i]) if i in failures else
            RunRecord(t.setting, t.replication, t.seed, DONE, "",
                      values[i * quarters:(i + 1) * quarters]) for i, t in enumerate(tasks)]


def batch_frame(config: Base, seed: int, replications: Sequence[int],
                failures: dict[int, Exception] | None = None, engine: str = "batch"
                ) -> pd.DataFrame:
    """The quarterly table of some replications on the batched engine (an organisation's
    own rows), on the backend ``engine`` names ("batch": the fastest that runs them)."""
    if isinstance(config, OrganisationConfig):
        return organisation_batch_frame(config, seed, replications)
    return run_batch(config, seed, replications, failures=failures,
                     engine=engine).quarterly_frame()


def _single_record(task: RunTask) -> RunRecord:
    try:
        if task.engine != "mesa":
            frame = batch_frame(task.config, task.seed, [task.replication], engine=task.engine)
        elif isinstance(task.config, OrganisationConfig):
            frame = organisation_mesa_frame(task.config, task.seed, task.replication)
        else:
            frame = run_once(task.config, task.seed, task.replication)
        return RunRecord(task.setting, task.replication, task.seed, DONE, "",
                         frame[list(task.outcomes)].to_numpy(dtype=float))
    except Exception as error:  # any failure of one run is data, not the sweep's end
        return _failed(task, error)


def _failed(task: RunTask, error: Exception) -> RunRecord:
    return RunRecord(task.setting, task.replication, task.seed, FAILED,
                     f"{type(error).__name__}: {error}", np.empty((0, len(task.outcomes))))


def chunked(tasks: Sequence[RunTask], size: int) -> Iterator[list[RunTask]]:
    """Consecutive chunks of at most ``size`` tasks."""
    for start in range(0, len(tasks), size):
        yield list(tasks[start:start + size])
