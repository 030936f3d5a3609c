"""`teamsim compare`: two or more strategies on one scenario, or two or more scenarios,
run under common random numbers and compared with statistics."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from simulation.experiments.experiment_files import ExperimentConfig, parse_experiment
from simulation.model.scenario_files import resolve_scenario_path, shown

COMPARED_OUTCOMES = ("team_output", "capability_mean", "motivation_mean", "trust_mean",
                     "accountability_mean", "psychological_safety", "breaches", "departures")


def comparison_experiment(names: Sequence[str], scenario: str, replications: int, seed: int,
                          quarters: Sequence[int],
                          is_strategy: Callable[[str], bool]) -> ExperimentConfig:
    """An experiment comparing ``names``: strategies on ``scenario`` when every name is a
    registered strategy (and not a scenario file), else scenarios. The first is the
    reference."""
    if len(names) < 2:
        raise ValueError("compare needs at least two strategies or scenarios")
    named = [is_strategy(name) and not Path(name).suffix == ".toml" for name in names]
    strategies = all(named)
    if any(named) and not strategies:  # a mix: the others are misspelt strategies or files
        for name, known in zip(names, named, strict=True):
            if not known and not resolve_scenario_path(name).is_file():
                raise ValueError(f"{shown(name)}: neither a registered strategy (see "
                                 "`teamsim list`) nor a scenario file")
    stems = [Path(name).stem for name in names]
    data: dict[str, object] = {
        "name": "compare_" + "_vs_".join(stems if not strategies else names),
        "title": ("Compared on " + Path(scenario).stem if strategies
                  else "Compared: " + ", ".join(stems)),
        "replications": replications,
        "seed": seed,
        "outcomes": list(COMPARED_OUTCOMES),
    }
    if strategies:
        data |= {"scenarios": [scenario], "strategies": list(names), "reference": names[0]}
    else:
        data |= {"scenarios": [str(resolve_scenario_path(name)) for name in names]}
    if quarters:
        data["quarters"] = list(quarters)  # checked against the horizon by the parser
    experiment = parse_experiment(data, "compare", Path.cwd(), is_strategy)
    if not quarters:
        horizon = min(base.quarters for base in experiment.base_configs)
        experiment = dataclasses.replace(experiment,
                                         quarters=(*range(4, horizon, 4), horizon))
    if not strategies:
        labels = [base.name for base in experiment.base_configs]
        if len(set(labels)) != len(labels):
            raise ValueError("the scenarios compared must have different names")
        experiment = dataclasses.replace(experiment, reference=labels[0])
    return experiment


def difference_table(comparisons: pd.DataFrame) -> str:
    """The comparisons as a text table: difference with interval, relative, d, d_z, p."""
    header = (f"{'outcome':<22} {'quarter':>7}  {'setting':<24} {'difference [95% interval]':>30}"
              f"  {'relative':>9}  {'d':>6}  {'d_z':>6}  {'p (Holm)':>8}")
    lines = [header, "-" * len(header)]
    for _, row in comparisons.iterrows():
        interval = f"{row['difference']:+.3f} [{row['low']:+.3f}, {row['high']:+.3f}]"
        relative = "" if pd.isna(row["relative"]) else f"{100 * row['relative']:+.1f}%"
        p = row["p_holm"]
        p_text = "n/a" if pd.isna(p) else ("<0.001" if p < 0.001 else f"{p:.3f}")
        lines.append(f"{row['outcome']:<22} {int(row['quarter']):>7}  {row['other']:<24} "
                     f"{interval:>30}  {relative:>9}  {row['cohens_d']:>6.2f}  "
                     f"{row['d_z']:>6.2f}  {p_text:>8}")
    return "\n".join(lines)
