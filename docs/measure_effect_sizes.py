"""Measure the effect size of every single intervention, as docs/CALIBRATION.md reports it.

A year of one intervention (every hour the leader has, shared over the members) against a
hands-off leader, on the shipped baseline team: Cohen's d of quarter-4 team output across
teams (replications), and the share of teams whose output the intervention lowered
(paired: replication k of both settings meets the same random numbers). Two doses: a
typical one (2 leader hours a week) and the full default attention (8).

Usage::

    python docs/measure_effect_sizes.py                 # 200 replications, Markdown table
    python docs/measure_effect_sizes.py --replications 50
    python docs/measure_effect_sizes.py --outcome trust_mean --only care candour \
        --set environment.crisis_rate=0      # trust, in a year without crises
"""

from __future__ import annotations

import argparse

import numpy as np

from simulation.engines.batch import run_batch
from simulation.model import interventions as iv
from simulation.model import strategies
from simulation.model.scenario_files import load_scenario, with_overrides
from simulation.model.strategies import REGISTRY, StrategyRegistry

DOSES = {"typical": 2.0, "full": 8.0}
"""Leader hours a week on the intervention."""
SEED = 11


def only(name: str) -> strategies.Strategy:
    """A strategy that spends every hour on one intervention, shared over the members (a
    team intervention's hours are the team's, wherever they are booked)."""
    mix = strategies.profile(**{name: 1.0})

    def plan(observation, hours):
        return strategies.spread(observation.active[..., None] * mix, hours)

    return plan


def registry() -> StrategyRegistry:
    """The built-ins plus one single-intervention strategy per intervention."""
    entries = StrategyRegistry()
    for name in REGISTRY.names():
        entry = REGISTRY.get(name)
        entries.register(name, entry.plan, entry.description, vectorised=entry.vectorised)
    for name in iv.NAMES:
        entries.register(f"only_{name}", only(name), f"only {name}", vectorised=True)
    return entries


def year_output(strategy: str, hours: float, replications: int,
                entries: StrategyRegistry, outcome: str = "team_output",
                settings: dict[str, object] | None = None) -> np.ndarray:
    """Quarter-4 team output (or another outcome of the quarterly table) of every
    replication, on the baseline team with any ``settings`` (dotted keys) changed."""
    config = with_overrides(load_scenario("baseline"), {
        **(settings or {}), "quarters": 4, "leader.strategy": strategy,
        "leader.attention_hours": hours})
    frame = run_batch(config, SEED, range(replications), registry=entries).quarterly_frame()
    return frame.loc[frame.quarter == 4, outcome].to_numpy()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--outcome", default="team_output",
                        help="a column of the quarterly table (default team_output)")
    parser.add_argument("--only", nargs="+", choices=iv.NAMES, default=list(iv.NAMES),
                        metavar="INTERVENTION", help="these interventions only")
    parser.add_argument("--set", nargs="+", default=[], metavar="KEY=VALUE",
                        help="change the baseline team, e.g. environment.crisis_rate=0")
    args = parser.parse_args()
    settings = {key: float(value) for key, value in
                (item.split("=", 1) for item in args.set)}
    entries = registry()
    rows = {name: [] for name in args.only}
    for hours in DOSES.values():
        control = year_output("hands_off", hours, args.replications, entries, args.outcome,
                              settings)
        for name in args.only:
            treated = year_output(f"only_{name}", hours, args.replications, entries,
                                  args.outcome, settings)
            pooled = np.sqrt((treated.var(ddof=1) + control.var(ddof=1)) / 2)
            d = (treated.mean() - control.mean()) / pooled
            rows[name] += [f"{d:.2f}", f"{np.mean(treated < control):.0%}"]
    header = " | ".join(f"d, {label} ({hours:g} h) | backfired" for label, hours in DOSES.items())
    print(f"| intervention | {header} |")
    print("|---|" + "---|" * (2 * len(DOSES)))
    for name, cells in rows.items():
        print(f"| {name} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
