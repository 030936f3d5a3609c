"""One call for exploratory tools: :func:`simulate` runs a scenario's replications and
returns the tidy quarterly table; :func:`simulate_array` returns the same numbers as one
array ``(runs, quarters, outcomes)``; :func:`simulate_design` runs many settings (scenario
keys, strategies included, different for each point of a design) in one call.

    import simulation
    frame = simulation.simulate("baseline", replications=20, seed=7,
                                leader__attention_hours=6, quarters=8)

Scenario keys are keyword arguments, nested keys spelled with ``__``
(``leader__attention_hours`` is ``leader.attention_hours``); each value is checked as a
scenario file's would be, and a bad one raises :class:`~simulation.ConfigError` naming the
key. The batched engine is the default; ``engine="mesa"`` gives the same numbers from the
agent model (replication k is the same run in both).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from simulation.engines.batch import run_batch, stack_parameters
from simulation.experiments.replications import run_once
from simulation.model.config import Parameters, ScenarioConfig
from simulation.model.metrics import outcome_columns
from simulation.model.scenario_files import (
    ConfigError,
    keyword_overrides,
    load_scenario,
    with_overrides,
)
from simulation.model.strategies import REGISTRY, StrategyRegistry

Engine = Literal["batch", "numpy", "compiled", "mesa"]

IDENTITY_COLUMNS: tuple[str, ...] = ("scenario", "strategy", "seed", "replication", "quarter")
"""The columns that say which run and quarter a row is; every other column is an outcome."""


def scenario_with(scenario: ScenarioConfig | str | Path, overrides: Mapping[str, Any],
                  source: str = "simulate") -> ScenarioConfig:
    """A scenario (a configuration, a file or a shipped name) with keyword overrides
    applied (``leader__attention_hours``), checked as a file's keys are."""
    config = scenario if isinstance(scenario, ScenarioConfig) else load_scenario(scenario)
    dotted = keyword_overrides(overrides)
    return with_overrides(config, dotted, source) if dotted else config


def simulate(scenario: ScenarioConfig | str | Path = "baseline", *, replications: int = 1,
             seed: int | None = None, engine: Engine = "batch",
             registry: StrategyRegistry = REGISTRY, **overrides: Any) -> pd.DataFrame:
    """Run replications ``0 .. replications - 1`` of a scenario and return one tidy row per
    (replication, quarter), with the columns of ``TeamModel.quarterly_frame`` (the run's
    identity, then every outcome of :func:`simulation.model.metrics.outcome_columns`).

    Args:
        scenario: a ScenarioConfig, a scenario file or a shipped scenario's name.
        replications: how many runs.
        seed: base seed of the replications (the scenario's own seed if None, so the same
            call gives the same numbers).
        engine: ``"batch"`` (the batched engine, the default) or ``"mesa"`` (the agent
            model, one run at a time); the numbers are the same.
        registry: where the leader's strategy is looked up.
        **overrides: scenario keys, nested ones spelled with ``__``
            (``leader__attention_hours=6``, ``parameters__train_rate=0.05``,
            ``quarters=8``).
    """
    config = scenario_with(scenario, overrides)
    if isinstance(replications, bool) or not isinstance(replications, int | np.integer) \
            or replications < 1:
        raise ConfigError("simulate", "replications",
                          f"must be a whole number of at least 1, not {replications!r}")
    base_seed = config.seed if seed is None else int(seed)
    if engine in ("batch", "numpy", "compiled"):
        return run_batch(config, base_seed, range(replications), registry,
                         engine=engine).quarterly_frame()
    if engine == "mesa":
        return pd.concat([run_once(config, base_seed, k, registry)
                          for k in range(replications)], ignore_index=True)
    raise ConfigError("simulate", "engine",
                      f'must be "batch", "numpy", "compiled" or "mesa", not {engine!r}')


@dataclass(frozen=True)
class SimulationArray:
    """The numbers of :func:`simulate` as one array: ``values[run, quarter, outcome]``,
    runs in replication order, quarters from 1, outcomes in the order of ``outcomes``."""

    values: np.ndarray
    """``(runs, quarters, outcomes)`` floats."""
    outcomes: tuple[str, ...]
    replications: tuple[int, ...]
    quarters: tuple[int, ...]
    scenario: str
    strategy: str
    seed: int

    def outcome(self, name: str) -> np.ndarray:
        """One outcome as ``(runs, quarters)``."""
        return self.values[..., self.outcomes.index(name)]


def as_array(frame: pd.DataFrame) -> SimulationArray:
    """A tidy quarterly table (of one scenario and seed) as a :class:`SimulationArray`."""
    replications = tuple(int(k) for k in pd.unique(frame["replication"]))
    quarters = tuple(int(q) for q in sorted(pd.unique(frame["quarter"])))
    outcomes = tuple(name for name in outcome_columns() if name in frame.columns)
    ordered = frame.sort_values(["replication", "quarter"], kind="stable")
    values = ordered[list(outcomes)].to_numpy(dtype=float).reshape(
        len(replications), len(quarters), len(outcomes))
    first = frame.iloc[0]
    return SimulationArray(values, outcomes, tuple(sorted(replications)), quarters,
                           str(first["scenario"]), str(first["strategy"]),
                           int(first["seed"]))


def simulate_array(scenario: ScenarioConfig | str | Path = "baseline", *,
                   replications: int = 1, seed: int | None = None, engine: Engine = "batch",
                   registry: StrategyRegistry = REGISTRY, **overrides: Any
                   ) -> SimulationArray:
    """:func:`simulate`, its numbers as one array ``(runs, quarters, outcomes)``."""
    return as_array(simulate(scenario, replications=replications, seed=seed, engine=engine,
                             registry=registry, **overrides))


def simulate_design(points: Sequence[Mapping[str, Any]] | pd.DataFrame,
                    scenario: ScenarioConfig | str | Path = "baseline", *,
                    replications: int = 1, seed: int | None = None, engine: Engine = "batch",
                    registry: StrategyRegistry = REGISTRY, **common: Any) -> pd.DataFrame:
    """Run every point of a design (each a set of scenario keys: a dose-response over
    ``leader__attention_hours``, a moderation design crossing strategies with team sizes)
    ``replications`` times, and return one tidy table: ``point`` (the point's position),
    one column per key (spelled as given; empty where a point does not set it), then
    :func:`simulate`'s columns.

    Every point runs replications ``0 .. replications - 1`` of the same base seed (the
    scenario's if None), so the points meet the same random numbers (common random
    numbers) and their differences are the keys'. On the batched engine, points that
    differ only in model constants (``parameters__*``) run together as one batch, each
    run with its own constants; points with other keys apart run as batches of their own.
    ``points`` is a list of mappings or a DataFrame (one row per point); ``common`` keys
    (``quarters=4``) apply to every point, before its own."""
    rows = (points.to_dict("records") if isinstance(points, pd.DataFrame)
            else [dict(point) for point in points])
    if not rows:
        raise ConfigError("simulate_design", "points", "the design has no points")
    configs = [scenario_with(scenario, {**common, **row}, f"simulate_design: point {index}")
               for index, row in enumerate(rows)]
    base = configs[0].seed if seed is None else int(seed)
    if engine == "mesa":
        frames = {index: simulate(config, replications=replications, seed=base,
                                  engine="mesa", registry=registry)
                  for index, config in enumerate(configs)}
    else:
        frames = _batched_points(configs, replications, base, registry)
    names = list(dict.fromkeys(name for row in rows for name in row))
    parts = []
    for index, row in enumerate(rows):
        frame = frames[index]
        keys = pd.DataFrame({name: [row.get(name)] * len(frame) for name in names})
        parts.append(pd.concat([pd.DataFrame({"point": [index] * len(frame)}), keys,
                                frame.reset_index(drop=True)], axis=1))
    return pd.concat(parts, ignore_index=True)


def _batched_points(configs: Sequence[ScenarioConfig], replications: int, seed: int,
                    registry: StrategyRegistry) -> dict[int, pd.DataFrame]:
    """Each point's quarterly table, the points that differ only in model constants run
    as one batch."""
    if isinstance(replications, bool) or not isinstance(replications, int | np.integer) \
            or replications < 1:
        raise ConfigError("simulate_design", "replications",
                          f"must be a whole number of at least 1, not {replications!r}")
    groups: dict[ScenarioConfig, list[int]] = {}
    for index, config in enumerate(configs):
        groups.setdefault(dataclasses.replace(config, parameters=Parameters()),
                          []).append(index)
    frames: dict[int, pd.DataFrame] = {}
    reps = list(range(replications))
    for members in groups.values():
        config = configs[members[0]]
        sets = [configs[index].parameters for index in members]
        if all(one == sets[0] for one in sets):
            frame = run_batch(config, seed, reps * len(members), registry,
                              parameters=None).quarterly_frame()
        else:
            frame = run_batch(config, seed, reps * len(members), registry,
                              parameters=stack_parameters(
                                  [one for one in sets for _ in reps])).quarterly_frame()
        per_point = len(frame) // len(members)
        for position, index in enumerate(members):
            frames[index] = frame.iloc[position * per_point:(position + 1) * per_point]
    return frames
