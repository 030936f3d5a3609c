"""Sweeps, their store, the executors they run on, and the commands built on them (sweep,
compare, report, reproduce).

Experiments here are small (two-quarter scenarios written beside the experiment file) and
run in this process unless processes are the point. Every test runs in its own temporary
folder, and strategies registered by plugins vanish when the test ends.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import io
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from conftest import Outcome, folder_bytes, load_as_cli, only_error_line, recorded_runs, teamsim
from scipy import stats

import simulation
from simulation import cli
from simulation.experiments import executors
from simulation.experiments import run_tasks as run_tasks_module
from simulation.experiments import sweep as sweep_module
from simulation.experiments.comparison import COMPARED_OUTCOMES
from simulation.experiments.executors import InProcessExecutor, Progress, stream
from simulation.experiments.experiment_files import ExperimentConfig, shipped_experiments
from simulation.experiments.report import write_report
from simulation.experiments.reproduce import reproduce, write_results_readme
from simulation.experiments.stats import paired_comparisons
from simulation.experiments.store import STORE_FILE, export, load_runs
from simulation.experiments.sweep import settings_of, sweep
from simulation.model.randomness import RunNoise

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SMALL_SCENARIO = """\
name = "{name}"
quarters = {quarters}
replications = 3
seed = 4242
"""
OUTCOMES = ["team_output", "headcount", "trust_mean", "capability_mean"]
TWO_STRATEGIES = """\
name = "two_strategies"
title = "Hands off against coaching, at two budgets"
scenarios = ["small.toml"]
strategies = ["hands_off", "coach"]
replications = 3
seed = 11
outcomes = ["team_output", "headcount", "trust_mean", "capability_mean"]
reference = "hands_off, leader.attention_hours=4"

[grid]
"leader.attention_hours" = [4.0, 12.0]
"""
"""Four settings (hands_off and coach at 4 and 12 hours) of three replications."""


def write_scenario(folder: Path, name: str = "small", quarters: int = 2,
                   extra: str = "") -> Path:
    """A small scenario file ``<name>.toml``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(SMALL_SCENARIO.format(name=name, quarters=quarters) + extra,
                    encoding="utf-8")
    return path


def write_experiment(folder: Path, text: str, name: str = "experiment.toml",
                     quarters: int = 2) -> Path:
    """An experiment file, with the scenario small.toml of ``quarters`` beside it."""
    write_scenario(folder, quarters=quarters)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def ledger(folder: Path) -> list[tuple[Any, ...]]:
    """The runs table of a store: (setting, replication, seed, status, error), in order."""
    with contextlib.closing(sqlite3.connect(folder / STORE_FILE)) as connection:
        return connection.execute(
            "SELECT setting, replication, seed, status, error FROM runs "
            "ORDER BY setting, replication").fetchall()


@dataclass(frozen=True)
class Swept:
    """One finished `teamsim sweep` of TWO_STRATEGIES, shared by several tests."""

    outcome: Outcome
    experiment: ExperimentConfig
    folder: Path


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> Swept:
    """`teamsim sweep experiment.toml --workers 1 --out out`, run once for the module."""
    home = tmp_path_factory.mktemp("swept")
    path = write_experiment(home, TWO_STRATEGIES)
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(home)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["sweep", path.name, "--workers", "1", "--quiet", "--out", "out"])
    return Swept(Outcome(code, out.getvalue(), err.getvalue()), load_as_cli(path), home / "out")


# --- common random numbers ------------------------------------------------------------------


def test_sweep_exits_zero_and_writes_the_report(swept: Swept) -> None:
    assert swept.outcome.code == 0, swept.outcome.err
    assert swept.outcome.err == ""
    assert "4 settings: 12 runs done, 0 failed" in swept.outcome.out
    for name in ("store.sqlite", "runs.csv", "summary.csv", "comparisons.csv", "report.md"):
        assert (swept.folder / name).is_file(), name


def test_replication_k_meets_the_same_random_numbers_under_every_strategy(
        swept: Swept) -> None:
    settings = settings_of(swept.experiment)
    hands_off, coach = (next(s for s in settings if s.strategy == name
                             and s.factors["leader.attention_hours"] == 4.0)
                        for name in ("hands_off", "coach"))
    runs = load_runs(swept.folder)
    seed = swept.experiment.seed
    models = {(s.strategy, k): simulation.TeamModel(s.config, seed=seed, replication=k)
              for s in (hands_off, coach) for k in range(3)}
    try:
        for k in range(3):
            first, second = models[("hands_off", k)], models[("coach", k)]
            for field in dataclasses.fields(RunNoise):
                np.testing.assert_array_equal(getattr(first.noise, field.name),
                                              getattr(second.noise, field.name))
            np.testing.assert_array_equal(first.state.capability, second.state.capability)
            np.testing.assert_array_equal(first.state.motivation, second.state.motivation)
            seeds = runs[(runs.replication == k) & (runs.quarter == 1)].set_index("setting")
            assert seeds.loc[hands_off.index, "seed"] == seeds.loc[coach.index, "seed"] == seed
        # Different replications are different teams meeting different events.
        zero, one = models[("hands_off", 0)], models[("hands_off", 1)]
        assert not np.array_equal(zero.noise.initial, one.noise.initial)
        assert not np.array_equal(zero.state.capability, one.state.capability)
        assert not np.array_equal(zero.noise.crisis, one.noise.crisis)
    finally:
        for model in models.values():
            model.release()


def test_stored_replication_k_is_the_run_of_seed_and_replication_k(swept: Swept) -> None:
    runs = load_runs(swept.folder)
    setting = settings_of(swept.experiment)[3]
    for k in (0, 2):
        expected = simulation.experiments.replications.run_once(setting.config,
                                                                swept.experiment.seed, k)
        stored = runs[(runs.setting == setting.index) & (runs.replication == k)]
        np.testing.assert_allclose(stored["team_output"].to_numpy(),
                                   expected["team_output"].to_numpy(), rtol=1e-12)
    first, second = (runs[(runs.setting == 0) & (runs.replication == k)]["team_output"]
                     .to_numpy() for k in (0, 1))
    assert not np.array_equal(first, second)
    # The strategies really ran: coaching is not hands-off relabelled.
    by_strategy = runs[runs.quarter == 2].groupby("strategy")["team_output"].mean()
    assert by_strategy["coach"] != by_strategy["hands_off"]


# --- executors ------------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ["batch", "compiled"])
def test_in_process_local_processes_and_dask_give_identical_runs(in_tmp_path: Path,
                                                                 engine: str) -> None:
    """The same store from every executor, on the numpy engine (``batch`` with few runs)
    and with every block compiled (issue 17, item 5)."""
    pytest.importorskip("distributed")
    experiment = load_as_cli(write_experiment(in_tmp_path, TWO_STRATEGIES))
    where = {
        "in_process": ({"workers": 1}, "in this process"),
        "processes": ({"workers": 2}, "2 local worker processes"),
        "dask": ({"workers": 2, "dask_local": True}, "a local Dask cluster of 2 workers"),
    }
    frames = {}
    for name, (options, description) in where.items():
        summary = sweep(experiment, in_tmp_path / name, show_progress=False, engine=engine,
                        **options)
        assert summary.executor == description
        assert (summary.done, summary.failed) == (12, 0)
        frames[name] = load_runs(in_tmp_path / name)
    assert len(frames["in_process"]) == 4 * 3 * 2
    pd.testing.assert_frame_equal(frames["processes"], frames["in_process"])
    pd.testing.assert_frame_equal(frames["dask"], frames["in_process"])


class CountingExecutor(cf.Executor):
    """Hands tasks to another executor, counting those submitted and not yet consumed."""

    def __init__(self, inner: cf.Executor) -> None:
        self.inner = inner
        self.submitted = 0
        self.consumed = 0
        self.most_outstanding = 0

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> cf.Future[Any]:
        """Count, then pass the task on."""
        self.submitted += 1
        self.most_outstanding = max(self.most_outstanding, self.submitted - self.consumed)
        return self.inner.submit(fn, *args, **kwargs)


def slowly_doubled(number: int) -> int:
    time.sleep(0.001 * (number % 4))
    return 2 * number


def test_stream_never_has_more_than_in_flight_tasks_outstanding() -> None:
    pulled = 0
    largest_backlog = 0

    def tasks() -> Iterator[int]:
        nonlocal pulled, largest_backlog
        for number in range(40):
            pulled += 1
            largest_backlog = max(largest_backlog, pulled - counting.consumed)
            yield number

    with cf.ThreadPoolExecutor(max_workers=6) as pool:
        counting = CountingExecutor(pool)
        results = []
        for result in stream(counting, slowly_doubled, tasks(), in_flight=3):
            counting.consumed += 1
            results.append(result)
            if len(results) == 1:
                assert pulled == 3  # tasks are drawn lazily, not all at once
            time.sleep(0.001)  # a slow consumer must not let tasks pile up
    assert counting.most_outstanding == 3
    assert largest_backlog == 3
    assert sorted(results) == [2 * number for number in range(40)]


def test_stream_in_this_process_yields_every_result_once() -> None:
    results = list(stream(InProcessExecutor(), slowly_doubled, range(7), in_flight=2))
    assert sorted(results) == [2 * number for number in range(7)]


def test_in_process_executor_hands_an_error_back_through_the_future() -> None:
    future = InProcessExecutor().submit(int, "not a number")
    assert future.done()
    with pytest.raises(ValueError, match="not a number"):
        future.result()


def test_progress_off_a_terminal_prints_a_line_about_every_tenth() -> None:
    text = io.StringIO()
    progress = Progress(100, "demo", stream=text)
    for _ in range(100):
        progress.advance(1)
    progress.close()
    lines = text.getvalue().splitlines()
    assert len(lines) == 11
    assert lines[-1].startswith("demo: 100/100 runs (100%)")
    assert "ETA" in lines[0]


def test_open_executor_with_one_worker_runs_in_this_process() -> None:
    with executors.open_executor(1) as (executor, count, description):
        assert isinstance(executor, InProcessExecutor)
        assert count == 1
        assert description == "in this process"
        assert executor.submit(threading.get_ident).result() == threading.get_ident()


# --- interrupted sweeps ---------------------------------------------------------------------

KILLED = """\
name = "killed"
scenarios = ["small.toml"]
strategies = ["hands_off", "coach"]
replications = 10
seed = 31
outcomes = ["team_output", "trust_mean", "departures"]

[grid]
"leader.attention_hours" = [4.0, 8.0, 12.0]
"""
KILLED_TOTAL = 6 * 10
KILLED_QUARTERS = 6
DEADLINE_SECONDS = 120


def group_ends_within(group: int, seconds: float) -> bool:
    """Whether every process of a process group has exited within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def kill_mid_sweep(experiment: Path, folder: Path, log: Path) -> int:
    """Start a 2-worker sweep in its own session, SIGKILL it (and its workers) as soon as a
    chunk is committed; the number of runs it had recorded."""
    command = [sys.executable, "-m", "simulation.cli", "sweep", str(experiment), "--out",
               str(folder), "--workers", "2", "--quiet"]
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen(command, cwd=experiment.parent, stdout=subprocess.DEVNULL,
                                   stderr=stderr, start_new_session=True)
        try:
            deadline = time.monotonic() + DEADLINE_SECONDS
            while recorded_runs(folder / STORE_FILE) == 0:
                assert process.poll() is None, log.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, "no run was recorded in time"
                time.sleep(0.005)
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=DEADLINE_SECONDS)
            # The workers notice their sweep is gone and end themselves.
            assert group_ends_within(process.pid, 10.0), "worker processes were left behind"
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)  # the orphaned workers
            if process.poll() is None:
                process.kill()
                process.wait(timeout=DEADLINE_SECONDS)
    assert process.returncode == -signal.SIGKILL
    return recorded_runs(folder / STORE_FILE)


def test_a_sweep_killed_mid_way_resumes_to_the_store_of_an_uninterrupted_one(
        in_tmp_path: Path) -> None:
    path = write_experiment(in_tmp_path, KILLED, quarters=KILLED_QUARTERS)
    killed = kill_mid_sweep(path, in_tmp_path / "killed", in_tmp_path / "killed.log")
    assert 0 < killed < KILLED_TOTAL
    with contextlib.closing(sqlite3.connect(in_tmp_path / "killed" / STORE_FILE)) as db:
        # Committed runs are whole: every recorded run has all its quarters.
        outcome_rows = db.execute("SELECT COUNT(*) FROM outcomes").fetchone()[0]
    assert outcome_rows == KILLED_QUARTERS * killed

    experiment = load_as_cli(path)
    resumed = sweep(experiment, in_tmp_path / "killed", workers=1, resume=True,
                    show_progress=False)
    assert (resumed.skipped, resumed.done, resumed.failed) == (killed, KILLED_TOTAL - killed, 0)
    sweep(experiment, in_tmp_path / "whole", workers=1, show_progress=False)

    pd.testing.assert_frame_equal(load_runs(in_tmp_path / "killed"),
                                  load_runs(in_tmp_path / "whole"))
    assert ledger(in_tmp_path / "killed") == ledger(in_tmp_path / "whole")
    assert len(ledger(in_tmp_path / "whole")) == KILLED_TOTAL


SMALL_EXPERIMENT = """\
name = "small_experiment"
scenarios = ["small.toml"]
strategies = ["hands_off", "coach"]
replications = 2
seed = {seed}
"""


def test_sweeping_into_a_used_folder_needs_resume_or_overwrite(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    path = write_experiment(in_tmp_path, SMALL_EXPERIMENT.format(seed=1))
    assert teamsim(capsys, "sweep", path, "--out", "out", "--workers", "1", "--quiet").code == 0
    before = folder_bytes(in_tmp_path / "out")
    outcome = teamsim(capsys, "sweep", path, "--out", "out", "--workers", "1", "--quiet")
    assert outcome.code == 2
    line = only_error_line(outcome.err)
    assert "--resume" in line and "--overwrite" in line
    assert str(Path("out") / STORE_FILE) in line
    assert outcome.out == ""
    assert folder_bytes(in_tmp_path / "out") == before


def test_overwrite_starts_the_store_again(capsys: pytest.CaptureFixture[str],
                                          in_tmp_path: Path) -> None:
    path = write_experiment(in_tmp_path, SMALL_EXPERIMENT.format(seed=1))
    assert teamsim(capsys, "sweep", path, "--out", "out", "--workers", "1", "--quiet").code == 0
    path.write_text(SMALL_EXPERIMENT.format(seed=2), encoding="utf-8")
    outcome = teamsim(capsys, "sweep", path, "--out", "out", "--workers", "1", "--quiet",
                      "--overwrite")
    assert outcome.code == 0, outcome.err
    assert "4 runs done, 0 failed, 0 already in the store" in outcome.out
    rows = ledger(in_tmp_path / "out")
    assert len(rows) == 4
    assert {seed for _, _, seed, _, _ in rows} == {2}


def test_an_interrupted_overwrite_leaves_the_earlier_results_untouched(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_experiment(in_tmp_path, SMALL_EXPERIMENT.format(seed=1))
    assert teamsim(capsys, "sweep", path, "--out", "out", "--workers", "1", "--quiet").code == 0
    (in_tmp_path / "out" / "notes.txt").write_text("mine", encoding="utf-8")
    before = folder_bytes(in_tmp_path / "out")

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr(sweep_module.ResultsStore, "write", interrupted)
        with pytest.raises(KeyboardInterrupt):
            teamsim(capsys, "sweep", path, "--out", "out", "--workers", "1", "--quiet",
                    "--overwrite")
    assert folder_bytes(in_tmp_path / "out") == before
    assert not [p.name for p in in_tmp_path.iterdir() if p.name.startswith(".")]
    done = teamsim(capsys, "sweep", path, "--out", "out", "--workers", "1", "--quiet",
                   "--overwrite")
    assert done.code == 0, done.err
    assert not (in_tmp_path / "out" / "notes.txt").exists()
    assert len(ledger(in_tmp_path / "out")) == 4


def test_a_sweep_into_a_folder_of_other_files_needs_overwrite(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    path = write_experiment(in_tmp_path, SMALL_EXPERIMENT.format(seed=1))
    (in_tmp_path / "data").mkdir()
    (in_tmp_path / "data" / "raw.csv").write_text("a,b\n", encoding="utf-8")
    outcome = teamsim(capsys, "sweep", path, "--out", "data", "--workers", "1", "--quiet")
    assert outcome.code == 2
    line = only_error_line(outcome.err)
    assert "--out data" in line and "--overwrite" in line
    assert sorted(p.name for p in (in_tmp_path / "data").iterdir()) == ["raw.csv"]


def test_resuming_a_changed_experiment_is_refused(capsys: pytest.CaptureFixture[str],
                                                  in_tmp_path: Path) -> None:
    path = write_experiment(in_tmp_path, SMALL_EXPERIMENT.format(seed=1))
    assert teamsim(capsys, "sweep", path, "--out", "out", "--workers", "1", "--quiet").code == 0
    before = folder_bytes(in_tmp_path / "out")
    path.write_text(SMALL_EXPERIMENT.format(seed=2), encoding="utf-8")
    outcome = teamsim(capsys, "sweep", path, "--out", "out", "--workers", "1", "--quiet",
                      "--resume")
    assert outcome.code == 2
    line = only_error_line(outcome.err)
    assert "different" in line and "--overwrite" in line
    assert folder_bytes(in_tmp_path / "out") == before


def test_resume_and_overwrite_together_are_refused(capsys: pytest.CaptureFixture[str],
                                                   in_tmp_path: Path) -> None:
    path = write_experiment(in_tmp_path, SMALL_EXPERIMENT.format(seed=1))
    outcome = teamsim(capsys, "sweep", path, "--resume", "--overwrite")
    assert outcome.code == 2
    assert "--resume" in only_error_line(outcome.err)
    assert not (in_tmp_path / "results").exists()


# --- failing runs ---------------------------------------------------------------------------

PICKY_PLUGIN = """\
import numpy as np

from simulation.model import strategies


def picky(observation, hours):
    \"\"\"Coaches, but refuses to lead with more than ten hours a week.\"\"\"
    if float(np.max(hours)) > 10:
        raise ValueError(f"refuses {{float(np.max(hours)):g}} hours")
    return strategies.coach(observation, hours)


strategies.register({name!r}, picky, replace=True)
"""
PICKY_EXPERIMENT = """\
name = "picky"
scenarios = ["small.toml"]
strategies = ["{name}"]
replications = 3
seed = 5

[grid]
"leader.attention_hours" = [4.0, 12.0]
"""


@pytest.fixture
def picky(in_tmp_path: Path) -> Iterator[tuple[Path, Path]]:
    """A plugin registering a strategy that fails above ten hours, and an experiment that
    gives it four and twelve."""
    tag = uuid.uuid4().hex[:8]
    name = f"picky_{tag}"
    plugin = in_tmp_path / f"picky_plugin_{tag}.py"
    plugin.write_text(PICKY_PLUGIN.format(name=name), encoding="utf-8")
    experiment = write_experiment(in_tmp_path, PICKY_EXPERIMENT.format(name=name))
    yield plugin, experiment
    sys.modules.pop(f"teamsim_plugin_{plugin.stem}", None)


def test_failing_runs_are_recorded_and_the_sweep_goes_on(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path,
        picky: tuple[Path, Path]) -> None:
    plugin, experiment = picky
    outcome = teamsim(capsys, "--plugin", plugin, "sweep", experiment, "--workers", "2",
                      "--out", "out", "--quiet")
    assert outcome.code == 1
    line = only_error_line(outcome.err)
    assert "3 runs failed" in line
    assert "ValueError: refuses 12 hours" in line
    assert "2 settings: 3 runs done, 3 failed" in outcome.out
    assert ledger(in_tmp_path / "out") == (
        [(0, k, 5, "done", "") for k in range(3)]
        + [(1, k, 5, "failed", "ValueError: refuses 12 hours") for k in range(3)])
    runs = load_runs(in_tmp_path / "out")
    assert set(runs["leader.attention_hours"]) == {4.0}
    assert len(runs) == 3 * 2
    report = (in_tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert "## Failed runs" in report
    assert "3 runs failed" in report
    for k in range(3):
        assert (f"- leader.attention_hours=12, replication {k}: "
                f"ValueError: refuses 12 hours") in report


def test_resume_reruns_only_the_failed_runs(capsys: pytest.CaptureFixture[str],
                                            in_tmp_path: Path, picky: tuple[Path, Path],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    plugin, experiment = picky
    # The agent model, so that every run is one call of run_once to count.
    arguments = ["--plugin", plugin, "sweep", experiment, "--workers", "1", "--out", "out",
                 "--quiet", "--engine", "mesa"]
    assert teamsim(capsys, *arguments).code == 1
    done_before = load_runs(in_tmp_path / "out")
    ran: list[tuple[float, int]] = []
    real_run_once = run_tasks_module.run_once

    def counted(config: Any, seed: int, replication: int) -> pd.DataFrame:
        ran.append((config.leader.attention_hours, replication))
        return real_run_once(config, seed, replication)

    monkeypatch.setattr(run_tasks_module, "run_once", counted)
    outcome = teamsim(capsys, *arguments, "--resume")
    assert outcome.code == 1
    assert sorted(ran) == [(12.0, 0), (12.0, 1), (12.0, 2)]
    assert "0 runs done, 3 failed, 3 already in the store" in outcome.out
    assert [status for *_, status, _ in ledger(in_tmp_path / "out")] == ["done"] * 3 + [
        "failed"] * 3
    pd.testing.assert_frame_equal(load_runs(in_tmp_path / "out"), done_before)


# --- precision ------------------------------------------------------------------------------

PRECISE = """\
name = "precise"
scenarios = ["small.toml"]
strategies = ["hands_off", "coach"]
replications = 4
seed = 17
outcomes = ["team_output", "trust_mean"]

[precision]
outcome = "team_output"
quarter = 1
half_width = 1000.0
max_replications = {most}
"""


def replications_by_setting(folder: Path) -> dict[str, list[int]]:
    runs = load_runs(folder)
    return {label: sorted(group["replication"].unique())
            for label, group in runs.groupby("label")}


def test_a_loose_precision_keeps_the_file_replications(capsys: pytest.CaptureFixture[str],
                                                       in_tmp_path: Path) -> None:
    path = write_experiment(in_tmp_path, PRECISE.format(most=30))
    outcome = teamsim(capsys, "sweep", path, "--precision", "100", "--out", "out",
                      "--workers", "1", "--quiet")
    assert outcome.code == 0, outcome.err
    assert replications_by_setting(in_tmp_path / "out") == {
        "hands_off": [0, 1, 2, 3], "coach": [0, 1, 2, 3]}


def interval_half_width(values: np.ndarray) -> float:
    """The 95% Student-t interval's half-width of a mean, from scipy."""
    return float(stats.t.ppf(0.975, len(values) - 1) * np.std(values, ddof=1)
                 / np.sqrt(len(values)))


@pytest.mark.parametrize(("target", "most"), [(0.28, 30), (0.05, 6)])
def test_a_tight_precision_adds_replications_until_each_interval_is_narrow(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, target: float,
        most: int) -> None:
    path = write_experiment(in_tmp_path, PRECISE.format(most=most))
    outcome = teamsim(capsys, "sweep", path, "--precision", str(target), "--out", "out",
                      "--workers", "1", "--quiet")
    assert outcome.code == 0, outcome.err
    runs = load_runs(in_tmp_path / "out")
    counts = replications_by_setting(in_tmp_path / "out")
    assert all(reps == list(range(len(reps))) for reps in counts.values())
    assert max(len(reps) for reps in counts.values()) > 4
    assert max(len(reps) for reps in counts.values()) <= most
    below_cap = 0
    for label, reps in counts.items():
        values = runs[(runs.label == label) & (runs.quarter == 1)]["team_output"].to_numpy()
        assert len(values) == len(reps)
        if len(reps) < most:
            below_cap += 1
            assert interval_half_width(values) <= target, label
    if most == 30:
        assert below_cap == 2  # the check above was not vacuous
    else:
        assert max(len(reps) for reps in counts.values()) == most  # the cap holds


# --- report, load_runs, export --------------------------------------------------------------


def test_report_regenerates_every_table_and_figure_without_running_a_model(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, swept: Swept,
        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = in_tmp_path / "copy"
    shutil.copytree(swept.folder, folder)
    written = {name: (folder / name).read_bytes()
               for name in ("summary.csv", "comparisons.csv", "report.md")}
    figures = sorted(path.name for path in folder.glob("*.png"))
    assert figures  # the sweep drew some
    for path in folder.iterdir():
        if path.name != STORE_FILE:
            path.unlink()

    def no_runs(*args: object, **kwargs: object) -> None:
        raise AssertionError("report ran a model")

    monkeypatch.setattr(run_tasks_module, "run_once", no_runs)
    monkeypatch.setattr(simulation.experiments.replications, "run_once", no_runs)
    monkeypatch.setattr(simulation.TeamModel, "run", no_runs)
    outcome = teamsim(capsys, "report", folder)
    assert outcome.code == 0, outcome.err
    for name, content in written.items():
        assert (folder / name).read_bytes() == content, name
    assert sorted(path.name for path in folder.glob("*.png")) == figures
    for name in figures:
        assert (folder / name).read_bytes().startswith(PNG_SIGNATURE)
    assert (folder / "runs.csv").is_file()
    assert "| hands_off, leader.attention_hours=4 |" in outcome.out


def test_report_of_a_folder_without_a_store_fails_in_one_line(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    (in_tmp_path / "empty").mkdir()
    outcome = teamsim(capsys, "report", "empty")
    assert outcome.code == 2
    assert STORE_FILE in only_error_line(outcome.err)
    assert list((in_tmp_path / "empty").iterdir()) == []


def test_load_runs_has_one_row_per_setting_replication_and_quarter(swept: Swept) -> None:
    runs = load_runs(swept.folder)
    assert list(runs.columns) == ["setting", "label", "scenario", "strategy",
                                  "leader.attention_hours", "replication", "seed", "quarter",
                                  *OUTCOMES]
    assert len(runs) == 4 * 3 * 2
    assert not runs.duplicated(["setting", "replication", "quarter"]).any()
    keys = set(zip(runs.setting, runs.replication, runs.quarter, strict=True))
    assert keys == {(s, k, q) for s in range(4) for k in range(3) for q in (1, 2)}
    for setting in settings_of(swept.experiment):
        rows = runs[runs.setting == setting.index]
        assert set(rows["label"]) == {setting.label}
        assert set(rows["strategy"]) == {setting.strategy}
        assert set(rows["scenario"]) == {"small"}
        assert set(rows["leader.attention_hours"]) == {
            setting.factors["leader.attention_hours"]}


def test_export_always_writes_csv_and_parquet_with_the_same_table(
        swept: Swept, in_tmp_path: Path) -> None:
    runs = load_runs(swept.folder)
    written = export(runs, in_tmp_path)
    assert written == [in_tmp_path / "runs.csv", in_tmp_path / "runs.parquet"]
    pd.testing.assert_frame_equal(pd.read_csv(in_tmp_path / "runs.csv"), runs)
    pd.testing.assert_frame_equal(pd.read_parquet(in_tmp_path / "runs.parquet"), runs)


# --- compare --------------------------------------------------------------------------------


def difference_rows(stdout: str) -> list[list[str]]:
    """The rows of compare's difference table, split in cells."""
    lines = stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.split()[:2] == ["outcome",
                                                                            "quarter"])
    rows = []
    for line in lines[header + 2:]:
        if line.startswith("("):
            break
        rows.append(line.split())
    return rows


def test_compare_two_strategies_prints_and_writes_their_paired_comparisons(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    write_scenario(in_tmp_path)
    outcome = teamsim(capsys, "compare", "hands_off", "coach", "--scenario", "small.toml",
                      "-n", "3", "--quarters", "1", "2", "--out", "cmp", "--workers", "1",
                      "--quiet")
    assert outcome.code == 0, outcome.err
    rows = difference_rows(outcome.out)
    coach = {(row[0], row[1]) for row in rows if row[2] == "coach"}
    for name, _ in cli.common.TABLE_COLUMNS:
        assert {(name, "1"), (name, "2")} <= coach
    assert len(rows) == len(cli.common.TABLE_COLUMNS) * 2

    runs = pd.read_csv(in_tmp_path / "cmp" / "runs.csv")
    assert list(dict.fromkeys(runs["label"])) == ["hands_off", "coach"]
    assert runs["replication"].nunique() == 3
    recomputed = paired_comparisons(runs, list(COMPARED_OUTCOMES), [1, 2], "hands_off")
    written = pd.read_csv(in_tmp_path / "cmp" / "comparisons.csv")
    pd.testing.assert_frame_equal(written, recomputed, check_exact=False, rtol=1e-12)
    # The printed numbers are those numbers.
    last = recomputed[(recomputed.outcome == "team_output") & (recomputed.quarter == 2)].iloc[0]
    printed = next(row for row in rows if row[:3] == ["team_output", "2", "coach"])
    assert printed[3] == f"{last['difference']:+.3f}"


def test_compare_two_scenario_files_labels_them_by_name(capsys: pytest.CaptureFixture[str],
                                                        in_tmp_path: Path) -> None:
    write_scenario(in_tmp_path)
    write_scenario(in_tmp_path, "smaller", extra="\n[team]\nsize = 5\n")
    outcome = teamsim(capsys, "compare", "small.toml", "smaller.toml", "-n", "3",
                      "--quarters", "1", "2", "--out", "cmp", "--workers", "1", "--quiet")
    assert outcome.code == 0, outcome.err
    comparisons = pd.read_csv(in_tmp_path / "cmp" / "comparisons.csv")
    assert set(comparisons["reference"]) == {"small"}
    assert set(comparisons["other"]) == {"smaller"}
    runs = pd.read_csv(in_tmp_path / "cmp" / "runs.csv")
    assert list(dict.fromkeys(runs["label"])) == ["small", "smaller"]
    assert (runs["label"] == runs["scenario"]).all()
    assert len(runs) == 2 * 3 * 2
    assert any(row[2] == "smaller" for row in difference_rows(outcome.out))


def test_compare_on_a_short_scenario_needs_no_quarters(capsys: pytest.CaptureFixture[str],
                                                       in_tmp_path: Path) -> None:
    write_scenario(in_tmp_path)
    outcome = teamsim(capsys, "compare", "hands_off", "coach", "--scenario", "small.toml",
                      "-n", "3", "--out", "cmp", "--workers", "1", "--quiet")
    assert outcome.code == 0, outcome.err
    comparisons = pd.read_csv(in_tmp_path / "cmp" / "comparisons.csv")
    assert set(comparisons["quarter"]) <= {1, 2}


def test_compare_of_a_single_name_fails_in_one_line(capsys: pytest.CaptureFixture[str],
                                                    in_tmp_path: Path) -> None:
    outcome = teamsim(capsys, "compare", "coach")
    assert outcome.code == 2
    assert "at least two" in only_error_line(outcome.err)
    assert not (in_tmp_path / "results").exists()


# --- reproduce ------------------------------------------------------------------------------

REPRODUCED = """\
name = "{name}"
title = "{title}"
scenarios = ["small.toml"]
strategies = ["hands_off", "{other}"]
replications = 4
seed = 3
quarters = [1, 2]
outcomes = ["team_output", "trust_mean"]
"""


def test_results_readme_names_each_experiment_links_its_report_and_states_a_finding(
        in_tmp_path: Path) -> None:
    results = in_tmp_path / "results"
    reports = []
    for name, other in (("alpha", "coach"), ("beta", "micromanager")):
        path = write_experiment(in_tmp_path / "files", REPRODUCED.format(
            name=name, title=f"Hands off against {other}", other=other), f"{name}.toml")
        sweep(load_as_cli(path), results / name, workers=1, show_progress=False)
        reports.append(write_report(results / name))
    readme = write_results_readme(results, reports, 1.0)
    assert readme == results / "README.md"
    text = readme.read_text(encoding="utf-8")
    for name, other in (("alpha", "coach"), ("beta", "micromanager")):
        assert f"## Hands off against {other}" in text
        assert f"Experiment `{name}`: [report]({name}/report.md)" in text
        assert (results / name / "report.md").is_file()
        finding = re.search(rf"\*\*{other}\*\* ends \d+% (above|below) \*\*hands_off\*\* in "
                            r"team output \(per week\) in quarter 2 \(95% interval "
                            r"[+-]\d+% to [+-]\d+%; d_z -?\d+\.\d; 4 paired replications\)",
                            text)
        assert finding is not None, (other, text)
    for link in re.findall(r"\]\(([^)]+)\)", text):
        assert (results / link).is_file(), link


def test_reproduce_of_an_unknown_experiment_names_the_shipped_ones(in_tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="nope") as raised:
        reproduce(in_tmp_path / "results", workers=1, names=["nope"], show_progress=False)
    for name in shipped_experiments():
        assert name in str(raised.value)
    assert not (in_tmp_path / "results").exists()


SAMPLED = """\
name = "sampled"
scenarios = ["small.toml"]
replications = 2
seed = 5

[sample]
method = "latin_hypercube"
size = 4
[sample.bounds]
"leader.attention_hours" = [2, 12]
"leader.diagnostic_accuracy" = [0.3, 1.0]
"""


def test_a_sampled_design_reports_without_a_tornado_chart(in_tmp_path: Path) -> None:
    experiment = load_as_cli(write_experiment(in_tmp_path, SAMPLED))
    sweep(experiment, in_tmp_path / "out", workers=1, show_progress=False)
    report = write_report(in_tmp_path / "out")
    names = {path.name for path in report.written}
    assert "heatmap.png" in names and "report.md" in names
    assert "tornado.png" not in names
