"""Experiment files: base scenarios, the strategies compared, the factors varied and how
often, loaded into a typed, frozen ExperimentConfig with one-line errors.

    name = "attention_budget"
    scenarios = ["baseline"]               # shipped names, or paths beside this file
    strategies = ["hands_off", "coach"]    # omit to keep each scenario's own
    replications = 20
    seed = 1
    outcomes = ["team_output", "trust_mean"]
    quarters = [4, 8, 12]
    reference = "hands_off"                # the setting others are compared against

    [grid]                                 # a full factorial over dotted keys
    "leader.attention_hours" = [2, 4, 8, 16]

    [sample]                               # and/or a sampled design over bounds
    method = "latin_hypercube"             # or "sobol"; or "morris" (screening, for
    size = 32                              # teamsim sensitivity: trajectories, levels)
    [sample.bounds]
    "leader.diagnostic_accuracy" = [0.3, 1.0]

    [precision]                            # optional: add replications until precise
    outcome = "team_output"
    quarter = 8
    half_width = 0.05
    max_replications = 200

Like scenario files, experiment files are data, never code.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulation.model.config import (
    DEFAULT_SEED,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_TITLE,
    NAME_PATTERN,
    ScenarioConfig,
    described,
    set_type,
)
from simulation.model.metrics import outcome_columns
from simulation.model.organisation_config import LeaderTable, OrganisationConfig, OrganisationInputs
from simulation.model.organisation_files import (
    is_organisation_file,
    load_organisation,
    organisation_with_overrides,
)
from simulation.model.scenario_files import (
    ConfigError,
    build,
    check_range,
    check_scalar,
    load_scenario,
    read_toml,
    resolve_scenario_path,
    resolve_shipped,
    shipped_files,
    shown,
    with_overrides,
)

Base = ScenarioConfig | OrganisationConfig
"""What an experiment runs: one team's scenario or an organisation of several teams."""

DEFAULT_OUTCOMES: tuple[str, ...] = (
    "team_output", "output_per_member", "headcount", "capability_mean", "motivation_mean",
    "trust_mean", "accountability_mean", "role_clarity_mean", "obstacles_mean",
    "habit_strength_mean", "exhaustion_mean", "psychological_safety", "systems",
    "breaches", "departures",
)
"""Outcomes stored when an experiment does not choose its own."""

SAMPLING_METHODS = ("latin_hypercube", "sobol", "morris")
MORRIS_KEYS = ("trajectories", "levels")
"""The keys only a Morris design takes (and it takes no ``size``)."""


@dataclass(frozen=True)
class SampleConfig:
    """A sampled design: ``size`` points over the ``bounds`` of some dotted keys; or, for
    Morris screening (``teamsim sensitivity``), ``trajectories`` one-at-a-time paths over a
    grid of ``levels`` values per key (Morris 1991)."""

    method: str = described("latin_hypercube", "how points are drawn",
                            choices=SAMPLING_METHODS)
    size: int = described(16, "number of points", 1, 100_000)
    bounds: tuple[tuple[str, float, float], ...] = ()
    trajectories: int = described(10, "Morris trajectories, each of (keys + 1) points",
                                  2, 100_000)
    levels: int = described(4, "Morris grid levels per key, an even number", 2, 1000)


@dataclass(frozen=True)
class PrecisionConfig:
    """Sequential replication: add replications until the interval is narrow enough."""

    outcome: str = described("team_output", "the outcome whose interval must be narrow")
    quarter: int = described(0, "the quarter it is measured at; 0 means the last", 0, 1000)
    half_width: float = described(0.05, "target 95% interval half-width", 1e-12, 1e12)
    max_replications: int = described(
        500, "the most replications a setting may get", 2, 100_000)


@dataclass(frozen=True)
class ExperimentConfig:
    """An experiment: what is compared and varied, over how many replications."""

    name: str = described("experiment", "short name; results go to results/<name>/",
                          pattern=NAME_PATTERN, max_length=MAX_NAME)
    title: str = described("", "one-line title", max_length=MAX_TITLE)
    description: str = described("", "what the experiment asks, in plain words",
                                 max_length=MAX_DESCRIPTION)
    scenarios: tuple[str, ...] = described(("baseline",), "base scenarios")
    strategies: tuple[str, ...] = described((), "strategies compared; empty keeps each "
                                                "scenario's own")
    replications: int = described(20, "replications per setting", 1, 100_000)
    seed: int = described(DEFAULT_SEED, "base seed; replication k is shared by all settings",
                          0, 2**63 - 1)
    outcomes: tuple[str, ...] = described(DEFAULT_OUTCOMES, "outcomes stored and analysed")
    quarters: tuple[int, ...] = described((), "quarters of interest; empty means the last")
    reference: str = described("", "label of the setting others are compared against; "
                                    "empty means the first")
    grid: tuple[tuple[str, tuple[Any, ...]], ...] = ()
    sample: SampleConfig | None = None
    precision: PrecisionConfig | None = None
    base_configs: tuple[Base, ...] = field(default=(), compare=False, repr=False)
    """The loaded base scenarios (or organisations), in the order of ``scenarios``."""
    source: str = ""

    @property
    def factors(self) -> list[str]:
        """The dotted keys the experiment varies, grid first."""
        sampled = [key for key, _, _ in self.sample.bounds] if self.sample else []
        return [key for key, _ in self.grid] + sampled


TOP_KEYS = {f.name for f in dataclasses.fields(ExperimentConfig)} - {"base_configs", "source"}


def shipped_experiments() -> dict[str, Path]:
    """Shipped experiment names mapped to their files."""
    return shipped_files("experiments")


def resolve_experiment_path(name_or_path: str | Path) -> Path:
    """An experiment file path from a path or the name of a shipped experiment."""
    return resolve_shipped(name_or_path, "experiments")


def load_experiment(path: str | Path,
                    strategy_exists: Callable[[str], bool] | None = None) -> ExperimentConfig:
    """Read and validate an experiment file (or a shipped experiment by name)."""
    path = resolve_experiment_path(path)
    source = str(path)
    data = read_toml(path)
    if not data:
        raise ConfigError(source, "", "the file is empty")
    data = {"name": path.stem, **data}
    return parse_experiment(data, source, path.parent, strategy_exists)


def parse_experiment(data: Mapping[str, Any], source: str, folder: Path,
                     strategy_exists: Callable[[str], bool] | None = None) -> ExperimentConfig:
    """Validate an experiment given as a mapping (as parsed from TOML)."""
    for key in data:
        if key not in TOP_KEYS:
            raise ConfigError(source, key, f"unknown key (known: {', '.join(sorted(TOP_KEYS))})")
    plain = {key: data[key] for key in ("name", "title", "description", "replications",
                                        "seed", "reference") if key in data}
    values: dict[str, Any] = {}
    for key, value in plain.items():
        values[key] = _scalar(key, value, source)
    for key in ("scenarios", "strategies", "outcomes"):
        if key in data:
            values[key] = _text_list(key, data[key], source)
    if "quarters" in data:
        values["quarters"] = _int_list("quarters", data["quarters"], source)
    if "sample" in data:
        values["sample"] = _sample(data["sample"], source)
    if "precision" in data:
        values["precision"] = build(PrecisionConfig, data["precision"], source, "precision.")

    scenarios = values.get("scenarios", ExperimentConfig.scenarios)
    if not scenarios:
        raise ConfigError(source, "scenarios", "must name at least one scenario")
    bases = tuple(_load_base(name, folder, source, index, strategy_exists)
                  for index, name in enumerate(scenarios))
    values["base_configs"] = bases
    values["grid"] = _grid(data.get("grid", {}), source, bases[0])
    for index, strategy in enumerate(values.get("strategies", ())):
        if strategy_exists is not None and not strategy_exists(strategy):
            raise ConfigError(source, f"strategies[{index}]", f"unknown strategy {shown(strategy)}")
    if "outcomes" in values and not values["outcomes"]:
        raise ConfigError(source, "outcomes", "must name at least one outcome")
    for index, strategy in enumerate(dict(values["grid"]).get("leader.strategy", ())):
        if strategy_exists is not None and not strategy_exists(strategy):
            raise ConfigError(source, f"grid.leader.strategy[{index}]",
                              f"unknown strategy {shown(strategy)}")
    known = set(outcome_columns())
    for index, outcome in enumerate(values.get("outcomes", ())):
        if outcome not in known:
            raise ConfigError(source, f"outcomes[{index}]", f"unknown outcome {shown(outcome)}")
    horizon = _shortest_run(bases, values["grid"], values.get("sample"))
    for index, quarter in enumerate(values.get("quarters", ())):
        if not 1 <= quarter <= horizon:
            raise ConfigError(source, f"quarters[{index}]",
                              f"must be between 1 and {horizon}, got {quarter}")
    experiment = ExperimentConfig(**values, source=source)
    if experiment.sample is not None:
        for key, low, high in experiment.sample.bounds:
            whole = _key_type(key, source, f"sample.bounds.{key}") is int
            for bound in (low, high):
                value = round(bound) if whole else bound
                _check_override(bases[0], key, value, source, f"sample.bounds.{key}")
    precision = experiment.precision
    if precision is not None:
        if precision.outcome not in experiment.outcomes:
            raise ConfigError(source, "precision.outcome",
                              f"must be one of the experiment's outcomes, got "
                              f"{precision.outcome!r}")
        if precision.quarter > horizon:
            raise ConfigError(source, "precision.quarter",
                              f"must be at most {horizon}, got {precision.quarter}")
    return experiment


def _shortest_run(bases: tuple[Base, ...],
                  grid: tuple[tuple[str, tuple[Any, ...]], ...],
                  sample: SampleConfig | None) -> int:
    """The fewest quarters any setting runs: the base scenarios' own, or fewer where the
    design varies ``quarters`` (a sampled whole number can be as low as its floored low
    bound; a bound below 1 is refused by its own check)."""
    quarters = [base.quarters for base in bases]
    quarters += [value for key, values in grid if key == "quarters" for value in values]
    if sample is not None:
        quarters += [max(1, math.floor(low)) for key, low, _ in sample.bounds
                     if key == "quarters"]
    return min(quarters)


def _load_base(name: str, folder: Path, source: str, index: int,
               strategy_exists: Callable[[str], bool] | None) -> Base:
    beside = folder / name
    try:
        is_beside = beside.suffix == ".toml" and beside.exists()
    except (OSError, ValueError):  # a name too long or with a NUL: reading it says so
        is_beside = False
    target = beside if is_beside else name
    try:
        if is_organisation_file(target):
            return load_organisation(target, strategy_exists)
        return load_scenario(resolve_scenario_path(target), strategy_exists)
    except ConfigError as error:
        raise ConfigError(source, f"scenarios[{index}]", f"{error}") from None


def _scalar(key: str, value: Any, source: str) -> Any:
    spec = {f.name: f for f in dataclasses.fields(ExperimentConfig)}[key]
    hint = typing.get_type_hints(ExperimentConfig)[key]
    checked = check_scalar(hint, value, source, key)
    check_range(spec.metadata, checked, source, key)
    return checked


def _text_list(key: str, value: Any, source: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(source, key, "must be a list of names")
    if len(set(value)) != len(value):
        raise ConfigError(source, key, "names a value twice")
    return tuple(value)


def _int_list(key: str, value: Any, source: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
            isinstance(item, int) and not isinstance(item, bool) for item in value):
        raise ConfigError(source, key, "must be a list of whole numbers")
    return tuple(value)


def _grid(table: Any, source: str, base: Base) -> tuple[tuple[str, tuple[Any, ...]], ...]:
    if not isinstance(table, Mapping):
        raise ConfigError(source, "grid", "must be a table of dotted keys and lists of values")
    grid = []
    for key, values in table.items():
        where = f"grid.{key}"
        if not isinstance(values, list) or not values:
            raise ConfigError(source, where, "must be a non-empty list of values")
        for value in values:
            _check_override(base, key, value, source, where)
        grid.append((key, tuple(values)))
    return tuple(grid)


def _sample(table: Any, source: str) -> SampleConfig:
    if not isinstance(table, Mapping):
        raise ConfigError(source, "sample", "must be a table")
    bounds_table = table.get("bounds", {})
    rest = {key: value for key, value in table.items() if key != "bounds"}
    config = build(SampleConfig, rest, source, "sample.")
    _check_method_keys(config, rest, source)
    if config.method == "sobol" and config.size & (config.size - 1):
        raise ConfigError(source, "sample.size",
                          f"must be a power of 2 for a Sobol sample, got {config.size}")
    if not isinstance(bounds_table, Mapping) or not bounds_table:
        raise ConfigError(source, "sample.bounds", "must be a table of dotted keys with "
                                                   "[low, high] bounds")
    bounds = []
    for key, pair in bounds_table.items():
        where = f"sample.bounds.{key}"
        if (not isinstance(pair, list) or len(pair) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool)
                           for x in pair)):
            raise ConfigError(source, where, "must be [low, high]")
        try:
            low, high = float(pair[0]), float(pair[1])
        except OverflowError:
            raise ConfigError(source, where, "bounds must be numbers of ordinary size") from None
        if not (math.isfinite(low) and math.isfinite(high)):
            raise ConfigError(source, where, f"bounds must be finite, got [{low}, {high}]")
        if not low < high:
            raise ConfigError(source, where, f"low must be below high, got [{low}, {high}]")
        bounds.append((key, low, high))
    return dataclasses.replace(config, bounds=tuple(bounds))


def _check_method_keys(config: SampleConfig, given: Mapping[str, Any], source: str) -> None:
    """A Morris design is sized by trajectories (``size`` means nothing to it), and only a
    Morris design takes trajectories and levels; its levels must be even (an odd grid
    samples its ends unevenly: Morris 1991)."""
    if config.method == "morris":
        if "size" in given:
            raise ConfigError(source, "sample.size", 'a Morris design (method = "morris") '
                                                     "is sized by sample.trajectories, not size")
        if config.levels % 2:
            raise ConfigError(source, "sample.levels",
                              f"must be an even number, got {config.levels}")
        return
    for key in MORRIS_KEYS:
        if key in given:
            raise ConfigError(source, f"sample.{key}", f'only a Morris design (method = '
                                                       f'"morris") takes it, not {config.method!r}')


def _check_override(base: Base, key: str, value: Any, source: str,
                    where: str) -> None:
    """Check that a dotted key exists in a scenario (or organisation) and takes the value."""
    try:
        overridden(base, {key: value}, source)
    except ConfigError as error:
        raise ConfigError(source, where, error.problem) from None


def overridden(base: Base, overrides: Mapping[str, Any], source: str) -> Base:
    """A copy of a base with dotted keys replaced (checked as its file's would be)."""
    if isinstance(base, OrganisationConfig):
        return organisation_with_overrides(base, overrides, source)
    return with_overrides(base, overrides, source)


def _key_type(key: str, source: str, where: str) -> type:
    try:
        return key_type(key)
    except (KeyError, TypeError):
        raise ConfigError(source, where, "unknown key") from None


def key_type(key: str) -> type:
    """The Python type a dotted scenario key takes (int, float, str or bool; an optional
    key, such as ``leader.deputy_share``, the type it takes when set); an organisation's
    keys (``organisation.X``, ``teams.NAME.X``, ``leaders.NAME.X``) too."""
    cls: Any = ScenarioConfig
    parts = key.split(".")
    if parts[0] == "organisation":
        cls, parts = OrganisationInputs, parts[1:]
    elif parts[0] == "teams" and len(parts) > 2:
        if parts[2:] == ["share"]:
            return float
        parts = parts[2:]
    elif parts[0] == "leaders" and len(parts) > 2:
        if parts[2] in LeaderTable.__dataclass_fields__:
            return set_type(typing.get_type_hints(LeaderTable)[parts[2]])
        parts = ["leader", *parts[2:]]
    for part in parts[:-1]:
        cls = typing.get_type_hints(cls)[part]
    return set_type(typing.get_type_hints(cls)[parts[-1]])
