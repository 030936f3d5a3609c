"""Strategy optimisation: the weekly allocation of leader hours across interventions that
maximises an objective, searched by differential evolution (Storn & Price 1997;
scipy.optimize) over the batched engine under common random numbers.

The allocation is a parameterised strategy: a mix of the nine interventions, the same for
every filled slot, scaled to the hours the leader has. The search runs on one set of
replications (seed s); the best mix is then compared with every built-in strategy on fresh
replications (seed s + 1), so that the comparison is not flattered by the noise the search
fitted.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import OptimizeResult, differential_evolution

from simulation.engines.batch import run_batch
from simulation.experiments.progress import Progress
from simulation.experiments.stats import paired_comparisons, summarise
from simulation.model import interventions as iv
from simulation.model import strategies
from simulation.model.config import DEFAULT_SEED, ScenarioConfig
from simulation.model.diagnosis import Observation
from simulation.model.scenario_files import with_overrides

ALLOCATION = "optimised_allocation"
BUILT_IN = ("hands_off", "firefighter", "micromanager", "diagnose_and_match", "situational",
            "marginal_gains", "big_push", "coach")
PENALTY = 100.0
"""Objective units lost per unit of trust below the floor."""


def allocation_strategy(weights: Sequence[float] | np.ndarray) -> strategies.Strategy:
    """A strategy that spends the week's hours in a fixed mix of interventions, the same
    for every filled slot."""
    mix = np.asarray(weights, dtype=float)

    def plan(observation: Observation, hours: np.ndarray) -> np.ndarray:
        return strategies.spread(observation.active[..., None] * mix, hours)

    return plan


@dataclass(frozen=True)
class Objective:
    """What the search maximises: an outcome's mean at a quarter, optionally subject to a
    floor on mean trust at that quarter."""

    outcome: str = "team_output"
    quarter: int = 0
    """0 means the scenario's last quarter."""
    trust_floor: float | None = None

    def at(self, config: ScenarioConfig) -> int:
        """The quarter the objective is measured at."""
        return self.quarter or config.quarters


def runs_of(config: ScenarioConfig, strategy: str, seed: int, replications: int,
            weights: Sequence[float] | np.ndarray | None = None) -> pd.DataFrame:
    """Quarterly rows of a strategy (or of an allocation, with ``weights``)."""
    registry = strategies.REGISTRY
    if weights is not None:
        registry = strategies.StrategyRegistry()
        registry.register(ALLOCATION, allocation_strategy(weights), vectorised=True)
        strategy = ALLOCATION
    chosen = with_overrides(config, {"leader.strategy": strategy}, "optimise")
    return run_batch(chosen, seed, range(replications), registry).quarterly_frame()


def loss(weights: np.ndarray, config: ScenarioConfig, seed: int, replications: int,
         objective: Objective) -> float:
    """What differential evolution minimises: minus the objective, plus a penalty for
    trust below the floor. A mix of all zeros is hands-off."""
    if not np.any(weights > 0):
        frame = runs_of(config, "hands_off", seed, replications)
    else:
        frame = runs_of(config, ALLOCATION, seed, replications, weights)
    at = frame[frame.quarter == objective.at(config)]
    value = float(at[objective.outcome].mean())
    shortfall = 0.0
    if objective.trust_floor is not None:
        shortfall = max(0.0, objective.trust_floor - float(at["trust_mean"].mean()))
    return -value + PENALTY * shortfall


@dataclass(frozen=True)
class Optimum:
    """The best mix found and how it compares with the built-in strategies."""

    mix: dict[str, float]
    """Share of the leader's hours per intervention."""
    evaluations: int
    seconds: float
    summary: pd.DataFrame
    """Objective outcome per strategy at the objective's quarter, mean and interval."""
    comparisons: pd.DataFrame
    """The optimised mix against each built-in strategy, paired (fresh replications)."""
    verdict: str


def optimise(config: ScenarioConfig, objective: Objective, seed: int = DEFAULT_SEED,
             replications: int = 20, maxiter: int = 15, popsize: int = 8,
             workers: int = 1, log: Callable[[str], None] | None = None,
             show_progress: bool = False) -> Optimum:
    """Search the mix, then compare it with every built-in strategy; ``log`` hears of each
    generation's best, and with ``show_progress`` the generations' progress is shown on
    standard error (:class:`~simulation.experiments.progress.Progress`)."""
    started = time.monotonic()
    generations = [0]
    progress = Progress(maxiter, f"optimise {config.name}", enabled=show_progress,
                        unit="generations")

    def generation_done(intermediate_result: OptimizeResult) -> None:
        generations[0] += 1
        progress.advance(1)
        if log is not None:
            log(f"generation {generations[0]}: best objective {-intermediate_result.fun:.4f}")

    with progress:
        found = differential_evolution(
            loss, bounds=[(0.0, 1.0)] * iv.COUNT,
            args=(config, seed, replications, objective), seed=seed, maxiter=maxiter,
            popsize=popsize, polish=False, tol=1e-6, workers=workers,
            updating="deferred" if workers != 1 else "immediate", callback=generation_done)
        progress.finish("comparing the best mix with every built-in strategy on fresh "
                        f"replications (seed {seed + 1})")
    weights = np.asarray(found.x)
    mix = dict(zip(iv.NAMES, (weights / max(weights.sum(), 1e-12)).round(4), strict=True))
    summary, comparisons = compare_with_built_ins(config, weights, objective, seed + 1,
                                                  replications)
    return Optimum(mix, int(found.nfev), time.monotonic() - started, summary, comparisons,
                   verdict(comparisons, objective))


def compare_with_built_ins(config: ScenarioConfig, weights: np.ndarray, objective: Objective,
                           seed: int, replications: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every built-in strategy and the optimised mix on the same fresh replications."""
    frames = [runs_of(config, name, seed, replications).assign(label=name)
              for name in BUILT_IN]
    frames.append(runs_of(config, ALLOCATION, seed, replications, weights)
                  .assign(label=ALLOCATION))
    runs = pd.concat(frames, ignore_index=True)
    quarter = objective.at(config)
    outcomes = [objective.outcome] + (["trust_mean"] if objective.outcome != "trust_mean"
                                      else [])
    at = runs[runs.quarter == quarter]
    summary = summarise(at, outcomes, by=["label"])
    comparisons = paired_comparisons(runs, [objective.outcome], [quarter],
                                     reference=ALLOCATION)
    return summary, comparisons


def verdict(comparisons: pd.DataFrame, objective: Objective) -> str:
    """A plain sentence: is the optimised mix better than the best built-in strategy?"""
    best = comparisons.loc[comparisons["other_mean"].idxmax()]
    # Rows are (built-in minus optimised): a built-in is beaten when its interval is
    # entirely below zero.
    if best["high"] < 0:
        return (f"The optimised allocation beats every built-in strategy: the best, "
                f"{best['other']}, is {abs(best['difference']):.3f} lower "
                f"(95% interval {abs(best['high']):.3f} to {abs(best['low']):.3f}).")
    if best["low"] > 0:
        return (f"The optimised allocation is NOT better than the best built-in strategy: "
                f"{best['other']} is {best['difference']:.3f} higher (95% interval "
                f"{best['low']:.3f} to {best['high']:.3f}). A fixed mix cannot target "
                f"members by need as {best['other']} does.")
    return (f"The optimised allocation is NOT clearly better than the best built-in "
            f"strategy, {best['other']}: the difference's 95% interval "
            f"({best['low']:.3f} to {best['high']:.3f}) includes zero.")
