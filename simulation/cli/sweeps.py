"""`teamsim sweep`, `compare`, `report` and `reproduce`: experiments run into a results
store and reported from it, with each command's arguments next to its handler; `sweep` and
`compare` run on local workers or a Dask cluster, `report` rewrites tables and figures
without re-running, `reproduce` reruns the headline experiments into results/.

When a sweep cannot start, stops, or cannot write its report, the command prints one line
naming the store and what to do, and exits 2 if it could not start (a store that is not
one or is damaged, a folder it cannot write into: nothing was run or written) or 1 if it
stopped while running (a worker died, the disk filled up: every finished run is kept, and
the line gives the `--resume` command that finishes the sweep).
"""

from __future__ import annotations

import argparse
import logging
import math
import shlex
import sqlite3
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd

from simulation.cli.common import (
    TABLE_COLUMNS,
    Subcommands,
    UsageError,
    add_execution_options,
    at_least,
    execution,
    results_folder,
    worker_count,
)
from simulation.experiments.comparison import comparison_experiment, difference_table
from simulation.experiments.experiment_files import load_experiment
from simulation.experiments.publishing import holds_other_files
from simulation.experiments.report import Report, headline_table, write_report
from simulation.experiments.reproduce import reproduce
from simulation.experiments.store import (
    READ_ONLY,
    STORE_FILE,
    ResultsStore,
    StoreError,
    store_fault,
)
from simulation.experiments.sweep import SweepFailure, SweepSummary, sweep
from simulation.model import strategies
from simulation.model.config import DEFAULT_SEED
from simulation.model.scenario_files import ConfigError, printable

T = TypeVar("T")
logger = logging.getLogger(__name__)

REPORTING = "writing the report and figures"
"""What `teamsim sweep` and `compare` do once the runs are done (said after 100%)."""


def add_commands(commands: Subcommands) -> None:
    """Add this family's commands to `teamsim`'s subcommands."""
    add_sweep(commands)
    add_compare(commands)
    add_report(commands)
    add_reproduce(commands)


def add_sweep(commands: Subcommands) -> None:
    """`teamsim sweep`'s arguments."""
    parser = commands.add_parser("sweep", help="run an experiment's settings and replications "
                                               "into a results store")
    parser.add_argument("experiment", help="experiment file, or the name of a shipped one")
    add_execution_options(parser)
    parser.add_argument("--resume", action="store_true",
                        help="continue an interrupted sweep: finished runs are skipped")
    parser.add_argument("--overwrite", action="store_true",
                        help="discard an earlier store of this experiment and start again")
    parser.add_argument("--precision", type=float, default=None, metavar="H",
                        help="add replications until the 95%% interval half-width of the "
                             "experiment's first outcome (or its [precision] outcome) is below H")
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: results/<experiment>)")


def command_sweep(args: argparse.Namespace) -> int:
    """`teamsim sweep`: every setting and replication of an experiment into a store."""
    if args.resume and args.overwrite:
        raise UsageError("--resume and --overwrite: choose one")
    if args.precision is not None and not 0 < args.precision < math.inf:
        raise UsageError(f"--precision: must be a positive number, got {args.precision}")
    experiment = load_experiment(args.experiment, strategies.REGISTRY.__contains__)
    folder = results_folder(args.out, experiment.name)
    plugins = [word for name in args.plugin for word in ("--plugin", name)]
    command = ["teamsim", *plugins, "sweep", args.experiment, "--out", str(folder), "--resume"]
    again = f"continue with `{shlex.join(command)}`"
    if args.overwrite:
        again = f"run the same command again (nothing in {folder} was replaced)"
    summary = run_sweep(lambda: sweep(
        experiment, folder, resume=args.resume, overwrite=args.overwrite,
        plugin_names=args.plugin, precision=args.precision, then=REPORTING,
        **execution(args)), again)
    return summary if isinstance(summary, int) else finish_sweep(summary, again)[0]


def run_sweep(run: Callable[[], T], again: str) -> T | int:
    """What a sweep returns; or, for one that could not start or stopped, its one line on
    standard error and the exit code (2: nothing ran; 1: it stopped, ``again`` says how
    to go on)."""
    try:
        return run()
    except StoreError as error:
        return fail(str(error), 2 if error.bad_input else 1)
    except SweepFailure as error:
        return fail(f"{error.store}: {error.problem}; {error.stored} finished runs are "
                    f"stored and none is lost: {error.remedy}{again}", 1)


def fail(message: str, code: int) -> int:
    """Print the one error line; return the exit code."""
    print(f"teamsim: error: {printable(message)}", file=sys.stderr)
    return code


def finish_sweep(summary: SweepSummary, again: str = "continue with --resume"
                 ) -> tuple[int, Report | None]:
    """Write the report of a finished sweep, print what happened; exit 1 on failed runs
    (and no report if no run finished, or if it cannot be written)."""
    store = summary.folder / STORE_FILE
    if summary.done + summary.skipped == 0 and summary.failed:
        with ResultsStore.open(summary.folder) as opened:
            first = opened.failures().iloc[0]
        return fail(f"all {summary.failed} runs failed (first: {first['label']}, replication "
                    f"{first['replication']}: {first['error']}); nothing to report: fix the "
                    f"cause and {again}", 1), None
    started = time.monotonic()
    try:
        report = write_report(summary.folder)
    except (OSError, sqlite3.Error) as error:
        fault = store_fault(store, error)
        if fault is None:
            raise
        problem, remedy = fault.while_running()
        return fail(f"{store}: {problem} while writing the report; every finished run is "
                    f"in the store: {remedy}write it with `teamsim report "
                    f"{shlex.quote(str(summary.folder))}`", 1), None
    logger.info("%s: report and figures written in %.1f s", summary.folder,
                time.monotonic() - started)
    where = summary.executor if summary.executor.startswith("in ") else \
        f"on {summary.executor}"
    print(f"{summary.settings} settings: {summary.done} runs done, {summary.failed} failed, "
          f"{summary.skipped} already in the store; {summary.seconds:.1f} s {where}")
    print(f"wrote {summary.folder}/: store.sqlite, " + ", ".join(
        path.name for path in report.written))
    if not report.failures.empty:
        first = report.failures.iloc[0]
        return fail(f"{len(report.failures)} runs failed (first: {first['label']}, "
                    f"replication {first['replication']}: {first['error']}); see "
                    f"{summary.folder}/report.md", 1), report
    return 0, report


def add_compare(commands: Subcommands) -> None:
    """`teamsim compare`'s arguments."""
    parser = commands.add_parser(
        "compare", help="compare strategies on one scenario, or scenarios, with statistics")
    parser.add_argument("names", nargs="+", help="strategy names (on --scenario) or "
                                                "scenarios; the first is the reference")
    parser.add_argument("--scenario", default="baseline",
                        help="scenario the strategies are compared on (default: baseline)")
    parser.add_argument("--replications", "-n", type=int, default=30)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--quarters", type=int, nargs="+", default=[],
                        help="quarters compared (default: every fourth, and the last)")
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: results/compare_<names>)")
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an --out folder that holds other files (once the new "
                             "comparison is complete)")
    add_execution_options(parser)


def command_compare(args: argparse.Namespace) -> int:
    """`teamsim compare`: strategies or scenarios under common random numbers."""
    at_least("--replications", args.replications, 2)
    try:
        experiment = comparison_experiment(args.names, args.scenario, args.replications,
                                           args.seed, args.quarters,
                                           strategies.REGISTRY.__contains__)
    except ConfigError as error:
        if error.source != "compare":  # a scenario file compared, or --scenario's
            raise
        flag = COMPARE_FLAGS.get(error.key.split("[")[0], error.key)
        raise UsageError(f"{flag}: {printable(error.problem)}") from None
    except ValueError as error:
        raise UsageError(str(error)) from None
    folder = results_folder(args.out, experiment.name)
    if not args.overwrite and holds_other_files(folder, STORE_FILE):
        raise UsageError(f"--out {folder}: holds files that no comparison wrote; choose "
                         "another --out, or pass --overwrite to replace the folder")
    again = "run the comparison again"
    summary = run_sweep(lambda: sweep(experiment, folder, overwrite=True, then=REPORTING,
                                      plugin_names=args.plugin, **execution(args)), again)
    if isinstance(summary, int):
        return summary
    code, report = finish_sweep(summary, again)
    if report is None:
        return code
    comparisons = pd.read_csv(folder / "comparisons.csv")
    comparisons = comparisons[comparisons.outcome.isin([c for c, _ in TABLE_COLUMNS])]
    print(f"\n{experiment.title}: {experiment.replications} replications under common random "
          f"numbers, against {comparisons['reference'].iloc[0]}")
    print(difference_table(comparisons))
    print(f"(every outcome in {folder}/comparisons.csv)")
    return code


COMPARE_FLAGS = {"quarters": "--quarters", "seed": "--seed", "replications": "--replications",
                 "name": "names", "scenarios": "names"}
"""The flag of `teamsim compare` that sets each key of the experiment it builds."""


def add_report(commands: Subcommands) -> None:
    """`teamsim report`'s arguments."""
    parser = commands.add_parser("report", help="rewrite tables and figures from a results "
                                                "store, without re-running")
    parser.add_argument("folder", type=Path, help="a results folder holding store.sqlite")


def command_report(args: argparse.Namespace) -> int:
    """`teamsim report`: tables and figures from a store, without re-running."""
    folder = args.folder
    store = folder / STORE_FILE
    if not store.is_file():
        raise UsageError(f"{folder}: holds no results store ({STORE_FILE})")
    try:
        ResultsStore.open(folder, verify=True).close()
        report = write_report(folder)
    except (StoreError, OSError, sqlite3.Error) as error:
        fault = store_fault(store, error)
        if fault is None:
            raise
        if fault.kind == READ_ONLY:
            return fail(f"{store}: cannot write into {folder} ({fault.detail}): copy the "
                        f"folder somewhere writable and run `teamsim report` there", 2)
        if fault.bad_input:
            return fail(str(fault), 2)
        problem, remedy = fault.while_running()
        return fail(f"{store}: {problem} while writing the report: {remedy}run "
                    f"`teamsim report {shlex.quote(str(folder))}` again", 1)
    print("\n".join(headline_table(report)))
    print(f"wrote {folder}/: " + ", ".join(path.name for path in report.written))
    return 0


def add_reproduce(commands: Subcommands) -> None:
    """`teamsim reproduce`'s arguments."""
    parser = commands.add_parser(
        "reproduce", help="run the headline experiments and rewrite results/ and its README")
    parser.add_argument("experiments", nargs="*",
                        help="only these shipped experiments (default: all)")
    parser.add_argument("--results", type=Path, default=Path("results"),
                        help="results folder (default: results)")
    parser.add_argument("--workers", type=int, default=None,
                        help="local worker processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")


def command_reproduce(args: argparse.Namespace) -> int:
    """`teamsim reproduce`: every shipped experiment, then results/README.md."""
    if args.workers is not None:
        worker_count("--workers", args.workers)

    def run() -> list[tuple[SweepSummary, Report]]:
        try:
            return reproduce(args.results, args.workers, args.experiments, not args.quiet)
        except ValueError as error:
            raise UsageError(str(error)) from None

    done = run_sweep(run, "run `teamsim reproduce` again")
    if isinstance(done, int):
        return done
    for summary, report in done:
        print(f"{summary.folder}: {summary.done} runs in {summary.seconds:.1f} s; "
              f"{len(report.written)} files")
    print(f"wrote {args.results}/README.md")
    failed = sum(summary.failed for summary, _ in done)
    return 1 if failed else 0
