"""Every malformed input of the corpus (tests/malformed_corpus.py) gets what the README
promises: exit code 2, exactly one printable line on standard error (at most 300
characters) naming the file and the key (or the flag, the plugin file, the lever), no
traceback, and nothing written: the folder the command runs in (its results/, any --out
folder inside it, every file and folder) is byte for byte what it was before.

Most cases run in-process through ``simulation.cli.main``, under a time limit. Cases that
may hang or eat memory (a FIFO, /dev/zero, huge designs) run in a process of their own,
forked from a server that has imported the package once (a fresh interpreter takes seconds
to import it), with a time limit, a memory limit, and their own process group so that a
time limit also ends any workers they started; a few of them run side by side, started a
few tests ahead of their turn, so that the ones that hang do not wait out their time
limits one after another.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import malformed_corpus as corpus
import pytest
from conftest import Outcome, teamsim

from simulation import cli
from simulation.model.config import ScenarioConfig
from simulation.model.scenario_files import ConfigError, load_scenario
from simulation.workshop.levers import apply_levers

CASES = corpus.cases()
SHARED_PARSER = cache(cli.build_parser)
"""The command-line grammar, built once: building it takes longer than refusing most bad
inputs, and parsing does not change it."""
MAX_LINE = 300
IN_PROCESS_LIMIT = 10.0
"""Seconds an in-process case may take before it is stopped (so that a hang fails)."""
SLOW = 5.0
"""Seconds after which a case that did finish has still taken too long."""
CHILD_MEMORY = 1024**3
"""Bytes of address space a case in its own process may add to what the server holds."""


# --- running a case ------------------------------------------------------------------------


def write_files(folder: Path, files: dict[str, corpus.FileContent]) -> None:
    """A case's files, in ``folder``."""
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, corpus.Special):
            if content.kind == "fifo":
                os.mkfifo(path)
            elif content.kind == "folder":
                path.mkdir()
            else:
                path.symlink_to(content.target)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def snapshot(folder: Path) -> dict[str, tuple[Any, ...]]:
    """Everything under a folder by relative path: folders, files with their bytes, links
    with their targets, and other kinds (FIFOs) by kind; links are not followed."""
    state: dict[str, tuple[Any, ...]] = {}
    for root, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(root) / name
            relative = str(path.relative_to(folder))
            mode = path.lstat().st_mode
            if stat.S_ISLNK(mode):
                state[relative] = ("link", os.readlink(path))
            elif stat.S_ISDIR(mode):
                state[relative] = ("folder",)
            elif stat.S_ISREG(mode):
                state[relative] = ("file", path.read_bytes())
            else:
                state[relative] = ("special", stat.S_IFMT(mode))
    return state


def changes(before: dict[str, tuple[Any, ...]], after: dict[str, tuple[Any, ...]]) -> list[str]:
    """What was added, removed or changed, by path."""
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(p for p in set(before) & set(after) if before[p] != after[p])
    return ([f"removed {p}" for p in removed] + [f"changed {p}" for p in changed]
            + [f"added {p}" for p in added])


class CaseTimeout(BaseException):
    """An in-process case ran past its time limit (a BaseException, so that the command
    line's own ``except Exception`` does not swallow it)."""


def run_in_process(capsys: pytest.CaptureFixture[str], argv: tuple[str, ...],
                   limit: float) -> tuple[Outcome, bool]:
    """`teamsim argv` in this process, as the console script would end (argparse's exit,
    an escaping exception's traceback); whether it was stopped at ``limit`` seconds."""
    def stop(signum: int, frame: Any) -> None:
        raise CaseTimeout

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return teamsim(capsys, *argv), False
    except SystemExit as done:
        captured = capsys.readouterr()
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        return Outcome(code, captured.out, captured.err), False
    except CaseTimeout:
        captured = capsys.readouterr()
        return Outcome(-1, captured.out, captured.err), True
    except Exception:
        captured = capsys.readouterr()
        return Outcome(1, captured.out, captured.err + traceback.format_exc()), False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture(scope="session")
def forkserver() -> Any:
    """Processes forked from a server that has imported the command line once."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["simulation.cli", "malformed_corpus"])
    warm_up = context.Process(target=os.getpid)  # start the server before any time limit
    warm_up.start()
    warm_up.join(120)
    warm_up.close()
    return context


@dataclass
class Launch:
    """A case started in a process of its own, in a folder of its own."""

    folder: Path
    capture: Path
    before: dict[str, tuple[Any, ...]]
    process: Any
    started: float


class Launcher:
    """Starts the cases that need a process of their own a few tests ahead of their turn
    (at most ``AHEAD`` at a time), so that cases that hang run out their time limits
    side by side instead of one after another; each case's clock starts when it starts."""

    def __init__(self, context: Any, factory: pytest.TempPathFactory,
                 order: list[corpus.Case]) -> None:
        self.context = context
        self.factory = factory
        self.order = order
        self.position = {case.id: index for index, case in enumerate(order)}
        self.launched: dict[str, Launch] = {}

    def launch(self, case: corpus.Case) -> None:
        folder = self.factory.mktemp("case")
        capture = self.factory.mktemp("capture")
        write_files(folder, case.files)
        before = snapshot(folder)
        process = self.context.Process(target=corpus.run_in_child,
                                       args=(case.argv, str(folder), str(capture),
                                             CHILD_MEMORY))
        process.start()
        self.launched[case.id] = Launch(folder, capture, before, process, time.monotonic())

    def result(self, case: corpus.Case) -> tuple[Outcome, bool, Launch]:
        """The case's outcome (killed, with its process group, ``case.timeout`` seconds
        after it started), whether it was killed, and where it ran."""
        index = self.position.get(case.id)
        ahead = self.order[index:index + AHEAD] if index is not None else [case]
        for upcoming in ahead:
            if upcoming.id not in self.launched:
                self.launch(upcoming)
        launch = self.launched.pop(case.id)
        process = launch.process
        process.join(max(0.0, launch.started + case.timeout - time.monotonic()))
        timed_out = process.is_alive()
        if timed_out:
            end_group(process)
        exit_code = process.exitcode
        process.close()

        def read(name: str) -> str:
            path = launch.capture / name
            return path.read_bytes().decode("utf-8", "backslashreplace") if path.exists() else ""

        recorded = read("code").split()
        if recorded:  # it finished: did it take longer than it may?
            code, seconds = int(recorded[0]), float(recorded[1])
            timed_out = timed_out or seconds > case.timeout
        else:  # killed at its time limit, or died without a word (-9: out of memory?)
            code = -1 if timed_out else 1000 + (exit_code or 0)
        return Outcome(code, read("out"), read("err")), timed_out, launch

    def close(self) -> None:
        """End whatever is still running (cases started ahead whose tests never ran)."""
        for launch in self.launched.values():
            if launch.process.is_alive():
                end_group(launch.process)
            launch.process.close()
        self.launched.clear()


AHEAD = 6
"""Cases in processes of their own that may run at the same time."""


def end_group(process: Any) -> None:
    """Kill a case's process and everything it started (its process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.kill()
    process.join()


@pytest.fixture(scope="session")
def launcher(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
             forkserver: Any) -> Iterator[Launcher]:
    """The launcher of this session's cases that need a process of their own, in the order
    their tests run."""
    order = [item.callspec.params["case"] for item in request.session.items
             if hasattr(item, "callspec") and isinstance(item.callspec.params.get("case"),
                                                         corpus.Case)
             and item.callspec.params["case"].process]
    started = Launcher(forkserver, tmp_path_factory, order)
    yield started
    started.close()


@cache
def preset(name: str) -> ScenarioConfig:
    """A workshop preset (a shipped scenario), loaded once."""
    return load_scenario(name)


def pull_levers(case: corpus.Case) -> tuple[Outcome, bool]:
    """``apply_levers`` with the case's levers: a ConfigError counts as exit code 2 with
    its message as the one line; any other exception as exit code 1 with its traceback."""
    assert case.levers is not None
    try:
        apply_levers(preset(case.preset), dict(case.levers))
    except ConfigError as error:
        return Outcome(2, "", f"{error}\n"), False
    except Exception:
        return Outcome(1, "", traceback.format_exc()), False
    return Outcome(0, "", ""), False


# --- the promise ---------------------------------------------------------------------------


def broken_promises(case: corpus.Case, outcome: Outcome, timed_out: bool, seconds: float,
                    written: list[str]) -> list[str]:
    """Every way the outcome falls short of the promise (empty when it keeps it)."""
    problems = []
    if timed_out:
        problems.append(f"did not finish within {seconds:.0f} s")
    if outcome.code != case.code:
        problems.append(f"exit code {outcome.code}, expected {case.code}")
    if "Traceback" in outcome.err:
        problems.append("printed a traceback")
    if case.code == 0:
        if outcome.err:
            problems.append(f"printed on stderr: {outcome.err[:150]!r}")
        return problems
    if outcome.out:
        problems.append(f"printed on stdout: {outcome.out[:100]!r}")
    lines = outcome.err.splitlines()
    if len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr ({len(outcome.err)} characters): "
                        f"{outcome.err[:200]!r}")
    if lines:  # the error line is the last one (argparse puts its usage above it)
        line = lines[-1]
        missing = [name for name in case.names if name not in line]
        if missing:
            problems.append(f"the line does not name {missing}")
        if len(line) > MAX_LINE:
            problems.append(f"the line is {len(line)} characters long")
        if not line.isprintable():
            problems.append(f"the line is not printable: {line[:120]!r}")
    if written:
        problems.append("wrote: " + ", ".join(written[:6])
                        + (f" and {len(written) - 6} more" if len(written) > 6 else ""))
    if problems and outcome.err.strip():
        problems.append(f"its last line: {outcome.err.strip().splitlines()[-1][:160]!r}")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_malformed_input_is_refused_in_one_line_and_nothing_is_written(
        case: corpus.Case, capsys: pytest.CaptureFixture[str], in_tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch, launcher: Launcher) -> None:
    monkeypatch.setattr(cli, "build_parser", SHARED_PARSER)
    if case.process:  # timed by the process itself, killed at its limit
        outcome, timed_out, launch = launcher.result(case)
        folder, before, limit = launch.folder, launch.before, case.timeout
    else:
        folder, limit = in_tmp_path, IN_PROCESS_LIMIT
        write_files(folder, case.files)
        before = snapshot(folder)
        started = time.monotonic()
        if case.levers is not None:
            outcome, timed_out = pull_levers(case)
        else:
            outcome, timed_out = run_in_process(capsys, case.argv, limit)
        seconds = time.monotonic() - started
    written = changes(before, snapshot(folder))
    problems = broken_promises(case, outcome, timed_out, limit, written)
    if not case.process and not timed_out and seconds > SLOW:
        problems.insert(0, f"took {seconds:.1f} s")
    if problems:  # one line per broken promise, without a traceback of this test
        pytest.fail(f"{case.id}: " + "; ".join(problems), pytrace=False)


def test_the_corpus_is_large_and_covers_every_category() -> None:
    counts = {category: sum(case.category == category for case in CASES)
              for category in corpus.CATEGORIES}
    assert len(CASES) >= 300
    assert all(counts.values()), counts
    assert len({case.id for case in CASES}) == len(CASES)
