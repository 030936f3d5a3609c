"""The results store of an experiment: one SQLite file, the run ledger and its outcomes.

Why SQLite: it ships with Python, is a single file a researcher can copy, and its
transactions make the store crash-safe: each finished chunk of runs is committed in one
transaction (its ledger rows and its outcome rows together), so a sweep killed at any
moment loses at most the runs in flight, and ``--resume`` finds exactly which runs are
done. Outcomes are stored per (setting, replication, quarter) for the experiment's chosen
outcomes only, which keeps even a 100,000-run sweep to a few hundred megabytes. Tables
load into pandas in one call (:func:`load_runs`) and export to CSV and Parquet (pyarrow
is a dependency).

Tables:
    meta      key/value: the manifest (JSON), the experiment's fingerprint, the outcomes
    settings  one row per setting: scenario, strategy, label, factor values (JSON)
    runs      the ledger: one row per (setting, replication): seed, status, error
    outcomes  one row per (setting, replication, quarter): the outcome columns

When the file or its disk fails (not a store, damaged, truncated; a folder that cannot be
written; a full disk), :func:`store_fault` turns SQLite's and the system's errors into a
:class:`StoreError` that names the store and says what to do. Opening a store reads its
header and tables first and changes nothing in a file it refuses.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

STORE_FILE = "store.sqlite"
DONE, FAILED = "done", "failed"
SQLITE_HEADER = b"SQLite format 3\x00"
TABLES = ("meta", "settings", "runs", "outcomes")

DAMAGED, UNREADABLE, READ_ONLY = "damaged", "unreadable", "read-only"
FULL, DISK = "full", "disk"
PROBLEMS = {
    DAMAGED: "is not a TeamSim results store or is damaged ({detail}); nothing was changed: "
             "restore it from a copy, or start the sweep again with --overwrite",
    UNREADABLE: "cannot be read ({detail}); nothing was changed: make it readable, or "
                "restore it from a copy",
    READ_ONLY: "cannot write into {folder} ({detail}): choose another --out (or copy the "
               "folder somewhere writable and continue there with --resume)",
    FULL: "no space left on the device holding {folder}: free space and run again "
          "(--resume continues a sweep)",
    DISK: "cannot be read or written ({detail}): check the disk holding {folder}",
}
"""What each kind of store fault means and what to do, as one line after the store's path."""


class StoreError(Exception):
    """A store that cannot be read or written. ``kind`` is DAMAGED, UNREADABLE, READ_ONLY,
    FULL or DISK; the message is one line naming the store and what to do."""

    def __init__(self, path: Path, kind: str, detail: str = "") -> None:
        self.path = Path(path)
        self.kind = kind
        self.detail = " ".join(detail.split())  # one line, whatever SQLite said
        super().__init__(f"{self.path}: " + PROBLEMS[kind].format(
            folder=self.path.parent, detail=self.detail or kind))

    @property
    def bad_input(self) -> bool:
        """Whether the fault is the store's or its folder's (bad input before anything ran),
        not the disk's."""
        return self.kind in (DAMAGED, UNREADABLE, READ_ONLY)

    def while_running(self) -> tuple[str, str]:
        """The fault met while a sweep writes: what went wrong, and what to do before
        ``--resume`` (e.g. "free space and ")."""
        folder, detail = self.path.parent, self.detail
        return {
            FULL: (f"no space left on the device holding {folder}", "free space and "),
            READ_ONLY: (f"cannot write into {folder} ({detail})", "make it writable and "),
            DAMAGED: (f"the store is damaged ({detail})", "restore it from a copy and "),
        }.get(self.kind, (f"a disk error ({detail})", "check the disk and "))


def store_fault(path: Path, error: BaseException) -> StoreError | None:
    """The :class:`StoreError` an error of SQLite or of the system means for the store at
    ``path``, or None if it is not a fault of the store, its folder or its disk."""
    if isinstance(error, StoreError):
        return error
    if isinstance(error, sqlite3.Error):
        name = str(getattr(error, "sqlite_errorname", "") or "")
        text = str(error)
        if name == "SQLITE_FULL" or "disk is full" in text:
            return StoreError(path, FULL, text)
        if name.startswith(("SQLITE_IOERR", "SQLITE_CANTOPEN")) and _no_space(path):
            return StoreError(path, FULL, text)  # SQLite says "disk I/O error"
        if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM",
                            "SQLITE_AUTH")):
            return StoreError(path, READ_ONLY, text)
        if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT", "SQLITE_IOERR_SHORT_READ")):
            return StoreError(path, DAMAGED, text)
        if name.startswith("SQLITE_IOERR"):
            return StoreError(path, DISK, text)
        if "no such table" in text or "no such column" in text:
            return StoreError(path, DAMAGED, f"not a TeamSim store: {text}")
        return None
    if isinstance(error, OSError):
        text = error.strerror or str(error)
        if error.errno in (errno.ENOSPC, errno.EDQUOT):
            return StoreError(path, FULL, text)
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StoreError(path, READ_ONLY, text)
        if error.errno == errno.EIO:
            return StoreError(path, DISK, text)
    return None


def _no_space(path: Path) -> bool:
    """Whether the device holding ``path`` (or its nearest existing folder) is (nearly)
    full: less than a megabyte left to this user."""
    for place in (path, *path.parents):
        try:
            usage = os.statvfs(place)
        except OSError:
            continue
        return usage.f_bavail * usage.f_frsize < 2**20
    return False


def check_file(path: Path) -> None:
    """Refuse, without opening it in SQLite, a file that is not an SQLite database or is
    shorter than its header says (a truncated copy); raises a DAMAGED :class:`StoreError`."""
    try:
        size = path.stat().st_size
        with path.open("rb") as file:
            header = file.read(100)
    except OSError as error:
        raise StoreError(path, UNREADABLE, error.strerror or str(error)) from None
    if size == 0:
        raise StoreError(path, DAMAGED, "the file is empty")
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise StoreError(path, DAMAGED, "not an SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    wal = path.with_name(path.name + "-wal")
    pending = wal.is_file() and wal.stat().st_size > 0  # SQLite recovers from its log
    if header[24:28] == header[92:96] and pages and not pending \
            and size < pages * page_size:
        raise StoreError(path, DAMAGED, f"truncated: {size} bytes of the "
                                        f"{pages * page_size} its header records")


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
        # Made under another name and renamed into place when whole, so that a sweep
        # killed while making it leaves no half-made store for --resume to refuse; a log
        # left without its store is stale (and would be replayed into the new one).
        partial = folder / (STORE_FILE + ".new")
        for stale in (partial, *_companions(path), *_companions(partial)):
            stale.unlink(missing_ok=True)
        columns = ", ".join(f'"{name}" REAL' for name in outcomes)
        with contextlib.closing(sqlite3.connect(partial)) as connection, connection:
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
        os.replace(partial, path)
        return cls(path, _connect(path))

    @classmethod
    def open(cls, folder: Path, verify: bool = False) -> ResultsStore:
        """An existing store; a file that is not one, or is damaged, raises a
        :class:`StoreError` (``verify`` also reads every page: SQLite's quick_check)."""
        path = Path(folder) / STORE_FILE
        if not path.is_file():
            raise FileNotFoundError(f"no results store at {path}")
        check_file(path)
        connection: sqlite3.Connection | None = None
        try:
            connection = _connect(path, tuned=False)
            tables = {name for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if not set(TABLES) <= tables:
                raise StoreError(path, DAMAGED, "not a TeamSim store: it lacks the tables "
                                 + ", ".join(sorted(set(TABLES) - tables)))
            if verify:
                problems = [row[0] for row in connection.execute("PRAGMA quick_check")]
                if problems != ["ok"]:
                    raise StoreError(path, DAMAGED, "; ".join(map(str, problems[:2])))
            _tune(connection)
            store = cls(path, connection)
            if store.meta("fingerprint") is None or not store.outcomes:
                raise StoreError(path, DAMAGED, "not a TeamSim store: no fingerprint")
        except (sqlite3.Error, StoreError) as error:
            if connection is not None:
                connection.close()
            fault = store_fault(path, error)
            if fault is None:
                raise
            raise fault from None
        return store

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


def finished_runs(folder: Path) -> int:
    """Runs done in a store that may be failing (0 when it cannot be read), read without
    the shared-memory index SQLite cannot make on a full disk."""
    try:
        with contextlib.closing(sqlite3.connect(Path(folder) / STORE_FILE)) as connection:
            connection.execute("PRAGMA locking_mode=EXCLUSIVE")
            return int(connection.execute(
                "SELECT COUNT(*) FROM runs WHERE status = ?", (DONE,)).fetchone()[0])
    except (sqlite3.Error, OSError):  # only a count for a message: the fault is the news
        return 0


def remove_store(folder: Path) -> None:
    """Delete a folder's store and the files SQLite keeps beside it: its logs first, since
    a log left without its store would be replayed into the next one."""
    path = Path(folder) / STORE_FILE
    for stale in (*_companions(path), path.with_name(path.name + ".new"), path):
        stale.unlink(missing_ok=True)


def _companions(path: Path) -> tuple[Path, ...]:
    """The files SQLite keeps beside a database: its write-ahead log, the log's index and
    its rollback journal."""
    return tuple(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))


def _connect(path: Path, tuned: bool = True) -> sqlite3.Connection:
    """A connection; ``tuned`` switches the file to WAL (which writes to it: a file not yet
    known to be a store is read untuned first)."""
    connection = sqlite3.connect(path)
    if tuned:
        _tune(connection)
    return connection


def _tune(connection: sqlite3.Connection) -> None:
    # WAL keeps committed transactions safe if the process is killed mid-write.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")


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
    """Write a table as CSV and as Parquet (pyarrow is a dependency, so both, always)."""
    written = [folder / f"{stem}.csv", folder / f"{stem}.parquet"]
    frame.to_csv(written[0], index=False)
    frame.to_parquet(written[1], index=False)
    return written
