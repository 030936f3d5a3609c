"""A plugin for tests/test_faults.py: ``faulty_coach`` coaches exactly like ``coach`` and,
as the JSON in the environment variable TEAMSIM_FAULTS asks, misbehaves on its n-th call
in a process:

    {"sleep": 0.02}                       every call sleeps (a slow sweep to kill)
    {"kill_at": [1, 27], "markers": DIR}  a worker process SIGKILLs itself: point i fires
                                          in the processes started after points < i fired
    {"fill": {"at": 27, "path": FILE}, "markers": DIR}  fill FILE's disk, once

Each fault fires once (a marker file in DIR says it did), so the resumed and the
uninterrupted sweeps meet none. The test copies this file to one of its own (a plugin is
imported once per process, and each test starts with the registry it had).
"""

from __future__ import annotations

import errno
import itertools
import json
import multiprocessing
import os
import signal
import time
from pathlib import Path

import numpy as np

from simulation.model import strategies
from simulation.model.diagnosis import Observation

CALLS = itertools.count(1)
"""Counts the strategy's calls in this process (a counter object: a strategy that assigns a
global variable is refused, as memory kept there would be shared by every run)."""


def _faults() -> dict:
    return json.loads(os.environ.get("TEAMSIM_FAULTS", "{}"))


def _fired(markers: str) -> int:
    return len(list(Path(markers).glob("killed_*"))) if markers else 0


KILLS_BEFORE = _fired(_faults().get("markers", ""))
"""Kill points that had fired when this process started: it may fire the next one."""


def _first(markers: str, name: str) -> bool:
    """Whether this call is the first to claim ``name`` (across processes)."""
    try:
        os.close(os.open(Path(markers) / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        return False
    return True


def _fill(path: Path) -> None:
    """Write zeros into ``path`` until its disk is full."""
    with path.open("ab", buffering=0) as file:
        try:
            while True:
                file.write(bytes(65536))
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise


def faulty_coach(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Coaches; misbehaves as TEAMSIM_FAULTS asks."""
    calls = next(CALLS)
    faults = _faults()
    time.sleep(faults.get("sleep", 0.0))
    kills = faults.get("kill_at", [])
    in_worker = multiprocessing.parent_process() is not None  # never kill the test itself
    if in_worker and KILLS_BEFORE < len(kills) and calls >= kills[KILLS_BEFORE] \
            and _first(faults["markers"], f"killed_{KILLS_BEFORE}"):
        os.kill(os.getpid(), signal.SIGKILL)
    fill = faults.get("fill")
    if fill and calls >= fill["at"] and _first(faults["markers"], "filled"):
        _fill(Path(fill["path"]))
    return strategies.coach(observation, hours)


strategies.register("faulty_coach", faulty_coach, replace=True, vectorised=True)
