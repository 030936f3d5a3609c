"""Calibration: search parameters for a set under which the published patterns hold.

The shipped defaults were calibrated by hand (docs/CALIBRATION.md gives each change and
its reason). This module re-runs that question as a search, so that it can be repeated
after the model changes: a coordinate (pattern) search in log space over chosen
parameters, minimising the total *miss* of the patterns' measurements, with the seed fixed
so that every evaluation meets the same random numbers (the objective is deterministic).

A measurement's miss is how far its 95% interval reaches outside its band, relative to
the band's scale; a parameter set with a total miss of zero reproduces every pattern.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from simulation.analysis.pattern_checks import Measurement, PatternResult
from simulation.analysis.patterns import PATTERNS, check_all
from simulation.experiments.progress import Progress
from simulation.model.config import DEFAULT_SEED, Parameters, field_docs

HAND_TUNED = ("train_rate", "trust_gain", "trust_breach_loss", "empower_trust_rate",
              "monitor_accountability_rate", "accountability_drift", "direction_floor",
              "follow_through_floor", "motivation_drift", "feedback_motivation_rate",
              "recognise_rate", "micromanage_motivation_loss")
"""The parameters the shipped defaults were tuned on (docs/CALIBRATION.md)."""


def miss(measurement: Measurement) -> float:
    """How far a measurement's interval reaches outside its band, relative to the band's
    scale (0 when it lies inside; 10 for a figure that could not be measured)."""
    if not math.isfinite(measurement.value):
        return 10.0
    band = measurement.band
    bounds = [abs(b) for b in (band.low, band.high) if b is not None]
    scale = max([*bounds, abs(measurement.value), 1e-3])
    below = max(0.0, band.low - measurement.low) if band.low is not None else 0.0
    above = max(0.0, measurement.high - band.high) if band.high is not None else 0.0
    return (below + above) / scale


def objective(parameters: Parameters, ids: Sequence[str], replications: int,
              seed: int, checked: Callable[[PatternResult], None] | None = None) -> float:
    """Total miss of the chosen patterns under a parameter set (``checked`` hears of each
    pattern's check as it ends)."""
    results = check_all(ids, replications, seed, parameters, progress=checked)
    return sum(miss(m) for result in results for m in result.measurements)


@dataclass(frozen=True)
class Step:
    """One evaluation of the search."""

    parameters: dict[str, float]
    objective: float


def most_evaluations(parameters: int, rounds: int) -> int:
    """Most evaluations of the search: the start, then two a parameter a round."""
    return 1 + 2 * rounds * parameters


def calibrate(names: Sequence[str], start: Parameters | None = None,
              ids: Sequence[str] = (), replications: int = 12, seed: int = DEFAULT_SEED,
              step: float = 0.3, rounds: int = 3,
              log: Callable[[Step], None] | None = None,
              show_progress: bool = False) -> tuple[Parameters, float]:
    """Coordinate search: try each parameter a factor ``exp(+-step)`` away; keep any move
    that lowers the total miss; halve the step after a round without a move. Values stay
    within each parameter's documented range. With ``show_progress`` the pattern checks'
    progress is shown on standard error (an evaluation the search skips, after a move or
    once nothing misses, counts as done)."""
    current = start or Parameters()
    docs = field_docs(Parameters)
    unknown = [name for name in names if name not in docs]
    if unknown:
        raise KeyError(f"unknown parameter {unknown[0]!r}")
    checks = len(ids or PATTERNS)
    progress = Progress(checks * most_evaluations(len(names), rounds), "calibrate",
                        enabled=show_progress, unit="pattern checks")

    def evaluate(candidate: Parameters) -> float:
        value = objective(candidate, ids, replications, seed, lambda _: progress.advance(1))
        if log is not None:
            log(Step({name: getattr(candidate, name) for name in names}, value))
        return value

    with progress:
        best = evaluate(current)
        for done in range(rounds):
            if best == 0.0:
                progress.advance(checks * 2 * len(names) * (rounds - done))
                break
            moved = False
            for name in names:
                for direction in (1.0, -1.0):
                    value = getattr(current, name) * math.exp(direction * step)
                    low, high = docs[name]["low"], docs[name]["high"]
                    value = min(max(value, low if low is not None else value),
                                high if high is not None else value)
                    candidate = dataclasses.replace(current, **{name: value})
                    score = evaluate(candidate)
                    if score < best:
                        current, best, moved = candidate, score, True
                        if direction > 0:  # the other direction is not tried
                            progress.advance(checks)
                        break
            if not moved:
                step /= 2
    return current, best
