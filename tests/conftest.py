"""Shared fixtures: every test in its own empty folder with the strategy registry restored
afterwards; small teams and neutral weeks for testing the equations directly."""

from __future__ import annotations

import contextlib
import dataclasses
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from simulation import cli
from simulation.experiments.experiment_files import ExperimentConfig, load_experiment
from simulation.model import interventions as iv
from simulation.model import strategies
from simulation.model.config import Parameters, ScenarioConfig
from simulation.model.state import INITIAL_DRAWS, TeamState, initial_state
from simulation.model.team_dynamics import WeekConditions


def make_state(members: int = 1, **levels: float) -> TeamState:
    """A team at the scenario defaults with no spread, with some member states set."""
    config = ScenarioConfig()
    config = dataclasses.replace(config, team=dataclasses.replace(config.team, size=members))
    state = initial_state(config, np.zeros((members, INITIAL_DRAWS)))
    changes = {}
    for name, value in levels.items():
        current = getattr(state, name)
        changes[name] = np.full_like(current, value, dtype=float)
        if f"{name}_anchor" in state.__dataclass_fields__:
            changes[f"{name}_anchor"] = np.full_like(current, value, dtype=float)
    return state.replace(**changes)


def calm_week() -> WeekConditions:
    """A week with moderate pressure and no shocks, at the default environment."""
    return WeekConditions(pressure=np.asarray(0.35), direction_baseline=np.asarray(0.6),
                          barrier_baseline=np.asarray(0.3), obstacle_shock=np.asarray(0.0),
                          change_shock=np.asarray(0.0))


def dose(members: int = 1, **hours: float) -> np.ndarray:
    """Weekly leader hours per member by intervention name."""
    doses = np.zeros((members, iv.COUNT))
    for name, value in hours.items():
        doses[:, iv.index(name)] = value
    return doses


@pytest.fixture
def params() -> Parameters:
    """The shipped default parameters."""
    return Parameters()


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run every test from an empty temporary folder, so that results/ lands there."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture(autouse=True)
def restored_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Strategies registered by a test (through a plugin) vanish when it ends."""
    monkeypatch.setattr(strategies.REGISTRY, "_entries", dict(strategies.REGISTRY._entries))


@dataclass(frozen=True)
class Outcome:
    """What one command did: exit code and what it printed."""

    code: int
    out: str
    err: str


def teamsim(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> Outcome:
    """Run the command line in-process and capture what it printed."""
    capsys.readouterr()
    code = cli.main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err)


def only_error_line(err: str) -> str:
    """The only line of standard error (and no traceback in it)."""
    lines = err.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {err!r}"
    assert "Traceback" not in err
    return lines[0]


def assert_one_error_line(outcome: Outcome, *names: str) -> str:
    """A bad-input exit: code 2, nothing on stdout, one stderr line naming ``names``."""
    assert outcome.code == 2
    assert outcome.out == ""  # in particular, no table
    line = only_error_line(outcome.err)
    for name in names:
        assert name in line
    return line


def folder_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under a folder by its relative path, with its bytes."""
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def load_as_cli(path: Path) -> ExperimentConfig:
    """An experiment file loaded as the command line loads it (strategy names checked)."""
    return load_experiment(path, strategy_exists=strategies.REGISTRY.__contains__)


def recorded_runs(store: Path) -> int:
    """Runs in a store's ledger, read without disturbing the sweep writing it."""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{store}?mode=ro", uri=True,
                                                timeout=5)) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0])
    except sqlite3.OperationalError:  # not made yet
        return 0
