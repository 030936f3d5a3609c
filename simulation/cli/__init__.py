"""`teamsim ...`: parse, call the library, print, return an exit code.

Exit codes: 0 success, 1 a run failed, 2 bad input (a bad file, key or value; the message
is one line naming the file and the key, and nothing is written).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.analysis.calibration import HAND_TUNED, Step, calibrate
from simulation.analysis.evidence import write_evidence
from simulation.analysis.optimise import Objective, optimise
from simulation.analysis.patterns import PATTERNS, PatternResult, check_all
from simulation.analysis.sensitivity import model_function, sobol
from simulation.experiments.comparison import comparison_experiment, difference_table
from simulation.experiments.executors import default_workers
from simulation.experiments.experiment_files import (
    load_experiment,
    resolve_experiment_path,
    shipped_experiments,
)
from simulation.experiments.plugins import PluginError, load_plugins
from simulation.experiments.replications import manifest, publish, run_replications, write_json
from simulation.experiments.report import headline_table, write_report
from simulation.experiments.reproduce import reproduce
from simulation.experiments.store import STORE_FILE
from simulation.experiments.sweep import SweepError, SweepSummary, settings_of, sweep
from simulation.figures.charts import optimum_figure, quarterly_figure, sobol_figure
from simulation.model import strategies
from simulation.model.metrics import outcome_columns
from simulation.model.scenario import (
    ConfigError,
    load_scenario,
    read_toml,
    resolve_scenario_path,
    shipped_scenarios,
    with_overrides,
)
from simulation.workshop import server as workshop_server  # Solara loads only when serving

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

    sweep = commands.add_parser("sweep", help="run an experiment's settings and replications "
                                              "into a results store")
    sweep.add_argument("experiment", help="experiment file, or the name of a shipped one")
    add_execution_options(sweep)
    sweep.add_argument("--resume", action="store_true",
                       help="continue an interrupted sweep: finished runs are skipped")
    sweep.add_argument("--overwrite", action="store_true",
                       help="discard an earlier store of this experiment and start again")
    sweep.add_argument("--precision", type=float, default=None, metavar="H",
                       help="add replications until the 95%% interval half-width of the "
                            "experiment's first outcome (or its [precision] outcome) is below H")
    sweep.add_argument("--out", type=Path, default=None,
                       help="results folder (default: results/<experiment>)")

    compare = commands.add_parser(
        "compare", help="compare strategies on one scenario, or scenarios, with statistics")
    compare.add_argument("names", nargs="+", help="strategy names (on --scenario) or "
                                                 "scenarios; the first is the reference")
    compare.add_argument("--scenario", default="baseline",
                         help="scenario the strategies are compared on (default: baseline)")
    compare.add_argument("--replications", "-n", type=int, default=30)
    compare.add_argument("--seed", type=int, default=20261123)
    compare.add_argument("--quarters", type=int, nargs="+", default=[],
                         help="quarters compared (default: every fourth, and the last)")
    compare.add_argument("--out", type=Path, default=None,
                         help="results folder (default: results/compare_<names>)")
    add_execution_options(compare)

    report = commands.add_parser("report", help="rewrite tables and figures from a results "
                                                "store, without re-running")
    report.add_argument("folder", type=Path, help="a results folder holding store.sqlite")

    reproduce = commands.add_parser(
        "reproduce", help="run the headline experiments and rewrite results/ and its README")
    reproduce.add_argument("experiments", nargs="*",
                           help="only these shipped experiments (default: all)")
    reproduce.add_argument("--results", type=Path, default=Path("results"),
                           help="results folder (default: results)")
    reproduce.add_argument("--workers", type=int, default=None,
                           help="local worker processes (default: all cores)")
    reproduce.add_argument("--quiet", action="store_true", help="no progress line")

    patterns = commands.add_parser(
        "patterns", help="check the published patterns (VALIDATION.md) under the defaults")
    patterns.add_argument("ids", nargs="*", help="only these patterns, e.g. P1 P5")
    patterns.add_argument("--replications", "-n", type=int, default=30,
                          help="replications per setting (default 30)")
    patterns.add_argument("--seed", type=int, default=20261123)
    patterns.add_argument("--write-docs", action="store_true",
                          help="also write docs/VALIDATION.md and its figures")
    patterns.add_argument("--docs", type=Path, default=Path("docs"),
                          help="docs folder for --write-docs (default: docs)")

    calibrate = commands.add_parser(
        "calibrate", help="search parameters under which the patterns hold (slow)")
    calibrate.add_argument("--parameters", nargs="+", default=list(HAND_TUNED),
                           metavar="NAME", help="parameters to search (default: the "
                                                "hand-tuned ones)")
    calibrate.add_argument("--patterns", nargs="+", default=[], metavar="ID",
                           help="patterns to fit (default: all)")
    calibrate.add_argument("--replications", "-n", type=int, default=12)
    calibrate.add_argument("--rounds", type=int, default=3)
    calibrate.add_argument("--seed", type=int, default=20261123)

    optimise = commands.add_parser(
        "optimise", help="find the allocation of leader hours that maximises an outcome")
    optimise.add_argument("scenario", help="scenario file, or the name of a shipped one")
    optimise.add_argument("--outcome", default="team_output")
    optimise.add_argument("--quarter", type=int, default=0,
                          help="quarter the outcome is measured at (default: the last)")
    optimise.add_argument("--trust-floor", type=float, default=None, metavar="T",
                          help="penalise allocations whose mean trust falls below T")
    optimise.add_argument("--replications", "-n", type=int, default=20)
    optimise.add_argument("--maxiter", type=int, default=15,
                          help="generations of differential evolution (default 15)")
    optimise.add_argument("--popsize", type=int, default=8)
    optimise.add_argument("--seed", type=int, default=20261123)
    optimise.add_argument("--workers", type=int, default=1)
    optimise.add_argument("--out", type=Path, default=None,
                          help="results folder (default: results/optimise_<scenario>)")

    sensitivity = commands.add_parser(
        "sensitivity", help="Sobol sensitivity indices over an experiment's [sample] bounds")
    sensitivity.add_argument("experiment", help="experiment file or shipped name: its "
                                                "[sample] bounds over parameters.* keys, "
                                                "size (base samples), replications, first "
                                                "outcome and last quarter")
    sensitivity.add_argument("--workers", type=int, default=None,
                             help="worker processes (default: all cores)")
    sensitivity.add_argument("--out", type=Path, default=None,
                             help="results folder (default: results/<experiment>)")

    workshop = commands.add_parser(
        "workshop", help="serve the what-if page for workshops on 127.0.0.1 (Ctrl-C stops it)")
    workshop.add_argument("--port", type=int, default=workshop_server.DEFAULT_PORT,
                          help=f"port to serve on (default {workshop_server.DEFAULT_PORT}; 0 "
                               f"picks a free one)")

    commands.add_parser("list", help="list the shipped scenarios, experiments and strategies")

    check = commands.add_parser("check", help="validate scenario or experiment files")
    check.add_argument("files", nargs="+", help="scenario or experiment files")
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        load_plugins(args.plugin)
        return COMMANDS[args.command](args)
    except (ConfigError, UsageError, PluginError, SweepError) as error:
        print(f"teamsim: error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # a failing run (e.g. a user's strategy): one line, exit 1
        if args.debug:
            raise
        print(f"teamsim: error: {type(error).__name__}: {error} (--debug shows the "
              f"traceback)", file=sys.stderr)
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


def execution(args: argparse.Namespace) -> dict[str, Any]:
    """The executor options of a command, checked."""
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers: must be at least 1, got {args.workers}")
    if args.dask_local is not None and args.dask_local < 1:
        raise UsageError(f"--dask-local: must be at least 1, got {args.dask_local}")
    workers = args.dask_local if args.dask_local is not None else args.workers
    return {"workers": workers, "scheduler": args.scheduler,
            "dask_local": args.dask_local is not None, "show_progress": not args.quiet,
            "engine": args.engine}


def command_sweep(args: argparse.Namespace) -> int:
    """`teamsim sweep`: every setting and replication of an experiment into a store."""
    if args.resume and args.overwrite:
        raise UsageError("--resume and --overwrite: choose one")
    if args.precision is not None and args.precision <= 0:
        raise UsageError(f"--precision: must be positive, got {args.precision}")
    experiment = load_experiment(args.experiment, strategies.REGISTRY.__contains__)
    folder = args.out if args.out is not None else Path("results") / experiment.name
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


def command_compare(args: argparse.Namespace) -> int:
    """`teamsim compare`: strategies or scenarios under common random numbers."""
    if args.replications < 2:
        raise UsageError(f"--replications: must be at least 2, got {args.replications}")
    try:
        experiment = comparison_experiment(args.names, args.scenario, args.replications,
                                           args.seed, args.quarters,
                                           strategies.REGISTRY.__contains__)
    except ValueError as error:
        raise UsageError(str(error)) from None
    folder = args.out if args.out is not None else Path("results") / experiment.name
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


def command_report(args: argparse.Namespace) -> int:
    """`teamsim report`: tables and figures from a store, without re-running."""
    folder = args.folder
    if not (folder / STORE_FILE).is_file():
        raise UsageError(f"{folder}: holds no results store ({STORE_FILE})")
    report = write_report(folder)
    print("\n".join(headline_table(report)))
    print(f"wrote {folder}/: " + ", ".join(path.name for path in report.written))
    return 0


def command_reproduce(args: argparse.Namespace) -> int:
    """`teamsim reproduce`: every shipped experiment, then results/README.md."""
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers: must be at least 1, got {args.workers}")
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


def is_experiment_file(name: str) -> bool:
    """Whether a file is an experiment (it names base scenarios) rather than a scenario."""
    path = resolve_experiment_path(name)
    try:
        return "scenarios" in read_toml(path) and not (Path(name).suffix == ""
                                                       and name in shipped_scenarios())
    except ConfigError:
        return False


def command_patterns(args: argparse.Namespace) -> int:
    """`teamsim patterns`: each pattern's figures against its band; exit 1 if any misses."""
    if args.replications < 2:
        raise UsageError(f"--replications: must be at least 2, got {args.replications}")
    unknown = [i for i in args.ids if i not in PATTERNS]
    if unknown:
        raise UsageError(f"unknown pattern {unknown[0]!r} (known: {', '.join(PATTERNS)})")
    started = time.monotonic()

    def show(result: PatternResult) -> None:
        verdict = "holds" if result.passed else "FAILS"
        print(f"{result.pattern.id:>3} {result.pattern.title}: {verdict} "
              f"({result.replications} replications, {result.seconds:.1f} s)")
        for m in result.measurements:
            print(f"      {'ok  ' if m.in_band else 'MISS'} {m.value:9.3f} "
                  f"[{m.low:9.3f}, {m.high:9.3f}]  band {m.band}: {m.name}")

    results = check_all(args.ids, args.replications, args.seed, progress=show)
    seconds = time.monotonic() - started
    held = sum(r.passed for r in results)
    print(f"{held} of {len(results)} patterns hold ({seconds:.0f} s)")
    if args.write_docs:
        print(f"wrote {write_evidence(results, args.docs, args.seed, seconds)}")
    return 0 if held == len(results) else 1


def command_calibrate(args: argparse.Namespace) -> int:
    """`teamsim calibrate`: a coordinate search; prints the best set as a [parameters]
    table for a scenario file (or for the defaults in simulation/config.py)."""
    unknown = [i for i in args.patterns if i not in PATTERNS]
    if unknown:
        raise UsageError(f"unknown pattern {unknown[0]!r} (known: {', '.join(PATTERNS)})")
    if args.replications < 2:
        raise UsageError(f"--replications: must be at least 2, got {args.replications}")

    def log(step: Step) -> None:
        values = ", ".join(f"{k}={v:.4g}" for k, v in step.parameters.items())
        print(f"total miss {step.objective:8.4f}  {values}", flush=True)

    try:
        best, score = calibrate(args.parameters, ids=args.patterns,
                                replications=args.replications, seed=args.seed,
                                rounds=args.rounds, log=log)
    except KeyError as error:
        raise UsageError(f"--parameters: {error.args[0]}") from None
    print(f"\nbest total miss {score:.4f}; as a scenario's table:\n\n[parameters]")
    for name in args.parameters:
        print(f"{name} = {getattr(best, name):.6g}")
    return 0 if score == 0 else 1


def command_optimise(args: argparse.Namespace) -> int:
    """`teamsim optimise`: differential evolution over the mix of interventions."""
    config = load_scenario(args.scenario, strategy_exists=strategies.REGISTRY.__contains__)
    if args.outcome not in outcome_columns():
        raise UsageError(f"--outcome: unknown outcome {args.outcome!r}")
    if not 0 <= args.quarter <= config.quarters:
        raise UsageError(f"--quarter: must be between 1 and {config.quarters}")
    if args.replications < 2 or args.maxiter < 1 or args.popsize < 1 or args.workers < 1:
        raise UsageError("--replications must be at least 2; --maxiter, --popsize and "
                         "--workers at least 1")
    objective = Objective(args.outcome, args.quarter, args.trust_floor)
    optimum = optimise(config, objective, args.seed, args.replications, args.maxiter,
                       args.popsize, args.workers, log=print)
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
    folder = args.out if args.out is not None else Path("results") / f"optimise_{config.name}"
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


def command_sensitivity(args: argparse.Namespace) -> int:
    """`teamsim sensitivity`: first- and total-order Sobol indices with intervals."""
    experiment = load_experiment(args.experiment, strategies.REGISTRY.__contains__)
    sample = experiment.sample
    if sample is None or sample.method != "sobol":
        raise UsageError(f"{experiment.source}: sample: a sensitivity analysis needs a "
                         f'[sample] table with method = "sobol"')
    names = [key for key, _, _ in sample.bounds]
    if not all(key.startswith("parameters.") for key in names):
        raise UsageError(f"{experiment.source}: sample.bounds: only parameters.* keys can "
                         f"be analysed")
    config = experiment.base_configs[0]
    outcome = experiment.outcomes[0]
    quarter = max(experiment.quarters) if experiment.quarters else config.quarters
    workers = args.workers or default_workers()
    started = time.monotonic()
    func = model_function(config, [k.split(".", 1)[1] for k in names], outcome, quarter,
                          experiment.replications, experiment.seed, workers)
    indices = sobol(func, [k.split(".", 1)[1] for k in names],
                    [(low, high) for _, low, high in sample.bounds], sample.size,
                    experiment.seed)
    seconds = time.monotonic() - started
    table = indices.table
    print(f"{experiment.title or experiment.name}: {outcome} at quarter {quarter}; "
          f"{indices.evaluations} parameter points x {experiment.replications} replications "
          f"= {indices.evaluations * experiment.replications} runs in {seconds:.0f} s")
    print(f"{'parameter':<30} {'first order [95%]':>26} {'total order [95%]':>26}")
    for _, row in table.sort_values("total_order", ascending=False).iterrows():
        print(f"{row['parameter']:<30} {row['first_order']:8.3f} [{row['first_low']:6.3f}, "
              f"{row['first_high']:6.3f}] {row['total_order']:8.3f} [{row['total_low']:6.3f},"
              f" {row['total_high']:6.3f}]")
    folder = args.out if args.out is not None else Path("results") / experiment.name
    figure = sobol_figure(table, outcome, quarter, experiment.title)
    publish(folder, {
        "sobol.csv": lambda path: table.to_csv(path, index=False),
        "sobol.png": lambda path: figure.savefig(path, dpi=110),
    })
    print(f"wrote {folder}/: sobol.csv, sobol.png")
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


def command_list(args: argparse.Namespace) -> int:
    """`teamsim list`: the shipped scenarios and the registered strategies."""
    for heading, files, load in (("Scenarios", shipped_scenarios(), load_scenario),
                                 ("Experiments", shipped_experiments(), load_experiment)):
        print(f"{heading}:")
        for name, path in files.items():
            try:
                title = load(path).title
            except ConfigError as error:
                title = f"(invalid: {error})"
            print(f"  {name:<34} {title}")
    print("Strategies:")
    for name in strategies.REGISTRY.names():
        print(f"  {name:<34} {strategies.REGISTRY.get(name).description}")
    return 0


def command_check(args: argparse.Namespace) -> int:
    """`teamsim check`: validate scenario (or experiment) files; the first bad one ends it
    with exit 2."""
    for name in args.files:
        if is_experiment_file(name):
            experiment = load_experiment(name, strategies.REGISTRY.__contains__)
            settings = settings_of(experiment)
            print(f"{name}: ok (experiment {experiment.name}: {len(settings)} settings x "
                  f"{experiment.replications} replications)")
            continue
        config = load_scenario(name, strategy_exists=strategies.REGISTRY.__contains__)
        print(f"{resolve_scenario_path(name)}: ok ({config.name}: {config.quarters} quarters, "
              f"team of {config.team.size}, strategy {config.leader.strategy})")
    return 0


def command_workshop(args: argparse.Namespace) -> int:
    """`teamsim workshop`: serve the what-if page until Ctrl-C."""
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port: must be from 0 to 65535, got {args.port}")
    try:
        workshop_server.serve(args.port, announce=lambda line: print(line, flush=True))
    except workshop_server.PortError as error:
        raise UsageError(str(error)) from None
    except KeyboardInterrupt:
        # uvicorn shuts down gracefully on Ctrl-C, then raises the signal again.
        pass
    print("TeamSim workshop stopped.", flush=True)
    return 0


COMMANDS = {
    "run": command_run, "sweep": command_sweep, "compare": command_compare,
    "report": command_report, "reproduce": command_reproduce, "patterns": command_patterns,
    "calibrate": command_calibrate, "optimise": command_optimise,
    "sensitivity": command_sensitivity, "workshop": command_workshop, "list": command_list,
    "check": command_check,
}
"""Each subcommand's function: it takes the parsed arguments and returns the exit code."""

