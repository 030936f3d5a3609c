"""The gap decomposition: how much of the output gap between top- and bottom-quartile
leaders each leadership dimension accounts for (Shapley values), with bootstrap intervals.

The population (:mod:`simulation.analysis.leader_population`): leaders who differ on every
dimension, a Latin hypercube over their ranges, each run on the same replications of the
scenario's team (common random numbers) and ranked by the outcome's mean. The top and the
bottom quartile are then fixed, and the gap between them is attributed.

**The method: Shapley values of the gap, over the simulator itself.** Each top-quartile
leader ``a`` is paired with a bottom-quartile leader ``b`` (a random one-to-one pairing).
For a set ``S`` of dimensions, the hybrid leader has ``a``'s values on ``S`` and ``b``'s
elsewhere; the game's worth ``v(S)`` is the mean outcome of the hybrids minus that of the
bottom leaders, so ``v(all)`` is the gap. A dimension's Shapley value (Shapley 1953; for
decompositions, Shorrocks 2013) is its marginal contribution averaged over the orders in
which the dimensions can be switched from ``b`` to ``a``. It is estimated by sampling
orders for each pair (Castro, Gomez & Tejada 2009), each with its reverse (antithetic
orders): a pair of reversed orders gives every interaction of two dimensions exactly half
to each, so the estimate is exact for any outcome whose interactions involve at most two
dimensions at a time, and near it when higher ones are small. Along every order the
contributions add up to ``f(a) - f(b)`` exactly, so the shares sum to 100% of the gap they
explain, whatever the interactions: Shapley values split interactions, they do not drop
them. Each dimension is also switched alone (``a``'s value on ``b``'s profile): its
*alone* effect, and the difference from its Shapley value, the part of its share that
comes from interactions with the others.

Why not a surrogate or Oaxaca-Blinder: both need a fitted model of the outcome (linear, or
a response surface), whose misfit would land in the shares; over the simulator every
hybrid is run, and no functional form is assumed. The hybrids run on fresh replications
(seed + 1), not those the leaders were ranked on: the ranking picked leaders who were also
lucky in their draws, and that luck does not repeat. The *explained* gap is the gap on the
fresh replications, attributed in full; the *remainder* is the ranked (observed) gap minus
it, regression to the mean, reported and not attributed.

Intervals: 95% percentile bootstrap over the pairs (leaders) and the fresh replications
(resampled together for every pair, so common random numbers stay paired), with the
quartiles held fixed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulation.analysis.leader_population import (
    DIMENSIONS,
    LeaderDimension,
    run_leaders,
    sample_population,
)
from simulation.experiments.progress import Progress
from simulation.experiments.publishing import git_revision, package_versions
from simulation.model.config import DEFAULT_SEED, ScenarioConfig
from simulation.model.randomness import SEEDING
from simulation.model.scenario_files import to_dict

GAME_STREAM = 2**32 - 3
"""Spawn key of the stream that pairs the leaders, orders the dimensions and resamples."""

Value = Callable[[np.ndarray], np.ndarray]
"""An outcome as a function of leader profiles: ``(points, dimensions)`` in,
``(points, replications)`` out."""


def antithetic_orders(dimensions: int, permutations: int, rng: np.random.Generator
                      ) -> np.ndarray:
    """``permutations`` orders of the dimensions (an even number): random orders, each
    followed by its reverse, ``(permutations, dimensions)``."""
    if permutations < 2 or permutations % 2:
        raise ValueError(f"permutations must be even and at least 2, got {permutations}")
    forward = np.array([rng.permutation(dimensions) for _ in range(permutations // 2)])
    return np.stack([forward, forward[:, ::-1]], axis=1).reshape(permutations, dimensions)


@dataclass(frozen=True)
class GapGame:
    """The estimated Shapley values of the gap, per pair and replication."""

    contributions: np.ndarray
    """Each dimension's Shapley value per pair and replication, ``(pairs, reps, dims)``."""
    alone: np.ndarray
    """Each dimension switched alone on the bottom leader's profile, the same shape."""
    gap: np.ndarray
    """``f(a) - f(b)`` per pair and replication, ``(pairs, reps)``: the contributions'
    sum."""
    evaluations: int
    """Distinct leader profiles run."""


def shapley_gap(value: Value, top: np.ndarray, bottom: np.ndarray, orders: np.ndarray
                ) -> GapGame:
    """Shapley values of ``value`` between paired profiles ``top[p]`` and ``bottom[p]``
    (``(pairs, dimensions)``), over the given orders of switching the dimensions from the
    bottom profile to the top one (``(orders, dimensions)``). Every distinct profile on the
    way is evaluated once."""
    pairs, dims = top.shape
    steps = np.zeros((len(orders), dims + 1, dims), dtype=bool)
    for o, order in enumerate(orders):
        for t in range(1, dims + 1):
            steps[o, t] = steps[o, t - 1]
            steps[o, t, order[t - 1]] = True
    alone = np.eye(dims, dtype=bool)
    masks = np.concatenate([steps.reshape(-1, dims), alone])
    points = np.where(masks[None], top[:, None, :], bottom[:, None, :]).reshape(-1, dims)
    unique, where = np.unique(points, axis=0, return_inverse=True)
    values = np.asarray(value(unique), dtype=float)
    if values.ndim == 1:
        values = values[:, None]
    reps = values.shape[1]
    at = values[np.ravel(where)].reshape(pairs, len(masks), reps)
    path = at[:, : steps.shape[0] * steps.shape[1]].reshape(pairs, len(orders), dims + 1, reps)
    moved = np.diff(path, axis=2)  # (pairs, orders, step, reps): the t-th switched dimension
    contributions = np.zeros((pairs, reps, dims))
    for o, order in enumerate(orders):
        contributions[:, :, order] += np.moveaxis(moved[:, o], 1, 2)
    contributions /= len(orders)
    bottom_value = path[:, 0, 0]
    switched_alone = at[:, steps.shape[0] * steps.shape[1]:] - bottom_value[:, None]
    return GapGame(contributions, np.moveaxis(switched_alone, 1, 2),
                   path[:, 0, -1] - bottom_value, len(unique))


@dataclass(frozen=True)
class Intervals:
    """Bootstrap percentile intervals (95%) of the decomposition's figures."""

    contribution: np.ndarray
    """``(2, dims)``: low and high of each dimension's contribution."""
    share: np.ndarray
    """``(2, dims)``: low and high of each dimension's share of the explained gap."""
    explained: tuple[float, float]
    observed: tuple[float, float]
    remainder: tuple[float, float]


def bootstrap(game: GapGame, observed: np.ndarray, resamples: int,
              rng: np.random.Generator) -> Intervals:
    """Resample pairs and fresh replications (the same replications for every pair);
    ``observed`` is each pair's ranked gap ``(pairs,)``."""
    pairs, reps, _ = game.contributions.shape
    pair_weights = np.stack([np.bincount(rng.integers(0, pairs, pairs), minlength=pairs)
                             for _ in range(resamples)]) / pairs
    rep_weights = np.stack([np.bincount(rng.integers(0, reps, reps), minlength=reps)
                            for _ in range(resamples)]) / reps
    contribution = np.einsum("bp,prd,br->bd", pair_weights, game.contributions, rep_weights)
    explained = contribution.sum(axis=1)
    share = contribution / np.where(explained == 0, np.nan, explained)[:, None]
    ranked = pair_weights @ observed

    def percentiles(values: np.ndarray) -> np.ndarray:
        return np.nanpercentile(values, [2.5, 97.5], axis=0)

    low_high = percentiles(np.column_stack([explained, ranked, ranked - explained]))
    return Intervals(percentiles(contribution), percentiles(share),
                     (low_high[0, 0], low_high[1, 0]), (low_high[0, 1], low_high[1, 1]),
                     (low_high[0, 2], low_high[1, 2]))


@dataclass(frozen=True)
class Decomposition:
    """A gap decomposition: the population, its quartiles, the Shapley values and their
    intervals, and the settings that made them."""

    config: ScenarioConfig
    dimensions: tuple[LeaderDimension, ...]
    leaders: np.ndarray
    """The population, ``(leaders, dimensions)``."""
    outputs: np.ndarray
    """Each leader's outcome on the ranking replications, ``(leaders, replications)``."""
    top: np.ndarray
    bottom: np.ndarray
    """Indices of the paired top- and bottom-quartile leaders (``top[p]`` with
    ``bottom[p]``)."""
    game: GapGame
    intervals: Intervals
    settings: dict[str, Any] = field(default_factory=dict)
    """What was run: leaders, replications, seeds, outcome, quarter and the rest."""

    @property
    def observed_gap(self) -> float:
        """The ranked gap: mean outcome of the top quartile minus the bottom's."""
        means = self.outputs.mean(axis=1)
        return float(means[self.top].mean() - means[self.bottom].mean())

    @property
    def explained_gap(self) -> float:
        """The gap on fresh replications: the sum of the Shapley values."""
        return float(self.game.gap.mean())

    @property
    def table(self) -> pd.DataFrame:
        """One row per dimension: its range, the quartiles' means, its contribution and
        share of the explained gap with 95% intervals, its alone effect and the part of
        its contribution that comes from interactions."""
        contribution = self.game.contributions.mean(axis=(0, 1))
        alone = self.game.alone.mean(axis=(0, 1))
        explained = self.explained_gap
        low, high = self.intervals.contribution
        share_low, share_high = self.intervals.share
        return pd.DataFrame({
            "dimension": [d.name for d in self.dimensions],
            "title": [d.title for d in self.dimensions],
            "kind": [d.kind for d in self.dimensions],
            "low": [d.low for d in self.dimensions],
            "high": [d.high for d in self.dimensions],
            "top_mean": self.leaders[self.top].mean(axis=0),
            "bottom_mean": self.leaders[self.bottom].mean(axis=0),
            "contribution": contribution,
            "contribution_low": low,
            "contribution_high": high,
            "share": contribution / explained if explained else np.nan,
            "share_low": share_low,
            "share_high": share_high,
            "alone": alone,
            "interaction": contribution - alone,
        })

    def share_of(self, name: str) -> tuple[float, float, float]:
        """A dimension's share of the explained gap with its 95% interval."""
        row = self.table.set_index("dimension").loc[name]
        return float(row["share"]), float(row["share_low"]), float(row["share_high"])


def quartiles(means: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """The top and bottom quartiles of leaders by their mean outcome (ties broken by
    position), the top one shuffled so that ``top[p]`` is paired at random with
    ``bottom[p]``."""
    order = np.argsort(means, kind="stable")
    quarter = len(means) // 4
    return rng.permutation(order[-quarter:]), order[:quarter]


def decompose(config: ScenarioConfig, leaders: int = 512, replications: int = 8,
              seed: int = DEFAULT_SEED, permutations: int = 2, resamples: int = 2000,
              outcome: str = "team_output", quarter: int = 0,
              dimensions: Sequence[LeaderDimension] = DIMENSIONS,
              log: Callable[[str], None] | None = None,
              show_progress: bool = False) -> Decomposition:
    """Sample ``leaders`` leaders, rank them by ``outcome`` at ``quarter`` (0: the last)
    over ``replications`` replications of ``seed``, and attribute the gap between the top
    and bottom quartiles to the dimensions (fresh replications of ``seed + 1``). ``log``
    hears of each phase; with ``show_progress`` the runs' progress is shown on standard
    error (its total at first the most the hybrids can need, then what they do need)."""
    if leaders < 8:
        raise ValueError(f"a population needs at least 8 leaders (two a quartile), got "
                         f"{leaders}")
    started = time.monotonic()
    dimensions = tuple(dimensions)
    ranking = leaders * replications
    hybrids = (leaders // 4) * (permutations * (len(dimensions) - 1) + 2 + len(dimensions))
    progress = Progress(ranking + hybrids * replications, f"decompose {config.name}",
                        enabled=show_progress)
    with progress:
        population = sample_population(leaders, seed, dimensions)
        outputs = run_leaders(config, population, seed, replications, outcome, quarter,
                              dimensions, ran=progress.advance)
        ranked = time.monotonic() - started
        if log is not None:
            log(f"ranked {leaders} leaders x {replications} replications in {ranked:.0f} s")
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(GAME_STREAM,)))
        top, bottom = quartiles(outputs.mean(axis=1), rng)
        orders = antithetic_orders(len(dimensions), permutations, rng)

        def fresh(points: np.ndarray) -> np.ndarray:
            if log is not None:
                log(f"running {len(points)} hybrid leaders x {replications} fresh "
                    "replications")
            progress.reach(progress.done, progress.done + len(points) * replications)
            return run_leaders(config, points, seed + 1, replications, outcome, quarter,
                               dimensions, ran=progress.advance)

        game = shapley_gap(fresh, population[top], population[bottom], orders)
        progress.finish(f"bootstrapping the intervals ({resamples:,} resamples)")
    means = outputs.mean(axis=1)
    intervals = bootstrap(game, means[top] - means[bottom], resamples, rng)
    settings: dict[str, Any] = {
        "leaders": leaders, "replications": replications, "seed": seed,
        "fresh_seed": seed + 1, "permutations": permutations, "resamples": resamples,
        "outcome": outcome, "quarter": quarter or config.quarters,
        "quartile_leaders": len(top), "hybrids_run": game.evaluations,
        "seconds": round(time.monotonic() - started, 1)}
    return Decomposition(config, dimensions, population, outputs, top, bottom, game,
                         intervals, settings)


CLARITY = "strategic_clarity"
"""The dimension whose share P21 reads: how clear the direction the leader holds is."""
CLARITY_BAND = (0.20, 0.40)
"""P21's band for strategic clarity's share of the gap (VALIDATION.md)."""


def interval_text(value: float, low: float, high: float, scale: float = 1.0,
                  digits: int = 3) -> str:
    """``value [low, high]``, each times ``scale``."""
    return (f"{scale * value:.{digits}f} [{scale * low:.{digits}f}, "
            f"{scale * high:.{digits}f}]")


def markdown_report(result: Decomposition, source: str = "") -> str:
    """The decomposition as a Markdown page: what was run, the table, the remainder and
    strategic clarity's share against P21's band."""
    s, table = result.settings, result.table
    intervals = result.intervals
    lines = [f"# The gap decomposition: {result.config.name}", ""]
    lines += [
        f"{s['leaders']} leaders who differ on {len(result.dimensions)} leadership "
        f"dimensions (a Latin hypercube over the ranges below), each run on {s['replications']}"
        f" replications of the `{result.config.name}` team"
        f"{f' (`{source}`)' if source and source != result.config.name else ''}"
        f" under common random numbers and ranked by {s['outcome']} at quarter "
        f"{s['quarter']} (seed {s['seed']}). The top quartile ({s['quartile_leaders']} "
        f"leaders) is ahead of the bottom quartile by "
        f"{interval_text(result.observed_gap, *intervals.observed)} (the observed gap). "
        f"Run again on fresh replications (seed {s['fresh_seed']}), the same leaders differ "
        f"by {interval_text(result.explained_gap, *intervals.explained)}: the explained gap, "
        f"which the Shapley values share out in full ({s['hybrids_run']} hybrid leaders "
        f"run, {s['permutations']} orders a pair, each with its reverse). The remainder, "
        f"{interval_text(result.observed_gap - result.explained_gap, *intervals.remainder)},"
        f" is the luck of the ranking draws (regression to the mean), not attributed.", "",
        "| dimension | range | top quartile | bottom quartile | contribution [95%] | "
        "share of the explained gap, % [95%] | alone | from interactions |",
        "|---|---|---|---|---|---|---|---|"]
    for row in table.sort_values("share", ascending=False).itertuples():
        lines.append(
            f"| {row.title} | {row.low:g} to {row.high:g} | {row.top_mean:.3g} | "
            f"{row.bottom_mean:.3g} | "
            f"{interval_text(row.contribution, row.contribution_low, row.contribution_high)}"
            f" | {interval_text(row.share, row.share_low, row.share_high, 100, 1)} | "
            f"{row.alone:.3f} | {row.interaction:+.3f} |")
    lines.append(f"| **explained gap** | | | | "
                 f"{interval_text(result.explained_gap, *intervals.explained)} | 100 | "
                 f"{table['alone'].sum():.3f} | {table['interaction'].sum():+.3f} |")
    if CLARITY in set(table["dimension"]):
        share, low, high = result.share_of(CLARITY)
        inside = CLARITY_BAND[0] <= low and high <= CLARITY_BAND[1]
        lines += ["", f"Strategic clarity accounts for {interval_text(share, low, high, 100, 1)}"
                      f"% of the explained gap; P21's band is {100 * CLARITY_BAND[0]:.0f}% to "
                      f"{100 * CLARITY_BAND[1]:.0f}%: "
                      f"{'inside' if inside else 'NOT inside'}."]
    lines += ["", "*Alone*: the dimension switched from the bottom leader's value to the top "
                  "leader's on the bottom leader's profile; *from interactions*: its Shapley "
                  "value minus that. Intervals: percentile bootstrap over the pairs and the "
                  "fresh replications, the quartiles fixed. Method and ranges: "
                  "docs/EXPERIMENTS.md (the gap decomposition) and docs/CALIBRATION.md."]
    return "\n".join(lines) + "\n"


def manifest(result: Decomposition, source: str) -> dict[str, Any]:
    """What a reader needs to reproduce the decomposition."""
    return {
        "command": "decompose", "scenario": result.config.name, "source": source,
        **result.settings,
        "seeding": f"{SEEDING}, the same for every leader (common random numbers); the "
                   "population, the pairing and the orders come from their own numpy streams "
                   "of the seed; hybrids run on seed + 1",
        "observed_gap": result.observed_gap, "explained_gap": result.explained_gap,
        "dimensions": [{"name": d.name, "title": d.title, "kind": d.kind, "acts_on":
                        list(d.acts_on), "low": d.low, "high": d.high, "scale": d.scale,
                        **({"quantiles": [list(q) for q in d.quantiles]} if d.quantiles
                           else {}),
                        "reason": d.reason} for d in result.dimensions],
        "configuration": to_dict(result.config),
        "versions": package_versions(), "git_revision": git_revision(),
    }
