"""Mesa's ways of running TeamModel: what the DataCollector costs a run, and memory over
thousands of models in one process, each as a ratio measured in the same invocation.

1. Collection cost: a baseline run with the DataCollector (the default) against the same
   run without it (``data_collection=False``, what the project's own runners use).
2. Memory: the peak resident memory of one process that builds and runs N models one
   after another (each with its DataCollector read, none ``release()``d), against one
   that runs N / 10: a process whose models are freed stays flat as N grows (ratio near
   1; before issue 14 every model stayed in memory until released). ``mesa.batch_run``
   itself keeps every row it returns, which grows with N by design.

Run:  .venv/bin/python benchmarks/bench_mesa_models.py [--models N] [--write]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from results_file import machine, update_section

from simulation import TeamModel

ROOT = Path(__file__).resolve().parents[1]

MEMORY_PROBE = """
import sys
from pathlib import Path
from simulation import TeamModel
for k in range(int(sys.argv[1])):
    model = TeamModel("baseline", quarters=1)  # a fresh seed each; never release()d
    model.run()
    model.datacollector.get_model_vars_dataframe()
status = Path("/proc/self/status").read_text()
print(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))))
"""


def seconds_per_run(data_collection: bool, runs: int) -> float:
    """Mean seconds of a baseline run (12 quarters), with or without the DataCollector,
    reading its weekly table at the end as a Mesa user would."""
    start = time.perf_counter()
    for k in range(runs):
        model = TeamModel("baseline", seed=1, replication=k, data_collection=data_collection)
        model.run()
        if data_collection:
            model.datacollector.get_model_vars_dataframe()
            model.datacollector.get_agent_vars_dataframe()
    return (time.perf_counter() - start) / runs


def peak_mib(models: int) -> float:
    """Peak resident memory (MiB) of a process that runs ``models`` models."""
    done = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(models)],
                          capture_output=True, text=True, check=True, cwd=ROOT)
    return int(done.stdout.split()[-1]) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    seconds_per_run(True, 2)  # warm up
    without = seconds_per_run(False, args.runs)
    with_collector = seconds_per_run(True, args.runs)
    small, large = peak_mib(args.models // 10), peak_mib(args.models)
    text = "\n".join([
        "## Mesa conventions (issue 14)",
        "",
        f"{machine()} `python benchmarks/bench_mesa_models.py --models {args.models} "
        f"--runs {args.runs}`.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| baseline run without the DataCollector | {without * 1000:.0f} ms |",
        f"| the same with it, both tables read at the end | {with_collector * 1000:.0f} ms "
        f"(**{with_collector / without:.2f}x**) |",
        f"| peak memory, {args.models // 10} models in one process | {small:.0f} MiB |",
        f"| peak memory, {args.models} models | {large:.0f} MiB "
        f"(**{large / small:.2f}x**) |",
    ])
    print(text)
    if args.write:
        update_section("mesa_models", text)


if __name__ == "__main__":
    main()
