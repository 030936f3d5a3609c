"""Playing the leader: a participant's hours, quarter by quarter, as a strategy the engines run.

In a participatory session (:mod:`simulation.workshop.room`) every participant leads the
same team (the trainer's preset, the same seed). Each quarter they share the leader's
weekly hours out over the interventions, and say which members the work with members goes
to (everyone, or a few they pick). That choice is an :class:`Allocation`; the quarters
played so far are a plan, and :class:`PlayedPlan` turns a plan into a strategy of the usual
shape, which both engines run like any other.

A quarter's results come from running the whole plan from the first week again, not from a
model kept alive between quarters: the run is a pure function of (scenario, seed, plan), so
quarter 3 of a replay is quarter 3 as it was played, in any process, and the debrief can
replicate the same plan over many draws of chance with the batched engine.

The hours are shares of the leader's normal week (``leader.attention_hours``). Where the
week has fewer hours (a reassignment, a crisis taking some of them, exhaustion), every
intervention shrinks in proportion: the participant's mix is kept, its size is what the
week allows. Hours not allocated are not spent on the team.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from simulation.engines.batch import BatchResult, run_batch
from simulation.model import interventions as iv
from simulation.model.config import ScenarioConfig
from simulation.model.diagnosis import Observation
from simulation.model.scenario_files import with_overrides
from simulation.model.strategies import REGISTRY, StrategyRegistry
from simulation.model.strategy_helpers import whole_team
from simulation.model.strategy_memory import StrategyContext

PLAYED = "played_by_participant"
"""The name a participant's plan runs under (in a registry of its own, never the
package's)."""

OFFERED: tuple[str, ...] = tuple(item.name for item in iv.CATALOGUE if item.name != "hire")
"""The interventions the allocation panel offers, in the catalogue's order (all but hiring,
which a strategy books only while a slot is vacant)."""

TEAM_WORK: frozenset[str] = frozenset(iv.NAMES[k] for k in iv.TEAM_LEVEL)
"""Interventions done with the whole team (the focus on members does not apply to them)."""


class AllocationError(ValueError):
    """An allocation that cannot be played: ``key`` names the intervention or the focus."""

    def __init__(self, key: str, problem: str) -> None:
        super().__init__(f"{key}: {problem}")
        self.key, self.problem = key, problem


@dataclass(frozen=True)
class Allocation:
    """One quarter's choice: hours a week per intervention, and the members the work with
    members goes to (slots, 1-based; empty: every member alike)."""

    hours: tuple[tuple[str, float], ...]
    """(intervention, hours a week), in :data:`OFFERED` order, none zero."""
    focus: tuple[int, ...] = ()

    @property
    def total(self) -> float:
        """Hours a week allocated."""
        return float(sum(hours for _, hours in self.hours))

    def hours_of(self, name: str) -> float:
        """Hours a week given to one intervention."""
        return dict(self.hours).get(name, 0.0)

    def describe(self) -> str:
        """The allocation in words ("coach 3h, clarify 2h; members 2, 5")."""
        if not self.hours:
            return "no hours on the team"
        mix = ", ".join(f"{name.replace('_', ' ')} {hours:g}h" for name, hours in self.hours)
        members = ("everyone" if not self.focus
                   else "members " + ", ".join(str(slot) for slot in self.focus))
        return f"{mix}; {members}"


def allocation(config: ScenarioConfig, hours: Mapping[str, float],
               focus: Sequence[int] = ()) -> Allocation:
    """A checked allocation for a team: every intervention offered, every number of hours
    from 0 to the leader's week and together at most her week, every focus slot a member
    of the team; AllocationError naming the intervention (or ``focus``) otherwise."""
    week = config.leader.attention_hours
    kept: dict[str, float] = {}
    for name, value in hours.items():
        if name not in OFFERED:
            raise AllocationError(name, f"unknown intervention (offered: {', '.join(OFFERED)})")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise AllocationError(name, f"must be a number of hours, got {value!r}") from None
        if not np.isfinite(number):
            raise AllocationError(name, f"must be a number of hours, got {value!r}")
        if not 0 <= number <= week:
            raise AllocationError(name, f"must be from 0 to {week:g} hours a week, got "
                                        f"{value!r}")
        if number > 0:
            kept[name] = round(number, 6)
    total = sum(kept.values())
    if total > week + 1e-9:
        raise AllocationError("hours", f"{total:g} hours a week allocated, but the leader "
                                       f"has {week:g}")
    slots = tuple(sorted({int(slot) for slot in focus}))
    if any(not 1 <= slot <= config.team.size for slot in slots):
        raise AllocationError("focus", f"members are numbered 1 to {config.team.size}, got "
                                       f"{list(focus)}")
    ordered = tuple((name, kept[name]) for name in OFFERED if name in kept)
    return Allocation(ordered, slots)


@dataclass(eq=False)
class PlayedPlan:
    """A plan (one allocation per quarter) as a strategy: in quarter q it books allocation
    q's hours (the last one's past the plan's end), as shares of the leader's normal week
    scaled to this week's hours. Work with members goes to the focus members still in the
    team (to every member if none of them is); work with the team is shared over the
    filled slots, as every strategy books it."""

    shares: np.ndarray
    """(quarters, interventions): each quarter's hours as shares of the normal week."""
    focus: np.ndarray
    """(quarters, members): 1 where a quarter's work with members goes."""
    team_mask: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.team_mask = np.isin(np.arange(iv.COUNT), iv.TEAM_LEVEL).astype(float)
        for table in (self.shares, self.focus, self.team_mask):
            table.flags.writeable = False  # shared, not copied, between runs

    def __call__(self, observation: Observation, hours: np.ndarray,
                 context: StrategyContext) -> np.ndarray:
        quarter = min(context.quarter, len(self.shares)) - 1
        share = self.shares[quarter]
        active = observation.active
        chosen = active * self.focus[quarter]
        chosen = np.where(np.sum(chosen, axis=-1, keepdims=True) > 0, chosen, active)
        people = chosen / np.maximum(np.sum(chosen, axis=-1, keepdims=True), 1.0)
        member_part = people[..., None] * (share * (1.0 - self.team_mask))
        team_part = whole_team(share * self.team_mask, observation)
        return (member_part + team_part) * np.asarray(hours, dtype=float)[..., None, None]


def played_plan(config: ScenarioConfig, plan: Sequence[Allocation]) -> PlayedPlan:
    """The strategy that plays ``plan`` on a team (at least one allocation)."""
    if not plan:
        raise ValueError("a plan needs at least one quarter's allocation")
    week = max(config.leader.attention_hours, 1e-12)
    shares = np.zeros((len(plan), iv.COUNT))
    focus = np.zeros((len(plan), config.team.size))
    for row, chosen in enumerate(plan):
        for name, hours in chosen.hours:
            shares[row, iv.index(name)] = hours / week
        if chosen.focus:
            focus[row, [slot - 1 for slot in chosen.focus]] = 1.0
        else:
            focus[row] = 1.0
    return PlayedPlan(shares, focus)


@lru_cache(maxsize=256)
def run_plan(config: ScenarioConfig, plan: tuple[Allocation, ...],
             replications: int = 1) -> BatchResult:
    """The team led by ``plan`` over the whole run, replications 0 to ``replications - 1``
    under the scenario's seed (replication 0 is the run every participant plays). Kept for
    the next call: a participant's replays and the debrief ask again."""
    registry: StrategyRegistry = REGISTRY.copy()
    registry.register(PLAYED, played_plan(config, plan), "a participant's plan",  # type: ignore[arg-type]
                      vectorised=True, source="workshop room")
    played = with_overrides(config, {"leader.strategy": PLAYED}, "room")
    return run_batch(played, config.seed, range(replications), registry=registry)
