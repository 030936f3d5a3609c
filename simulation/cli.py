"""`teamsim ...`: parse, call the library, print, return an exit code.

Exit codes: 0 success, 1 a run failed, 2 bad input (a bad file, key or value; the message
is one line naming the file and the key, and nothing is written).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from simulation import strategies
from simulation.experiment import manifest, publish, run_replications, write_json
from simulation.plots import quarterly_figure
from simulation.plugins import PluginError, load_plugins
from simulation.scenario import (
    ConfigError,
    load_scenario,
    resolve_scenario_path,
    shipped_scenarios,
    with_overrides,
)

TABLE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("team_output", "output"),
    ("capability_mean", "capability"),
    ("motivation_mean", "motivation"),
    ("trust_mean", "trust"),
    ("accountability_mean", "accountability"),
)


class UsageError(Exception):
    """Bad input on the command line: reported in one line, exit code 2."""


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = argparse.ArgumentParser(
        prog="teamsim", description="Simulate how leadership shapes team performance.")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback when a run fails")
    parser.add_argument("--plugin", action="append", default=[], metavar="MODULE",
                        help="import a module (dotted name or .py file) that registers "
                             "strategies; may be repeated")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run a scenario's replications")
    run.add_argument("scenario", help="scenario file, or the name of a shipped scenario")
    run.add_argument("--replications", "-n", type=int, default=None,
                     help="number of replications (default: the scenario's)")
    run.add_argument("--seed", type=int, default=None,
                     help="base seed (default: the scenario's)")
    run.add_argument("--strategy", default=None, help="override the leader's strategy")
    run.add_argument("--out", type=Path, default=None,
                     help="folder to write into (default: results/<scenario>)")
    run.add_argument("--quiet", action="store_true", help="print no table")

    commands.add_parser("list", help="list the shipped scenarios and the strategies")

    check = commands.add_parser("check", help="validate scenario files")
    check.add_argument("files", nargs="+", help="scenario files")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        load_plugins(args.plugin)
        if args.command == "run":
            return command_run(args)
        if args.command == "list":
            return command_list()
        return command_check(args.files)
    except (ConfigError, UsageError, PluginError) as error:
        print(f"teamsim: error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a failing run (e.g. a user's strategy): one line, exit 1
        if args.debug:
            raise
        print(f"teamsim: error: the run failed, nothing was written: "
              f"{type(error).__name__}: {error} (--debug shows the traceback)", file=sys.stderr)
        return 1


def entry_point() -> None:
    """The console script."""
    try:
        code = main()
    except KeyboardInterrupt:
        print("teamsim: interrupted; nothing was written", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)


def command_run(args: argparse.Namespace) -> int:
    """`teamsim run`: replications, a printed table and the files under results/."""
    source = str(resolve_scenario_path(args.scenario))
    config = load_scenario(args.scenario, strategy_exists=strategies.REGISTRY.__contains__)
    if args.strategy is not None:
        if args.strategy not in strategies.REGISTRY:
            raise UsageError(f"--strategy: unknown strategy {args.strategy!r} (known: "
                             f"{', '.join(strategies.REGISTRY.names())})")
        config = with_overrides(config, {"leader.strategy": args.strategy}, source)
    if args.replications is not None and args.replications < 1:
        raise UsageError(f"--replications: must be at least 1, got {args.replications}")
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise UsageError(f"--seed: must be from 0 to 2**63-1, got {args.seed}")
    folder = args.out if args.out is not None else Path("results") / config.name
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--out {folder}: exists and is not a folder")

    result = run_replications(config, args.replications, args.seed)
    summary = result.summary
    if not args.quiet:
        print(f"{config.title or config.name}: strategy {config.leader.strategy}, "
              f"{int(summary['runs'].max())} replications, seed {result.seed}")
        print(format_table(summary))
    figure = quarterly_figure(summary, config)
    publish(folder, {
        "quarters.csv": lambda path: result.quarterly.to_csv(path, index=False),
        "summary.csv": lambda path: summary.to_csv(path, index=False),
        "manifest.json": write_json(manifest(result, source)),
        "quarters.png": lambda path: figure.savefig(path, dpi=110),
    })
    print(f"wrote {folder}/quarters.csv, summary.csv, manifest.json, quarters.png")
    return 0


def format_table(summary: pd.DataFrame) -> str:
    """The quarterly table: mean and 95% interval of output and the four core states."""
    header = f"{'quarter':>7}  " + "  ".join(f"{title:>22}" for _, title in TABLE_COLUMNS)
    lines = [header]
    for _, row in summary.iterrows():
        cells = [f"{row[c]:7.3f} [{row[c + '_low']:6.3f},{row[c + '_high']:6.3f}]"
                 for c, _ in TABLE_COLUMNS]
        lines.append(f"{int(row['quarter']):>7}  " + "  ".join(f"{cell:>22}" for cell in cells))
    return "\n".join(lines)


def command_list() -> int:
    """`teamsim list`: the shipped scenarios and the registered strategies."""
    print("Scenarios:")
    for name, path in shipped_scenarios().items():
        try:
            title = load_scenario(path).title
        except ConfigError as error:
            title = f"(invalid: {error})"
        print(f"  {name:<34} {title}")
    print("Strategies:")
    for name in strategies.REGISTRY.names():
        print(f"  {name:<34} {strategies.REGISTRY.get(name).description}")
    return 0


def command_check(files: Sequence[str]) -> int:
    """`teamsim check`: validate scenario files; the first bad one ends it with exit 2."""
    for name in files:
        config = load_scenario(name, strategy_exists=strategies.REGISTRY.__contains__)
        print(f"{resolve_scenario_path(name)}: ok ({config.name}: {config.quarters} quarters, "
              f"team of {config.team.size}, strategy {config.leader.strategy})")
    return 0


if __name__ == "__main__":
    entry_point()
