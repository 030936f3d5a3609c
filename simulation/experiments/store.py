"""The results store of an experiment: one SQLite file, the run ledger and its outcomes.

Why SQLite: it ships with Python, is a single file a researcher can copy, and its
transactions make the store crash-safe: each finished chunk of runs is committed in one
transaction (its ledger rows and its outcome rows together), so a sweep killed at any
moment loses at most the runs in flight, and ``--resume`` finds exactly which runs are
done. Outcomes are stored per (setting, replication, quarter) for the experiment's chosen
outcomes only, which keeps even a 100,000-run sweep to a few hundred megabytes. Tables
load into pandas in one call (:func:`load_runs`) and export to CSV, or to Parquet where
pyarrow is installed.

Tables:
    meta      key/value: the manifest (JSON), the experiment's fingerprint, the outcomes
    settings  one row per setting: scenario, strategy, label, factor values (JSON)
    runs      the ledger: one row per (setting, replication): seed, status, error
    outcomes  one row per (setting, replication, quarter): the outcome columns
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

STORE_FILE = "store.sqlite"
DONE, FAILED = "done", "failed"


@dataclass(frozen=True)
class RunRecord:
    """One finished run, as a worker hands it back."""

    setting: int
    replication: int
    seed: int
    status: str
    error: str
    outcomes: np.ndarray
    """(quarters, outcomes) array; empty for a failed run."""


class ResultsStore:
    """An experiment's SQLite store (open with :meth:`create` or :meth:`open`)."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.connection = connection
        self.outcomes: list[str] = json.loads(self.meta("outcomes") or "[]")

    @classmethod
    def create(cls, folder: Path, outcomes: Sequence[str], fingerprint: str,
               manifest: dict[str, Any]) -> ResultsStore:
        """A new, empty store in ``folder`` (which must not hold one)."""
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / STORE_FILE
        if path.exists():
            raise FileExistsError(f"{path} already exists")
        connection = _connect(path)
        columns = ", ".join(f'"{name}" REAL' for name in outcomes)
        with connection:
            connection.executescript(f"""
                CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                CREATE TABLE settings (setting INTEGER PRIMARY KEY, scenario TEXT NOT NULL,
                    strategy TEXT NOT NULL, label TEXT NOT NULL, factors TEXT NOT NULL);
                CREATE TABLE runs (setting INTEGER NOT NULL, replication INTEGER NOT NULL,
                    seed INTEGER NOT NULL, status TEXT NOT NULL, error TEXT NOT NULL,
                    PRIMARY KEY (setting, replication)) WITHOUT ROWID;
                CREATE TABLE outcomes (setting INTEGER NOT NULL, replication INTEGER NOT NULL,
                    quarter INTEGER NOT NULL, {columns},
                    PRIMARY KEY (setting, replication, quarter)) WITHOUT ROWID;
            """)
            connection.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("outcomes", json.dumps(list(outcomes))),
                ("fingerprint", fingerprint),
                ("manifest", json.dumps(manifest, sort_keys=True)),
            ])
        return cls(path, connection)

    @classmethod
    def open(cls, folder: Path) -> ResultsStore:
        """An existing store."""
        path = Path(folder) / STORE_FILE
        if not path.is_file():
            raise FileNotFoundError(f"no results store at {path}")
        return cls(path, _connect(path))

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()

    def __enter__(self) -> ResultsStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def meta(self, key: str) -> str | None:
        """A value of the meta table."""
        row = self.connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_manifest(self, manifest: dict[str, Any]) -> None:
        """Replace the recorded manifest (a resumed sweep records its own)."""
        with self.connection:
            self.connection.execute("INSERT OR REPLACE INTO meta VALUES ('manifest', ?)",
                                    (json.dumps(manifest, sort_keys=True),))

    def manifest(self) -> dict[str, Any]:
        """The manifest recorded when the store was made."""
        return dict(json.loads(self.meta("manifest") or "{}"))

    def add_settings(self, rows: Iterable[tuple[int, str, str, str, dict[str, Any]]]) -> None:
        """Record settings (id, scenario, strategy, label, factors); known ids are kept."""
        with self.connection:
            self.connection.executemany(
                "INSERT OR IGNORE INTO settings VALUES (?, ?, ?, ?, ?)",
                [(s, scenario, strategy, label, json.dumps(factors))
                 for s, scenario, strategy, label, factors in rows])

    def finished(self) -> set[tuple[int, int]]:
        """(setting, replication) of every run done successfully."""
        rows = self.connection.execute(
            "SELECT setting, replication FROM runs WHERE status = ?", (DONE,))
        return {(int(s), int(r)) for s, r in rows}

    def write(self, records: Sequence[RunRecord]) -> None:
        """Record finished runs in one transaction: all of them or none."""
        placeholders = ", ".join("?" * (3 + len(self.outcomes)))
        with self.connection:
            for record in records:
                key = (record.setting, record.replication)
                self.connection.execute(
                    "DELETE FROM outcomes WHERE setting = ? AND replication = ?", key)
                self.connection.execute(
                    "INSERT OR REPLACE INTO runs VALUES (?, ?, ?, ?, ?)",
                    (*key, record.seed, record.status, record.error))
                self.connection.executemany(
                    f"INSERT INTO outcomes VALUES ({placeholders})",
                    [(*key, quarter + 1, *map(float, values))
                     for quarter, values in enumerate(record.outcomes)])

    def failures(self) -> pd.DataFrame:
        """The failed runs with their errors."""
        return pd.read_sql_query(
            "SELECT r.setting, s.label, r.replication, r.seed, r.error FROM runs r "
            "JOIN settings s USING (setting) WHERE r.status = ? "
            "ORDER BY r.setting, r.replication", self.connection, params=(FAILED,))

    def counts(self) -> dict[str, int]:
        """Runs by status."""
        rows = self.connection.execute("SELECT status, COUNT(*) FROM runs GROUP BY status")
        return {str(status): int(count) for status, count in rows}


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    # WAL keeps committed transactions safe if the process is killed mid-write.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def load_runs(folder: str | Path) -> pd.DataFrame:
    """Every successful run's outcomes as one tidy table, one row per (run, quarter).

    Columns: setting, label, scenario, strategy, one column per factor (dotted key),
    replication, seed, quarter, then the outcomes. Sorted by setting, replication, quarter.
    """
    with ResultsStore.open(Path(folder)) as store:
        outcomes = ", ".join(f'o."{name}"' for name in store.outcomes)
        frame = pd.read_sql_query(
            "SELECT o.setting, s.label, s.scenario, s.strategy, s.factors, o.replication, "
            f"r.seed, o.quarter, {outcomes} FROM outcomes o "
            "JOIN runs r USING (setting, replication) JOIN settings s USING (setting) "
            "WHERE r.status = 'done' ORDER BY o.setting, o.replication, o.quarter",
            store.connection)
    factors = pd.DataFrame([json.loads(text) for text in frame.pop("factors")],
                           index=frame.index)
    position = frame.columns.get_loc("replication")
    for offset, column in enumerate(factors.columns):
        frame.insert(position + offset, column, factors[column])
    return frame


def export(frame: pd.DataFrame, folder: Path, stem: str = "runs") -> list[Path]:
    """Write a table as CSV, and as Parquet where pyarrow is installed."""
    written = [folder / f"{stem}.csv"]
    frame.to_csv(written[0], index=False)
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return written
    written.append(folder / f"{stem}.parquet")
    frame.to_parquet(written[1], index=False)
    return written
