"""Sweeps: every setting of an experiment, replicated, run on an executor into a store.

A *setting* is one base scenario with one strategy at one design point. Replication k of
every setting meets the same random numbers (each a hash of the seed, k and where it is
used: :mod:`simulation.model.randomness`): common random numbers, so that differences
between settings are not noise. Runs go to the workers in chunks (a dozen or more, so that
the progress line moves about every tenth of the way); finished chunks are committed to
the store as they arrive, so an interrupted sweep
resumes where it stopped and ends with the same data.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from simulation.engines.batch import chosen_engine
from simulation.experiments import plugins
from simulation.experiments.bases import Base, members, overridden, own_strategy
from simulation.experiments.chunks import MESA_CHUNK, chunks_of, runs_per_chunk
from simulation.experiments.executors import (
    InProcessExecutor,
    Progress,
    WorkerDied,
    open_executor,
    stream,
)
from simulation.experiments.experiment_files import ExperimentConfig
from simulation.experiments.precision import precision_target, raise_replications
from simulation.experiments.publishing import (
    git_revision,
    holds_other_files,
    package_versions,
    replace_folder,
    staging_beside,
)
from simulation.experiments.run_tasks import RunTask, run_tasks
from simulation.experiments.sampling import design_points
from simulation.experiments.store import (
    DONE,
    FAILED,
    STORE_FILE,
    ResultsStore,
    StoreError,
    finished_runs,
    remove_store,
    store_fault,
)
from simulation.model.config import ScenarioConfig
from simulation.model.randomness import SEEDING
from simulation.model.scenario_files import ConfigError, to_dict

logger = logging.getLogger(__name__)

ENGINES = ("batch", "numpy", "compiled", "mesa")
"""``batch``: the batched engine on its fastest backend; ``numpy`` or ``compiled``: on that
one; ``mesa``: the agent model (the same numbers from each)."""
BATCH_CHUNK = 1000
"""Most runs the batched engine takes in one task."""
TASK_MEMBER_WEEKS = 20_000_000
"""Most member-weeks in one task of the batched engine, so that a task of large teams over
long runs still ends (and is committed to the store) within a minute or so."""


def chunk_limit(settings: Sequence[Setting]) -> int:
    """Most runs of the batched engine in one task, for the largest run of the settings."""
    largest = max(members(s.config) * s.config.weeks for s in settings)
    return max(1, min(BATCH_CHUNK, TASK_MEMBER_WEEKS // largest))


class SweepError(Exception):
    """A sweep that cannot start (e.g. a store that belongs to another experiment)."""


class SweepFailure(Exception):
    """A sweep that stopped while running (a worker died, the disk filled up, the store
    could not be written): every run committed before is kept, and ``--resume``
    continues. ``remedy`` is what to do first (e.g. "free space and ")."""

    def __init__(self, store: Path, problem: str, stored: int, remedy: str = "") -> None:
        self.store, self.problem, self.stored, self.remedy = store, problem, stored, remedy
        super().__init__(f"{store}: {problem}; {stored} finished runs are stored and none "
                         f"is lost: {remedy}continue the sweep with --resume")


@dataclass(frozen=True)
class Setting:
    """One combination of base scenario, strategy and design point."""

    index: int
    scenario: str
    strategy: str
    label: str
    factors: dict[str, Any]
    config: Base = field(repr=False)


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


def setting_engine(config: object, runs: int, engine: str) -> str:
    """The engine a setting's runs take: ``engine``, with ``batch`` resolved for the
    setting's runs as a whole (:func:`simulation.engines.batch.chosen_engine`), so that
    the choice, and so every stored number, does not depend on how the runs are chunked
    (the executor, the workers, a resumed sweep)."""
    if engine != "batch" or not isinstance(config, ScenarioConfig):
        return engine
    try:
        return chosen_engine(config, runs)
    except KeyError:  # a plugin's strategy the workers load: never compiled
        return "numpy"


def settings_of(experiment: ExperimentConfig, engine: str = "batch",
                max_work: int | None = None) -> list[Setting]:
    """Every setting, in a fixed order: scenarios, then strategies, then design points;
    a design whose sweep on ``engine`` would be above the work limit (``max_work``
    member-weeks, or the engine's default) is refused before a setting is built, and so is
    a Morris design (its points are trajectories that only `teamsim sensitivity` reads)."""
    if experiment.sample is not None and experiment.sample.method == "morris":
        raise ConfigError(experiment.source, "sample.method",
                          '"morris" is a screening design for `teamsim sensitivity`, not for a '
                          'sweep (which samples with "latin_hypercube" or "sobol")')
    points = design_points(experiment, engine, max_work)
    settings: list[Setting] = []
    for base in experiment.base_configs:
        strategies = experiment.strategies or (own_strategy(base),)
        for strategy in strategies:
            for point in points:
                config = overridden(base, {**({"leader.strategy": strategy}
                                              if experiment.strategies else {}), **point},
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
        "seeding": f"{SEEDING} (common random numbers: the same in every setting)",
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
    key = fingerprint(experiment, settings)
    if path.exists() and overwrite:
        remove_store(folder)
    elif path.exists() and not resume:
        raise SweepError(f"{path}: already holds results; use --resume to continue "
                         f"the sweep or --overwrite to start again")
    manifest = experiment_manifest(experiment, settings, plugin_names)
    if path.exists():
        store = ResultsStore.open(folder, verify=True)
        if store.meta("fingerprint") != key:
            store.close()
            raise SweepError(f"{path}: was made by a different version of this "
                             f"experiment; use --overwrite to start again")
        before = store.manifest()
        if (before.get("git_revision"), before.get("versions")) != (
                manifest["git_revision"], manifest["versions"]):
            logger.warning("%s was started with other code (git %s, versions %s); the runs "
                           "of both are mixed", path, before.get("git_revision"),
                           before.get("versions"))
        manifest |= {"resumed_from": before.get("git_revision")}
    else:
        store = ResultsStore.create(folder, experiment.outcomes, key, manifest)
    try:
        store.set_manifest(manifest)
        store.add_settings((s.index, s.scenario, s.strategy, s.label, s.factors)
                           for s in settings)
    except BaseException:
        store.close()
        raise
    return store


def sweep(experiment: ExperimentConfig, folder: Path, *, workers: int | None = None,
          scheduler: str | None = None, dask_local: bool = False, resume: bool = False,
          overwrite: bool = False, plugin_names: Sequence[str] = (),
          precision: float | None = None, chunk_size: int | None = None,
          show_progress: bool = True, engine: str = "batch",
          max_work: int | None = None, then: str = "closing the store") -> SweepSummary:
    """Run every setting's replications into ``folder``'s store.

    With ``precision`` (or the experiment's [precision] table) replications are added to
    each setting until the 95% interval half-width of the chosen outcome is below it.
    ``engine`` is "batch" (many runs at once, the default; "numpy" or "compiled" name its
    backend, see :data:`simulation.engines.batch.ENGINES`) or "mesa" (the agent model);
    both give the same numbers. A sweep above the work limit (``max_work`` member-weeks,
    or the engine's default: :mod:`simulation.experiments.workload`) is refused before
    anything is written. Into a folder that holds anything but a store, a sweep writes
    only with ``overwrite``, and then replaces the folder only once it is complete.
    Progress goes to standard error (``show_progress``), and once the runs are done it says
    what comes next: ``then`` (e.g. "writing the report and figures").
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    folder = Path(folder)
    if not overwrite and holds_other_files(folder, STORE_FILE):
        raise SweepError(f"--out {folder}: holds files that no sweep wrote; choose another "
                         "--out, or pass --overwrite to replace the folder once the sweep "
                         "is complete")
    if overwrite and folder.is_dir() and any(folder.iterdir()):
        try:
            staging = staging_beside(folder)  # what is there stays until the sweep is done
        except OSError as error:
            fault = store_fault(folder / STORE_FILE, error)
            if fault is None:
                raise
            raise fault from None
        try:
            summary = sweep(experiment, staging, workers=workers, scheduler=scheduler,
                            dask_local=dask_local, plugin_names=plugin_names,
                            precision=precision, chunk_size=chunk_size,
                            show_progress=show_progress, engine=engine, max_work=max_work,
                            then=then)
        except SweepFailure as error:  # the new runs go; the folder is as it was
            shutil.rmtree(staging, ignore_errors=True)
            raise SweepFailure(folder / STORE_FILE, error.problem, finished_runs(folder),
                               error.remedy) from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        replace_folder(folder, staging)
        return replace(summary, folder=folder)
    settings = settings_of(experiment, engine, max_work)
    path = folder / STORE_FILE
    started = time.monotonic()
    target = precision_target(experiment, precision)
    plugin_ids = tuple(plugins.plugin_id(name) for name in plugin_names)
    try:
        store = prepare_store(experiment, settings, folder, resume, overwrite, plugin_ids)
    except (sqlite3.Error, OSError, StoreError) as error:
        fault = store_fault(path, error)
        if fault is None:
            raise
        if fault.bad_input:  # nothing ran: the store or the --out folder is unusable
            raise fault from None
        problem, remedy = fault.while_running()
        raise SweepFailure(path, problem, finished_runs(folder), remedy) from None
    stored = 0
    try:
        with store, open_executor(workers, scheduler, dask_local) as (executor, count,
                                                                       description):
            wanted = {s.index: experiment.replications for s in settings}
            done = failed = 0
            attempted: set[tuple[int, int]] = set()  # a run failing now is not retried now
            skipped = stored = len(store.finished())
            while True:
                finished = store.finished() | attempted
                tasks = [RunTask(s.index, k, experiment.seed, s.config, experiment.outcomes,
                                 plugin_ids, setting_engine(s.config, wanted[s.index], engine))
                         for s in settings for k in range(wanted[s.index])
                         if (s.index, k) not in finished]
                attempted.update((task.setting, task.replication) for task in tasks)
                batched = engine != "mesa"
                most = chunk_limit(settings) if batched else MESA_CHUNK
                size = chunk_size or runs_per_chunk(tasks, count, most, batched)
                chunks = list(chunks_of(tasks, size))
                logger.info("%s: %d runs to go in %d chunks of at most %d, %s", experiment.name,
                            len(tasks), len(chunks), size, description)
                where = description if description.startswith("in ") else f"on {description}"
                # In this process a task runs as it is handed out: one at a time, so that
                # each is committed and counted before the next starts.
                in_flight = 1 if isinstance(executor, InProcessExecutor) else 2 * count
                with Progress(len(tasks), f"{experiment.name} {where}",
                              enabled=show_progress) as progress:
                    for records in stream(executor, run_tasks, chunks, in_flight):
                        store.write(records)
                        done += sum(r.status == DONE for r in records)
                        failed += sum(r.status == FAILED for r in records)
                        stored = skipped + done
                        progress.advance(len(records))
                    progress.finish("checking the precision" if target is not None else then)
                if target is None or not raise_replications(store, settings, wanted, target):
                    break
    except WorkerDied:
        raise SweepFailure(path, "a worker process died (killed by a signal, or out of "
                                 "memory)", stored) from None
    except (sqlite3.Error, OSError) as error:
        fault = store_fault(path, error)
        if fault is None:
            raise
        problem, remedy = fault.while_running()
        raise SweepFailure(path, problem, stored, remedy) from None
    return SweepSummary(folder, len(settings), done, failed, skipped,
                        time.monotonic() - started, description)
