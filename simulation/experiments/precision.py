"""Replications until a precision target is met: each setting's replication count is raised
until the 95% interval half-width of the chosen outcome, at the chosen quarter, is below the
target (Law & Kelton's sequential procedure), up to a most."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulation.experiments.experiment_files import ExperimentConfig
from simulation.experiments.stats import replications_needed
from simulation.experiments.store import ResultsStore

if TYPE_CHECKING:
    from simulation.experiments.sweep import Setting


@dataclass(frozen=True)
class Target:
    """What a sweep with a precision target aims at: the outcome and quarter, the interval
    half-width to reach, and the most replications a setting may take."""

    outcome: str
    quarter: int
    half_width: float
    max_replications: int


def precision_target(experiment: ExperimentConfig, half_width: float | None) -> Target | None:
    """The experiment's [precision] table, with ``--precision`` (``half_width``) replacing
    its half-width (or setting one on the first outcome at the last quarter); None for a
    sweep of fixed replications."""
    configured = experiment.precision
    if configured is None and half_width is None:
        return None
    outcome = configured.outcome if configured else experiment.outcomes[0]
    quarter = configured.quarter if configured else 0
    limit = configured.max_replications if configured else 500
    width = half_width if half_width is not None else configured.half_width  # type: ignore[union-attr]
    horizon = min(base.quarters for base in experiment.base_configs)
    return Target(outcome, quarter or horizon, width, limit)


def raise_replications(store: ResultsStore, settings: Sequence[Setting],
                       wanted: dict[int, int], target: Target) -> bool:
    """Raise each setting's replication count to what its precision target needs (Law &
    Kelton's sequential procedure); whether any count rose."""
    rows = store.connection.execute(
        f'SELECT o.setting, o."{target.outcome}" FROM outcomes o JOIN runs r '
        "USING (setting, replication) WHERE r.status = 'done' AND o.quarter = ?",
        (target.quarter,)).fetchall()
    values: dict[int, list[float]] = {}
    for setting, value in rows:
        values.setdefault(int(setting), []).append(float(value))
    raised = False
    for s in settings:
        sample = values.get(s.index, [])
        if len(sample) < 2:
            continue
        needed = replications_needed(sample, target.half_width, most=target.max_replications)
        if needed > wanted[s.index]:
            wanted[s.index] = needed
            raised = True
    return raised
