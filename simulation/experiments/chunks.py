"""How a sweep's runs are cut into the chunks that go to the workers, one task each.

A finished chunk is what the store commits and what moves the progress line. A sweep is
cut into at least four chunks a worker (so that the workers stay busy to the end and a crash
loses little), and into a dozen or more, so that its progress line moves about every tenth
of the way; but the batched engine runs the runs of one setting in a chunk as one batch,
whose cost has a fixed part, so for the dozen a setting's runs are split only into pieces
of fifty runs or more. The pieces of a setting are of equal size.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterator, Sequence

from simulation.experiments.run_tasks import RunTask

MESA_CHUNK = 16
"""Most runs of the Mesa model in one task (each is run alone)."""
PROGRESS_CHUNKS = 12
"""Fewest chunks a sweep's runs are cut into (and at least four a worker): the progress line
is printed as a chunk ends, so that it then appears about every tenth of the way."""
SMALLEST_BATCH = 50
"""Fewest runs of a setting in one task of the batched engine when its runs are split: a
batch has a fixed cost (measured: about 0.25 s for the baseline team's 48 weeks, the time of
fifty runs), so smaller pieces would cost more time than the progress they show is worth."""


def runs_per_chunk(tasks: Sequence[RunTask], workers: int, most: int, batched: bool) -> int:
    """Most runs in one chunk: at most ``most``, a quarter of a worker's share, and a
    PROGRESS_CHUNKS-th of the runs, the last on the batched engine (``batched``) not
    below a setting's runs or SMALLEST_BATCH of them."""
    spread = len(tasks) // (4 * workers)
    shown = math.ceil(len(tasks) / PROGRESS_CHUNKS)
    if batched and tasks:
        per_setting = max(Counter(task.setting for task in tasks).values())
        shown = max(shown, min(SMALLEST_BATCH, per_setting))
    return max(1, min(most, spread, shown))


def chunks_of(tasks: Sequence[RunTask], size: int) -> Iterator[list[RunTask]]:
    """The tasks, in their order, in chunks of at most ``size`` runs: each setting's runs in
    as few pieces of equal size as ``size`` allows, and the pieces of consecutive settings
    together while they fit."""
    chunk: list[RunTask] = []
    for _, group in itertools.groupby(tasks, key=lambda task: task.setting):
        runs = list(group)
        step = math.ceil(len(runs) / math.ceil(len(runs) / size))
        for start in range(0, len(runs), step):
            piece = runs[start:start + step]
            if chunk and len(chunk) + len(piece) > size:
                yield chunk
                chunk = []
            chunk += piece
    if chunk:
        yield chunk
