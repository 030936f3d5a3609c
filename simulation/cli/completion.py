"""`teamsim completion bash|zsh|fish`: a shell completion script, written from the command
line's own grammar (``build_parser``), so that it knows every subcommand and option there is.

It completes the subcommands, their options, the choices of the options that have them,
and where an argument takes a name: the shipped scenarios, organisations and experiments,
the registered strategies (with ``teamsim --plugin FILE completion ...``, the plugin's too),
the patterns, the outcomes and the model's parameters, beside the files and folders an
argument may also take. The names are written into the script, so that a Tab costs no
Python start-up: generate the script again after an upgrade. The scripts themselves are
written by :mod:`simulation.cli.completion_shells`.
"""

from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass

from simulation.analysis.patterns import PATTERNS
from simulation.cli.common import Subcommands
from simulation.experiments.experiment_files import shipped_experiments
from simulation.model import strategies
from simulation.model.config import Parameters
from simulation.model.metrics import outcome_columns
from simulation.model.scenario_files import shipped_organisations, shipped_scenarios

SHELLS = ("bash", "zsh", "fish")


@dataclass(frozen=True)
class Values:
    """What may stand as an argument's value: names to offer, and files matching a pattern
    or folders beside them."""

    label: str
    words: tuple[str, ...] = ()
    files: str | None = None
    """A glob of the files offered (``"*.toml"``), or None for no files."""
    folders: bool = False


@dataclass(frozen=True)
class Option:
    """An option: its flags, its help, and its values (None for a flag that takes none)."""

    flags: tuple[str, ...]
    help: str
    values: Values | None
    many: bool = False
    """Whether it takes several values (``--parameters A B C``)."""
    repeated: bool = False
    """Whether it may be given more than once (``--plugin A --plugin B``)."""


@dataclass(frozen=True)
class Positional:
    """A positional argument: its values and how many (argparse's ``nargs``)."""

    values: Values
    nargs: str | int | None


@dataclass(frozen=True)
class Command:
    """A subcommand: its name, its help, its options and its positional arguments."""

    name: str
    help: str
    options: tuple[Option, ...]
    positionals: tuple[Positional, ...]


@dataclass(frozen=True)
class Grammar:
    """The command line as the completion scripts need it."""

    options: tuple[Option, ...]
    commands: tuple[Command, ...]
    version: str


def named_values() -> dict[str, Values]:
    """The values of each argument that takes names, by its ``dest``."""
    scenarios = (*shipped_scenarios(), *shipped_organisations())
    experiments = tuple(shipped_experiments())
    names = tuple(strategies.REGISTRY.names())
    patterns, outcomes = tuple(PATTERNS), tuple(outcome_columns())
    parameters = tuple(item.name for item in dataclasses.fields(Parameters))
    folder = Values("folder", folders=True)
    return {
        "scenario": Values("scenario", scenarios, "*.toml"),
        "experiment": Values("experiment", experiments, "*.toml"),
        "experiments": Values("experiment", experiments),
        "names": Values("strategy or scenario", (*names, *scenarios), "*.toml"),
        "files": Values("file", (*scenarios, *experiments), "*.toml"),
        "strategy": Values("strategy", names),
        "ids": Values("pattern", patterns),
        "patterns": Values("pattern", patterns),
        "parameters": Values("parameter", parameters),
        "outcome": Values("outcome", outcomes),
        "plugin": Values("module", files="*.py"),
        "folder": folder, "out": folder, "results": folder, "docs": folder,
    }


def help_text(action: argparse.Action) -> str:
    """An action's help as ``--help`` prints it (``%%`` as ``%``), on one line."""
    text = action.help or ""
    if text == argparse.SUPPRESS:
        return ""
    try:
        text = text % {**vars(action), "prog": "teamsim"}
    except (KeyError, TypeError, ValueError):
        text = text.replace("%%", "%")
    return " ".join(text.split())


def values_of(action: argparse.Action, named: dict[str, Values]) -> Values | None:
    """What an action's values are (None for a flag that takes none)."""
    if action.nargs == 0:
        return None
    if action.choices is not None:
        return Values(action.dest, tuple(str(choice) for choice in action.choices))
    label = str(action.metavar or action.dest).lower()
    return named.get(action.dest, Values(label))


def option_of(action: argparse.Action, named: dict[str, Values]) -> Option:
    """An option of the grammar."""
    return Option(tuple(action.option_strings), help_text(action), values_of(action, named),
                  many=action.nargs in ("+", "*"),
                  repeated=isinstance(action, argparse._AppendAction))


def grammar_of(parser: argparse.ArgumentParser, version: str) -> Grammar:
    """The grammar of the command line ``parser`` reads."""
    named = named_values()
    options: list[Option] = []
    commands: list[Command] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: help_text(choice) for choice in action._choices_actions}
            for name, subparser in action.choices.items():
                commands.append(command_of(name, helps.get(name, ""), subparser, named))
        elif action.option_strings:
            options.append(option_of(action, named))
    return Grammar(tuple(options), tuple(commands), version)


def command_of(name: str, help: str, parser: argparse.ArgumentParser,
               named: dict[str, Values]) -> Command:
    """A subcommand of the grammar."""
    options = tuple(option_of(a, named) for a in parser._actions if a.option_strings)
    positionals = tuple(Positional(values_of(a, named) or Values(a.dest), a.nargs)
                        for a in parser._actions if not a.option_strings)
    return Command(name, help, options, positionals)


def add_commands(commands: Subcommands) -> None:
    """Add this family's command to `teamsim`'s subcommands."""
    parser = commands.add_parser("completion", help="print a shell completion script (see "
                                                    "docs/EXPERIMENTS.md, Command-line habits)")
    parser.add_argument("shell", choices=SHELLS, help="the shell to complete in")


def command_completion(args: argparse.Namespace) -> int:
    """`teamsim completion SHELL`: the script on standard output."""
    from simulation import __version__
    from simulation.cli import build_parser  # the grammar this module is a part of
    from simulation.cli.completion_shells import WRITERS

    print(WRITERS[args.shell](grammar_of(build_parser(), __version__)), end="")
    return 0
