"""`teamsim ...`: parse, call the library, print, return an exit code.

Each family of commands has its own module, and in it each command's arguments
(``add_<command>``) sit next to its handler (``command_<command>``): ``runs`` (run),
``sweeps`` (sweep, compare, report, reproduce), ``analysis`` (patterns, calibrate, optimise,
sensitivity, decompose), ``workshop`` (workshop), ``files`` (list, check) and
``completion`` (completion); ``common`` holds what they share and ``logs`` the log
messages' lines. This module assembles the grammar, with the global options (``--version``,
``--quiet``, ``--log-level``, ``--debug``, ``--plugin``), and dispatches.
``python -m simulation`` runs the same :func:`entry_point` as the ``teamsim`` script.

Results go to standard output; progress, log messages and errors to standard error.

Exit codes: 0 success, 1 a run failed, 2 bad input (a bad file, key or value; the message
is one line naming the file and the key, and nothing is written).
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
from collections.abc import Sequence
from importlib import metadata
from typing import NoReturn

from simulation import __version__
from simulation.cli import analysis, completion, files, logs, runs, sweeps, workshop
from simulation.cli.common import UsageError
from simulation.experiments import progress
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


logger = logging.getLogger(__name__)


def versions() -> str:
    """What `teamsim --version` prints: TeamSim's version, and Python's and Mesa's."""
    try:
        mesa = metadata.version("mesa")
    except metadata.PackageNotFoundError:
        mesa = "not installed"
    return f"teamsim {__version__} (Python {platform.python_version()}, Mesa {mesa})"


def build_parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    parser = Parser(
        prog="teamsim", description="Simulate how leadership shapes team performance.",
        epilog="Results go to standard output; progress, log messages and errors to "
               "standard error. `python -m simulation` is the same command line.")
    parser.add_argument("--version", action="version", version=versions(),
                        help="print the versions of teamsim, Python and Mesa, and exit")
    parser.add_argument("--quiet", action="store_true", dest="no_progress",
                        help="no progress bars or lines, for any command (results and "
                             "errors are still printed)")
    parser.add_argument("--log-level", choices=tuple(logs.LEVELS), default=logs.DEFAULT_LEVEL,
                        help="the least severe log messages shown on standard error "
                             f"(default: {logs.DEFAULT_LEVEL}; info says what a command is "
                             "doing, debug the details)")
    parser.add_argument("--debug", action="store_true",
                        help="show the full traceback when a run fails")
    parser.add_argument("--plugin", action="append", default=[], metavar="MODULE",
                        help="import a module (dotted name or .py file) that registers "
                             "strategies; may be repeated")
    commands = parser.add_subparsers(dest="command", required=True)
    for family in (runs, sweeps, analysis, workshop, files, completion):  # `--help`'s order
        family.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with logs.logging_at(args.log_level), progress.quiet(args.no_progress):
        logger.debug("%s; progress %s", versions(), progress_goes())
        return dispatch(args)


def progress_goes() -> str:
    """Where progress is shown, for the debug log."""
    if progress.is_silenced():
        return "off (--quiet)"
    if progress.is_terminal(sys.stderr):
        return "as a bar on the terminal (standard error)"
    return "as a line about every tenth of the way (standard error is no terminal)"


def dispatch(args: argparse.Namespace) -> int:
    """Load the plugins, run the command; an error is one line on standard error and the
    exit code says which kind it was."""
    try:
        load_plugins(args.plugin)
        if args.plugin:
            logger.info("loaded plugins: %s", ", ".join(args.plugin))
        return COMMANDS[args.command](args)
    except BrokenPipeError:  # the reader went away: entry_point ends quietly
        raise
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
    "check": files.command_check, "completion": completion.command_completion,
}
"""Each subcommand's function: it takes the parsed arguments and returns the exit code."""
