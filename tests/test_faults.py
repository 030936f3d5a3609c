"""Faults: what the command line promises when the store, the disk, a worker, the sweeping
process or a user's strategy fails.

- bad input (a store that is not one or is damaged, a folder that cannot be written): exit
  2, one line naming the store and what to do, nothing written;
- a failing run (a worker killed, the disk full, a strategy's bad answer): exit 1, one line
  naming what failed and what to do; nothing already stored is lost, and ``--resume`` ends
  with the data of an uninterrupted sweep.

Experiments are tiny (two quarters, teams of four); worker processes only where a worker
is the point. The disk tests mount a small tmpfs (as root) and skip elsewhere.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import Outcome, folder_bytes, load_as_cli, only_error_line, recorded_runs, teamsim

from simulation.experiments import plugins
from simulation.experiments.stats import replications_needed
from simulation.experiments.store import STORE_FILE, ResultsStore, load_runs
from simulation.experiments.sweep import sweep
from simulation.model import strategies

HERE = Path(__file__).resolve().parent
TINY = """\
name = "tiny"
quarters = 2
replications = 3
seed = 4242

[team]
size = 4
"""
FAULTS = """\
name = "faults"
scenarios = ["tiny.toml"]
strategies = ["hands_off", "faulty_coach"]
replications = {replications}
seed = 23
outcomes = ["team_output", "trust_mean", "departures"]
"""
"""Two settings; the second's strategy misbehaves as TEAMSIM_FAULTS says (fault_plugin.py)."""
QUARTERS = 2
SECONDS = 10.0
"""Well under this, a faulty sweep or run ends."""


def write_experiment(folder: Path, text: str, name: str = "experiment.toml") -> Path:
    """An experiment file with tiny.toml beside it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tiny.toml").write_text(TINY, encoding="utf-8")
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def fault_plugin(folder: Path) -> Path:
    """A copy of fault_plugin.py of this test's own (a plugin is imported once per process)."""
    path = folder / f"fault_plugin_{uuid.uuid4().hex[:8]}.py"
    shutil.copy(HERE / "fault_plugin.py", path)
    return path


@pytest.fixture
def faulty(in_tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """The fault plugin (loaded) and the FAULTS experiment (12 replications) beside it."""
    plugin = fault_plugin(in_tmp_path)
    plugins.load_plugins([str(plugin)])
    experiment = write_experiment(in_tmp_path, FAULTS.format(replications=12))
    yield plugin, experiment
    sys.modules.pop(f"teamsim_plugin_{plugin.stem}", None)


def set_faults(monkeypatch: pytest.MonkeyPatch, **faults: Any) -> None:
    """Ask fault_plugin.py for faults (here and in worker processes started from here)."""
    monkeypatch.setenv("TEAMSIM_FAULTS", json.dumps(faults, default=str))


def ledger(folder: Path) -> list[tuple[Any, ...]]:
    """The runs table: (setting, replication, seed, status, error), in order."""
    with contextlib.closing(sqlite3.connect(folder / STORE_FILE)) as connection:
        return connection.execute("SELECT setting, replication, seed, status, error FROM runs "
                                  "ORDER BY setting, replication").fetchall()


def done_runs(folder: Path) -> int:
    return sum(status == "done" for *_, status, _ in ledger(folder))


def uninterrupted(experiment: Path, folder: Path) -> Path:
    """The experiment swept in one go, in this process (the data a resumed sweep must end
    with)."""
    sweep(load_as_cli(experiment), folder, workers=1, show_progress=False)
    return folder


def assert_same_data(resumed: Path, whole: Path) -> None:
    """Same ledger, same runs (every run whole), same summary: nothing lost, nothing twice.
    (A sweep records no timing per run; the summary's columns are statistics.)"""
    assert ledger(resumed) == ledger(whole)
    pd.testing.assert_frame_equal(load_runs(resumed), load_runs(whole))
    with contextlib.closing(sqlite3.connect(resumed / STORE_FILE)) as connection:
        rows = connection.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0]
    assert rows == QUARTERS * done_runs(resumed)
    if (whole / "summary.csv").is_file():
        pd.testing.assert_frame_equal(pd.read_csv(resumed / "summary.csv"),
                                      pd.read_csv(whole / "summary.csv"), rtol=1e-12)


def sweep_args(plugin: Path, experiment: Path, out: Path, *extra: str) -> list[str]:
    return ["--plugin", str(plugin), "sweep", str(experiment), "--out", str(out), "--quiet",
            *extra]


def resume_hint(plugin: Path, experiment: Path, out: Path) -> str:
    return f"`teamsim --plugin {plugin} sweep {experiment} --out {out} --resume`"


# --- a corrupt or truncated store -----------------------------------------------------------


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


def garbage(data: bytes) -> bytes:
    return bytes(np.random.default_rng(1).integers(0, 256, len(data), dtype=np.uint8))


def damaged_page(data: bytes) -> bytes:
    middle = 2 * 4096
    return data[:middle] + bytes(range(256)) * 8 + data[middle + 2048:]


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A finished sweep of hands_off against coach (no plugin): its experiment file and
    folder."""
    home = tmp_path_factory.mktemp("finished")
    experiment = write_experiment(home, FAULTS.format(replications=3).replace(
        "faulty_coach", "coach"))
    return experiment, uninterrupted(experiment, home / "out")


@pytest.mark.parametrize("damage", [truncated, garbage, damaged_page, "not_a_store"])
def test_a_damaged_store_is_refused_by_resume_and_report_and_left_as_it_was(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, finished: tuple[Path, Path],
        damage: Any) -> None:
    experiment, original = finished
    folder = in_tmp_path / "out"
    shutil.copytree(original, folder)
    store = folder / STORE_FILE
    if damage == "not_a_store":
        store.unlink()
        with contextlib.closing(sqlite3.connect(store)) as other, other:
            other.execute("CREATE TABLE notes (text TEXT)")
    else:
        store.write_bytes(damage(store.read_bytes()))
    before = folder_bytes(folder)

    for argv in (["sweep", experiment, "--out", folder, "--workers", "1", "--quiet",
                  "--resume"], ["report", folder]):
        outcome = teamsim(capsys, *argv)
        assert outcome.code == 2, outcome.err
        assert outcome.out == ""
        line = only_error_line(outcome.err)
        assert line.startswith(f"teamsim: error: {store}: is not a TeamSim results store "
                               f"or is damaged (")
        assert "restore it from a copy, or start the sweep again with --overwrite" in line
        assert folder_bytes(folder) == before  # nothing written, nothing lost

    # Starting again is what --overwrite is for.
    outcome = teamsim(capsys, "sweep", experiment, "--out", folder, "--workers", "1",
                      "--quiet", "--overwrite")
    assert outcome.code == 0, outcome.err
    assert_same_data(folder, original)


def test_an_unreadable_store_is_refused_naming_it(capsys: pytest.CaptureFixture[str],
                                                  in_tmp_path: Path,
                                                  finished: tuple[Path, Path]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads any file")
    experiment, original = finished
    folder = in_tmp_path / "out"
    shutil.copytree(original, folder)
    (folder / STORE_FILE).chmod(0)
    try:
        for argv in (["sweep", experiment, "--out", folder, "--quiet", "--resume"],
                     ["report", folder]):
            outcome = teamsim(capsys, *argv)
            assert outcome.code == 2
            assert only_error_line(outcome.err).startswith(
                f"teamsim: error: {folder / STORE_FILE}: cannot be read (")
    finally:
        (folder / STORE_FILE).chmod(0o644)


# --- a read-only folder and a full disk (a tmpfs of our own) --------------------------------


@contextlib.contextmanager
def tmpfs(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of ``size`` mounted on ``folder`` (skips unless we may mount one)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root (a real full or read-only disk is the point)")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield folder
    finally:
        if subprocess.run(["umount", str(folder)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(folder)], check=True)


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


def test_a_read_only_folder_is_refused_naming_it_and_nothing_is_lost(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    experiment = write_experiment(in_tmp_path, FAULTS.format(replications=2).replace(
        "faulty_coach", "coach"))
    with tmpfs(in_tmp_path / "disk", "4m") as disk:
        folder = disk / "out"
        uninterrupted(experiment, folder)  # two replications stored
        experiment.write_text(FAULTS.format(replications=3).replace("faulty_coach", "coach"),
                              encoding="utf-8")
        remount(disk, "ro")
        before = folder_bytes(folder)
        try:
            for argv, target in (
                    (["sweep", experiment, "--out", folder, "--resume"], folder),
                    (["sweep", experiment, "--out", disk / "new"], disk / "new"),
                    (["sweep", experiment, "--out", folder, "--overwrite"], folder)):
                outcome = teamsim(capsys, *argv, "--workers", "1", "--quiet")
                assert outcome.code == 2, outcome.err
                assert outcome.out == ""
                line = only_error_line(outcome.err)
                assert line.startswith(f"teamsim: error: {target / STORE_FILE}: cannot write "
                                       f"into {target} (")
                assert "choose another --out" in line
            outcome = teamsim(capsys, "report", folder)
            assert outcome.code == 2
            assert only_error_line(outcome.err).startswith(
                f"teamsim: error: {folder / STORE_FILE}: cannot write into {folder} (")
        finally:
            remount(disk, "rw")
        assert folder_bytes(folder) == before
        assert not (disk / "new").exists()

        outcome = teamsim(capsys, "sweep", experiment, "--out", folder, "--workers", "1",
                          "--quiet", "--resume")
        assert outcome.code == 0, outcome.err
        assert "2 settings: 2 runs done, 0 failed, 4 already in the store" in outcome.out
        assert_same_data(folder, uninterrupted(experiment, in_tmp_path / "whole"))


def test_a_disk_filling_up_mid_sweep_ends_in_one_line_and_resume_finishes(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, faulty: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    plugin, experiment = faulty
    (in_tmp_path / "markers").mkdir()
    with tmpfs(in_tmp_path / "disk", "4m") as disk:
        folder = disk / "out"
        # In this process, chunks of six runs: two of hands_off (stored), then faulty_coach's,
        # whose first call fills the disk before its chunk is written.
        set_faults(monkeypatch, fill={"at": 1, "path": disk / "filler"},
                   markers=in_tmp_path / "markers")
        outcome = teamsim(capsys, *sweep_args(plugin, experiment, folder, "--workers", "1"))
        assert outcome.code == 1
        assert outcome.out == ""
        line = only_error_line(outcome.err)
        assert line == (f"teamsim: error: {folder / STORE_FILE}: no space left on the device "
                        f"holding {folder}; 12 finished runs are stored and none is lost: "
                        f"free space and continue with "
                        f"{resume_hint(plugin, experiment, folder)}")
        (disk / "filler").unlink()
        assert done_runs(folder) == 12
        ResultsStore.open(folder, verify=True).close()  # whole, not damaged

        outcome = teamsim(capsys, *sweep_args(plugin, experiment, folder, "--workers", "1",
                                              "--resume"))
        assert outcome.code == 0, outcome.err
        assert "12 runs done, 0 failed, 12 already in the store" in outcome.out
        assert_same_data(folder, uninterrupted(experiment, in_tmp_path / "whole"))


# --- a killed worker, a killed sweep --------------------------------------------------------


def test_a_worker_killed_at_two_points_ends_each_sweep_in_one_line_and_resume_finishes(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, faulty: tuple[Path, Path],
        monkeypatch: pytest.MonkeyPatch) -> None:
    plugin, experiment = faulty
    folder = in_tmp_path / "out"
    markers = in_tmp_path / "markers"
    markers.mkdir()
    # Point 0: a worker's first call of faulty_coach; point 1: the 27th call in a worker
    # of the resumed sweep (its second chunk of faulty_coach).
    set_faults(monkeypatch, kill_at=[1, 27], markers=markers)
    stored = []
    for extra in ((), ("--resume",)):
        started = time.monotonic()
        outcome = teamsim(capsys, *sweep_args(plugin, experiment, folder, "--workers", "2",
                                              *extra))
        assert time.monotonic() - started < 3 * SECONDS
        assert outcome.code == 1, outcome.err
        line = only_error_line(outcome.err)
        stored.append(done_runs(folder))
        assert line == (f"teamsim: error: {folder / STORE_FILE}: a worker process died "
                        f"(killed by a signal, or out of memory); {stored[-1]} finished runs "
                        f"are stored and none is lost: continue with "
                        f"{resume_hint(plugin, experiment, folder)}")
    assert sorted(path.name for path in markers.iterdir()) == ["killed_0", "killed_1"]
    assert stored[0] <= stored[1] < 24

    monkeypatch.delenv("TEAMSIM_FAULTS")
    outcome = teamsim(capsys, *sweep_args(plugin, experiment, folder, "--workers", "1",
                                          "--resume"))
    assert outcome.code == 0, outcome.err
    assert f"{24 - stored[1]} runs done, 0 failed, {stored[1]} already in the store" \
        in outcome.out
    assert_same_data(folder, uninterrupted(experiment, in_tmp_path / "whole"))


def kill_when(argv: list[str], ready: Any, log: Path, faults: dict[str, Any]) -> None:
    """Run `teamsim` in a process of its own and SIGKILL it as soon as ``ready()``."""
    environment = os.environ | {"TEAMSIM_FAULTS": json.dumps(faults)}
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "simulation.cli", *argv],
                                   stdout=subprocess.DEVNULL, stderr=stderr, env=environment,
                                   start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while not ready():
                assert process.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, "the sweep did not get there in time"
                time.sleep(0.002)
            os.kill(process.pid, signal.SIGKILL)
            assert process.wait(timeout=60) == -signal.SIGKILL
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)


def test_the_sweep_killed_at_its_start_and_mid_way_resumes_to_the_uninterrupted_data(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path,
        faulty: tuple[Path, Path]) -> None:
    plugin, experiment = faulty
    folder = in_tmp_path / "out"
    store = folder / STORE_FILE
    argv = sweep_args(plugin, experiment, folder, "--workers", "1")
    slow = {"sleep": 0.02}  # faulty_coach's chunks take half a second
    # At its start: as soon as the store is there (before any run is recorded).
    kill_when(argv, store.exists, in_tmp_path / "first.log", slow)
    first = recorded_runs(store)
    # Mid-way through the resumed sweep: once a chunk more is recorded.
    kill_when([*argv, "--resume"], lambda: recorded_runs(store) >= first + 6,
              in_tmp_path / "second.log", slow)
    second = recorded_runs(store)
    assert first < second < 24

    outcome = teamsim(capsys, *argv, "--resume")
    assert outcome.code == 0, outcome.err
    assert f"{24 - second} runs done, 0 failed, {second} already in the store" in outcome.out
    assert_same_data(folder, uninterrupted(experiment, in_tmp_path / "whole"))


# --- strategies that misbehave --------------------------------------------------------------

WRITER = """\
from simulation.model import strategies


def {name}(observation, hours):
    \"\"\"Refills every vacancy by writing into what it reads, then coaches.\"\"\"
    observation.active[...] = 1.0
    return strategies.coach(observation, hours)


strategies.register({name!r}, {name}, vectorised={vectorised})
"""
LATE_NAN = """\
import numpy as np

from simulation.model import strategies


def {name}(observation, hours):
    \"\"\"Coaches, but answers NaN for a team once its weekly output passes 1.6.\"\"\"
    doses = strategies.coach(observation, hours)
    doses[np.sum(observation.output, axis=-1) > 1.6] = np.nan
    return doses


strategies.register({name!r}, {name}, vectorised=True)
"""
LATE_NAN_EXPERIMENT = """\
name = "late_nan"
scenarios = ["four.toml"]
strategies = ["{name}"]
replications = 8
seed = 5

[precision]
outcome = "team_output"
half_width = 1e-9
max_replications = 16
"""
FOUR_QUARTERS = TINY.replace('name = "tiny"', 'name = "four"').replace("quarters = 2",
                                                                         "quarters = 4")


@pytest.fixture
def user_plugin(in_tmp_path: Path) -> Iterator[Any]:
    """Writes a user's plugin file from a template; its modules are dropped afterwards."""
    written: list[Path] = []

    def write(template: str, **fields: Any) -> tuple[Path, str]:
        name = f"user_{uuid.uuid4().hex[:8]}"
        path = in_tmp_path / f"{name}_plugin.py"
        path.write_text(template.format(name=name, **fields), encoding="utf-8")
        written.append(path)
        return path, name

    yield write
    for path in written:
        sys.modules.pop(f"teamsim_plugin_{path.stem}", None)


@pytest.mark.parametrize("vectorised", [False, True])
def test_a_strategy_writing_into_its_observation_fails_the_run_at_once(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, user_plugin: Any,
        vectorised: bool) -> None:
    plugin, name = user_plugin(WRITER, vectorised=vectorised)
    started = time.monotonic()
    outcome = teamsim(capsys, "--plugin", plugin, "run", "baseline", "--strategy", name,
                      "--out", "out", "--quiet")
    assert time.monotonic() - started < SECONDS
    assert outcome.code == 1
    line = only_error_line(outcome.err)
    assert (f"StrategyError: strategy {name!r} (from {plugin}) wrote into its observation "
            f"(assignment destination is read-only)") in line
    assert not (in_tmp_path / "out").exists()

    experiment = write_experiment(in_tmp_path, FAULTS.format(replications=3).replace(
        '["hands_off", "faulty_coach"]', f'["{name}"]'))
    started = time.monotonic()
    outcome = teamsim(capsys, *sweep_args(plugin, experiment, in_tmp_path / "swept",
                                          "--workers", "1"))
    assert time.monotonic() - started < SECONDS
    assert outcome.code == 1
    assert only_error_line(outcome.err).startswith(
        f"teamsim: error: all 3 runs failed (first: tiny, replication 0: StrategyError: "
        f"strategy {name!r} (from {plugin}) wrote into its observation")


@pytest.mark.parametrize("workers", [1, 2])
def test_a_sweep_whose_strategy_answers_nan_late_ends_promptly_with_its_message(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, user_plugin: Any,
        workers: int) -> None:
    plugin, name = user_plugin(LATE_NAN)
    experiment = write_experiment(in_tmp_path, LATE_NAN_EXPERIMENT.format(name=name))
    (in_tmp_path / "four.toml").write_text(FOUR_QUARTERS, encoding="utf-8")
    started = time.monotonic()
    outcome = teamsim(capsys, *sweep_args(plugin, experiment, in_tmp_path / "out",
                                          "--workers", str(workers)))
    # (It hung past two minutes. Starting two worker processes alone takes seconds on a
    # busy machine, so those get more time.)
    assert time.monotonic() - started < SECONDS * (1 if workers == 1 else 3)
    assert outcome.code == 1
    line = only_error_line(outcome.err)
    rows = ledger(in_tmp_path / "out")
    failed = [row for row in rows if row[3] == "failed"]
    # The tiny precision asks for more than max_replications: the cap holds, and runs
    # that failed are not retried round after round.
    assert [replication for _, replication, *_ in rows] == list(range(16))
    assert 0 < len(failed) < 16
    assert line.startswith(f"teamsim: error: {len(failed)} runs failed (first: four, "
                           f"replication {failed[0][1]}: StrategyError: strategy {name!r} "
                           f"(from {plugin}) returned negative or non-finite hours (nan of ")
    assert line.endswith(f"; see {in_tmp_path / 'out'}/report.md")

    if workers == 2:  # each run fails or not as it does alone (no batch hides or sinks it)
        alone = in_tmp_path / "alone"
        sweep(load_as_cli(experiment), alone, workers=1, chunk_size=1, show_progress=False)
        assert ledger(alone) == rows
        pd.testing.assert_frame_equal(load_runs(alone), load_runs(in_tmp_path / "out"))


# --- where a strategy came from -------------------------------------------------------------


def test_the_registry_records_which_plugin_registered_a_strategy(
        in_tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    name = f"mod_{uuid.uuid4().hex[:8]}"
    (in_tmp_path / f"{name}.py").write_text(
        "from simulation.model import strategies\n"
        f"strategies.register({name!r}, strategies.coach, 'coaching again')\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(in_tmp_path))
    try:
        plugins.load_plugins([name])
    finally:
        sys.modules.pop(name, None)
    assert strategies.get(name).source == name
    assert strategies.get(name).title == f"strategy {name!r} (from {name})"
    assert strategies.get("coach").source == ""
    assert strategies.get("coach").title == "strategy 'coach'"
    # The old signature still works; an explicit source wins over the plugin being loaded.
    strategies.register("again_positional", strategies.coach, "positional", replace=True)
    assert strategies.get("again_positional").source == ""
    with strategies.REGISTRY.registering_from("outer.py"):
        strategies.register("explicit", strategies.coach, source="inner.py")
        strategies.register("implicit", strategies.coach)
    assert (strategies.get("explicit").source, strategies.get("implicit").source) == (
        "inner.py", "outer.py")


# --- the replications a precision needs -----------------------------------------------------


def linear_search(values: np.ndarray, target: float, confidence: float = 0.95) -> int:
    """The definition, one n at a time (the old way)."""
    from scipy import stats

    sd, n = float(np.std(values, ddof=1)), len(values)
    while stats.t.ppf(0.5 + confidence / 2, n - 1) * sd / np.sqrt(n) > target:
        n += 1
    return n


def test_replications_needed_is_the_definition_and_quick_whatever_the_target() -> None:
    rng = np.random.default_rng(7)
    for _ in range(60):
        values = rng.normal(0, rng.uniform(0.05, 3.0), int(rng.integers(2, 30)))
        target = float(rng.uniform(0.05, 2.0))
        confidence = float(rng.choice([0.9, 0.95, 0.99]))
        expected = linear_search(values, target, confidence)
        assert replications_needed(values, target, confidence) == expected
        for most in (2, expected - 1, expected, expected + 5):
            assert replications_needed(values, target, confidence, most=max(most, 1)) == \
                min(expected, max(most, 1))
    started = time.monotonic()
    huge = replications_needed([0.0, 1.0, 2.0], 1e-9)
    assert huge > 10**17
    assert replications_needed([0.0, 1.0, 2.0], 1e-9, most=500) == 500
    assert replications_needed([1e300, -1e300, 0.0], 0.1, most=50) == 50  # spread: inf
    assert time.monotonic() - started < 1.0


def test_a_tiny_precision_stops_at_max_replications_promptly(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    experiment = write_experiment(in_tmp_path, FAULTS.format(replications=3).replace(
        "faulty_coach", "coach") + "\n[precision]\nhalf_width = 1.0\nmax_replications = 6\n")
    started = time.monotonic()
    outcome: Outcome = teamsim(capsys, "sweep", experiment, "--out", "out", "--workers", "1",
                               "--quiet", "--precision", "1e-12")
    assert time.monotonic() - started < SECONDS
    assert outcome.code == 0, outcome.err
    assert "2 settings: 12 runs done" in outcome.out
