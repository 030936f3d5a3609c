"""`teamsim reproduce`: run the headline experiments and rewrite the headline results.

Each experiment is swept into ``results/<experiment>/`` from scratch, its report (tables,
figures, report.md) is written, and ``results/README.md`` gathers the headline findings
with their intervals.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

from simulation import __version__
from simulation.experiments.experiment_files import load_experiment, shipped_experiments
from simulation.experiments.progress import announce
from simulation.experiments.publishing import git_revision
from simulation.experiments.report import Report, headline_table, write_report
from simulation.experiments.store import STORE_FILE
from simulation.experiments.sweep import SweepSummary, sweep
from simulation.figures import outcome_title
from simulation.model.strategies import REGISTRY

logger = logging.getLogger(__name__)

FIGURE_ORDER = ("heatmap", "trajectories", "differences", "tornado")
HEADLINE_ORDER = ("strategy_comparison", "withdrawal_timing", "marginal_gains_vs_big_push",
                  "misdiagnosis_cost", "attention_budget", "team_contagion", "after_blame",
                  "conflict_pressure", "loafing", "exhausted_leader", "leader_who_learns")
"""The order of results/README.md: the broadest question first."""


def headline_rank(name: str) -> tuple[int, str]:
    """Sort key: the headline experiments in their order, any others after by name."""
    rank = HEADLINE_ORDER.index(name) if name in HEADLINE_ORDER else len(HEADLINE_ORDER)
    return rank, name


def reproduce(results: Path, workers: int | None = None, names: Sequence[str] = (),
              show_progress: bool = True) -> list[tuple[SweepSummary, Report]]:
    """Sweep the headline experiments (or the shipped ``names``) and write
    results/README.md; each sweep's progress on standard error (``show_progress``) says,
    once its runs are done, that its report is being written."""
    shipped = shipped_experiments()
    chosen = list(names) or [name for name in HEADLINE_ORDER if name in shipped]
    unknown = [name for name in chosen if name not in shipped]
    if unknown:
        raise ValueError(f"unknown experiment {unknown[0]!r} (shipped: {', '.join(shipped)})")
    done = []
    for number, name in enumerate(chosen, 1):
        logger.info("experiment %d of %d: %s", number, len(chosen), name)
        experiment = load_experiment(shipped[name], REGISTRY.__contains__)
        summary = sweep(experiment, results / name, workers=workers, overwrite=True,
                        show_progress=show_progress,
                        then=f"writing its report into {results / name}/")
        done.append((summary, write_report(results / name)))
    announce(f"reproduce: {len(done)} experiments swept; writing {results / 'README.md'} ...",
             show_progress)
    # The README covers every shipped experiment with a store, not only those run now.
    reports = {report.folder.name: report for _, report in done}
    for name in sorted(shipped, key=headline_rank):
        if name not in reports and (results / name / STORE_FILE).is_file():
            reports[name] = write_report(results / name)
    ordered = [reports[name] for name in sorted(reports, key=headline_rank)]
    write_results_readme(results, ordered, sum(s.seconds for s, _ in done))
    return done


def finding(report: Report) -> str:
    """The headline finding of a report in words: the setting furthest above and the one
    furthest below the reference, at the last quarter of interest, with intervals."""
    comparisons = report.comparisons
    if comparisons.empty:
        return ""
    last = max(report.quarters)
    rows = comparisons[(comparisons.outcome == report.headline_outcome)
                       & (comparisons.quarter == last)]
    outcome = outcome_title(report.headline_outcome).lower()
    sentences = []
    best, worst = rows.loc[rows.difference.idxmax()], rows.loc[rows.difference.idxmin()]
    for row in ([best] if best.difference > 0 else []) + (
            [worst] if worst.difference < 0 else []):
        direction = "above" if row.difference > 0 else "below"
        sentences.append(
            f"**{row.other}** ends {abs(100 * row.relative):.0f}% {direction} "
            f"**{report.reference}** in {outcome} in quarter {last} (95% interval "
            f"{_percent(row.relative_low)} to {_percent(row.relative_high)}; d_z "
            f"{row.d_z:.1f}; {row.runs} paired replications).")
    return " ".join(sentences)


def _percent(value: float) -> str:
    return f"{100 * value:+.0f}%"


def write_results_readme(results: Path, reports: Sequence[Report], seconds: float) -> Path:
    """results/README.md: every experiment's headline figure, finding and table."""
    revision = git_revision()
    lines = [
        "# Headline results",
        "",
        f"Written by `teamsim reproduce` on {time.strftime('%Y-%m-%d')} (teamsim "
        f"{__version__}{', git ' + revision[:10] if revision else ''}; this time "
        f"{seconds:.0f} s of sweeps). Each folder holds the experiment's `report.md`, "
        "`summary.csv`, `comparisons.csv` and figures; the stores and run tables (`store.sqlite`, "
        "`runs.csv`) are regenerated, not committed. Intervals are 95%; settings are "
        "compared pairwise under common random numbers.",
        "",
    ]
    for report in reports:
        name = report.folder.name
        title = _title(report)
        lines += [f"## {title}", "", f"Experiment `{name}`: [report]({name}/report.md).", ""]
        figure = next((f for f in FIGURE_ORDER if (report.folder / f"{f}.png").exists()), None)
        if figure:
            lines += [f"![{title}]({name}/{figure}.png)", ""]
        text = finding(report)
        if text:
            lines += [text, ""]
        lines += [*headline_table(report), ""]
    path = results / "README.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _title(report: Report) -> str:
    report_md = report.folder / "report.md"
    if report_md.exists():
        first = report_md.read_text(encoding="utf-8").splitlines()[0]
        return first.lstrip("# ").strip()
    return report.folder.name
