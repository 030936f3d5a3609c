"""What leading several teams together costs the batched engine: an organisation's runs
against its teams' runs apart, in the same process.

The organisation is the shipped ``leader_of_two_teams`` (three baseline teams, one leader
of two of them). Each round times ``--runs`` replications of the organisation
(``run_organisation_batch``: every team's block stepped week by week together, the shared
leader's split and load computed each week) and the same replications of each of its teams
on its own (``run_batch``, the teams' configurations with the organisation's settings),
alternately; the fastest of ``--repeats`` rounds is kept for each, as ``timeit`` does. The
ratio is the organisation's speed over its teams' apart (1 would be free).

Run:  .venv/bin/python benchmarks/bench_organisation.py [--runs 500] [--repeats 3] [--write]
"""

from __future__ import annotations

import argparse
import time

from results_file import machine, update_section

from simulation.engines.batch import run_batch
from simulation.engines.organisation_batch import run_organisation_batch
from simulation.model.organisation_config import team_seed
from simulation.model.organisation_files import load_organisation


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update benchmarks/RESULTS.md")
    args = parser.parse_args()
    organisation = load_organisation("leader_of_two_teams")
    reps = range(args.runs)
    together = apart = float("inf")
    for _ in range(args.repeats):
        started = time.perf_counter()
        run_organisation_batch(organisation, organisation.seed, reps)
        together = min(together, time.perf_counter() - started)
        started = time.perf_counter()
        for index, team in enumerate(organisation.teams):
            run_batch(team.config, team_seed(organisation.seed, index), reps)
        apart = min(apart, time.perf_counter() - started)
    text = "\n".join([
        "## Several teams: an organisation against its teams apart",
        "",
        f"{machine()} `python benchmarks/bench_organisation.py --runs {args.runs} "
        f"--repeats {args.repeats}`: `leader_of_two_teams` (three teams of 8, one leader "
        "of two of them, 12 quarters), the fastest of the rounds.",
        "",
        "| what | seconds | organisation runs/s | teams apart / organisation |",
        "|---|---|---|---|",
        f"| the organisation, {args.runs} runs | {together:.2f} | {args.runs / together:,.0f} | "
        f"{apart / together:.2f}x |",
        f"| its three teams apart, {args.runs} runs each | {apart:.2f} | "
        f"{args.runs / apart:,.0f} | 1 |",
    ])
    print(text)
    if args.write:
        update_section("organisation", text)


if __name__ == "__main__":
    main()
