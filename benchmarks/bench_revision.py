"""This checkout's engines against an earlier revision's: did a change make them slower?

The same workload runs in fresh processes, alternately on the working tree and on an
exported copy of ``--revision`` (``git archive``), several times each; the figures are
medians and the ratio of the medians (this checkout / the revision, so below 1 is faster).
The workload is one process each:
- the Mesa model: ``--mesa-runs`` runs of ``baseline`` (8 members, 12 quarters), one at a
  time, Mesa's reference released after each;
- the batched engine: ``--batch-runs`` runs of ``baseline`` at once, timed three times
  in the process, the fastest kept (as ``timeit`` does: on a shared machine the noise
  only ever adds time).
Both import paths are tried, so a revision from before the package was layered works too.

Run:  .venv/bin/python benchmarks/bench_revision.py --revision REV [--repeats 5] [--write]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from results_file import machine, update_section

ROOT = Path(__file__).resolve().parents[1]

WORKLOAD = r"""
import json, sys, time
from simulation import TeamModel, load_scenario
try:
    from simulation.engines.batch import run_batch
except ImportError:
    from simulation.batch import run_batch
mesa_runs, batch_runs = int(sys.argv[1]), int(sys.argv[2])
config = load_scenario("baseline")
run_batch(config, 1, range(8))  # warm the imports and caches
start = time.perf_counter()
for k in range(mesa_runs):
    model = TeamModel(config, seed=1, replication=k).run()
    model.quarterly_frame()
    model.release()
mesa = time.perf_counter() - start
batch = float("inf")
for _ in range(3):  # the fastest of three: a shared machine only ever slows a run down
    start = time.perf_counter()
    run_batch(config, 1, range(batch_runs)).quarterly_frame()
    batch = min(batch, time.perf_counter() - start)
print(json.dumps({"mesa_runs_per_s": mesa_runs / mesa, "batch_runs_per_s": batch_runs / batch}))
"""


def export(revision: str, into: Path) -> Path:
    """The package of ``revision`` unpacked into ``into``."""
    archive = into / "revision.tar"
    subprocess.run(["git", "archive", "--format=tar", "-o", str(archive), revision,
                    "simulation", "scenarios"], cwd=ROOT, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(into / "tree", filter="data")
    return into / "tree"


def measure(tree: Path, mesa_runs: int, batch_runs: int) -> dict[str, float]:
    """One workload in a fresh process, importing the package from ``tree``."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    done = subprocess.run([sys.executable, "-c", WORKLOAD, str(mesa_runs), str(batch_runs)],
                          cwd=tree, env=env, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    """Measure, print and (with --write) record the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--revision", required=True, help="the git revision to compare with")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--mesa-runs", type=int, default=20)
    parser.add_argument("--batch-runs", type=int, default=2000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    label = subprocess.run(["git", "rev-parse", "--short", args.revision], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.strip()
    with tempfile.TemporaryDirectory() as folder:
        old_tree = export(args.revision, Path(folder))
        figures: dict[str, dict[str, list[float]]] = {"this checkout": {}, label: {}}
        for _ in range(args.repeats):  # alternate, so drift hits both alike
            for name, tree in (("this checkout", ROOT), (label, old_tree)):
                for key, value in measure(tree, args.mesa_runs, args.batch_runs).items():
                    figures[name].setdefault(key, []).append(value)
    medians = {name: {key: statistics.median(values) for key, values in by_key.items()}
               for name, by_key in figures.items()}
    lines = [
        "## Against an earlier revision",
        "",
        f"{machine()} `python benchmarks/bench_revision.py --revision {label} --repeats "
        f"{args.repeats}`: `baseline` (8 members, 12 quarters), medians of {args.repeats} "
        "fresh processes each, alternating (the batched engine the fastest of three "
        "timings in each process).",
        "",
        f"| engine | this checkout runs/s | {label} runs/s | this / {label} |",
        "|---|---|---|---|",
    ]
    for key, words in (("mesa_runs_per_s", f"Mesa model, {args.mesa_runs} runs one at a time"),
                       ("batch_runs_per_s", f"batched engine, {args.batch_runs:,} runs")):
        new, old = medians["this checkout"][key], medians[label][key]
        lines.append(f"| {words} | {new:,.1f} | {old:,.1f} | {new / old:.2f}x |")
    text = "\n".join(lines) + "\n"
    print(text)
    if args.write:
        update_section("revision", text)


if __name__ == "__main__":
    main()
