"""The batched engine: many runs of one scenario at once, state as ``(runs, members)``.

It computes what the Mesa model computes, with the same functions: the equations of
:mod:`simulation.dynamics`, the leader's week of :mod:`simulation.leadership`, the
strategies, the diagnosis, the same pre-drawn noise of each run
(:mod:`simulation.randomness`) and the same quarterly roll-up
(:class:`simulation.metrics.WeeklyRecord`). What SimPy does one event at a time for the
agent model (the attention schedule, crises, obstacles, changed conditions, vacancies and
hiring delays) is laid out here as arrays over weeks, from the same random numbers and
rules (see :mod:`simulation.calendar`). Replication k of a batch is the same run as
``TeamModel(config, seed=seed, replication=k)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation import diagnosis, dynamics, leadership
from simulation.calendar import attention_level, weekly_probability
from simulation.config import WEEKS_PER_QUARTER, Parameters, ScenarioConfig
from simulation.metrics import WeeklyRecord
from simulation.randomness import RunNoise, draw_batch_noise
from simulation.state import TeamState, initial_state, with_departures, with_new_hires
from simulation.strategies import REGISTRY, StrategyRegistry


@dataclass(frozen=True)
class Timeline:
    """The calendar of a batch as arrays: what SimPy schedules, week by week."""

    share: np.ndarray
    """(W,) share of normal leadership the team gets (schedule and deputy)."""
    crises_started: np.ndarray
    """(R, W) crises that break out in each week."""
    crises_active: np.ndarray
    """(R, W) crises under way in each week."""
    obstacle_shock: np.ndarray
    change_shock: np.ndarray


def timeline(config: ScenarioConfig, noise: RunNoise) -> Timeline:
    """The schedule, crises, new obstacles and changed conditions of every run."""
    env, weeks = config.environment, config.weeks
    levels = np.array([attention_level(config.leader, w // WEEKS_PER_QUARTER + 1)
                       for w in range(weeks)])
    started = (noise.crisis < weekly_probability(env.crisis_rate)).astype(float)
    for week in env.scheduled_crises:
        if week <= weeks:
            started[:, week - 1] += 1.0
    running = np.cumsum(started, axis=1)
    ended = np.zeros_like(running)
    ended[:, env.crisis_weeks:] = running[:, :-env.crisis_weeks] if env.crisis_weeks < weeks \
        else 0.0
    return Timeline(
        share=np.asarray(leadership.attention_share(levels, config.leader.deputy_share)),
        crises_started=started,
        crises_active=running - ended,
        obstacle_shock=np.where(noise.obstacle < weekly_probability(env.obstacle_rate),
                                env.obstacle_size, 0.0),
        change_shock=np.where(noise.change < weekly_probability(env.change_rate),
                              env.change_size, 0.0),
    )


BLOCK = 1024
"""Most runs simulated together: larger batches run in blocks of this size, which keeps
the arrays in the processor's caches (the runs are independent, so nothing changes)."""


@dataclass(frozen=True)
class BatchResult:
    """The weekly records of every run of a batch (one per block), and its tidy quarterly
    table."""

    config: ScenarioConfig
    seed: int
    replications: tuple[int, ...]
    records: tuple[WeeklyRecord, ...]

    @property
    def record(self) -> WeeklyRecord:
        """The weekly record of a batch simulated as one block."""
        if len(self.records) != 1:
            raise ValueError("this batch ran in several blocks: see .records")
        return self.records[0]

    def quarterly_frame(self) -> pd.DataFrame:
        """One tidy row per (run, quarter), with the same columns, in the same order, as
        ``TeamModel.quarterly_frame`` (runs in the order given, quarters ascending)."""
        quarters = self.config.quarters
        runs = len(self.replications)
        columns: dict[str, list[np.ndarray]] = {}
        for record in self.records:
            for quarter in range(1, quarters + 1):
                for name, values in record.quarter_columns(quarter).items():
                    columns.setdefault(name, []).append(values)
        blocks = len(self.records)
        data: dict[str, object] = {
            "scenario": self.config.name,
            "strategy": self.config.leader.strategy,
            "seed": self.seed,
            "replication": np.repeat(np.asarray(self.replications, dtype=np.int64), quarters),
            "quarter": np.tile(np.arange(1, quarters + 1), runs),
        }
        for name, parts in columns.items():
            per_block = [np.stack(parts[b * quarters:(b + 1) * quarters], axis=1)
                         for b in range(blocks)]
            data[name] = np.concatenate(per_block).reshape(-1)
        return pd.DataFrame(data)


def hire_in_runs(state: TeamState, hired: np.ndarray, draws: np.ndarray,
                 config: ScenarioConfig, p: Parameters) -> TeamState:
    """``with_new_hires`` applied only to the runs that hire this week (the same numbers,
    without touching every run's arrays)."""
    runs = np.flatnonzero(hired.any(axis=-1))
    part = with_new_hires(TeamState(**{name: getattr(state, name)[runs]
                                       for name in TeamState.__dataclass_fields__}),
                          hired[runs], draws[runs], config, _rows(p, runs))
    # The engine's state arrays are its own (each week makes new ones), so the hiring
    # runs' rows are written in place.
    for name in TeamState.__dataclass_fields__:
        getattr(state, name)[runs] = getattr(part, name)
    return state


def _rows(p: Parameters, rows: np.ndarray) -> Parameters:
    """Some runs' parameters (per-run arrays sliced; plain numbers as they are)."""
    return Parameters(**{name: (value[rows] if isinstance(value, np.ndarray) else value)
                         for name, value in vars(p).items()})


def stack_parameters(sets: Sequence[Parameters]) -> Parameters:
    """One Parameters whose every field holds one value per run (arrays ``(runs,)``; the
    equations broadcast them, so the fields' float annotation is knowingly stretched)."""
    return Parameters(**{name: np.array([getattr(one, name) for one in sets], dtype=float)
                         for name in Parameters.__dataclass_fields__})  # type: ignore[arg-type]


def _block_parameters(parameters: Parameters, rows: slice) -> Parameters:
    """Per-run parameters of a block, shaped ``(runs, 1)`` to broadcast over members."""
    return Parameters(**{name: getattr(parameters, name)[rows, None]
                         for name in Parameters.__dataclass_fields__})


def run_batch(config: ScenarioConfig, seed: int, replications: Sequence[int],
              registry: StrategyRegistry = REGISTRY, member_detail: bool = False,
              parameters: Parameters | None = None) -> BatchResult:
    """Run replications ``replications`` of a scenario under base seed ``seed`` at once.
    ``member_detail`` keeps every week's member states (for weekly frames), not only each
    quarter's last. ``parameters`` (from :func:`stack_parameters`) gives every run its own
    model constants, in place of the scenario's; a sensitivity analysis varies them."""
    reps = tuple(int(k) for k in replications)
    records = []
    for start in range(0, len(reps), BLOCK):
        rows = slice(start, start + BLOCK)
        block = (config.parameters if parameters is None
                 else _block_parameters(parameters, rows))
        records.append(_run_block(config, seed, reps[rows], registry, member_detail, block))
    return BatchResult(config, seed, reps, tuple(records))


def _run_block(config: ScenarioConfig, seed: int, reps: tuple[int, ...],
               registry: StrategyRegistry, member_detail: bool,
               p: Parameters) -> WeeklyRecord:
    """One block of runs, simulated together."""
    members, weeks = config.team.size, config.weeks
    env, leader = config.environment, config.leader
    strategy = registry.get(leader.strategy)
    noise = draw_batch_noise(seed, list(reps), weeks, members)
    plan = timeline(config, noise)
    state = initial_state(config, noise.initial)
    last_output = np.zeros((len(reps), members))
    hire_week = np.full((len(reps), members), -1)
    record = WeeklyRecord(weeks, members, runs=len(reps), member_detail=member_detail)

    for week in range(weeks):
        hired = hire_week == week
        if hired.any():
            state = hire_in_runs(state, hired, noise.hire[:, week], config, p)
        share = float(plan.share[week])
        hours = np.full(len(reps), leader.attention_hours * share)
        crisis = env.crisis_hours * plan.crises_active[:, week] * share
        observation = diagnosis.observe(state, last_output, noise.observation[:, week],
                                        leader.diagnostic_accuracy, leader.bias_cause,
                                        leader.bias_strength, p)
        planned = leadership.plan_doses(strategy, observation, hours,
                                        leadership.systems_share(leader, week))
        granted, kept, breached = leadership.fit_week(planned,
                                                      np.maximum(hours - crisis, 0.0), p)
        in_crisis = plan.crises_active[:, week] > 0
        conditions = dynamics.WeekConditions(
            pressure=np.minimum(
                env.pressure + np.where(in_crisis, dynamics.team_level(p.crisis_pressure), 0.0),
                1.0),
            direction_baseline=np.asarray(env.direction_clarity),
            barrier_baseline=np.asarray(env.barriers),
            obstacle_shock=plan.obstacle_shock[:, week],
            change_shock=plan.change_shock[:, week],
        )
        state, result = dynamics.advance_week(state, granted, kept, breached, conditions, p)
        last_output = result.member_output
        leaving = noise.turnover[:, week] < dynamics.leaving_probability(
            state, env.turnover_rate, p)
        if leaving.any():
            state = with_departures(state, leaving)
            hire_week = np.where(leaving, week + 1 + env.hiring_delay_weeks, hire_week)
        record.record(week, state, result, granted, hours, crisis, share, {
            "breaches": np.count_nonzero(breached, axis=-1).astype(float),
            "kept_commitments": np.count_nonzero(kept, axis=-1).astype(float),
            "departures": np.sum(leaving, axis=-1).astype(float),
            "hires": np.sum(hired, axis=-1).astype(float),
            "crises": plan.crises_started[:, week],
        })
    return record
