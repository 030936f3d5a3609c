"""What-if comparisons for workshops: configuration A against B (and C and D).

A trainer picks a preset (a shipped scenario), moves a few levers (:mod:`.levers`) for each
configuration, and sees the teams' quarterly output and core states with interval bands,
and each difference from A in words ("B ends 18% higher than A in team output in quarter 12
(95% interval 12% to 24%)"), of a quarter, of the withdrawal or of the whole run
(:class:`~simulation.workshop.sentence.Span`). This module is the engine behind the
browser page (:mod:`simulation.workshop.page`): every configuration runs on the batched
engine under common random numbers (replication k of each meets the same random numbers),
so 30 replications of 12 quarters take well under a second.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import pandas as pd

from simulation.experiments.stats import paired_comparisons, summarise
from simulation.figures.quarters import withdrawn_quarters
from simulation.model import strategies
from simulation.model.config import DEFAULT_SEED, ScenarioConfig
from simulation.model.scenario_files import ConfigError, load_scenario, shipped_scenarios
from simulation.workshop import compute
from simulation.workshop.levers import LABELS, MEASURES, levers_of
from simulation.workshop.sentence import (
    CUMULATIVE,
    OUTCOME,
    PER_MEMBER,
    QUARTER,
    SPANS,
    WITHDRAWAL,
    Span,
    difference_sentence,
)


@dataclass(frozen=True)
class Preset:
    """A shipped scenario as a starting point for a workshop, with its story."""

    name: str
    title: str
    story: str
    config: ScenarioConfig


@lru_cache(maxsize=1)
def presets() -> dict[str, Preset]:
    """Every shipped scenario, by name."""
    found = {}
    for name in shipped_scenarios():
        config = load_scenario(name, strategy_exists=strategies.REGISTRY.__contains__)
        story = " ".join(config.description.split())
        found[name] = Preset(name, config.title or name, story, config)
    return found


def preset_levers(preset: Preset, count: int = 2) -> dict[str, dict[str, Any]]:
    """The first ``count`` configurations' levers back at the preset's (choosing a preset,
    or the page's reset)."""
    return {label: levers_of(preset.config) for label in LABELS[:count]}


def copy_a_to_b(levers: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Every configuration's levers as they are, with B set to A's (A is left as it is)."""
    return {**{label: dict(values) for label, values in levers.items()}, "B": dict(levers["A"])}


def withdrawal_span(configs: tuple[ScenarioConfig, ...]) -> tuple[int, ...]:
    """The quarters in which any of the configurations withdraws the leader's attention
    (within the quarters all of them run)."""
    last = min(config.quarters for config in configs)
    return tuple(sorted({quarter for config in configs for quarter in withdrawn_quarters(config)
                         if quarter <= last}))


def span_of(configs: tuple[ScenarioConfig, ...], kind: str = QUARTER,
            quarter: int | None = None) -> Span:
    """The part of the run a comparison speaks of: a quarter (by default, or past it, the
    last all configurations reach), the withdrawal (ConfigError naming ``span`` if no
    configuration withdraws attention) or every quarter."""
    last = min(config.quarters for config in configs)
    if kind == QUARTER:
        return Span(QUARTER, (last if quarter is None else max(1, min(quarter, last)),))
    if kind == WITHDRAWAL:
        withdrawn = withdrawal_span(configs)
        if not withdrawn:
            raise ConfigError("levers", "span", "no configuration withdraws the leader's "
                                                "attention, so there is no withdrawal to "
                                                "speak of")
        return Span(WITHDRAWAL, withdrawn)
    if kind == CUMULATIVE:
        return Span(CUMULATIVE, tuple(range(1, last + 1)))
    raise ConfigError("levers", "span", f"unknown span {kind!r} (known: {', '.join(SPANS)})")


def over_span(runs: pd.DataFrame, outcome: str, span: Span) -> pd.DataFrame:
    """Each run's outcome over ``span`` as one row dated the span's last quarter: the
    quarter's value, the mean over the withdrawal, or the sum over the whole run."""
    inside = runs[runs["quarter"].isin(span.quarters)]
    if span.kind == QUARTER:
        return inside
    grouped = inside.groupby(["label", "replication"], sort=False)[outcome]
    spanned = grouped.mean() if span.kind == WITHDRAWAL else grouped.sum()
    return spanned.reset_index().assign(quarter=span.last)


LAST_OF_TWELVE = Span(QUARTER, (12,))
"""A comparison's span unless told: the last quarter of a three-year run."""


@dataclass(frozen=True)
class WhatIf:
    """Configuration A against B (and C and D): their runs, and each against A."""

    configs: tuple[ScenarioConfig, ...]
    """The configurations, labelled in order "A", "B", ... (A is the reference)."""
    runs: pd.DataFrame
    """Every configuration's quarterly rows, labelled."""
    differences: pd.DataFrame
    """Each other configuration against A on the outcome over the span, paired (one row
    per configuration, ``other`` naming it): difference, interval, relative difference and
    its interval."""
    seed: int = DEFAULT_SEED
    outcome: str = OUTCOME
    """What the sentence compares: team output, or output per member (by default when the
    team sizes differ)."""
    span: Span = LAST_OF_TWELVE
    """The part of the run the sentence speaks of."""

    @property
    def labels(self) -> tuple[str, ...]:
        """The configurations' labels, in order."""
        return LABELS[:len(self.configs)]

    @property
    def by_label(self) -> dict[str, ScenarioConfig]:
        """The configurations by label."""
        return dict(zip(self.labels, self.configs, strict=True))

    @property
    def a(self) -> ScenarioConfig:
        return self.configs[0]

    @property
    def b(self) -> ScenarioConfig:
        return self.configs[1]

    @property
    def difference(self) -> pd.Series:
        """B against A (the first of :attr:`differences`)."""
        return self.differences.iloc[0]

    @property
    def quarter(self) -> int:
        """The last quarter the sentence speaks of (by default the last all reach)."""
        return self.span.last

    @property
    def replications(self) -> int:
        """Replications of each configuration."""
        return int(self.runs["replication"].nunique())

    @property
    def sentences(self) -> dict[str, str]:
        """Each other configuration against A in words, by label."""
        if len(self.configs) == 2 and self.a == self.b:
            return {"B": "A and B are the same configuration: move a lever of B (or of A) "
                         "to compare."}
        said = {}
        for label, (_, row) in zip(self.labels[1:], self.differences.iterrows(), strict=True):
            if self.by_label[label] == self.a:
                said[label] = (f"{label} is the same configuration as A: move a lever of "
                               f"{label} to compare.")
            else:
                said[label] = difference_sentence(row, self.span, self.outcome, label)
        return said

    @property
    def sentence(self) -> str:
        """The differences in words, for the room."""
        return " ".join(self.sentences.values())

    @cached_property
    def summary(self) -> pd.DataFrame:
        """Per configuration and quarter: the mean of each measure and its 95% interval."""
        return summarise(self.runs, MEASURES, by=("label", "quarter"))

    def table(self) -> pd.DataFrame:
        """The comparison's numbers, tidy: for each configuration and for each minus A
        (paired, replication by replication), every measure in every quarter with its 95%
        interval."""
        rows = []
        for _, row in self.summary.iterrows():
            for measure in MEASURES:
                rows.append({"configuration": row["label"], "quarter": int(row["quarter"]),
                             "measure": measure, "mean": row[measure],
                             "low": row[f"{measure}_low"], "high": row[f"{measure}_high"],
                             "replications": int(row["runs"])})
        quarters = sorted(self.runs["quarter"].unique())
        paired = paired_comparisons(self.runs, MEASURES, quarters, reference="A")
        for _, row in paired.iterrows():
            rows.append({"configuration": f"{row['other']}-A", "quarter": int(row["quarter"]),
                         "measure": row["outcome"], "mean": row["difference"],
                         "low": row["low"], "high": row["high"],
                         "replications": int(row["runs"])})
        table = pd.DataFrame(rows)
        order = {measure: index for index, measure in enumerate(MEASURES)}
        return table.sort_values(["configuration", "measure", "quarter"],
                                 key=lambda column: column.map(order)
                                 if column.name == "measure" else column,
                                 kind="stable").reset_index(drop=True)

    def settings(self) -> dict[str, Any]:
        """What produced the numbers: the preset, the seed, and every lever of each
        configuration (``A_strategy``, ..., ``B_crisis_rate``; an optional lever left unset
        is empty)."""
        levers = {f"{label}_{name}": value for label, config in self.by_label.items()
                  for name, value in levers_of(config).items()}
        return {"preset": self.a.name, "seed": self.seed, **levers}

    def to_csv(self) -> str:
        """:meth:`table` as CSV text, for a spreadsheet or a slide, with the settings
        (:meth:`settings`) as constant columns after the numbers."""
        return self.table().assign(**self.settings()).to_csv(index=False,
                                                             float_format="%.6g")

    def file_name(self, extension: str) -> str:
        """A download's name: the preset and a short digest of the settings, the
        replications and what the sentence speaks of, so two different comparisons never
        share a name."""
        settings = json.dumps({**self.settings(), "replications": self.replications,
                               "span": self.span.kind, "quarters": self.span.quarters,
                               "outcome": self.outcome}, sort_keys=True, default=str)
        digest = hashlib.sha1(settings.encode()).hexdigest()[:8]
        return f"teamsim_whatif_{self.a.name}_{digest}.{extension}"


def compare(a: ScenarioConfig, b: ScenarioConfig, *others: ScenarioConfig,
            replications: int = 30, seed: int = DEFAULT_SEED, quarter: int | None = None,
            span: str = QUARTER, outcome: str | None = None) -> WhatIf:
    """Run every configuration (replication k of each meets the same random numbers) and
    compare each with A over ``span`` (:func:`span_of`: a quarter, by default the last all
    reach; the withdrawal; or the whole run) on ``outcome``: team output, or output per
    member (by default when the team sizes differ)."""
    configs = (a, b, *others)
    if len(configs) > len(LABELS):
        raise ValueError(f"at most {len(LABELS)} configurations, got {len(configs)}")
    spoken = span_of(configs, span, quarter)
    last = min(config.quarters for config in configs)
    frames = [quarterly_runs(config, seed, replications).assign(label=label)
              for label, config in zip(LABELS, configs, strict=False)]
    runs = pd.concat(frames, ignore_index=True)
    runs = runs[runs.quarter <= last].reset_index(drop=True)
    if outcome is None:
        outcome = OUTCOME if len({config.team.size for config in configs}) == 1 else PER_MEMBER
    spanned = over_span(runs, outcome, spoken)
    differences = paired_comparisons(spanned, [outcome], [spoken.last], reference="A")
    return WhatIf(configs, runs, differences, seed, outcome, spoken)


def quarterly_runs(config: ScenarioConfig, seed: int, replications: int) -> pd.DataFrame:
    """A configuration's quarterly rows over its replications (:mod:`.compute`: in worker
    processes, shared between sessions, and kept for the next call: on the page, moving one
    of B's levers leaves A as it was, so only B runs again). The runs are a pure function
    of these arguments, so sharing them is safe, as long as no strategy is registered anew
    under a name already used; do not modify the frame."""
    return compute.quarterly_runs(config, seed, replications)
