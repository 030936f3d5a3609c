"""`teamsim sweep`, `compare`, `report` and `reproduce`: experiments run into a results
store and reported from it, with each command's arguments next to its handler; `sweep` and
`compare` run on local workers or a Dask cluster, `report` rewrites tables and figures
without re-running, `reproduce` reruns the headline experiments into results/."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from simulation.cli.common import (
    TABLE_COLUMNS,
    Subcommands,
    UsageError,
    add_execution_options,
    at_least,
    execution,
    results_folder,
)
from simulation.experiments.comparison import comparison_experiment, difference_table
from simulation.experiments.experiment_files import load_experiment
from simulation.experiments.report import headline_table, write_report
from simulation.experiments.reproduce import reproduce
from simulation.experiments.store import STORE_FILE
from simulation.experiments.sweep import SweepSummary, sweep
from simulation.model import strategies
from simulation.model.config import DEFAULT_SEED


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
    if args.precision is not None and args.precision <= 0:
        raise UsageError(f"--precision: must be positive, got {args.precision}")
    experiment = load_experiment(args.experiment, strategies.REGISTRY.__contains__)
    folder = results_folder(args.out, experiment.name)
    summary = sweep(experiment, folder, resume=args.resume, overwrite=args.overwrite,
                    plugin_names=args.plugin, precision=args.precision, **execution(args))
    return finish_sweep(summary)


def finish_sweep(summary: SweepSummary) -> int:
    """Write the report of a finished sweep, print what happened; exit 1 on failed runs."""
    report = write_report(summary.folder)
    print(f"{summary.settings} settings: {summary.done} runs done, {summary.failed} failed, "
          f"{summary.skipped} already in the store; {summary.seconds:.1f} s on "
          f"{summary.executor}")
    print(f"wrote {summary.folder}/: store.sqlite, " + ", ".join(
        path.name for path in report.written))
    if not report.failures.empty:
        first = report.failures.iloc[0]
        print(f"teamsim: error: {len(report.failures)} runs failed (first: {first['label']}, "
              f"replication {first['replication']}: {first['error']}); see "
              f"{summary.folder}/report.md", file=sys.stderr)
        return 1
    return 0


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
    add_execution_options(parser)


def command_compare(args: argparse.Namespace) -> int:
    """`teamsim compare`: strategies or scenarios under common random numbers."""
    at_least("--replications", args.replications, 2)
    try:
        experiment = comparison_experiment(args.names, args.scenario, args.replications,
                                           args.seed, args.quarters,
                                           strategies.REGISTRY.__contains__)
    except ValueError as error:
        raise UsageError(str(error)) from None
    folder = results_folder(args.out, experiment.name)
    summary = sweep(experiment, folder, overwrite=True, plugin_names=args.plugin,
                    **execution(args))
    code = finish_sweep(summary)
    comparisons = pd.read_csv(folder / "comparisons.csv")
    comparisons = comparisons[comparisons.outcome.isin([c for c, _ in TABLE_COLUMNS])]
    print(f"\n{experiment.title}: {experiment.replications} replications under common random "
          f"numbers, against {comparisons['reference'].iloc[0]}")
    print(difference_table(comparisons))
    print(f"(every outcome in {folder}/comparisons.csv)")
    return code


def add_report(commands: Subcommands) -> None:
    """`teamsim report`'s arguments."""
    parser = commands.add_parser("report", help="rewrite tables and figures from a results "
                                                "store, without re-running")
    parser.add_argument("folder", type=Path, help="a results folder holding store.sqlite")


def command_report(args: argparse.Namespace) -> int:
    """`teamsim report`: tables and figures from a store, without re-running."""
    folder = args.folder
    if not (folder / STORE_FILE).is_file():
        raise UsageError(f"{folder}: holds no results store ({STORE_FILE})")
    report = write_report(folder)
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
        at_least("--workers", args.workers, 1)
    try:
        done = reproduce(args.results, args.workers, args.experiments, not args.quiet)
    except ValueError as error:
        raise UsageError(str(error)) from None
    for summary, report in done:
        print(f"{summary.folder}: {summary.done} runs in {summary.seconds:.1f} s; "
              f"{len(report.written)} files")
    print(f"wrote {args.results}/README.md")
    failed = sum(summary.failed for summary, _ in done)
    return 1 if failed else 0
