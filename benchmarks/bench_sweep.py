"""Sweep throughput against mesa.batch_run, and a sweep's peak memory against its size.

1. The same runs (every built-in strategy on the baseline team, R replications each)
   through ``teamsim sweep``'s engine and through ``mesa.batch_run`` with the same number
   of processes, in one invocation: runs per second of each and their ratio. batch_run
   runs TeamModel as it is, with its own DataCollector (every outcome and every agent's
   state, weekly), reading it every quarter.
2. Peak resident memory (parent and worker processes) of a small and a large sweep of a
   short scenario: a sweep that streams its results to the store stays flat as it grows.

Run:  .venv/bin/python benchmarks/bench_sweep.py [--replications R] [--write]
"""

from __future__ import annotations

import argparse
import dataclasses
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mesa
from results_file import machine, update_section

from simulation import TeamModel, load_scenario
from simulation.experiments.experiment_files import load_experiment
from simulation.experiments.sweep import sweep

ROOT = Path(__file__).resolve().parents[1]
STRATEGIES = ("hands_off", "firefighter", "micromanager", "diagnose_and_match",
              "situational", "marginal_gains", "big_push", "coach")


def batch_run_rate(replications: int, processes: int) -> float:
    """Runs per second of the strategy comparison through mesa.batch_run."""
    weeks = load_scenario("baseline").weeks
    start = time.perf_counter()
    mesa.batch_run(TeamModel,
                   parameters={"leader__strategy": list(STRATEGIES), "seed": 1,
                               "replication": list(range(replications))},
                   number_processes=processes, iterations=1, max_steps=weeks,
                   data_collection_period=13, display_progress=False)
    return len(STRATEGIES) * replications / (time.perf_counter() - start)


def sweep_rate(replications: int, workers: int, engine: str = "mesa") -> float:
    """Runs per second of the same runs through the sweep engine, store included."""
    experiment = dataclasses.replace(
        load_experiment(ROOT / "experiments" / "strategy_comparison.toml"),
        replications=replications)
    folder = Path(tempfile.mkdtemp(prefix="bench_sweep_"))
    try:
        start = time.perf_counter()
        summary = sweep(experiment, folder, workers=workers, show_progress=False,
                        engine=engine)
        return summary.done / (time.perf_counter() - start)
    finally:
        shutil.rmtree(folder)


MEMORY_PROBE = """
import dataclasses, resource, sys, tempfile
from pathlib import Path
from simulation.experiments.experiment_files import parse_experiment
from simulation.experiments.sweep import sweep
if __name__ == "__main__":
    replications = int(sys.argv[1])
    experiment = parse_experiment({"name": "memory", "scenarios": ["baseline"],
        "strategies": ["hands_off", "coach"], "replications": replications,
        "grid": {"quarters": [2]}}, "memory", Path.cwd())
    sweep(experiment, Path(tempfile.mkdtemp()), workers=2, show_progress=False,
          engine="mesa")
    # VmHWM: this process's own peak (ru_maxrss would include its parent's, kept over exec).
    status = Path("/proc/self/status").read_text()
    me = int(next(line.split()[1] for line in status.splitlines()
                  if line.startswith("VmHWM")))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(me, children)
"""


def peak_memory_mib(replications: int) -> tuple[float, float, float]:
    """Peak RSS in MiB of the sweeping process and of its largest worker, and seconds."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(replications)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    parent, child = (int(x) / 1024 for x in done.stdout.split())
    return parent, child, time.perf_counter() - start


def main() -> None:
    """Measure, print and optionally record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--small", type=int, default=100,
                        help="replications per setting of the small memory sweep")
    parser.add_argument("--large", type=int, default=1500,
                        help="replications per setting of the large memory sweep")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    ours = sweep_rate(args.replications, args.processes)
    batched = sweep_rate(args.replications, args.processes, engine="batch")
    theirs = batch_run_rate(args.replications, args.processes)
    small = peak_memory_mib(args.small)
    large = peak_memory_mib(args.large)
    runs = len(STRATEGIES) * args.replications
    text = "\n".join([
        "## Sweeps (issue 3)",
        "",
        f"{machine()} `python benchmarks/bench_sweep.py --replications {args.replications} "
        f"--small {args.small} --large {args.large}`.",
        "",
        f"Throughput: the strategy comparison ({runs} runs of 12 quarters), "
        f"{args.processes} processes each.",
        "",
        "| engine | runs/s |",
        "|---|---|",
        f"| `teamsim sweep --engine mesa` (Mesa model, SQLite store) | {ours:.1f} |",
        f"| `mesa.batch_run` (same model with a DataCollector) | {theirs:.1f} |",
        f"| ratio (sweep / batch_run) | {ours / theirs:.2f}x |",
        f"| `teamsim sweep` (default: batched engine, same numbers) | {batched:.1f} |",
        f"| ratio (batched sweep / batch_run) | {batched / theirs:.1f}x |",
        "",
        "Peak memory of a 2-setting sweep of a 2-quarter scenario, 2 worker processes:",
        "",
        "| runs | seconds | sweeping process MiB | largest worker MiB |",
        "|---|---|---|---|",
        f"| {2 * args.small} | {small[2]:.0f} | {small[0]:.0f} | {small[1]:.0f} |",
        f"| {2 * args.large} | {large[2]:.0f} | {large[0]:.0f} | {large[1]:.0f} |",
        f"| ratio (large / small) | | {large[0] / small[0]:.2f}x | {large[1] / small[1]:.2f}x |",
        "",
    ])
    print(text)
    if args.write:
        update_section("sweep", text)


if __name__ == "__main__":
    main()
