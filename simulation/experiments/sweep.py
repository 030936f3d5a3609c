"""Sweeps: every setting of an experiment, replicated, run on an executor into a store.

A *setting* is one base scenario with one strategy at one design point. Replication k of
every setting uses the same random streams (``SeedSequence(seed, spawn_key=(k,))``):
common random numbers, so that differences between settings are not noise. Runs go to the
workers in chunks; finished chunks are committed to the store as they arrive, so an
interrupted sweep resumes where it stopped and ends with the same data.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from simulation.engines.batch import run_batch
from simulation.experiments import plugins
from simulation.experiments.executors import Progress, open_executor, stream
from simulation.experiments.experiment_files import ExperimentConfig
from simulation.experiments.publishing import git_revision, package_versions
from simulation.experiments.replications import run_once
from simulation.experiments.sampling import design_points
from simulation.experiments.stats import replications_needed
from simulation.experiments.store import DONE, FAILED, STORE_FILE, ResultsStore, RunRecord
from simulation.model.config import ScenarioConfig
from simulation.model.scenario_files import ConfigError, to_dict, with_overrides

ENGINES = ("batch", "mesa")
BATCH_CHUNK = 1000
"""Most runs the batched engine takes in one task (bounds a worker's memory)."""


class SweepError(Exception):
    """A sweep that cannot start (e.g. a store that belongs to another experiment)."""


@dataclass(frozen=True)
class Setting:
    """One combination of base scenario, strategy and design point."""

    index: int
    scenario: str
    strategy: str
    label: str
    factors: dict[str, Any]
    config: ScenarioConfig = field(repr=False)


@dataclass(frozen=True)
class RunTask:
    """One run for a worker: the setting's configuration and the replication."""

    setting: int
    replication: int
    seed: int
    config: ScenarioConfig
    outcomes: tuple[str, ...]
    plugins: tuple[str, ...] = ()
    engine: str = "batch"
    """"batch" (the batched engine, the default) or "mesa" (the agent model)."""


@dataclass(frozen=True)
class SweepSummary:
    """What a sweep did."""

    folder: Path
    settings: int
    done: int
    failed: int
    skipped: int
    seconds: float
    executor: str

    @property
    def ran(self) -> int:
        """Runs executed in this invocation."""
        return self.done + self.failed


def settings_of(experiment: ExperimentConfig) -> list[Setting]:
    """Every setting, in a fixed order: scenarios, then strategies, then design points."""
    points = design_points(experiment)
    settings: list[Setting] = []
    for base in experiment.base_configs:
        strategies = experiment.strategies or (base.leader.strategy,)
        for strategy in strategies:
            for point in points:
                config = with_overrides(base, {"leader.strategy": strategy, **point},
                                        experiment.source)
                label = label_of(experiment, base.name, strategy, point)
                settings.append(Setting(len(settings), base.name, strategy, label, point,
                                        config))
    labels = [setting.label for setting in settings]
    if experiment.reference and experiment.reference not in labels:
        raise ConfigError(experiment.source, "reference",
                          f"no setting is labelled {experiment.reference!r} (the labels: "
                          f"{'; '.join(labels[:6])}{'; ...' if len(labels) > 6 else ''})")
    return settings


def label_of(experiment: ExperimentConfig, scenario: str, strategy: str,
             point: dict[str, Any]) -> str:
    """A setting's readable name: only what varies in the experiment."""
    parts = []
    if len(experiment.scenarios) > 1:
        parts.append(scenario)
    if len(experiment.strategies) > 1:
        parts.append(strategy)
    fixed = {key for key, values in experiment.grid if len(values) == 1}
    parts += [f"{key}={_short(value)}" for key, value in point.items() if key not in fixed]
    return ", ".join(parts) or scenario


def _short(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def fingerprint(experiment: ExperimentConfig, settings: Sequence[Setting]) -> str:
    """A hash of everything that decides the runs' numbers (not the replication count,
    which a resumed or more precise sweep may raise)."""
    content = {
        "seed": experiment.seed,
        "outcomes": experiment.outcomes,
        "settings": [(s.label, to_dict(s.config)) for s in settings],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def run_tasks(chunk: Sequence[RunTask]) -> list[RunRecord]:
    """Run a chunk of runs (in a worker); a run that raises is recorded as failed.

    On the batched engine the runs of each setting go together; if a batch raises, its
    runs are repeated one by one so that only the failing ones are recorded as failed."""
    records: list[RunRecord] = []
    for task in chunk:
        plugins.load_plugins(task.plugins)
    for _, group in itertools.groupby(chunk, key=lambda task: task.setting):
        tasks = list(group)
        if tasks[0].engine == "batch" and len(tasks) > 1:
            try:
                records += _batch_records(tasks)
                continue
            except Exception:  # find the failing runs one at a time below
                pass
        records += [_single_record(task) for task in tasks]
    return records


def _batch_records(tasks: Sequence[RunTask]) -> list[RunRecord]:
    first = tasks[0]
    frame = run_batch(first.config, first.seed, [t.replication for t in tasks]
                      ).quarterly_frame()
    values = frame[list(first.outcomes)].to_numpy(dtype=float)
    quarters = first.config.quarters
    return [RunRecord(t.setting, t.replication, t.seed, DONE, "",
                      values[i * quarters:(i + 1) * quarters]) for i, t in enumerate(tasks)]


def _single_record(task: RunTask) -> RunRecord:
    try:
        if task.engine == "batch":
            frame = run_batch(task.config, task.seed, [task.replication]).quarterly_frame()
        else:
            frame = run_once(task.config, task.seed, task.replication)
        return RunRecord(task.setting, task.replication, task.seed, DONE, "",
                         frame[list(task.outcomes)].to_numpy(dtype=float))
    except Exception as error:  # any failure of one run is data, not the sweep's end
        return RunRecord(task.setting, task.replication, task.seed, FAILED,
                         f"{type(error).__name__}: {error}",
                         np.empty((0, len(task.outcomes))))


def chunked(tasks: Sequence[RunTask], size: int) -> Iterator[list[RunTask]]:
    """Consecutive chunks of at most ``size`` tasks."""
    for start in range(0, len(tasks), size):
        yield list(tasks[start:start + size])


def experiment_manifest(experiment: ExperimentConfig, settings: Sequence[Setting],
                        plugin_names: Sequence[str]) -> dict[str, Any]:
    """What a reader needs to reproduce the sweep."""
    source = Path(experiment.source)
    return {
        "experiment": experiment.name,
        "title": experiment.title,
        "source": experiment.source,
        "experiment_file": source.read_text(encoding="utf-8") if source.is_file() else None,
        "seed": experiment.seed,
        "seeding": "replication k of every setting uses numpy SeedSequence(seed, "
                   "spawn_key=(k,)) (common random numbers)",
        "replications": experiment.replications,
        "outcomes": list(experiment.outcomes),
        "quarters": list(experiment.quarters),
        "reference": experiment.reference,
        "factors": experiment.factors,
        "settings": [{"setting": s.index, "label": s.label, "scenario": s.scenario,
                      "strategy": s.strategy, "factors": s.factors} for s in settings],
        "base_scenarios": {base.name: to_dict(base) for base in experiment.base_configs},
        "plugins": list(plugin_names),
        "versions": package_versions(),
        "git_revision": git_revision(),
    }


def prepare_store(experiment: ExperimentConfig, settings: Sequence[Setting], folder: Path,
                  resume: bool, overwrite: bool, plugin_names: Sequence[str]) -> ResultsStore:
    """Open the store to continue (``resume``) or make a new one."""
    path = folder / STORE_FILE
    print_name = str(path)
    key = fingerprint(experiment, settings)
    if path.exists() and overwrite:
        for stale in folder.glob(STORE_FILE + "*"):
            stale.unlink()
    elif path.exists() and not resume:
        raise SweepError(f"{print_name}: already holds results; use --resume to continue "
                         f"the sweep or --overwrite to start again")
    manifest = experiment_manifest(experiment, settings, plugin_names)
    if path.exists():
        store = ResultsStore.open(folder)
        if store.meta("fingerprint") != key:
            store.close()
            raise SweepError(f"{print_name}: was made by a different version of this "
                             f"experiment; use --overwrite to start again")
        before = store.manifest()
        if (before.get("git_revision"), before.get("versions")) != (
                manifest["git_revision"], manifest["versions"]):
            print(f"teamsim: warning: {print_name} was started with other code (git "
                  f"{before.get('git_revision')}, versions {before.get('versions')}); the "
                  f"runs of both are mixed", file=sys.stderr)
        store.set_manifest(manifest | {"resumed_from": before.get("git_revision")})
    else:
        store = ResultsStore.create(folder, experiment.outcomes, key, manifest)
    store.add_settings((s.index, s.scenario, s.strategy, s.label, s.factors)
                       for s in settings)
    return store


def sweep(experiment: ExperimentConfig, folder: Path, *, workers: int | None = None,
          scheduler: str | None = None, dask_local: bool = False, resume: bool = False,
          overwrite: bool = False, plugin_names: Sequence[str] = (),
          precision: float | None = None, chunk_size: int | None = None,
          show_progress: bool = True, engine: str = "batch") -> SweepSummary:
    """Run every setting's replications into ``folder``'s store.

    With ``precision`` (or the experiment's [precision] table) replications are added to
    each setting until the 95% interval half-width of the chosen outcome is below it.
    ``engine`` is "batch" (many runs at once, the default) or "mesa" (the agent model);
    both give the same numbers.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    settings = settings_of(experiment)
    folder = Path(folder)
    started = time.monotonic()
    target = _precision(experiment, precision)
    plugin_ids = tuple(plugins.plugin_id(name) for name in plugin_names)
    with prepare_store(experiment, settings, folder, resume, overwrite,
                       plugin_ids) as store, \
            open_executor(workers, scheduler, dask_local) as (executor, count, description):
        wanted = {s.index: experiment.replications for s in settings}
        done = failed = 0
        skipped = len(store.finished())
        while True:
            finished = store.finished()
            tasks = [RunTask(s.index, k, experiment.seed, s.config, experiment.outcomes,
                             plugin_ids, engine)
                     for s in settings for k in range(wanted[s.index])
                     if (s.index, k) not in finished]
            most = BATCH_CHUNK if engine == "batch" else 16
            size = chunk_size or max(1, min(most, len(tasks) // (4 * count) or 1))
            progress = Progress(len(tasks), f"{experiment.name} on {description}",
                                enabled=show_progress)
            for records in stream(executor, run_tasks, chunked(tasks, size), 2 * count):
                store.write(records)
                done += sum(r.status == DONE for r in records)
                failed += sum(r.status == FAILED for r in records)
                progress.advance(len(records))
            progress.close()
            if target is None or not _raise_replications(store, settings, wanted, target):
                break
    return SweepSummary(folder, len(settings), done, failed, skipped,
                        time.monotonic() - started, description)


@dataclass(frozen=True)
class _Target:
    outcome: str
    quarter: int
    half_width: float
    max_replications: int


def _precision(experiment: ExperimentConfig, half_width: float | None) -> _Target | None:
    configured = experiment.precision
    if configured is None and half_width is None:
        return None
    outcome = configured.outcome if configured else experiment.outcomes[0]
    quarter = configured.quarter if configured else 0
    limit = configured.max_replications if configured else 500
    width = half_width if half_width is not None else configured.half_width  # type: ignore[union-attr]
    horizon = min(base.quarters for base in experiment.base_configs)
    return _Target(outcome, quarter or horizon, width, limit)


def _raise_replications(store: ResultsStore, settings: Sequence[Setting],
                        wanted: dict[int, int], target: _Target) -> bool:
    """Raise each setting's replication count to what its precision target needs (Law &
    Kelton's sequential procedure); whether any count rose."""
    column = store.outcomes.index(target.outcome)
    rows = store.connection.execute(
        f'SELECT o.setting, o."{store.outcomes[column]}" FROM outcomes o JOIN runs r '
        "USING (setting, replication) WHERE r.status = 'done' AND o.quarter = ?",
        (target.quarter,)).fetchall()
    values: dict[int, list[float]] = {}
    for setting, value in rows:
        values.setdefault(int(setting), []).append(float(value))
    raised = False
    for s in settings:
        sample = values.get(s.index, [])
        if len(sample) < 2:
            continue
        needed = min(replications_needed(sample, target.half_width), target.max_replications)
        if needed > wanted[s.index]:
            wanted[s.index] = needed
            raised = True
    return raised
