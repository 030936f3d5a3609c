"""Speed of the Mesa team model, as a ratio against Mesa's own floor, measured in one run.

The reference is a trivial Mesa model whose agents do three float updates per step (the
least a Mesa agent model can cost); TeamSim's cost per member-week is reported as a
multiple of that reference's cost per agent-step, plus runs per second of a shipped
scenario. Run:

    .venv/bin/python benchmarks/bench_model.py [--runs N] [--write]

``--write`` updates the model section of benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import time

import mesa
from results_file import machine, update_section

from simulation import load_scenario
from simulation.experiments.replications import run_once


class FloorAgent(mesa.Agent):
    """Three float updates per step: Mesa's floor."""

    def __init__(self, model: mesa.Model) -> None:
        super().__init__(model)
        self.a, self.b, self.c = 0.1, 0.2, 0.3

    def step(self) -> None:
        self.a += 0.01 * (1.0 - self.a)
        self.b *= 0.99
        self.c = 0.5 * (self.a + self.b)


class FloorModel(mesa.Model):
    """A model of ``members`` floor agents stepped with ``agents.do('step')``."""

    def __init__(self, members: int, seed: int = 0) -> None:
        super().__init__(seed=seed)
        FloorAgent.create_agents(self, members)

    def step(self) -> None:
        self.agents.do("step")


def floor_seconds_per_agent_step(members: int, steps: int, runs: int) -> float:
    """Best-of-three seconds per agent-step of the floor model."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for run in range(runs):
            model = FloorModel(members, seed=run)
            for _ in range(steps):
                model.step()
            mesa.Agent._ids.pop(model, None)
        best = min(best, time.perf_counter() - start)
    return best / (members * steps * runs)


def team_seconds_per_member_week(scenario: str, runs: int) -> tuple[float, float]:
    """Best-of-three seconds per member-week and runs per second of a shipped scenario."""
    config = load_scenario(scenario)
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for replication in range(runs):
            run_once(config, seed=1, replication=replication)
        best = min(best, time.perf_counter() - start)
    member_weeks = config.team.size * config.weeks * runs
    return best / member_weeks, runs / best


def main() -> None:
    """Measure, print and optionally record."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--scenario", default="baseline")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()

    config = load_scenario(args.scenario)
    team, runs_per_second = team_seconds_per_member_week(args.scenario, args.runs)
    floor = floor_seconds_per_agent_step(config.team.size, config.weeks, args.runs)
    lines = [
        "## Mesa model",
        "",
        f"{machine()} `python benchmarks/bench_model.py --runs {args.runs}` (best of 3).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| TeamSim model, `{args.scenario}` ({config.team.size} members, "
        f"{config.weeks} weeks) | {team * 1e6:.1f} µs per member-week, "
        f"{runs_per_second:.1f} runs/s |",
        f"| Mesa floor (3 float updates per agent step) | {floor * 1e6:.2f} µs per agent-step |",
        f"| ratio (TeamSim / floor) | {team / floor:.0f}x |",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        update_section("model", text)


if __name__ == "__main__":
    main()
