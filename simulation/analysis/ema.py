"""The EMA Workbench on TeamSim: an exploratory model whose uncertainties and levers are
scenario keys, with their ranges read from the keys' declared ranges.

    from simulation.analysis.ema import (design_inputs, discover_box, ema_model,
                                         seeded_design, workbench)

    model = ema_model("attention_withdrawn", fixed={"quarters": 8},
                      uncertainties={"environment.turnover_rate": None, "team.size": (5, 12)},
                      levers={"leader.systems_share": (0, 0.5),
                              "leader.strategy": ["coach", "situational"]},
                      outcomes=["team_output"], quarters=[8], replications=4, seed=7)
    with seeded_design(7):                         # EMA's Latin hypercube, reproducible
        experiments, outcomes = workbench().perform_experiments(model, scenarios=20,
                                                                policies=4)
    box = discover_box(design_inputs(experiments, model), outcomes["team_output_q8"] < 2.4)

A factor is a scalar scenario key, dotted or as a keyword (``leader__systems_share``, its
EMA name): ``None`` takes its declared range (:func:`declared_range`; a Real, Integer or
Categorical parameter), ``(low, high)`` or a list of categories narrows it; anything else is
a one-line :class:`~simulation.ConfigError` naming the key. Each experiment is the mean of
replications ``0 .. replications - 1`` on the batched engine (:func:`simulation.simulate`)
under one seed (common random numbers: the same seed, the same numbers). An outcome is an
``ArrayOutcome`` over the quarters and a ``ScalarOutcome`` ``NAME_qQ`` per quarter asked
for; a derived outcome is a function of the experiment's tidy table and its scenario. The
workbench is an extra (``pip install teamsim[ema]``), imported on first use.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import math
import typing
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from simulation.experiments.simulate import IDENTITY_COLUMNS, scenario_with, simulate
from simulation.model.config import ScenarioConfig, set_type
from simulation.model.metrics import outcome_columns
from simulation.model.scenario_files import (
    KEYWORD_SEPARATOR,
    ConfigError,
    shown,
    with_overrides,
)
from simulation.model.strategies import REGISTRY, StrategyRegistry

if TYPE_CHECKING:
    from ema_workbench import Model
    from ema_workbench.analysis.prim import PrimBox

SOURCE = "ema"
"""What a ConfigError of the adapter names as its source."""

NOT_FACTORS: dict[str, str] = {
    "quarters": "fixes the length of the per-quarter outcomes: set it in `fixed`",
    "seed": "is the adapter's `seed` argument, the same for every experiment",
    "replications": "is the adapter's `replications` argument",
}
"""Scalar scenario keys that cannot be an uncertainty or a lever, and why."""

FactorRange = tuple[float, float] | Sequence[Any] | None
"""``None`` (the declared range), ``(low, high)`` or a list of categories."""
Factors = Mapping[str, FactorRange] | Sequence[str]
"""Scenario keys with their ranges, or only the keys (each with its declared range)."""
DerivedOutcome = Callable[[pd.DataFrame, ScenarioConfig], float]
"""A derived outcome: a number from an experiment's tidy quarterly table (every
replication and quarter, as :func:`simulation.simulate` returns it) and its scenario."""


def workbench() -> ModuleType:
    """The ema_workbench package, imported without its notice that ipyparallel is missing
    (import it through this, or after :func:`ema_model`, where warnings are errors)."""
    try:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "ipyparallel not installed", UserWarning)
            import ema_workbench
    except ImportError:
        raise ImportError("simulation.analysis.ema needs the EMA Workbench: "
                          "pip install teamsim[ema]") from None
    return ema_workbench


@dataclass(frozen=True)
class DeclaredRange:
    """The values a scenario key may take: its categories (if it has them) or a closed
    range of numbers."""

    key: str
    """The dotted key."""
    kind: type
    """What a value is: float, int, bool or str."""
    low: float = math.nan
    high: float = math.nan
    categories: tuple[Any, ...] = ()
    meaning: str = ""

    @property
    def name(self) -> str:
        """The key's name in the workbench (keyword spelling)."""
        return self.key.replace(".", KEYWORD_SEPARATOR)

    def narrowed(self, wanted: FactorRange) -> DeclaredRange:
        """This range narrowed to ``wanted``: ``(low, high)`` inside it, or two or more of
        its categories; ``None`` keeps it whole."""
        sequence = isinstance(wanted, Sequence) and not isinstance(wanted, str | bytes)
        if wanted is None:
            return self
        if self.categories:
            if not sequence:
                raise self.error(f"takes a list of categories, not {shown(wanted)}")
            unknown = [value for value in wanted if value not in self.categories]
            if unknown:
                raise self.error(f"{shown(unknown[0])} is not one of its categories "
                                 f"{shown(list(self.categories), 90)}")
            if len(set(wanted)) < 2 or len(set(wanted)) != len(wanted):
                raise self.error("needs two or more different categories")
            return dataclasses.replace(self, categories=tuple(wanted))
        if not sequence or len(wanted) != 2 or not all(map(_is_number, wanted)):
            raise self.error(f"takes (low, high), not {shown(wanted)}")
        low, high = float(wanted[0]), float(wanted[1])
        if self.kind is int and not (low.is_integer() and high.is_integer()):
            raise self.error(f"takes whole numbers, not {shown(wanted)}")
        if not low < high:
            raise self.error(f"range {shown(wanted)} must have low < high")
        if low < self.low or high > self.high:
            raise self.error(f"range {shown(wanted)} is outside the declared range "
                             f"[{self.low:g}, {self.high:g}]")
        return dataclasses.replace(self, low=low, high=high)

    def error(self, problem: str) -> ConfigError:
        """A one-line error naming the key."""
        return ConfigError(SOURCE, self.key, problem)

    def parameter(self) -> Any:
        """The workbench parameter: Real, Integer or Categorical."""
        ema = workbench()
        if self.categories:
            return ema.CategoricalParameter(self.name, list(self.categories))
        if self.kind is int:
            return ema.IntegerParameter(self.name, int(self.low), int(self.high))
        return ema.RealParameter(self.name, self.low, self.high)

    def value_of(self, sampled: Any) -> Any:
        """A sampled value (a numpy number, a category) as the scenario key takes it."""
        return bool(sampled) if self.kind is bool else self.kind(sampled)


def declared_range(key: str, registry: StrategyRegistry = REGISTRY) -> DeclaredRange:
    """The declared range of a scalar scenario key (``team.size``, ``leader.strategy``,
    ``parameters.embed_rate``; dotted or keyword spelling): its field's ``low`` and
    ``high``, its ``choices``, true and false, or the registry's strategies."""
    dotted = key.replace(KEYWORD_SEPARATOR, ".")
    if dotted in NOT_FACTORS:
        raise ConfigError(SOURCE, dotted, NOT_FACTORS[dotted])
    field, kind = _field_of(dotted)
    meta, meaning = field.metadata, str(field.metadata.get("doc", ""))
    if dataclasses.is_dataclass(kind):
        raise ConfigError(SOURCE, dotted, "is a table: name one of its keys")
    if typing.get_origin(kind) is tuple:
        raise ConfigError(SOURCE, dotted, "is a list, not one value: vary a scalar key")
    if kind is bool:
        return DeclaredRange(dotted, bool, categories=(False, True), meaning=meaning)
    if kind is str:
        categories = (registry.names() if meta.get("kind") == "strategy"
                      else meta.get("choices"))
        if not categories:
            raise ConfigError(SOURCE, dotted, "is free text, not a factor")
        return DeclaredRange(dotted, str, categories=tuple(categories), meaning=meaning)
    if meta.get("low") is None or meta.get("high") is None:
        raise ConfigError(SOURCE, dotted, "declares no closed range to sample")
    return DeclaredRange(dotted, kind, float(meta["low"]), float(meta["high"]),
                         meaning=meaning)


def _field_of(dotted: str) -> tuple[dataclasses.Field[Any], Any]:
    """The configuration field a dotted key names, and the type it takes when set."""
    table: Any = ScenarioConfig
    parts = dotted.split(".")
    for depth, part in enumerate(parts):
        known = ({field.name: field for field in dataclasses.fields(table)}
                 if dataclasses.is_dataclass(table) else {})
        if part not in known:
            close = difflib.get_close_matches(part, list(known), n=1)
            hint = f" (did you mean {'.'.join([*parts[:depth], close[0]])!r}?)" if close else ""
            raise ConfigError(SOURCE, dotted, "unknown key" + hint)
        table = set_type(typing.get_type_hints(table)[part])
    return known[part], table


def quarter_means(frame: pd.DataFrame) -> pd.DataFrame:
    """A tidy quarterly table's outcomes averaged over its replications: one row per
    quarter, indexed by quarter (1, 2, ...)."""
    columns = [name for name in frame.columns if name not in IDENTITY_COLUMNS]
    return frame.groupby("quarter", sort=True)[columns].mean()


@dataclass(frozen=True)
class ScenarioRunner:
    """What the workbench calls once per experiment: the factors' sampled values in (by
    their EMA names), the outcomes out, each the mean over the replications."""

    config: ScenarioConfig
    factors: tuple[DeclaredRange, ...]
    outcomes: tuple[str, ...]
    quarters: tuple[int, ...]
    derived: tuple[tuple[str, DerivedOutcome], ...]
    replications: int
    seed: int
    registry: StrategyRegistry = REGISTRY

    def configure(self, values: Mapping[str, Any]) -> ScenarioConfig:
        """The scenario with the sampled values set (checked as a file's keys are)."""
        by_name = {factor.name: factor for factor in self.factors}
        unknown = [name for name in values if name not in by_name]
        if unknown:
            raise ConfigError(SOURCE, unknown[0], "is not a factor of this model")
        return with_overrides(self.config, {by_name[name].key: by_name[name].value_of(value)
                                            for name, value in values.items()}, SOURCE)

    def measure(self, frame: pd.DataFrame, config: ScenarioConfig) -> dict[str, Any]:
        """The outcomes of an experiment's tidy table: each outcome per quarter (an array
        over quarters, and a number for each of ``quarters``), then the derived ones."""
        means = quarter_means(frame)
        measured: dict[str, Any] = {name: means[name].to_numpy(dtype=float)
                                    for name in self.outcomes}
        measured |= {f"{name}_q{quarter}": float(means.at[quarter, name])
                     for name in self.outcomes for quarter in self.quarters}
        measured |= {name: float(function(frame, config)) for name, function in self.derived}
        return measured

    def __call__(self, **values: Any) -> dict[str, Any]:
        """Run one experiment."""
        config = self.configure(values)
        return self.measure(simulate(config, replications=self.replications, seed=self.seed,
                                     registry=self.registry), config)


def ema_model(scenario: ScenarioConfig | str | Path, *, uncertainties: Factors = (),
              levers: Factors = (), outcomes: Sequence[str] = ("team_output",),
              quarters: Sequence[int] = (), derived: Mapping[str, DerivedOutcome] | None = None,
              replications: int = 4, seed: int | None = None,
              fixed: Mapping[str, Any] | None = None,
              registry: StrategyRegistry = REGISTRY) -> Model:
    """An ``ema_workbench.Model`` of a scenario (a configuration, a file or a shipped name).

    Args:
        scenario: the base scenario; ``fixed`` keys (dotted or keyword) are set on it first.
        uncertainties, levers: scenario keys, each with ``None`` (its declared range),
            ``(low, high)`` or a list of categories (or only the keys).
        outcomes: outcome columns (:func:`simulation.model.metrics.outcome_columns`), each an
            ``ArrayOutcome`` over the quarters, and a ``ScalarOutcome`` ``NAME_qQ`` for each
            of ``quarters``.
        derived: more ``ScalarOutcome``s by name, each a :data:`DerivedOutcome`.
        replications: runs per experiment (replications 0 .. replications - 1); outcomes
            are means over them.
        seed: the base seed of every experiment (the scenario's own if None).
        registry: where ``leader.strategy`` is looked up (and its categories come from).
    """
    ema = workbench()
    config = scenario_with(scenario, fixed or {}, SOURCE)
    chosen = {"uncertainty": _factors(uncertainties, registry),
              "lever": _factors(levers, registry)}
    both = set(chosen["uncertainty"]) & set(chosen["lever"])
    if both:
        raise ConfigError(SOURCE, sorted(both)[0], "is both an uncertainty and a lever")
    for factor in [*chosen["uncertainty"].values(), *chosen["lever"].values()]:
        for value in factor.categories or (factor.low, factor.high):  # within the horizon?
            with_overrides(config, {factor.key: factor.value_of(value)}, SOURCE)
    derived = dict(derived or {})
    runner = ScenarioRunner(
        config, (*chosen["uncertainty"].values(), *chosen["lever"].values()),
        _outcomes(outcomes), tuple(_whole(q, "quarters", 1, config.quarters) for q in quarters),
        tuple(derived.items()), _whole(replications, "replications", 1, 100_000),
        config.seed if seed is None else int(seed), registry)
    model = ema.Model("".join(char for char in config.name if char.isalnum()) or "teamsim",
                      function=runner)
    model.uncertainties = [factor.parameter() for factor in chosen["uncertainty"].values()]
    model.levers = [factor.parameter() for factor in chosen["lever"].values()]
    scalars = [*(f"{name}_q{q}" for name in runner.outcomes for q in runner.quarters), *derived]
    _check_outcome_names(scalars, runner)
    model.outcomes = [
        *(ema.ArrayOutcome(name, shape=(config.quarters,), dtype=float)
          for name in runner.outcomes),
        *(ema.ScalarOutcome(name) for name in scalars)]
    return model


def _factors(factors: Factors, registry: StrategyRegistry) -> dict[str, DeclaredRange]:
    """Factors by dotted key, each its declared range narrowed as asked."""
    wanted: Mapping[str, FactorRange] = (
        factors if isinstance(factors, Mapping) else dict.fromkeys(factors))
    chosen: dict[str, DeclaredRange] = {}
    for key, spec in wanted.items():
        factor = declared_range(key, registry).narrowed(spec)
        if factor.key in chosen:
            raise ConfigError(SOURCE, factor.key, "is named twice")
        chosen[factor.key] = factor
    return chosen


def _outcomes(names: Sequence[str]) -> tuple[str, ...]:
    """Outcome columns, each one the model reports."""
    for name in names:
        if name not in (known := outcome_columns()):
            close = difflib.get_close_matches(name, known, n=1)
            raise ConfigError(SOURCE, name, "unknown outcome" + (
                f" (did you mean {close[0]!r}?)" if close else ""))
    return tuple(names)


def _whole(value: Any, key: str, low: int, high: int) -> int:
    """A whole number from ``low`` to ``high`` (a quarter, a count of replications)."""
    if not _is_number(value) or not float(value).is_integer() or not low <= value <= high:
        raise ConfigError(SOURCE, key, f"{shown(value)} is not a whole number from {low} to "
                                       f"{high}")
    return int(value)


def _check_outcome_names(scalars: Sequence[str], runner: ScenarioRunner) -> None:
    """Scalar outcome names: identifiers, not given twice, not an array's or a factor's."""
    taken = {*runner.outcomes, *(factor.name for factor in runner.factors)}
    for name in scalars:
        if not name.isidentifier() or name in taken:
            raise ConfigError(SOURCE, name, "an outcome's name must be a Python identifier "
                                            "that no other outcome or factor has")
        taken.add(name)


@contextlib.contextmanager
def seeded_design(seed: int) -> Iterator[None]:
    """The workbench's samplers (its Latin hypercube among them) draw from numpy's global
    generator: inside this block it is seeded with ``seed``, so the same seed gives the same
    design; afterwards its state is as it was. TeamSim's runs never use it."""
    state = np.random.get_state()  # noqa: NPY002 (the workbench's generator, not ours)
    np.random.seed(seed % 2**32)  # noqa: NPY002
    try:
        yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


def design_inputs(experiments: pd.DataFrame, model: Model) -> pd.DataFrame:
    """The columns of ``perform_experiments``'s experiments that are the model's
    uncertainties and levers (its bookkeeping columns, model, policy and scenario, left
    out), for PRIM and feature scoring."""
    names = [parameter.name for parameter in [*model.uncertainties, *model.levers]]
    return experiments[[name for name in names if name in experiments.columns]]


def discover_box(inputs: pd.DataFrame, of_interest: np.ndarray, *, threshold: float = 0.8,
                 peel_alpha: float = 0.05, mass_min: float = 0.05) -> PrimBox:
    """PRIM (Friedman & Fisher 1999; scenario discovery: Bryant & Lempert 2010): the first
    box of the cases of interest (a boolean per experiment) from the workbench's
    ``prim.Prim``; ``box.prim.find_box()`` finds the next. The workbench (2.5.3) predates
    pandas 3: whole-number factors reach it as floats (its pasting writes limits such as 4.5
    into the box's table, which pandas 3 refuses for an integer column), and its own
    deprecation warnings are silenced, only those."""
    workbench()
    from ema_workbench.analysis import prim

    whole = inputs.select_dtypes(include="integer").columns
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning,
                                module=r"ema_workbench\.")
        search = prim.Prim(inputs.astype(dict.fromkeys(whole, float)),
                           np.asarray(of_interest, dtype=bool), threshold=threshold,
                           peel_alpha=peel_alpha, mass_min=mass_min)
        return search.find_box()


def box_limits(box: PrimBox, step: int = -1) -> pd.DataFrame:
    """The factors a PRIM box restricts at a point of its peeling trajectory (-1: the last,
    the box ``find_box`` returns): one row each, ``low`` and ``high`` (numbers) or
    ``categories``, and ``qp``, the quasi-p value of the restriction (Bryant & Lempert
    2010; the larger of its two sides). The workbench's own table needs pandas 2."""
    chosen, rows = box.box_lims[step], []
    for name, sides in box.qp[step].items():
        inside = (chosen[name].iloc[0], chosen[name].iloc[1])
        rows.append({"factor": name, "low": np.nan, "high": np.nan, "qp": max(sides),
                     "categories": ", ".join(sorted(map(str, inside[0])))}
                    if isinstance(inside[0], set) else
                    {"factor": name, "low": float(inside[0]), "high": float(inside[1]),
                     "categories": "", "qp": max(sides)})
    return pd.DataFrame(rows, columns=["factor", "low", "high", "categories", "qp"])


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) \
        and not isinstance(value, bool | np.bool_)

