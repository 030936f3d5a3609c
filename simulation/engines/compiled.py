"""The compiled engine: the batched engine's blocks with the whole run compiled by JAX/XLA.

The week is :func:`simulation.model.week.simulate_week`, the same function the Mesa model
and the numpy batched engine call, traced with ``np`` as JAX's array library
(:func:`simulation.model.arrays.compiling`); the run is a ``lax.scan`` over quarters and
their weeks, with the calendar (:mod:`simulation.model.calendar_rules`), the new hires'
numbers and the weekly record inside the compiled program. A block's noise is the same
counter-based numbers every engine draws (:mod:`simulation.model.randomness`), so
replication k is the same run as on the other engines (to rounding: XLA evaluates
``exp`` and sums in its own order).

Only built-in strategies without memory compile; :func:`unsupported` says why a scenario
does not, and :func:`simulation.engines.batch.run_batch` (which chooses the engine) runs
it on numpy instead.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from simulation.engines.batch import BLOCK, BatchResult, Block, blocks
from simulation.model import arrays, equations, hiring
from simulation.model.arrays import np as xp
from simulation.model.config import WEEKS_PER_QUARTER, Parameters, ScenarioConfig
from simulation.model.leadership import Planner
from simulation.model.metrics import EVENT_COUNTS, TEAM_COLUMNS, WeeklyRecord
from simulation.model.randomness import RunNoise, WeekNoise, draw_batch_noise, run_keys, week_noise
from simulation.model.state import TeamState
from simulation.model.strategies import REGISTRY, RegisteredStrategy, StrategyRegistry
from simulation.model.week import WeekEvents, simulate_week

WEEKLY: tuple[str, ...] = ("team_output", "headcount", "hours", "hours_planned",
                           "crisis_hours", "attention_level")
"""The weekly record's arrays kept every week (one value per run, or per intervention)."""


CACHE_ENV = "TEAMSIM_XLA_CACHE"
"""Environment variable naming the folder of compiled programs kept between processes
(default: ``~/.cache/teamsim/xla``; ``off`` keeps none)."""


NO_LIBRARY_FUSIONS = "--xla_cpu_experimental_ynn_fusion_type="
"""XLA's CPU backend hands some reductions and products to a kernel library (YNNPACK); on
the week's small axes (members, interventions) its own loops are faster
(benchmarks/RESULTS.md, the compiled engine's profile)."""


@functools.cache
def _jax() -> Any:
    """JAX, set up for the model: 64-bit floats (the other engines' numbers), the
    model's pytrees, and compiled programs kept on disk so a new process (a sweep's
    worker, the next command) loads what an earlier one compiled."""
    flags = os.environ.get("XLA_FLAGS", "")
    if "ynn_fusion_type" not in flags:  # measured: the week runs about 9% faster without
        os.environ["XLA_FLAGS"] = f"{flags} {NO_LIBRARY_FUSIONS}".strip()
    import jax

    jax.config.update("jax_enable_x64", True)
    folder = os.environ.get(CACHE_ENV, str(Path.home() / ".cache" / "teamsim" / "xla"))
    if folder != "off":
        jax.config.update("jax_compilation_cache_dir", folder)
        jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.5)
    _register()
    return jax


@functools.cache
def _register() -> None:
    """The week's frozen dataclasses as JAX pytrees (their fields are the leaves)."""
    import jax

    for cls in (TeamState, WeekNoise, Parameters):
        names = tuple(item.name for item in dataclasses.fields(cls))

        def flatten(obj: Any, names: tuple[str, ...] = names) -> tuple[tuple[Any, ...], None]:
            return tuple(getattr(obj, name) for name in names), None

        def unflatten(_: None, leaves: Sequence[Any], cls: type = cls,
                      names: tuple[str, ...] = names) -> Any:
            obj: Any = object.__new__(cls)
            for name, value in zip(names, leaves, strict=True):
                object.__setattr__(obj, name, value)
            return obj

        jax.tree_util.register_pytree_node(cls, flatten, unflatten)


STATIC_SECTIONS = ("network",)
"""Sections of a scenario compiled in as constants (the network's structure is built once
per structure, as an array the program holds); every other number of the scenario is an
input of the compiled program, so scenarios that differ only in numbers share it."""

LABELS = ("name", "title", "description", "replications", "seed")
"""What names or defaults a scenario without entering its runs."""


def split_config(config: ScenarioConfig) -> tuple[ScenarioConfig, tuple[float, ...]]:
    """The scenario as the key of its compiled program (every number that is an input
    set to 0, its labels blank) and those numbers, in field order."""
    numbers: list[float] = []

    def walk(obj: Any, top: bool) -> Any:
        changes: dict[str, Any] = {}
        for item in dataclasses.fields(obj):
            value = getattr(obj, item.name)
            if top and item.name in LABELS:
                changes[item.name] = type(value)()
            elif top and item.name in STATIC_SECTIONS:
                continue
            elif dataclasses.is_dataclass(value):
                changes[item.name] = walk(value, False)
            elif type(value) is float:
                numbers.append(value)
                changes[item.name] = 0.0
        return _copy(obj, changes)

    return walk(config, True), tuple(numbers)


def joined_config(key: ScenarioConfig, numbers: Sequence[Any]) -> ScenarioConfig:
    """The scenario from its key and its numbers (traced numbers while compiling):
    :func:`split_config` undone."""
    given = iter(numbers)

    def walk(obj: Any, top: bool) -> Any:
        changes: dict[str, Any] = {}
        for item in dataclasses.fields(obj):
            value = getattr(obj, item.name)
            if top and (item.name in LABELS or item.name in STATIC_SECTIONS):
                continue
            if dataclasses.is_dataclass(value):
                changes[item.name] = walk(value, False)
            elif type(value) is float:
                changes[item.name] = next(given)
        return _copy(obj, changes)

    return walk(key, True)


def _copy(obj: Any, changes: dict[str, Any]) -> Any:
    """A frozen dataclass with some fields changed, its checks not run again (a traced
    number cannot be checked against a range; the numbers were checked when loaded)."""
    copy = object.__new__(type(obj))
    vars(copy).update(vars(obj))
    vars(copy).update(changes)
    return copy


def unsupported(config: ScenarioConfig, registry: StrategyRegistry = REGISTRY) -> str:
    """Why the compiled engine cannot run this scenario ("" if it can): JAX is not
    installed, or the strategy is a plugin's (its code may do what a compiled program
    cannot) or keeps a memory (``adaptive``)."""
    if importlib.util.find_spec("jax") is None:
        return "JAX is not installed (pip install jax)"
    planner = Planner(registry.get(config.leader.strategy), batched=True)
    if not planner.built_in:
        return f"{planner.strategy.title} is not a built-in strategy"
    if planner.with_context:
        return f"{planner.strategy.title} keeps a memory between weeks"
    return ""


PADDED_RUNS = 64
"""A block's runs are padded to a multiple of this (and to a power of two below
``BLOCK``), so that batches of many sizes share a few compiled programs; the padding runs
are simulated and dropped."""


def padded(runs: int) -> int:
    """The runs a block of ``runs`` is compiled for."""
    if runs >= BLOCK:
        return -(-runs // PADDED_RUNS) * PADDED_RUNS
    return max(PADDED_RUNS, 1 << (runs - 1).bit_length())


def run_compiled(config: ScenarioConfig, seed: int, replications: Sequence[int],
                 registry: StrategyRegistry = REGISTRY, member_detail: bool = False,
                 parameters: Parameters | None = None) -> BatchResult:
    """:func:`simulation.engines.batch.run_batch` compiled: the same runs, the same
    records."""
    reps = tuple(int(k) for k in replications)
    records, starts = [], []
    noise: RunNoise | None = None
    for _, given, block_p in blocks(config, reps, parameters):
        filled = [*given, *[given[-1]] * (padded(len(given)) - len(given))]
        if parameters is not None and len(filled) > len(given):
            block_p = _padded_parameters(block_p, len(filled))
        # The first block is the largest, so its arrays hold every later block's runs.
        noise = draw_batch_noise(seed, filled, config.weeks, config.team.size, into=noise,
                                 weekly=False)
        planner = Planner(registry.get(config.leader.strategy), config.name, seed,
                          filled, batched=True)
        block = Block(config, noise, planner, member_detail, block_p)
        record = _run_block(block, run_keys(seed, filled), member_detail)
        records.append(record if len(filled) == len(given)
                       else _first_runs(record, len(given)))
        starts.append(_first_state(block.initial_state, len(given)))
    return BatchResult(config, seed, reps, tuple(records), tuple(starts))


def _padded_parameters(p: Parameters, runs: int) -> Parameters:
    """Per-run parameters ``(runs, 1)`` with the last run's repeated to ``runs``."""
    def grown(values: np.ndarray) -> np.ndarray:
        return np.concatenate([values, np.repeat(values[-1:], runs - len(values), axis=0)])
    return Parameters(**{name: grown(getattr(p, name))  # type: ignore[arg-type]
                         for name in Parameters.__dataclass_fields__})


def _first_runs(record: WeeklyRecord, runs: int) -> WeeklyRecord:
    """A block's record of its first ``runs`` runs (the padding dropped)."""
    kept = WeeklyRecord(record.weeks, record.members, runs=runs,
                        member_detail=record.member_detail, states=record.states)
    for item in dataclasses.fields(WeeklyRecord):
        value = getattr(record, item.name)
        if isinstance(value, np.ndarray) and value.ndim >= 2:
            setattr(kept, item.name, value[:, :runs])
        elif isinstance(value, dict):
            setattr(kept, item.name, {name: values[:, :runs] for name, values in value.items()})
    kept.headcount = record.headcount[:, :runs]
    return kept


def _first_state(state: TeamState, runs: int) -> TeamState:
    """The first ``runs`` runs of a block's state."""
    return TeamState(**{item.name: getattr(state, item.name)[:runs]
                        for item in dataclasses.fields(TeamState)})


def _run_block(block: Block, keys: np.ndarray, member_detail: bool) -> WeeklyRecord:
    """Run a block's compiled program (its runs' keys ``keys``) and fill its record."""
    config = block.config
    calendar = block.calendar
    quarters = config.weeks // WEEKS_PER_QUARTER
    noise = block.noise

    def by_quarter(values: np.ndarray, axis: int) -> np.ndarray:
        """Weeks (on ``axis``) first, as (quarters, weeks of a quarter, ...)."""
        moved = np.moveaxis(values, axis, 0)
        return moved.reshape(quarters, WEEKS_PER_QUARTER, *moved.shape[1:])

    xs = {
        "week": np.arange(config.weeks).reshape(quarters, WEEKS_PER_QUARTER),
        "attention_level": by_quarter(np.asarray(calendar.attention_level, dtype=float), 0),
        "crises_active": by_quarter(calendar.crises_active, 1),
        "crises_started": by_quarter(calendar.crises_started, 1),
        "obstacle_shock": by_quarter(calendar.obstacle_shock, 1),
        "change_shock": by_quarter(calendar.change_shock, 1),
    }
    carry = (block.state, block.last_output, block.member_ids, block.next_id)
    key, numbers = split_config(config)
    program = _program(key, block.planner.strategy, member_detail)
    weekly, quarterly = program(carry, xs, (keys, noise.work[..., 0]), block.p, numbers)
    record = block.record
    for name, values in weekly.items():
        values = np.asarray(values).reshape(config.weeks, *values.shape[2:])
        if name in WEEKLY:
            setattr(record, name, values)
        elif name in EVENT_COUNTS:
            record.events[name] = values
    kept = weekly if member_detail else quarterly
    shape = (lambda v: np.asarray(v).reshape(config.weeks, *v.shape[2:])) if member_detail \
        else np.asarray
    record.member_output = shape(kept["member_output"])
    record.active = shape(kept["active"])
    record.member_ids = shape(kept["member_ids"])
    for name in record.states:
        record.member_states[name] = shape(kept[f"member:{name}"])
    for name in TEAM_COLUMNS:
        record.team_states[name] = shape(kept[f"team:{name}"])
    return record


@functools.lru_cache(maxsize=32)
def _program(key: ScenarioConfig, strategy: RegisteredStrategy, member_detail: bool) -> Any:
    """The compiled run of a block: (carry, calendar and noise by quarter and week,
    the runs' work draws, parameters) to (weekly records, quarter-end records)."""
    jax = _jax()
    planner = Planner(strategy, batched=True)
    states = WeeklyRecord(WEEKS_PER_QUARTER, 1, 1, member_detail=False).states

    def members_kept(state: TeamState, produced_output: Any, ids: Any) -> dict[str, Any]:
        kept = {"member_output": produced_output, "active": state.active,
                "member_ids": xp.where(state.active > 0, ids, 0)}
        kept.update({f"member:{name}": getattr(state, name) for name in states})
        kept.update({f"team:{name}": getattr(state, name) for name in TEAM_COLUMNS})
        return kept

    def week_step(carry: Any, x: dict[str, Any], work: Any, p: Parameters,
                  config: ScenarioConfig) -> Any:
        state, last_output, member_ids, next_id = carry
        hired = hiring.vacancy_filled(state, config, p)
        numbers = next_id[:, None] + xp.cumsum(hired, axis=1) - 1
        member_ids = xp.where(hired, numbers, member_ids)
        next_id = next_id + hired.sum(axis=1)
        events = WeekEvents(attention_level=x["attention_level"],
                            crises_active=x["crises_active"],
                            crises_started=x["crises_started"],
                            obstacle_shock=x["obstacle_shock"],
                            change_shock=x["change_shock"], hired=hired)
        keys, work_draw = work
        noise = week_noise(keys, x["week"], config.team.size, work_draw)
        outcome = simulate_week(state, last_output, x["week"], events, noise, config,
                                planner, p)
        state, led = outcome.state, outcome.leader
        out: dict[str, Any] = {
            "team_output": outcome.produced.team_output,
            "headcount": equations.last_sum(state.active),
            "hours": xp.einsum("...mk->...k", led.granted),
            "hours_planned": led.hours_planned,
            "crisis_hours": xp.broadcast_to(led.crisis_hours, next_id.shape) * 1.0,
            "attention_level": xp.broadcast_to(led.attention_share,
                                                      next_id.shape) * 1.0,
        }
        out.update({name: xp.broadcast_to(count, next_id.shape) * 1.0
                    for name, count in outcome.counts().items()})
        if member_detail:
            out.update(members_kept(state, outcome.produced.member_output, member_ids))
        return (state, outcome.produced.member_output, member_ids, next_id), out

    def quarter_step(carry: Any, x: dict[str, Any], work: Any, p: Parameters,
                     config: ScenarioConfig) -> Any:
        carry, weekly = jax.lax.scan(lambda c, w: week_step(c, w, work, p, config), carry, x)
        state, last_output, member_ids, _ = carry
        return carry, (weekly, {} if member_detail
                       else members_kept(state, last_output, member_ids))

    def run(carry: Any, xs: dict[str, Any], work: Any, p: Parameters,
            numbers: tuple[Any, ...]) -> Any:
        config = joined_config(key, numbers)
        with arrays.compiling():
            _, (weekly, quarterly) = jax.lax.scan(
                lambda c, x: quarter_step(c, x, work, p, config), carry, xs)
        return weekly, quarterly

    return jax.jit(run)
