"""`teamsim patterns`, `calibrate`, `optimise`, `sensitivity` and `decompose`: the analyses
of the model, with each command's arguments next to its handler; `patterns` checks the
published patterns (docs/VALIDATION.md), `calibrate` searches parameters under which they
hold, `optimise` finds the best allocation of the leader's hours, `sensitivity` computes
Sobol indices and `decompose` attributes the gap between top- and bottom-quartile leaders
to the leadership dimensions."""

from __future__ import annotations

import argparse
import logging
import time
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from simulation.analysis.calibration import HAND_TUNED, Step, calibrate
from simulation.analysis.decompose import CLARITY, decompose, manifest, markdown_report
from simulation.analysis.evidence import write_evidence
from simulation.analysis.leader_population import DIMENSIONS
from simulation.analysis.optimise import Objective, optimise
from simulation.analysis.patterns import PATTERNS, PatternResult, check_all
from simulation.analysis.sensitivity import (
    indices_lines,
    outputs_table,
    points_table,
    study_manifest,
    study_of,
    worker_processes,
)
from simulation.cli.common import (
    Subcommands,
    UsageError,
    add_overwrite_option,
    at_least,
    refuse_foreign,
    results_folder,
    say,
    worker_count,
)
from simulation.experiments.executors import Progress, default_workers
from simulation.experiments.experiment_files import load_experiment
from simulation.experiments.publishing import publish, write_json
from simulation.experiments.workload import LIMIT
from simulation.figures import decomposition_figure, optimum_figure, sobol_figure
from simulation.model import strategies
from simulation.model.config import DEFAULT_SEED, ScenarioConfig
from simulation.model.metrics import outcome_columns
from simulation.model.scenario_files import load_scenario

logger = logging.getLogger(__name__)

def add_commands(commands: Subcommands) -> None:
    """Add this family's commands to `teamsim`'s subcommands."""
    add_patterns(commands)
    add_calibrate(commands)
    add_optimise(commands)
    add_sensitivity(commands)
    add_decompose(commands)


def known_patterns(ids: Sequence[str]) -> None:
    """Raise a UsageError naming the first of ``ids`` that is not a published pattern."""
    unknown = [i for i in ids if i not in PATTERNS]
    if unknown:
        raise UsageError(f"unknown pattern {unknown[0]!r} (known: {', '.join(PATTERNS)})")


def add_patterns(commands: Subcommands) -> None:
    """`teamsim patterns`'s arguments."""
    parser = commands.add_parser(
        "patterns", help="check the published patterns (VALIDATION.md) under the defaults")
    parser.add_argument("ids", nargs="*", help="only these patterns, e.g. P1 P5")
    parser.add_argument("--replications", "-n", type=int, default=30,
                        help="replications per setting (default 30)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--write-docs", action="store_true",
                        help="also write docs/VALIDATION.md and its figures")
    parser.add_argument("--docs", type=Path, default=Path("docs"),
                        help="docs folder for --write-docs (default: docs)")


def command_patterns(args: argparse.Namespace) -> int:
    """`teamsim patterns`: each pattern's figures against its band; exit 1 if any misses."""
    at_least("--replications", args.replications, 2)
    known_patterns(args.ids)
    started = time.monotonic()
    with Progress(len(args.ids or PATTERNS), "patterns", unit="patterns") as progress:

        def show(result: PatternResult) -> None:
            verdict = "holds" if result.passed else "FAILS"
            say("\n".join([f"{result.pattern.id:>3} {result.pattern.title}: {verdict} "
                           f"({result.replications} replications, {result.seconds:.1f} s)"] +
                          [f"      {'ok  ' if m.in_band else 'MISS'} {m.value:9.3f} "
                           f"[{m.low:9.3f}, {m.high:9.3f}]  band {m.band}: {m.name}"
                           for m in result.measurements]))
            progress.advance(1)

        results = check_all(args.ids, args.replications, args.seed, progress=show)
        if args.write_docs:
            progress.finish(f"writing {args.docs}/VALIDATION.md and its figures")
    seconds = time.monotonic() - started
    held = sum(r.passed for r in results)
    print(f"{held} of {len(results)} patterns hold ({seconds:.0f} s)")
    if args.write_docs:
        print(f"wrote {write_evidence(results, args.docs, args.seed, seconds)}")
    return 0 if held == len(results) else 1


def add_calibrate(commands: Subcommands) -> None:
    """`teamsim calibrate`'s arguments."""
    parser = commands.add_parser(
        "calibrate", help="search parameters under which the patterns hold (slow)")
    parser.add_argument("--parameters", nargs="+", default=list(HAND_TUNED),
                        metavar="NAME", help="parameters to search (default: the "
                                             "hand-tuned ones)")
    parser.add_argument("--patterns", nargs="+", default=[], metavar="ID",
                        help="patterns to fit (default: all)")
    parser.add_argument("--replications", "-n", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)


def command_calibrate(args: argparse.Namespace) -> int:
    """`teamsim calibrate`: a coordinate search; prints the best set as a [parameters]
    table for a scenario file (or for the defaults in simulation/config.py)."""
    known_patterns(args.patterns)
    at_least("--replications", args.replications, 2)

    def log(step: Step) -> None:
        values = ", ".join(f"{k}={v:.4g}" for k, v in step.parameters.items())
        say(f"total miss {step.objective:8.4f}  {values}")

    try:
        best, score = calibrate(args.parameters, ids=args.patterns,
                                replications=args.replications, seed=args.seed,
                                rounds=args.rounds, log=log, show_progress=True)
    except KeyError as error:
        raise UsageError(f"--parameters: {error.args[0]}") from None
    print(f"\nbest total miss {score:.4f}; as a scenario's table:\n\n[parameters]")
    for name in args.parameters:
        print(f"{name} = {getattr(best, name):.6g}")
    return 0 if score == 0 else 1


def add_optimise(commands: Subcommands) -> None:
    """`teamsim optimise`'s arguments."""
    parser = commands.add_parser(
        "optimise", help="find the allocation of leader hours that maximises an outcome")
    parser.add_argument("scenario", help="scenario file, or the name of a shipped one")
    parser.add_argument("--outcome", default="team_output")
    parser.add_argument("--quarter", type=int, default=0,
                        help="quarter the outcome is measured at (default: the last)")
    parser.add_argument("--trust-floor", type=float, default=None, metavar="T",
                        help="penalise allocations whose mean trust falls below T")
    parser.add_argument("--replications", "-n", type=int, default=20)
    parser.add_argument("--maxiter", type=int, default=15,
                        help="generations of differential evolution (default 15)")
    parser.add_argument("--popsize", type=int, default=8)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: results/optimise_<scenario>)")
    add_overwrite_option(parser)


def scenario_with_outcome(args: argparse.Namespace) -> ScenarioConfig:
    """The scenario an analysis command names, with its ``--outcome`` and ``--quarter``
    checked against it (a usage error naming the option otherwise)."""
    config = load_scenario(args.scenario, strategy_exists=strategies.REGISTRY.__contains__)
    if args.outcome not in outcome_columns():
        raise UsageError(f"--outcome: unknown outcome {args.outcome!r}")
    if not 0 <= args.quarter <= config.quarters:
        raise UsageError(f"--quarter: must be between 1 and {config.quarters}")
    return config


def command_optimise(args: argparse.Namespace) -> int:
    """`teamsim optimise`: differential evolution over the mix of interventions."""
    config = scenario_with_outcome(args)
    at_least("--replications", args.replications, 2)
    at_least("--maxiter", args.maxiter, 1)
    at_least("--popsize", args.popsize, 1)
    worker_count("--workers", args.workers)
    folder = results_folder(args.out, f"optimise_{config.name}")
    refuse_foreign(folder, OPTIMISE_FILES, "optimise", args.overwrite)
    objective = Objective(args.outcome, args.quarter, args.trust_floor)
    optimum = optimise(config, objective, args.seed, args.replications, args.maxiter,
                       args.popsize, args.workers, log=logger.info, show_progress=True)
    quarter = objective.at(config)
    print(f"\n{optimum.evaluations} evaluations of {args.replications} replications in "
          f"{optimum.seconds:.0f} s. Optimised allocation of the leader's hours:")
    for name, share in optimum.mix.items():
        print(f"  {name:<18} {100 * share:5.1f}%")
    print(f"\n{args.outcome} at quarter {quarter}, fresh replications (seed {args.seed + 1}):")
    for _, row in optimum.summary.sort_values(args.outcome, ascending=False).iterrows():
        print(f"  {row['label']:<22} {row[args.outcome]:8.3f} [{row[args.outcome + '_low']:.3f},"
              f" {row[args.outcome + '_high']:.3f}]   trust {row['trust_mean']:.3f}")
    print("\n" + optimum.verdict)
    figure = optimum_figure(optimum.mix, optimum.summary, args.outcome, quarter,
                            f"Optimised allocation on {config.name}")
    mix = pd.DataFrame({"intervention": list(optimum.mix), "share": list(optimum.mix.values())})
    publish(folder, {
        "allocation.csv": lambda path: mix.to_csv(path, index=False),
        "strategies.csv": lambda path: optimum.summary.to_csv(path, index=False),
        "comparisons.csv": lambda path: optimum.comparisons.to_csv(path, index=False),
        "optimum.png": lambda path: figure.savefig(path, dpi=110),
    })
    print(f"wrote {folder}/: allocation.csv, strategies.csv, comparisons.csv, optimum.png")
    return 0


OPTIMISE_FILES = ("allocation.csv", "strategies.csv", "comparisons.csv", "optimum.png")
SENSITIVITY_FILES = ("sobol.csv", "sobol.png", "morris.csv", "points.csv", "outputs.csv",
                     "manifest.json")


def add_sensitivity(commands: Subcommands) -> None:
    """`teamsim sensitivity`'s arguments."""
    parser = commands.add_parser(
        "sensitivity", help="Sobol indices or Morris screening over an experiment's [sample] "
                            "bounds")
    parser.add_argument("experiment", help='experiment file or shipped name: its [sample] '
                                           '(method "sobol" with size base samples, or '
                                           '"morris" with trajectories and levels) over '
                                           "parameters.* keys, replications, first outcome "
                                           "and last quarter")
    parser.add_argument("--workers", type=int, default=None,
                        help="worker processes (default: all cores)")
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: results/<experiment>)")
    parser.add_argument("--quiet", action="store_true", help="no progress line")
    add_overwrite_option(parser)


def command_sensitivity(args: argparse.Namespace) -> int:
    """`teamsim sensitivity`: first- and total-order Sobol indices with intervals, or Morris
    elementary effects, and beside them the points, the outputs and a manifest that redo the
    analysis in SALib (or scipy)."""
    experiment = load_experiment(args.experiment, strategies.REGISTRY.__contains__)
    study = study_of(experiment)
    workers = worker_count("--workers", args.workers) if args.workers else default_workers()
    folder = results_folder(args.out, experiment.name)
    refuse_foreign(folder, SENSITIVITY_FILES, "sensitivity", args.overwrite)
    method, processes = study.method, worker_processes(study.points, workers)
    print(f"{study.title or study.name}: {method.title} of {study.outcome} at quarter "
          f"{study.quarter}; {study.describe()} = {study.runs:,} runs on {processes} "
          f"process{'es' if processes > 1 else ''}", flush=True)
    started = time.monotonic()
    design = study.sample()
    with Progress(study.runs, study.name, enabled=not args.quiet) as progress:
        values = study.evaluate(design, workers,
                                lambda points: progress.advance(points * study.replications))
        progress.finish(f"computing the {method.title} and their bootstrap intervals "
                        f"({method.resamples:,} resamples), then writing {folder}/")
    table = study.analyse(design, values)
    seconds = time.monotonic() - started
    print(f"{study.runs:,} runs and the analysis in {seconds:.0f} s")
    print("\n".join(indices_lines(study, table)))
    files = {
        f"{method.name}.csv": lambda path: table.to_csv(path, index=False),
        "points.csv": lambda path: points_table(study, design).to_csv(path, index=False),
        "outputs.csv": lambda path: outputs_table(study, values).to_csv(path, index=False),
        "manifest.json": write_json(study_manifest(study, workers, seconds)),
    }
    if method.name == "sobol":
        figure = sobol_figure(table, study.outcome, study.quarter, experiment.title)
        files["sobol.png"] = lambda path: figure.savefig(path, dpi=110)
    publish(folder, files)
    print(f"wrote {folder}/: {', '.join(files)} ({seconds:.0f} s in all)")
    return 0


DECOMPOSE_FILES = ("decomposition.csv", "decomposition.md", "decomposition.png",
                   "manifest.json")


def add_decompose(commands: Subcommands) -> None:
    """`teamsim decompose`'s arguments."""
    parser = commands.add_parser(
        "decompose", help="attribute the output gap between top- and bottom-quartile "
                          "leaders to each leadership dimension (Shapley values)")
    parser.add_argument("scenario", nargs="?", default="baseline",
                        help="scenario file, or the name of a shipped one (default: "
                             "baseline): the team the leaders lead")
    parser.add_argument("--leaders", type=int, default=512,
                        help="leaders in the population (default 512)")
    parser.add_argument("--replications", "-n", type=int, default=8,
                        help="replications of the team per leader (default 8)")
    parser.add_argument("--permutations", type=int, default=2,
                        help="orders of the dimensions a pair of leaders, an even number: "
                             "each with its reverse (default 2)")
    parser.add_argument("--resamples", type=int, default=2000,
                        help="bootstrap resamples of the intervals (default 2000)")
    parser.add_argument("--outcome", default="team_output")
    parser.add_argument("--quarter", type=int, default=0,
                        help="quarter the outcome is measured at (default: the last)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=None,
                        help="results folder (default: results/decompose/<scenario>)")
    add_overwrite_option(parser)


def command_decompose(args: argparse.Namespace) -> int:
    """`teamsim decompose`: Shapley values of the gap between top- and bottom-quartile
    leaders of a population that differs on every leadership dimension."""
    config = scenario_with_outcome(args)
    at_least("--leaders", args.leaders, 8)
    at_least("--replications", args.replications, 2)
    at_least("--resamples", args.resamples, 100)
    at_least("--seed", args.seed, 0)
    if args.permutations < 2 or args.permutations % 2:
        raise UsageError(f"--permutations: must be an even number of at least 2, got "
                         f"{args.permutations}")
    quartile, dims = args.leaders // 4, len(DIMENSIONS)
    runs = args.replications * (args.leaders + quartile * (args.permutations * (dims - 1)
                                                           + 2 + dims))
    member_weeks = runs * config.team.size * config.weeks
    if member_weeks > LIMIT["batch"]:
        raise UsageError(f"--leaders: too much work: about {runs:,} runs, {member_weeks:.3g} "
                         f"member-weeks, above the limit of {LIMIT['batch']:,}")
    folder = results_folder(args.out, f"decompose/{config.name}")
    refuse_foreign(folder, DECOMPOSE_FILES, "decompose", args.overwrite)
    print(f"{config.name}: {args.leaders} leaders x {args.replications} replications, then "
          f"the top and bottom quartiles' hybrids on fresh replications (at most {runs:,} "
          "runs on the batched engine)", flush=True)
    result = decompose(config, args.leaders, args.replications, args.seed, args.permutations,
                       args.resamples, args.outcome, args.quarter, log=logger.info,
                       show_progress=True)
    table = result.table
    print(f"\nobserved gap {result.observed_gap:.3f}, explained (fresh replications) "
          f"{result.explained_gap:.3f}; {result.settings['seconds']} s")
    print(f"{'dimension':<38} {'contribution [95%]':>26} {'share % [95%]':>22}")
    for row in table.sort_values("share", ascending=False).itertuples():
        print(f"{row.title:<38} {row.contribution:8.3f} [{row.contribution_low:6.3f}, "
              f"{row.contribution_high:6.3f}] {100 * row.share:7.1f} [{100 * row.share_low:5.1f},"
              f" {100 * row.share_high:5.1f}]")
    figure = decomposition_figure(table, result.explained_gap, result.observed_gap,
                                  args.outcome, result.settings["quarter"],
                                  f"The gap decomposition on {config.name}", clarity=CLARITY)
    source = str(args.scenario)

    def write_report(path: Path) -> None:
        path.write_text(markdown_report(result, source), encoding="utf-8")

    publish(folder, {
        "decomposition.csv": lambda path: table.to_csv(path, index=False),
        "decomposition.md": write_report,
        "decomposition.png": lambda path: figure.savefig(path, dpi=110),
        "manifest.json": write_json(manifest(result, source)),
    })
    print(f"wrote {folder}/: {', '.join(DECOMPOSE_FILES)}")
    return 0
