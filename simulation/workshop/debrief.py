"""The debrief of a participatory session: the plans the room played beside the built-in
strategies, on the same team, each over many draws of chance.

A participant played one run: one draw of the crises, the departures and the members'
noise. Whether their plan was good or lucky is a question for replications: the debrief
runs every finished participant's plan (their allocations, quarter by quarter) and every
built-in strategy over the same replications of the same team, under common random
numbers (replication k of each meets the same chance), and reports the mean weekly team
output over the run with its 95% interval, and where the team ends (motivation, trust).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from simulation.engines.batch import run_batch
from simulation.experiments.stats import mean_interval
from simulation.model.config import ScenarioConfig
from simulation.model.scenario_files import with_overrides
from simulation.model.strategies import REGISTRY
from simulation.workshop.play import Allocation, run_plan
from simulation.workshop.room import Room

REPLICATIONS = 30
"""Draws of chance per plan in the debrief (as the what-if page's default)."""

COLUMNS = ("who", "kind", "output", "output_low", "output_high", "played", "motivation",
           "trust", "mix")


def run_summary(quarterly: pd.DataFrame, quarters: int) -> dict[str, float]:
    """Mean weekly team output over the run (per replication, then its mean and 95%
    interval over replications), and the last quarter's mean motivation and trust."""
    per_run = quarterly.groupby("replication")["team_output"].mean().to_numpy()
    mean, low, high = mean_interval(per_run)
    last = quarterly[quarterly["quarter"] == quarters]
    return {"output": mean, "output_low": low, "output_high": high,
            "motivation": float(last["motivation_mean"].mean()),
            "trust": float(last["trust_mean"].mean())}


@lru_cache(maxsize=8)
def built_in_rows(config: ScenarioConfig, replications: int = REPLICATIONS
                  ) -> tuple[dict[str, object], ...]:
    """Every built-in strategy on the team (computed once per room's team)."""
    rows = []
    for name in REGISTRY.names():
        if REGISTRY.get(name).source:  # a plugin's strategy: not a built-in
            continue
        led = with_overrides(config, {"leader.strategy": name}, "debrief")
        quarterly = run_batch(led, config.seed, range(replications)).quarterly_frame()
        rows.append({"who": name, "kind": "built-in", "played": np.nan,
                     "mix": REGISTRY.get(name).description,
                     **run_summary(quarterly, config.quarters)})
    return tuple(rows)


def mix_of(plan: tuple[Allocation, ...]) -> str:
    """A plan's hours a week per intervention, averaged over its quarters, in words."""
    totals: dict[str, float] = {}
    for chosen in plan:
        for name, hours in chosen.hours:
            totals[name] = totals.get(name, 0.0) + hours / len(plan)
    if not totals:
        return "no hours on the team"
    ranked = sorted(totals.items(), key=lambda item: -item[1])
    return ", ".join(f"{name.replace('_', ' ')} {hours:.1f}h" for name, hours in ranked)


def debrief(room: Room, replications: int = REPLICATIONS) -> pd.DataFrame:
    """The finished participants' plans and the built-ins, best mean output first. A
    participant's ``played`` is the output of the run they played (replication 0)."""
    config = room.config
    rows = list(built_in_rows(config, replications))
    for player, quarterly in room.standings():
        if player.quarters_played < room.quarters:
            continue
        plan = tuple(player.plan)
        replicated = run_plan(config, plan, replications).quarterly_frame()
        rows.append({"who": player.name, "kind": "participant",
                     "played": float(quarterly["team_output"].mean()), "mix": mix_of(plan),
                     **run_summary(replicated, config.quarters)})
    table = pd.DataFrame(rows, columns=list(COLUMNS))
    return table.sort_values(["output", "who"], ascending=[False, True],
                             kind="stable").reset_index(drop=True)
