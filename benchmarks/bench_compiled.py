"""The compiled engine against the numpy engine and a compiled floor (issue 17, item 3).

In one invocation, on ``baseline`` (8 members, 12 quarters), one block of runs, one process:
1. the numpy batched engine (``run_batch(..., engine="numpy")``);
2. the compiled engine (``engine="compiled"``: the whole week traced by JAX/XLA), after
   one warm-up call that compiles it (the compile time is reported apart);
3. the compiled floor: a ``lax.scan`` of the team's equations alone
   (:func:`simulation.model.team_dynamics.advance_week` with no doses, events, noise,
   leader or records), compiled from the same source;
and the ratios: compiled / numpy (target at least 5) and compiled / floor (target at
least 0.5). Each figure is the best of ``--repeats`` timings. With ``--sweep-runs N``, also
a sweep of N runs of ``baseline`` through ``teamsim sweep``'s engine on all cores, store
included, on the compiled engine: wall time and peak memory (target for 1,000,000 runs:
at most 120 s and 1 GB). JAX runs on its default
device (a GPU where jaxlib has one: the device is named in the table).

Run:  .venv/bin/python benchmarks/bench_compiled.py [--runs N] [--repeats R] [--write]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from results_file import best_of, large_sweep, machine, update_section

from simulation import load_scenario
from simulation.engines import compiled
from simulation.engines.batch import run_batch
from simulation.model import arrays, network, team_dynamics
from simulation.model import interventions as iv
from simulation.model.randomness import draw_batch_noise
from simulation.model.week import WeekEvents, conditions_of

SCENARIO = "baseline"
WHY = """Why the targets are missed (a profile of 2026-12-04, XLA's profiler on one core, each
fusion's time given to the model function at its root): the leader's weekly reading
noise, hashed and read through the normal quantile inside the week, 22%; the members'
updates of `advance_week`, 14%; fitting the plan's two sorts, 11% (since replaced by
pairwise ranks); `efficacy` 6%; team sums 6%; some 300 other fusions a week, none above 4%.
Pinned to one core the compiled engine ran 984 runs/s against numpy's 546 (1.8x); XLA
splits its loops over both cores, hence the table's figure. XLA runs the week's
element-wise work at about 5 to 6 G operations a second; the week is large (about 3,000
element operations per member-week, 44% of them on (runs, members, interventions) arrays)
and, compiled, does every week what the numpy engine skips (hires, fitting, decisions and
hire noise for every run), and the leader's side costs about three times the equations
(the floor). A sweep adds its per-run records and SQLite store (20,000 runs: compiled 18.5 s
on two workers, 15.7 s in one process, numpy 23.1 s), and each worker holding JAX sits near
700 MiB. docs/ARCHITECTURE.md, "The compiled engine", says what would close the gaps."""
"""The profile behind the misses, kept with the figures (rerun the profile when the week
changes: docs/ARCHITECTURE.md)."""

def floor_program(config, runs: int):
    """The compiled floor: every week of the team's equations, nothing else."""
    jax = compiled._jax()
    members, p = config.team.size, config.parameters

    def run(state):
        with arrays.compiling():
            xp = arrays.np
            doses, none = xp.zeros((runs, members, iv.COUNT)), xp.zeros((runs, members))
            conditions = conditions_of(WeekEvents(1.0, 0.0, 0.0, 0.0, 0.0, none > 1),
                                       config, p)

            def week(state, _):
                state, produced = team_dynamics.advance_week(
                    state, doses, none, none, conditions, p, network.structure(config))
                return state, produced.team_output

            return jax.lax.scan(week, state, None, length=config.weeks)[1]

    return jax.jit(run)


def main() -> None:
    """Measure, print and optionally record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1024)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sweep-runs", type=int, default=0,
                        help="also time a sweep of this many runs (0: none)")
    parser.add_argument("--write", action="store_true", help="rewrite RESULTS.md's section")
    args = parser.parse_args()
    config = load_scenario(SCENARIO)
    runs, reps = args.runs, range(args.runs)
    jax = compiled._jax()

    numpy_s = best_of(args.repeats, lambda: run_batch(config, 1, reps, engine="numpy"))
    start = time.perf_counter()
    run_batch(config, 1, reps, engine="compiled")
    first_s = time.perf_counter() - start
    compiled_s = best_of(args.repeats, lambda: run_batch(config, 1, reps, engine="compiled"))
    state = draw_batch_noise(1, list(reps), config.weeks, config.team.size
                             ).starting_team(config)
    floor = floor_program(config, runs)
    floor(state).block_until_ready()
    floor_s = best_of(args.repeats, lambda: floor(state).block_until_ready())
    device = jax.devices()[0]

    rate = {name: runs / seconds for name, seconds in
            (("numpy", numpy_s), ("compiled", compiled_s), ("floor", floor_s))}
    member_weeks = config.team.size * config.weeks
    rows = [
        ("numpy batched engine", rate["numpy"]),
        ("compiled engine", rate["compiled"]),
        ("compiled floor (the equations alone)", rate["floor"]),
    ]
    lines = [
        "## Compiled engine (issue 17)",
        "",
        f"{machine()} JAX {jax.__version__} on {device.platform} ({device.device_kind}). "
        f"`python benchmarks/bench_compiled.py --runs {runs} --repeats {args.repeats}"
        f"{f' --sweep-runs {args.sweep_runs}' if args.sweep_runs else ''}`; "
        f"scenario `{SCENARIO}` (8 members, 12 quarters), one block of {runs:,} runs, one "
        "process, best of the repeats.",
        "",
        "| engine | runs/s | million member-weeks/s |",
        "|---|---|---|",
        *(f"| {name} | {value:,.0f} | {value * member_weeks / 1e6:.2f} |"
          for name, value in rows),
        "",
        "| ratio | value | target |",
        "|---|---|---|",
        f"| compiled / numpy | {rate['compiled'] / rate['numpy']:.2f}x | >= 5x |",
        f"| compiled / floor | {rate['compiled'] / rate['floor']:.2f}x | >= 0.5x |",
        "",
        f"The first compiled call took {first_s:.1f} s (compiling, or loading the program "
        "an earlier process kept on disk); the compiled engine's time includes drawing the "
        "block's noise in numpy and filling the weekly record, as the numpy engine's does.",
    ]
    if args.sweep_runs:
        done, seconds, parent, child, where = large_sweep(args.sweep_runs, "compiled")
        lines += [
            "",
            f"A sweep of {done:,} runs of `{SCENARIO}` (`--sweep-runs {args.sweep_runs}`: "
            "settings of 100,000 replications, differing in the leader's hours), compiled "
            f"engine, {where}, SQLite store included:",
            "",
            "| runs | seconds (target <= 120) | runs/s | sweeping process MiB | largest "
            "worker MiB | bound on the total MiB (target <= 1024) |",
            "|---|---|---|---|---|---|",
            f"| {done:,} | {seconds:.1f} | {done / seconds:,.0f} | {parent:.0f} | "
            f"{child:.0f} | {parent + 2 * child:.0f} |",
            "",
            "(The bound counts the sweeping process and two workers at the largest's peak.)",
        ]
    lines += ["", WHY]
    body = "\n".join(lines)
    print(body)
    if args.write:
        update_section("compiled", body)


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
