"""What the command families share: the one error a command raises on bad input (reported in
one line, exit code 2), the checks of numeric options, the results folder a command writes
into by default, the executor options of the commands that sweep, the quarterly table
of output and the four core states that `teamsim run` prints and `teamsim compare` compares,
and printing results beside a progress bar.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Collection
from pathlib import Path
from typing import Any, TypeAlias

import pandas as pd

from simulation.experiments.progress import beside_bars
from simulation.experiments.workload import LIMIT
from simulation.model.scenario_files import shown

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
    """The folder a command writes into: ``--out``, or else results/<name>; refused if it,
    or a folder it would be made in, is a file."""
    folder = out if out is not None else Path("results") / name
    for path in (folder, *folder.parents):
        if path.exists() and not path.is_dir():
            where = "exists" if path == folder else f"would be made inside {path}, which"
            raise UsageError(f"--out {folder}: {where} is not a folder")
    return folder


def refuse_foreign(folder: Path, own: Collection[str], command: str,
                   overwrite: bool = False) -> None:
    """Refuse (naming --out and --overwrite) a folder holding anything but the files
    ``command`` writes: the folder is replaced as a whole, and another command's files, or
    the user's, are never deleted unasked."""
    if overwrite or not folder.is_dir():
        return
    if any(path.name not in own for path in folder.iterdir()):
        raise UsageError(f"--out {folder}: holds files that `teamsim {command}` did not "
                         "write; choose another --out, or pass --overwrite to replace it")


def add_overwrite_option(parser: argparse.ArgumentParser) -> None:
    """--overwrite, for a command that replaces its folder as a whole."""
    parser.add_argument("--overwrite", action="store_true",
                        help="replace an --out folder that holds other files (only once "
                             "the new results are complete)")


def add_execution_options(parser: argparse.ArgumentParser) -> None:
    """Where runs execute: local workers or a Dask cluster."""
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, default=None,
                       help="worker processes (default: all cores; 1 runs in this process)")
    where.add_argument("--scheduler", default=None, metavar="ADDRESS",
                       help="run on the Dask cluster at ADDRESS (pip install teamsim[dask])")
    where.add_argument("--dask-local", type=int, default=None, metavar="N",
                       help="run on a local Dask cluster of N workers")
    parser.add_argument("--engine", choices=("batch", "numpy", "compiled", "mesa"),
                        default="batch",
                        help="batch: many runs at once, compiled where it pays (default); "
                             "numpy or compiled: the batched engine on that backend; mesa: "
                             "the agent model (same numbers, slower)")
    parser.add_argument("--max-work", type=int, default=None, metavar="MEMBER_WEEKS",
                        help="raise the limit on runs x members x weeks (default: "
                             f"{LIMIT['batch']:,} on the batch engine, {LIMIT['mesa']:,} on "
                             "mesa)")
    parser.add_argument("--quiet", action="store_true",
                        help="no progress line (as `teamsim --quiet`)")


MAX_WORKERS_PER_CORE = 4
"""Most worker processes per core a command starts (more only thrash the machine)."""


def execution(args: argparse.Namespace) -> dict[str, Any]:
    """The executor options of a command, checked."""
    for option, value in (("--workers", args.workers), ("--dask-local", args.dask_local)):
        if value is not None:
            worker_count(option, value)
    if args.max_work is not None:
        at_least("--max-work", args.max_work, 1)
    workers = args.dask_local if args.dask_local is not None else args.workers
    return {"workers": workers, "scheduler": args.scheduler,
            "dask_local": args.dask_local is not None, "show_progress": not args.quiet,
            "engine": args.engine, "max_work": args.max_work}


def worker_count(option: str, value: int) -> int:
    """A number of local worker processes, checked: at least one, at most
    MAX_WORKERS_PER_CORE a core of this machine."""
    at_least(option, value, 1)
    most = MAX_WORKERS_PER_CORE * (os.cpu_count() or 1)
    if value > most:
        raise UsageError(f"{option}: at most {most} ({MAX_WORKERS_PER_CORE} a core on this "
                         f"machine's {os.cpu_count() or 1}), got {shown(value)}")
    return value


def format_table(summary: pd.DataFrame, by: str | None = None) -> str:
    """The quarterly table: mean and 95% interval of output and the four core states (with
    ``by``, a block of rows per value of that column, under its name)."""
    header = f"{'quarter':>7}  " + "  ".join(f"{title:>22}" for _, title in TABLE_COLUMNS)
    lines = [] if by is not None else [header]
    current = None
    for _, row in summary.iterrows():
        if by is not None and row[by] != current:
            current = row[by]
            lines += [f"{by} {current}:", header]
        cells = [f"{row[c]:7.3f} [{row[c + '_low']:6.3f},{row[c + '_high']:6.3f}]"
                 for c, _ in TABLE_COLUMNS]
        lines.append(f"{int(row['quarter']):>7}  " + "  ".join(f"{cell:>22}" for cell in cells))
    return "\n".join(lines)


def say(line: str = "") -> None:
    """Print a line of results on standard output while a progress bar may be drawn on the
    terminal: the bar is cleared first and drawn again after, so neither tears the other."""
    with beside_bars():
        print(line, flush=True)
