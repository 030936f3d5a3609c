"""Tables and figures from a results store, without re-running anything.

``write_report(folder)`` reads the store an experiment's sweep wrote and (re)writes beside
it: ``manifest.json`` (what the sweep ran: the experiment file, the settings, seeds,
package versions, git revision), ``summary.csv`` (mean and 95% interval per setting and
quarter), ``comparisons.csv`` (every setting against the reference, paired under common
random numbers, with effect sizes and Holm-corrected p-values), ``runs.csv`` (and
``runs.parquet`` with pyarrow), the figures that fit the design, and ``report.md`` tying
them together.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

from simulation.experiments.effects import (
    factor_columns,
    heatmap_cells,
    one_at_a_time_effects,
    trajectory_table,
)
from simulation.experiments.stats import paired_comparisons, summarise
from simulation.experiments.store import ResultsStore, export, load_runs
from simulation.figures import (
    difference_figure,
    heatmap_figure,
    outcome_title,
    tornado_figure,
    trajectory_figure,
)

TRAJECTORY_PANELS = 4
"""The trajectories figure shows the experiment's first outcomes, in the file's order (so an
experiment puts the outcomes its story is about first)."""
MAX_LINES = 12
"""More settings than this make trajectory and difference plots unreadable: the report
then relies on the heatmap and the tables."""


@dataclass(frozen=True)
class Report:
    """What a report found and wrote."""

    folder: Path
    runs: pd.DataFrame
    summary: pd.DataFrame
    comparisons: pd.DataFrame
    reference: str
    quarters: list[int]
    headline_outcome: str
    written: list[Path]
    failures: pd.DataFrame


def write_report(folder: str | Path, dpi: int = 110) -> Report:
    """Regenerate every table and figure of a results folder from its store."""
    folder = Path(folder)
    with ResultsStore.open(folder) as store:
        manifest = store.manifest()
        outcomes = list(store.outcomes)
        failures = store.failures()
    runs = load_runs(folder)
    if runs.empty:
        raise ValueError(f"{folder}: the store holds no finished runs")
    labels = list(dict.fromkeys(runs["label"]))
    quarters = list(manifest.get("quarters") or []) or [int(runs["quarter"].max())]
    reference = manifest.get("reference") or labels[0]
    if reference not in labels:
        reference = labels[0]
    headline = "team_output" if "team_output" in outcomes else outcomes[0]

    summary = summarise(runs, outcomes, by=["setting", "label", "quarter"])
    comparisons = (paired_comparisons(runs, outcomes, quarters, reference)
                   if len(labels) > 1 else pd.DataFrame())
    written = export(runs, folder)
    manifest_path = folder / "manifest.json"
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    written.append(manifest_path)
    summary_path, comparisons_path = folder / "summary.csv", folder / "comparisons.csv"
    summary.to_csv(summary_path, index=False)
    written.append(summary_path)
    if not comparisons.empty:
        comparisons.to_csv(comparisons_path, index=False)
        written.append(comparisons_path)

    title = manifest.get("title") or manifest.get("experiment", folder.name)
    figures = design_figures(runs, comparisons, outcomes, quarters, headline, str(title),
                             manifest.get("factors") or [])
    for name, figure in figures.items():
        path = folder / f"{name}.png"
        figure.savefig(path, dpi=dpi)
        written.append(path)
    report = Report(folder, runs, summary, comparisons, reference, quarters, headline,
                    written, failures)
    markdown = folder / "report.md"
    markdown.write_text(report_markdown(report, manifest, sorted(figures)), encoding="utf-8")
    written.append(markdown)
    return report


def design_figures(runs: pd.DataFrame, comparisons: pd.DataFrame, outcomes: Sequence[str],
                   quarters: Sequence[int], headline: str, title: str,
                   factor_order: Sequence[str] = ()) -> dict[str, Figure]:
    """The figures that suit the experiment's design; the heatmap shows the first two
    factors that vary, in the experiment file's order."""
    labels = runs["label"].nunique()
    figures: dict[str, Figure] = {}
    shown = list(outcomes[:TRAJECTORY_PANELS])
    if labels <= MAX_LINES:
        figures["trajectories"] = trajectory_figure(trajectory_table(runs, shown), shown, title)
        if not comparisons.empty:
            figures["differences"] = difference_figure(comparisons, headline, title)
    columns = factor_columns(runs)
    ordered = [f for f in factor_order if f in columns] + [
        f for f in columns if f not in factor_order]
    varying = [f for f in ordered
               if runs[f].nunique() > 1 and pd.api.types.is_numeric_dtype(runs[f])]
    last = max(quarters)
    if len(varying) >= 2:
        cells = heatmap_cells(runs, varying[0], varying[1], headline, last)
        figures["heatmap"] = heatmap_figure(cells, varying[0], varying[1], headline, last, title)
    elif len(varying) == 1 and runs["strategy"].nunique() > 1:
        coded = runs.assign(strategy_code=runs["strategy"].map(
            {name: i for i, name in enumerate(dict.fromkeys(runs["strategy"]))}))
        figures["heatmap"] = _strategy_heatmap(coded, varying[0], headline, last, title)
    if len(varying) >= 2 and runs["strategy"].nunique() == 1 and is_full_grid(runs, varying):
        effects = one_at_a_time_effects(runs, varying, headline, last)
        figures["tornado"] = tornado_figure(effects, headline, last, title)
    return figures


def is_full_grid(runs: pd.DataFrame, factors: Sequence[str]) -> bool:
    """Whether the runs hold every combination of the factors' values (a factorial grid,
    not a sample), which a one-at-a-time (tornado) chart needs."""
    combinations = len(runs[list(factors)].drop_duplicates())
    expected = 1
    for factor in factors:
        expected *= runs[factor].nunique()
    return combinations == expected


def _strategy_heatmap(runs: pd.DataFrame, factor: str, outcome: str, quarter: int,
                      title: str) -> Figure:
    """A heatmap of one numeric factor against the strategies, with strategy names."""
    cells = heatmap_cells(runs, factor, "strategy_code", outcome, quarter)
    figure = heatmap_figure(cells, factor, "strategy_code", outcome, quarter, title)
    axis = figure.axes[0]
    names = list(dict.fromkeys(runs["strategy"]))
    axis.set_yticks(range(len(names)), names)
    axis.set_ylabel("strategy")
    return figure


def shown_path(source: str) -> str:
    """A file's path as a report shows it: relative to the working directory when it lies
    inside it (a committed report then names ``experiments/x.toml``, not one machine's
    checkout), else as given."""
    path = Path(source)
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return source


def report_markdown(report: Report, manifest: dict[str, Any], figures: Sequence[str]) -> str:
    """report.md: what was run, the headline table, the comparisons, the figures."""
    runs = report.runs
    lines = [f"# {manifest.get('title') or manifest.get('experiment')}", ""]
    if manifest.get("source"):
        lines += [f"Experiment file: `{shown_path(manifest['source'])}`; "
                  f"seed {manifest.get('seed')}; "
                  f"{runs['label'].nunique()} settings; "
                  f"{runs.groupby('label')['replication'].nunique().min()} or more "
                  "replications each (common random numbers).", ""]
    lines += [f"## {outcome_title(report.headline_outcome)} by setting", "",
              "Mean over replications with its 95% interval.", ""]
    lines += headline_table(report)
    if not report.comparisons.empty:
        lines += ["", f"## Against {report.reference}", "",
                  "Paired differences under common random numbers; d_z is the mean paired "
                  "difference over its standard deviation; p is Holm-corrected over every "
                  "comparison in comparisons.csv.", ""]
        lines += comparison_table(report)
    if not report.failures.empty:
        lines += ["", "## Failed runs", "", f"{len(report.failures)} runs failed; the "
                  "first errors:", ""]
        for _, row in report.failures.head(5).iterrows():
            lines.append(f"- {row['label']}, replication {row['replication']}: {row['error']}")
    if figures:
        lines += ["", "## Figures", ""] + [f"![{name}]({name}.png)" for name in figures]
    return "\n".join(lines) + "\n"


def headline_table(report: Report) -> list[str]:
    """Markdown rows: each setting's headline outcome at each quarter of interest."""
    outcome = report.headline_outcome
    header = "| setting | " + " | ".join(f"quarter {q}" for q in report.quarters) + " |"
    lines = [header, "|---" * (len(report.quarters) + 1) + "|"]
    summary = report.summary
    for label in dict.fromkeys(summary["label"]):
        cells = []
        for quarter in report.quarters:
            row = summary[(summary.label == label) & (summary.quarter == quarter)].iloc[0]
            cells.append(f"{row[outcome]:.3f} [{row[outcome + '_low']:.3f}, "
                         f"{row[outcome + '_high']:.3f}]")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def comparison_table(report: Report) -> list[str]:
    """Markdown rows: the headline outcome's paired differences at the last quarter."""
    last = max(report.quarters)
    rows = report.comparisons[(report.comparisons.outcome == report.headline_outcome)
                              & (report.comparisons.quarter == last)]
    lines = [f"| setting | difference in quarter {last} | relative | d_z | p (Holm) |",
             "|---|---|---|---|---|"]
    for _, row in rows.iterrows():
        lines.append(
            f"| {row['other']} | {row['difference']:+.3f} [{row['low']:+.3f}, "
            f"{row['high']:+.3f}] | {100 * row['relative']:+.0f}% "
            f"[{100 * row['relative_low']:+.0f}%, {100 * row['relative_high']:+.0f}%] | "
            f"{row['d_z']:.2f} | {_p(row['p_holm'])} |")
    return lines


def _p(value: float) -> str:
    if pd.isna(value):
        return "n/a"
    return "< 0.001" if value < 0.001 else f"{value:.3f}"
