"""`teamsim ...`: parse, call the library, print, return an exit code.

Each family of commands has its own module, and in it each command's arguments
(``add_<command>``) sit next to its handler (``command_<command>``): ``runs`` (run),
``sweeps`` (sweep, compare, report, reproduce), ``analysis`` (patterns, calibrate, optimise,
sensitivity, decompose), ``workshop`` (workshop) and ``files`` (list, check); ``common``
holds what they share. This module assembles the grammar and dispatches.

Exit codes: 0 success, 1 a run failed, 2 bad input (a bad file, key or value; the message
is one line naming the file and the key, and nothing is written).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from simulation.cli import analysis, files, runs, sweeps, workshop
from simulation.cli.common import UsageError
from simulation.experiments.plugins import PluginError, load_plugins
from simulation.experiments.sweep import SweepError
from simulation.model.scenario_files import MAX_MESSAGE, ConfigError, printable


class Parser(argparse.ArgumentParser):
    """argparse's grammar, with its errors in the project's one line: the flag or argument
    and what is wrong with it (values cut and made printable), and where help is; exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {one_line(message, MAX_MESSAGE - 60)} (see "
                     f"`{self.prog} --help`)\n")


def one_line(message: str, limit: int = MAX_MESSAGE) -> str:
    """A message as the one error line prints it: printable, and cut to ``limit``."""
    text = printable(message)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = Parser(
        prog="teamsim", description="Simulate how leadership shapes team performance.")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback when a run fails")
    parser.add_argument("--plugin", action="append", default=[], metavar="MODULE",
                        help="import a module (dotted name or .py file) that registers "
                             "strategies; may be repeated")
    commands = parser.add_subparsers(dest="command", required=True)
    for family in (runs, sweeps, analysis, workshop, files):  # the order of `teamsim --help`
        family.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        load_plugins(args.plugin)
        return COMMANDS[args.command](args)
    except (ConfigError, UsageError, PluginError, SweepError) as error:
        print(f"teamsim: error: {one_line(str(error))}", file=sys.stderr)
        return 2
    except Exception as error:  # a failing run (e.g. a user's strategy): one line, exit 1
        if args.debug:
            raise
        print(f"teamsim: error: {one_line(f'{type(error).__name__}: {error}')} (--debug "
              "shows the traceback)", file=sys.stderr)
        return 1


def entry_point() -> None:
    """The console script."""
    try:
        code = main()
    except KeyboardInterrupt:
        print("teamsim: interrupted (a run writes nothing; a sweep keeps its finished runs: "
              "continue it with --resume)", file=sys.stderr)
        code = 130
    except BrokenPipeError:
        # The reader of our output went away (e.g. `| head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = 0
    sys.exit(code)


COMMANDS = {
    "run": runs.command_run, "sweep": sweeps.command_sweep, "compare": sweeps.command_compare,
    "report": sweeps.command_report, "reproduce": sweeps.command_reproduce,
    "patterns": analysis.command_patterns, "calibrate": analysis.command_calibrate,
    "optimise": analysis.command_optimise, "sensitivity": analysis.command_sensitivity,
    "decompose": analysis.command_decompose,
    "workshop": workshop.command_workshop, "list": files.command_list,
    "check": files.command_check,
}
"""Each subcommand's function: it takes the parsed arguments and returns the exit code."""
