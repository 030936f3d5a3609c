"""Counter-based noise against the per-run generators it replaced (issue 17, item 2).

In one invocation, for a block of runs of ``baseline``'s shape (8 members, 156 weeks):
1. the model's noise (:func:`simulation.model.randomness.draw_batch_noise`: every number a
   hash of its address), per run;
2. the reference: the same blocks drawn as before, from one numpy ``Generator`` per run
   (``SeedSequence(seed, spawn_key=(k,))``, ziggurat normals), into the same arrays;
3. their ratio, and the batched engine's speed on ``baseline`` with the noise's share of it.
Both draw into arrays lent by an earlier batch (as the engine does), best of five.

Run:  .venv/bin/python benchmarks/bench_randomness.py [--runs N] [--write]
"""

from __future__ import annotations

import argparse

import numpy as np
from results_file import best_of, machine, update_section

from simulation import load_scenario
from simulation.engines.batch import run_batch
from simulation.model.randomness import LAYOUT, NORMAL, RunNoise, draw_batch_noise

SCENARIO = "baseline"


def per_run_generators(seed: int, runs: int, into: RunNoise) -> None:
    """The reference: each run's blocks from its own numpy Generator, in LAYOUT's order."""
    for index in range(runs):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(index,)))
        for name, kind in LAYOUT:
            block = getattr(into, name)[index]
            if kind == NORMAL:
                rng.standard_normal(out=block)
            else:
                rng.random(out=block)


def main() -> None:
    """Measure, print and optionally record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1024)
    parser.add_argument("--write", action="store_true", help="rewrite RESULTS.md's section")
    args = parser.parse_args()
    config = load_scenario(SCENARIO)
    weeks, members, runs = config.weeks, config.team.size, args.runs
    replications = list(range(runs))
    lent = draw_batch_noise(1, replications, weeks, members)
    counter = best_of(5, lambda: draw_batch_noise(1, replications, weeks, members, into=lent))
    generators = best_of(5, lambda: per_run_generators(1, runs, lent))
    engine = best_of(2, lambda: run_batch(config, 1, range(runs)))
    numbers = sum(getattr(lent, name)[0].size for name, _ in LAYOUT)
    rows = [
        ("counter-based (the model's)", counter),
        ("one numpy Generator per run (the reference)", generators),
    ]
    lines = [
        f"{machine()} `python benchmarks/bench_randomness.py --runs {runs}` "
        f"(best of 5); {runs:,} runs of `{SCENARIO}`'s shape ({members} members, {weeks} "
        f"weeks: {numbers:,} numbers a run).",
        "",
        "| noise of a block of runs | ms per run | numbers per second |",
        "|---|---|---|",
        *(f"| {label} | {seconds / runs * 1e3:.3f} | {numbers * runs / seconds / 1e6:.0f} M |"
          for label, seconds in rows),
        f"| ratio (counter-based / reference time) | {counter / generators:.2f}x | |",
        "",
        f"The batched engine on `{SCENARIO}` ran {runs / engine:,.0f} runs/s in the same "
        f"invocation; drawing the noise is {counter / engine:.0%} of its time.",
        "",
        "The counter-based numbers cost a hash and, for normals, the normal quantile "
        "(`ndtri`) per number, where numpy's ziggurat draws a normal in a few operations; "
        "in return there is no generator per run, a member's numbers do not depend on the "
        "team's size or the run's length, and a compiled engine computes the same numbers "
        "inside its own loop from integer arithmetic.",
    ]
    body = "\n".join(lines)
    print(body)
    if args.write:
        update_section("randomness", "## Randomness (issue 17: counter-based noise)\n\n"
                       + body)


if __name__ == "__main__":
    main()
