"""How much work a run or a sweep asks for, estimated before anything starts, and the
documented limits above which it is refused at once (raise them with ``--max-work``).

Work is counted in member-weeks: runs x team members x weeks. The estimate is computed
from the file's numbers alone (the size of a grid is the product of its lists, a sample's
its size), so even a design of a trillion settings is refused without being built.

| engine | member-weeks a second, one core (measured) | default limit | about |
|---|---|---|---|
| the Mesa model (`teamsim run`, `sweep --engine mesa`) | ~17,000 | 50 million | 50 minutes |
| the batched engine (`sweep`, `compare`) | ~1,100,000 | 5 billion | 40 minutes on 2 cores |

A sweep holds at most MAX_SETTINGS settings (100,000), whatever the work.
`teamsim run` also keeps every replication's quarterly rows in memory, so it is refused
when they would take more than MAX_MEMORY_BYTES.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulation.experiments.bases import members
from simulation.experiments.experiment_files import ExperimentConfig
from simulation.model.config import WEEKS_PER_QUARTER, ScenarioConfig
from simulation.model.metrics import outcome_columns
from simulation.model.organisation_config import OrganisationConfig
from simulation.model.scenario_files import ConfigError

BATCHED = ("batch", "numpy", "compiled")
"""The batched engine's names (its fastest backend, or one by name)."""

RATE = {"mesa": 17_000.0, **dict.fromkeys(BATCHED, 1_100_000.0)}
"""Member-weeks a second on one core, measured on the baseline (benchmarks/RESULTS.md)."""

LIMIT = {"mesa": 50_000_000, **dict.fromkeys(BATCHED, 5_000_000_000)}
"""Default most member-weeks one command may ask for, by engine."""

MAX_SETTINGS = 100_000
"""Most settings one sweep may hold: each is a configuration built, and a row stored,
before the first run starts (about a millisecond each), and a report of more is unread."""

MAX_MEMORY_BYTES = 4 * 1024**3
"""Most memory the quarterly rows of `teamsim run` may take (they are held until written)."""

BYTES_PER_VALUE = 24
"""Memory a value of a quarterly row takes in a pandas table, with its share of overhead."""


@dataclass(frozen=True)
class Workload:
    """What a command will do: its runs and their member-weeks, and its rows in memory."""

    settings: int
    runs: int
    member_weeks: int
    engine: str
    rows: int
    """Quarterly rows the command produces (one per run and quarter)."""

    @property
    def seconds(self) -> float:
        """Estimated time on one core."""
        return self.member_weeks / RATE[self.engine]

    @property
    def memory_bytes(self) -> int:
        """Estimated memory of the quarterly rows, were they all held at once."""
        return self.rows * (len(outcome_columns()) + 5) * BYTES_PER_VALUE

    def describe(self) -> str:
        """The estimate in words."""
        settings = f"{self.settings:,} settings, " if self.settings > 1 else ""
        return (f"{settings}{self.runs:,} runs, {self.member_weeks:,} "
                f"member-weeks, about {_duration(self.seconds)} on one core "
                f"({self.engine} engine)")


def run_workload(config: ScenarioConfig, replications: int, engine: str = "mesa") -> Workload:
    """The work of running one scenario's replications."""
    return Workload(1, replications, replications * config.team.size * config.weeks, engine,
                    replications * config.quarters)


def organisation_workload(organisation: OrganisationConfig, replications: int,
                          engine: str = "mesa") -> Workload:
    """The work of running an organisation's replications (every team's runs; a quarterly
    row per team and for the organisation)."""
    members = sum(team.config.team.size for team in organisation.teams)
    return Workload(1, replications, replications * members * organisation.weeks, engine,
                    replications * organisation.quarters * (len(organisation.teams) + 1))


def design_workload(settings_per_base: int, bases: list[tuple[int, int]], replications: int,
                    engine: str) -> Workload:
    """The work of a sweep: ``settings_per_base`` settings (strategies x design points) of
    each base, given as (largest team size, most quarters) over its settings."""
    settings = settings_per_base * len(bases)
    runs = settings * replications
    member_weeks = sum(settings_per_base * replications * size * quarters * WEEKS_PER_QUARTER
                       for size, quarters in bases)
    rows = sum(settings_per_base * replications * quarters for _, quarters in bases)
    return Workload(settings, runs, member_weeks, engine, rows)


def check_workload(workload: Workload, source: str, key: str,
                   max_work: int | None = None, in_memory: bool = False) -> None:
    """Refuse work above the limit (``max_work`` member-weeks, or the engine's default), and
    rows that would not fit in memory when ``in_memory``; the message names the file and
    the key that sets the size, the estimate and the option that raises the limit."""
    limit = LIMIT[workload.engine] if max_work is None else max_work
    if workload.member_weeks > limit:
        raise ConfigError(source, key, f"too much work: {workload.member_weeks:.3g} member-weeks "
                                       f"(runs x members x weeks), above the limit of "
                                       f"{limit:,} (--max-work raises it); "
                                       f"{workload.describe()}")
    if workload.settings > MAX_SETTINGS:
        raise ConfigError(source, key, f"too many settings: {workload.settings:.3g}, above "
                                       f"the limit of {MAX_SETTINGS:,} a sweep may hold; "
                                       "split the design into several experiments")
    if in_memory and workload.memory_bytes > MAX_MEMORY_BYTES:
        raise ConfigError(source, key, f"asks for {workload.rows:,} quarterly rows, about "
                                       f"{workload.memory_bytes / 1024**3:,.1f} GiB in memory, "
                                       f"above {MAX_MEMORY_BYTES / 1024**3:.0f} GiB (use "
                                       "`teamsim sweep`, which streams to a store)")


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{max(seconds, 1):.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    hours = seconds / 3600
    return f"{hours:,.0f} h" if hours < 48 else f"{hours / 24:,.0f} days"


def product(sizes: list[int]) -> int:
    """The number of combinations of lists of these sizes."""
    return math.prod(sizes) if sizes else 1


def experiment_workload(experiment: ExperimentConfig, engine: str = "batch"
                        ) -> tuple[Workload, str]:
    """The work of an experiment's sweep, and the key that makes it large (to name in a
    refusal), estimated from the file's numbers without building a setting."""
    grid_sizes = [len(values) for _, values in experiment.grid]
    sample_size = experiment.sample.size if experiment.sample is not None else 1
    per_base = product(grid_sizes) * sample_size * max(1, len(experiment.strategies))
    replications = experiment.replications
    if experiment.precision is not None:
        replications = max(replications, experiment.precision.max_replications)
    bases = [(int(_largest(experiment, "team.size", members(base))),
              int(_largest(experiment, "quarters", base.quarters)))
             for base in experiment.base_configs]
    workload = design_workload(per_base, bases, replications, engine)
    size, quarters = max(bases)
    factors = {"grid": product(grid_sizes) / 100, "sample.size": sample_size / 100,
               "replications": replications / 100, "team.size": size / 20,
               "quarters": quarters / 24}
    return workload, max(factors, key=factors.__getitem__)


def _largest(experiment: ExperimentConfig, key: str, base_value: float) -> float:
    """The largest value a setting gives a key: the base's, the grid's or the sample's."""
    values = [base_value]
    values += [value for grid_key, grid_values in experiment.grid if grid_key == key
               for value in grid_values]
    if experiment.sample is not None:
        values += [high for bound_key, _, high in experiment.sample.bounds if bound_key == key]
    return max(values)
