"""benchmarks/RESULTS.md: each benchmark script owns one section and rewrites only it; and
what the scripts measure alike (the best of some timings, a large sweep in its own
process)."""

from __future__ import annotations

import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import mesa
import numpy as np

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
ROOT = RESULTS.parents[1]
HEADER = "# Benchmark results\n\nEach section is rewritten by the script it names.\n"


def machine() -> str:
    """One line describing where and when a measurement was taken."""
    return (f"Measured {time.strftime('%Y-%m-%d')} on {platform.machine()}, "
            f"{os.cpu_count()} cores, Python {platform.python_version()}, "
            f"Mesa {mesa.__version__}, numpy {np.__version__}.")


def update_section(name: str, body: str) -> None:
    """Replace (or add) the section ``name`` of RESULTS.md with ``body``."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else HEADER
    start, end = f"<!-- section: {name} -->", f"<!-- end section: {name} -->"
    block = f"{start}\n{body.rstrip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    text = pattern.sub(lambda _: block, text) if pattern.search(text) else (
        text.rstrip() + "\n\n" + block + "\n")
    RESULTS.write_text(text, encoding="utf-8")


def best_of(repeats: int, work: Callable[[], object]) -> float:
    """The shortest of ``repeats`` timings of ``work()``, in seconds."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return best


SWEEP_PROBE = """
import resource, sys, tempfile, time
from pathlib import Path
from simulation.experiments.experiment_files import parse_experiment
from simulation.experiments.sweep import sweep
if __name__ == "__main__":
    runs, engine = int(sys.argv[1]), sys.argv[2]
    settings = -(-runs // 100_000)  # a setting holds at most 100,000 replications
    spec = {"name": "large", "scenarios": ["baseline"], "replications": runs // settings}
    if settings > 1:  # settings differing in the leader's hours
        spec["grid"] = {"leader.attention_hours": [6.0 + 0.1 * k for k in range(settings)]}
    experiment = parse_experiment(spec, "large", Path.cwd())
    start = time.perf_counter()
    summary = sweep(experiment, Path(tempfile.mkdtemp()), show_progress=False,
                    engine=engine)
    seconds = time.perf_counter() - start
    # VmHWM is this process's own peak; ru_maxrss of RUSAGE_SELF would include the peak
    # of the process this one was started from (Linux keeps it across exec).
    status = Path("/proc/self/status").read_text()
    me = int(next(line.split()[1] for line in status.splitlines()
                  if line.startswith("VmHWM")))
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(summary.done, seconds, me, children, summary.executor)
"""


def large_sweep(runs: int, engine: str = "batch") -> tuple[int, float, float, float, str]:
    """A sweep of ``runs`` runs of ``baseline`` (on ``engine``) through ``teamsim sweep``'s
    engine in a process of its own, store included: runs done, seconds, peak MiB of the
    sweeping process and of its largest worker, and where the runs ran."""
    done = subprocess.run([sys.executable, "-c", SWEEP_PROBE, str(runs), engine], cwd=ROOT,
                          capture_output=True, text=True, check=True)
    count, seconds, parent, child, *where = done.stdout.split()
    return int(count), float(seconds), int(parent) / 1024, int(child) / 1024, " ".join(where)
