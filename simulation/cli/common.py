"""What the command families share: the one error a command raises on bad input (reported in
one line, exit code 2), the checks of numeric options, the results folder a command writes
into by default, the executor options of the commands that sweep, and the quarterly table
of output and the four core states that `teamsim run` prints and `teamsim compare` compares.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd

Subcommands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"
"""The subcommands of `teamsim`, to which each family module adds its commands."""

TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("team_output", "output"),
    ("capability_mean", "capability"),
    ("motivation_mean", "motivation"),
    ("trust_mean", "trust"),
    ("accountability_mean", "accountability"),
)


class UsageError(Exception):
    """Bad input on the command line: reported in one line, exit code 2."""


def at_least(option: str, value: int, minimum: int) -> None:
    """Raise a UsageError naming the option unless its value is at least ``minimum``."""
    if value < minimum:
        raise UsageError(f"{option}: must be at least {minimum}, got {value}")


def results_folder(out: Path | None, name: str) -> Path:
    """The folder a command writes into: ``--out``, or else results/<name>."""
    return out if out is not None else Path("results") / name


def add_execution_options(parser: argparse.ArgumentParser) -> None:
    """Where runs execute: local workers or a Dask cluster."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None,
                       help="worker processes (default: all cores; 1 runs in this process)")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="run on the Dask cluster at ADDRESS (pip install teamsim[dask])")
    where.add_argument("--dask-local", type=int, default=None, metavar="N",
                       help="run on a local Dask cluster of N workers")
    parser.add_argument("--engine", choices=("batch", "mesa"), default="batch",
                        help="batch: many runs at once (default); mesa: the agent model "
                             "(same numbers, slower)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")


def execution(args: argparse.Namespace) -> dict[str, Any]:
    """The executor options of a command, checked."""
    if args.workers is not None:
        at_least("--workers", args.workers, 1)
    if args.dask_local is not None:
        at_least("--dask-local", args.dask_local, 1)
    workers = args.dask_local if args.dask_local is not None else args.workers
    return {"workers": workers, "scheduler": args.scheduler,
            "dask_local": args.dask_local is not None, "show_progress": not args.quiet,
            "engine": args.engine}


def format_table(summary: pd.DataFrame) -> str:
    """The quarterly table: mean and 95% interval of output and the four core states."""
    header = f"{'quarter':>7}  " + "  ".join(f"{title:>22}" for _, title in TABLE_COLUMNS)
    lines = [header]
    for _, row in summary.iterrows():
        cells = [f"{row[c]:7.3f} [{row[c + '_low']:6.3f},{row[c + '_high']:6.3f}]"
                 for c, _ in TABLE_COLUMNS]
        lines.append(f"{int(row['quarter']):>7}  " + "  ".join(f"{cell:>22}" for cell in cells))
    return "\n".join(lines)
