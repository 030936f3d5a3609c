"""`teamsim run`: one scenario's replications, with its arguments next to its handler; it
shows their progress on standard error, prints the quarterly table and writes the runs,
their summary, a manifest and a figure under results/<scenario>."""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from simulation.cli.common import Subcommands, UsageError, at_least, format_table, results_folder
from simulation.experiments.experiment_files import Base, overridden
from simulation.experiments.organisations import (
    organisation_manifest,
    run_organisation_replications,
)
from simulation.experiments.progress import Progress
from simulation.experiments.publishing import publish, write_json
from simulation.experiments.replications import manifest, run_replications
from simulation.experiments.workload import (
    LIMIT,
    check_workload,
    organisation_workload,
    run_workload,
)
from simulation.figures import quarterly_figure
from simulation.figures.organisations import organisation_figure
from simulation.model import strategies
from simulation.model.organisation_config import OrganisationConfig
from simulation.model.organisation_files import is_organisation_file, load_organisation
from simulation.model.scenario_files import load_scenario, resolve_scenario_path, shown

logger = logging.getLogger(__name__)

WRITING = "drawing the figure and writing the files"
"""What `teamsim run` does once its runs are done (said after the progress reaches 100%)."""

def add_commands(commands: Subcommands) -> None:
    """Add this family's commands to `teamsim`'s subcommands."""
    add_run(commands)


def add_run(commands: Subcommands) -> None:
    """`teamsim run`'s arguments."""
    run = commands.add_parser("run", help="run a scenario's replications")
    run.add_argument("scenario", help="scenario file, or the name of a shipped scenario")
    run.add_argument("--replications", "-n", type=int, default=None,
                     help="number of replications (default: the scenario's)")
    run.add_argument("--seed", type=int, default=None,
                     help="base seed (default: the scenario's)")
    run.add_argument("--strategy", default=None, help="override the leader's strategy")
    run.add_argument("--out", type=Path, default=None,
                     help="folder to write into (default: results/<scenario>)")
    run.add_argument("--overwrite", action="store_true",
                     help="replace an --out folder that another command wrote (only once "
                          "the new results are complete)")
    run.add_argument("--max-work", type=int, default=None, metavar="MEMBER_WEEKS",
                     help="raise the limit on runs x members x weeks (default "
                          f"{LIMIT['mesa']:,})")
    run.add_argument("--quiet", action="store_true", help="print no table and no progress")


def command_run(args: argparse.Namespace) -> int:
    """`teamsim run`: replications, a printed table and the files under results/ (of a
    scenario, or of an organisation file's teams and the organisation)."""
    source = str(resolve_scenario_path(args.scenario))
    known = strategies.REGISTRY.__contains__
    base: Base = (load_organisation(args.scenario, known) if is_organisation_file(args.scenario)
                  else load_scenario(args.scenario, strategy_exists=known))
    if args.strategy is not None:
        if args.strategy not in strategies.REGISTRY:
            raise UsageError(f"--strategy: unknown strategy {shown(args.strategy)} (known: "
                             f"{', '.join(strategies.REGISTRY.names())})")
        base = overridden(base, {"leader.strategy": args.strategy}, source)
    if args.replications is not None:
        at_least("--replications", args.replications, 1)
    if args.seed is not None and not 0 <= args.seed < 2**63:
        raise UsageError(f"--seed: must be from 0 to 2**63-1, got {args.seed}")
    folder = results_folder(args.out, base.name)
    if not args.overwrite and not is_own_run_folder(folder, base.name):
        raise UsageError(f"--out {folder}: holds files that `teamsim run {base.name}` did "
                         "not write; choose another --out, or pass --overwrite to replace it")
    replications = base.replications if args.replications is None else args.replications
    workload = (organisation_workload(base, replications)
                if isinstance(base, OrganisationConfig) else run_workload(base, replications))
    check_workload(workload, source,
                   "replications" if args.replications is None else "--replications",
                   args.max_work, in_memory=True)
    if isinstance(base, OrganisationConfig):
        return run_organisation(args, base, source, folder)
    config = base
    logger.info("%s: %d replications on the Mesa model, strategy %s, seed %s", config.name,
                replications, config.leader.strategy,
                config.seed if args.seed is None else args.seed)
    with Progress(replications, config.name, enabled=not args.quiet) as progress:
        result = run_replications(config, args.replications, args.seed,
                                  progress=counted(progress))
        progress.finish(WRITING)
    summary = result.summary
    if not args.quiet:
        print(f"{config.title or config.name}: strategy {config.leader.strategy}, "
              f"{int(summary['runs'].max())} replications, seed {result.seed}")
        print(format_table(summary))
    return write_run(folder, result.quarterly, summary, manifest(result, source),
                     quarterly_figure(summary, config))


def run_organisation(args: argparse.Namespace, organisation: OrganisationConfig,
                     source: str, folder: Path) -> int:
    """`teamsim run` of an organisation file (its arguments checked): every team's quarters
    and the organisation's, their summary per team, a manifest and a figure."""
    replications = organisation.replications if args.replications is None else args.replications
    with Progress(replications, organisation.name, enabled=not args.quiet) as progress:
        result = run_organisation_replications(organisation, args.replications, args.seed,
                                               progress=counted(progress))
        progress.finish(WRITING)
    summary = result.summary
    if not args.quiet:
        print(f"{organisation.title or organisation.name}: "
              f"{len(organisation.teams)} teams, {int(summary['runs'].max())} replications, "
              f"seed {result.seed}")
        print(format_table(summary, by="team"))
    return write_run(folder, result.quarterly, summary, organisation_manifest(result, source),
                     organisation_figure(summary, organisation))


def counted(progress: Progress) -> Callable[[int, int], None]:
    """The ``progress(done, count)`` callback of the replications, moving ``progress``."""
    return lambda done, _count: progress.reach(done)


def write_run(folder: Path, quarterly: pd.DataFrame, summary: pd.DataFrame,
              written_manifest: dict[str, Any], figure: Figure) -> int:
    """Write a run's files into ``folder`` all at once (``publish``) and say so."""
    started = time.monotonic()
    publish(folder, {
        "quarters.csv": lambda path: quarterly.to_csv(path, index=False),
        "summary.csv": lambda path: summary.to_csv(path, index=False),
        "manifest.json": write_json(written_manifest),
        "quarters.png": lambda path: figure.savefig(path, dpi=110),
    })
    logger.debug("wrote %s in %.1f s", folder, time.monotonic() - started)
    print(f"wrote {folder}/quarters.csv, summary.csv, manifest.json, quarters.png")
    return 0


RUN_FILES = frozenset({"quarters.csv", "summary.csv", "manifest.json", "quarters.png"})
"""What `teamsim run` writes into its folder."""


def is_own_run_folder(folder: Path, scenario: str) -> bool:
    """Whether ``folder`` may be replaced without --overwrite: it does not exist, is empty,
    or holds only what `teamsim run` wrote for the same scenario (its manifest says so)."""
    if not folder.is_dir():
        return True
    names = {path.name for path in folder.iterdir()}
    if not names:
        return True
    if not names <= RUN_FILES or "manifest.json" not in names:
        return False
    try:
        written = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(written, dict) and written.get("scenario") == scenario and \
        "experiment" not in written
