"""The batched engine: many runs of one scenario at once, state as ``(runs, members)``.

It computes what the Mesa model computes, with the same code: the week of
:func:`simulation.model.week.simulate_week` (over arrays ``(runs, members)`` instead of
``(members,)``), the same pre-drawn noise of each run (:mod:`simulation.model.randomness`)
and the same quarterly roll-up (:class:`simulation.model.metrics.WeeklyRecord`). What SimPy
does one event at a time for the agent model (the attention schedule, crises, obstacles,
changed conditions) is laid out here as arrays over weeks, from the same random numbers
and the same rules (:mod:`simulation.model.calendar_rules`); vacancies are filled in the
week the same rule finds their search done, from the runs' state.
Replication k of a batch is the same run as ``TeamModel(config, seed=seed,
replication=k)``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from simulation.model import calendar_rules as rules
from simulation.model import hiring
from simulation.model.config import Parameters, ScenarioConfig
from simulation.model.leadership import Planner
from simulation.model.metrics import WeeklyRecord
from simulation.model.randomness import RunNoise, draw_batch_noise
from simulation.model.state import TeamState
from simulation.model.strategies import REGISTRY, StrategyRegistry
from simulation.model.week import WeekEvents, WeekOutcome, simulate_week

BLOCK = 1024
"""Most runs simulated together: larger batches run in blocks of this size, which keeps
the arrays in the processor's caches (the runs are independent, so nothing changes)."""
BLOCK_MEMBER_WEEKS = 4_000_000
"""Most member-weeks in one block: a block draws its noise for every member and week at
once (about 85 bytes a member-week, measured), so a block of large teams over long runs
holds fewer runs, and its memory stays near 350 MB whatever the scenario."""


@dataclass(frozen=True)
class BatchResult:
    """The weekly records of every run of a batch (one per block), and its tidy quarterly
    table."""

    config: ScenarioConfig
    seed: int
    replications: tuple[int, ...]
    records: tuple[WeeklyRecord, ...]
    initial_states: tuple[TeamState, ...] = ()
    """Each block's state before the first week."""

    @property
    def record(self) -> WeeklyRecord:
        """The weekly record of every run, in the order given (the blocks' records joined
        along the run axis when the batch ran in several)."""
        if len(self.records) == 1:
            return self.records[0]
        return WeeklyRecord.joined(self.records)

    @property
    def initial_state(self) -> TeamState:
        """Every run's state before the first week, runs first."""
        if len(self.initial_states) == 1:
            return self.initial_states[0]
        return joined_states(self.initial_states)

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


def joined_states(states: Sequence[TeamState]) -> TeamState:
    """Several blocks' states as one, runs first (every field has the run axis first)."""
    return TeamState(**{item.name: np.concatenate([getattr(one, item.name) for one in states])
                        for item in dataclasses.fields(TeamState)})


def stack_parameters(sets: Sequence[Parameters]) -> Parameters:
    """One Parameters whose every field holds one value per run (arrays ``(runs,)``; the
    equations broadcast them, so the fields' float annotation is knowingly stretched)."""
    return Parameters(**{name: np.array([getattr(one, name) for one in sets], dtype=float)
                         for name in Parameters.__dataclass_fields__})  # type: ignore[arg-type]


def _block_parameters(parameters: Parameters, rows: slice) -> Parameters:
    """Per-run parameters of a block, shaped ``(runs, 1)`` to broadcast over members."""
    return Parameters(**{name: getattr(parameters, name)[rows, None]
                         for name in Parameters.__dataclass_fields__})


def block_runs(config: ScenarioConfig) -> int:
    """Most runs simulated together as one block for a scenario: ``BLOCK``, fewer for
    large teams over long runs (at most ``BLOCK_MEMBER_WEEKS`` member-weeks a block)."""
    return max(1, min(BLOCK, BLOCK_MEMBER_WEEKS // (config.team.size * config.weeks)))


ENGINES: tuple[str, ...] = ("auto", "numpy", "compiled")
"""How :func:`run_batch` runs a batch: ``numpy`` steps the week in numpy; ``compiled`` runs
it compiled by JAX/XLA (:mod:`simulation.engines.compiled`: built-in strategies without
memory); ``auto`` (the default) is the compiled engine where it supports the run and the
batch is large enough to repay compiling (``COMPILED_MIN_RUNS``), numpy otherwise. The two
give the same numbers to rounding (about 1e-13; the equality tests hold them to 1e-9)."""

COMPILED_MIN_RUNS = 256
"""Fewest runs for which ``auto`` compiles: compiling a scenario's program takes a few
seconds the first time (then it is kept, in the process and on disk), which a smaller
batch on the numpy engine would not take."""


def chosen_engine(config: ScenarioConfig, runs: int, registry: StrategyRegistry = REGISTRY,
                  engine: str = "auto") -> str:
    """The engine (``numpy`` or ``compiled``) that runs ``runs`` runs of ``config`` when
    ``engine`` is asked for (see ``ENGINES``; ``batch``, as commands and sweeps name the
    batched engine, is ``auto``); ``compiled`` asked for where it cannot run raises a
    ValueError saying why."""
    engine = "auto" if engine == "batch" else engine  # the command line's name for it
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    if engine == "numpy":
        return "numpy"
    from simulation.engines import compiled

    why = compiled.unsupported(config, registry)  # a built-in strategy never fails a run
    if engine == "compiled":
        if why:
            raise ValueError(f"the compiled engine cannot run {config.name}: {why}")
        return "compiled"
    return "compiled" if not why and runs >= COMPILED_MIN_RUNS else "numpy"


def blocks(config: ScenarioConfig, reps: tuple[int, ...], parameters: Parameters | None
           ) -> Iterator[tuple[int, tuple[int, ...], Parameters]]:
    """The blocks a batch runs in (:func:`block_runs` runs each): each block's first
    index in ``reps``, its replications, and its parameters (the scenario's, or its rows
    of the per-run ``parameters``)."""
    size = block_runs(config)
    for start in range(0, len(reps), size):
        rows = slice(start, start + size)
        yield start, reps[rows], (config.parameters if parameters is None
                                  else _block_parameters(parameters, rows))


def run_batch(config: ScenarioConfig, seed: int, replications: Sequence[int],
              registry: StrategyRegistry = REGISTRY, member_detail: bool = False,
              parameters: Parameters | None = None,
              failures: dict[int, Exception] | None = None, engine: str = "auto"
              ) -> BatchResult:
    """Run replications ``replications`` of a scenario under base seed ``seed`` at once.
    ``member_detail`` keeps every week's member states (for weekly frames), not only each
    quarter's last. ``parameters`` (from :func:`stack_parameters`) gives every run its own
    model constants, in place of the scenario's; a sensitivity analysis varies them.
    With ``failures``, a run whose strategy fails is entered there (by its index in
    ``replications``) and gets no hours from then on, while the others go on (see
    :class:`simulation.model.leadership.Planner`). ``engine`` chooses how the batch runs
    (``ENGINES``; the numbers are the same)."""
    reps = tuple(int(k) for k in replications)
    if chosen_engine(config, len(reps), registry, engine) == "compiled":
        from simulation.engines.compiled import run_compiled

        return run_compiled(config, seed, reps, registry, member_detail, parameters)
    records, starts = [], []
    noise: RunNoise | None = None
    for start, given, block in blocks(config, reps, parameters):
        noise = draw_batch_noise(seed, list(given), config.weeks, config.team.size,
                                 into=noise)
        planner = Planner(registry.get(config.leader.strategy), config.name, seed,
                          given, batched=True, failures=failures, first_index=start)
        done = _run_block(config, noise, planner, member_detail, block)
        records.append(done.record)
        starts.append(done.initial_state)
    return BatchResult(config, seed, reps, tuple(records), tuple(starts))


def _run_block(config: ScenarioConfig, noise: RunNoise, planner: Planner,
               member_detail: bool, p: Parameters) -> Block:
    """One block of runs (those whose noise is drawn in ``noise``), simulated together."""
    block = Block(config, noise, planner, member_detail, p)
    for week in range(config.weeks):
        block.finish(week, simulate_week(block.state, block.last_output, week,
                                         block.events(week), noise.week(week), config,
                                         planner, p))
    return block


class Block:
    """A block of runs of one scenario stepped a week at a time: its calendar laid out as
    arrays, its state, last week's output and its weekly record (an organisation steps
    its teams' blocks together, :mod:`simulation.engines.organisation_batch`)."""

    def __init__(self, config: ScenarioConfig, noise: RunNoise, planner: Planner,
                 member_detail: bool, p: Parameters) -> None:
        runs = noise.turnover.shape[0]
        self.config, self.noise, self.planner, self.p = config, noise, planner, p
        self.calendar = rules.timeline(config, noise)
        self.state = noise.starting_team(config)
        self.initial_state = self.state
        """The runs' state before the first week."""
        self.last_output = np.zeros((runs, config.team.size))
        self.record = WeeklyRecord(config.weeks, config.team.size, runs=runs,
                                   member_detail=member_detail)
        members = config.team.size
        self.member_ids = np.tile(np.arange(1, members + 1, dtype=np.int64), (runs, 1))
        """Each slot's member, numbered as the Mesa model numbers its agents: the first
        members 1 to M, the leader M + 1, then each new hire the next number, hires of
        the same week in slot order."""
        self.next_id = np.full(runs, members + 2, dtype=np.int64)

    def events(self, week: int) -> WeekEvents:
        """What the calendar brings the runs in week ``week`` (the vacancies whose search is
        done, from the state after the week before)."""
        calendar = self.calendar
        hired = hiring.vacancy_filled(self.state, self.config, self.p)
        self._number_hires(hired)
        return WeekEvents(
            attention_level=float(calendar.attention_level[week]),
            crises_active=calendar.crises_active[:, week],
            crises_started=calendar.crises_started[:, week],
            obstacle_shock=calendar.obstacle_shock[:, week],
            change_shock=calendar.change_shock[:, week],
            hired=hired)

    def _number_hires(self, hired: np.ndarray) -> None:
        """Give this week's new hires their numbers, in slot order within each run."""
        if hired.any():
            numbers = self.next_id[:, None] + np.cumsum(hired, axis=1) - 1
            self.member_ids = np.where(hired, numbers, self.member_ids)
            self.next_id = self.next_id + hired.sum(axis=1)

    def finish(self, week: int, outcome: WeekOutcome) -> None:
        """Take week ``week``'s outcome: the new state, its output, the record (a vacant
        slot's member number is 0, as in the Mesa model)."""
        self.state, self.last_output = outcome.state, outcome.produced.member_output
        self.record.record(week, outcome,
                           np.where(outcome.state.active > 0, self.member_ids, 0))
