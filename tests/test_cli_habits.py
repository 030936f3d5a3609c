"""The command line's habits: `--version`, `python -m simulation`, progress on standard error
(in place on a terminal, about every tenth of the way in a log, none with `--quiet`, and
what comes after 100% said), `--log-level`, and shell completion."""

from __future__ import annotations

import io
import logging
import platform
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from conftest import teamsim

import simulation
from simulation import cli
from simulation.cli import logs
from simulation.experiments import progress
from simulation.experiments.chunks import PROGRESS_CHUNKS, chunks_of, runs_per_chunk
from simulation.experiments.executors import Progress
from simulation.experiments.run_tasks import RunTask
from simulation.model.scenario_files import load_scenario

TINY = """\
name = "tiny"
quarters = 1
replications = 3
seed = 5
"""
TWELVE_SETTINGS = """\
name = "twelve"
scenarios = ["tiny.toml"]
replications = 5
seed = 3
outcomes = ["team_output"]

[grid]
"leader.attention_hours" = [2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0]
"""
"""Twelve settings of five runs: 60 runs, swept in this process in a few seconds."""
SWEEP_LINE = re.compile(r"^twelve in this process: (\d+)/60 runs \((\d+)%\), ")


def write_tiny(folder: Path) -> Path:
    path = folder / "tiny.toml"
    path.write_text(TINY, encoding="utf-8")
    return path


def subcommands() -> list[str]:
    """Every subcommand of the grammar."""
    parser = cli.build_parser()
    action = next(a for a in parser._actions if a.dest == "command")
    assert action.choices is not None
    return list(action.choices)


# --- --version and python -m simulation -----------------------------------------------------


def expected_version() -> str:
    return (f"teamsim {simulation.__version__} (Python {platform.python_version()}, "
            f"Mesa {metadata.version('mesa')})")


def test_version_names_teamsim_python_and_mesa(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        cli.main(["--version"])
    assert ended.value.code == 0
    assert capsys.readouterr().out == expected_version() + "\n"


def test_python_dash_m_simulation_is_the_teamsim_command_line(in_tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "simulation", "--version"],
                          capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (0, expected_version() + "\n", "")
    write_tiny(in_tmp_path)
    checked = subprocess.run([sys.executable, "-m", "simulation", "check", "tiny.toml"],
                             capture_output=True, text=True, timeout=60)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("tiny.toml: ok (tiny: 1 quarters")
    wrong = subprocess.run([sys.executable, "-m", "simulation", "frobnicate"],
                           capture_output=True, text=True, timeout=60)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith("teamsim: error: argument command: invalid choice")


# --- progress ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str]:
    """`teamsim sweep twelve.toml --workers 1` with standard error not a terminal."""
    home = tmp_path_factory.mktemp("twelve")
    write_tiny(home)
    (home / "twelve.toml").write_text(TWELVE_SETTINGS, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(home)
        patch.setattr(sys, "stdout", out)
        patch.setattr(sys, "stderr", err)
        code = cli.main(["sweep", "twelve.toml", "--workers", "1", "--out", "out"])
    return code, out.getvalue(), err.getvalue()


def test_a_sweep_logs_a_line_about_every_tenth_of_the_way(swept: tuple[int, str, str]
                                                          ) -> None:
    code, out, err = swept
    assert code == 0, err
    lines = err.splitlines()
    moves = [SWEEP_LINE.match(line) for line in lines]
    percents = [int(move.group(2)) for move in moves if move]
    assert 8 <= len(percents) <= 12, err
    assert percents == sorted(percents) and percents[-1] == 100
    steps = [after - before for before, after in zip([0, *percents], percents, strict=False)]
    assert max(steps) <= 20, f"a gap of {max(steps)}% between progress lines:\n{err}"
    assert not any(SWEEP_LINE.match(line) for line in out.splitlines())  # stdout: results


def test_a_sweep_says_what_it_does_after_100_percent(swept: tuple[int, str, str]) -> None:
    _, out, err = swept
    lines = err.splitlines()
    assert lines[-2].startswith("twelve in this process: 60/60 runs (100%)")
    assert re.fullmatch(r"twelve in this process: 60/60 runs done in \d+:\d\d; writing the "
                        r"report and figures \.\.\.", lines[-1])
    assert "12 settings: 60 runs done, 0 failed" in out and "wrote out/" in out


def test_quiet_before_any_command_shows_no_progress(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    write_tiny(in_tmp_path)
    (in_tmp_path / "twelve.toml").write_text(TWELVE_SETTINGS, encoding="utf-8")
    swept = teamsim(capsys, "--quiet", "sweep", "twelve.toml", "--workers", "1")
    assert (swept.code, swept.err) == (0, "")
    assert "12 settings: 60 runs done" in swept.out
    ran = teamsim(capsys, "--quiet", "run", "tiny.toml", "-n", "4", "--out", "run")
    assert (ran.code, ran.err) == (0, "")
    assert "4 replications" in ran.out  # the table is still printed


def test_a_run_shows_its_progress_and_then_what_it_writes(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    write_tiny(in_tmp_path)
    outcome = teamsim(capsys, "run", "tiny.toml", "-n", "10", "--out", "out")
    assert outcome.code == 0, outcome.err
    lines = outcome.err.splitlines()
    assert [line.split(" runs")[0] for line in lines[:-1]] == [
        f"tiny: {done}/10" for done in range(1, 11)]
    assert lines[-1].startswith("tiny: 10/10 runs done in ")
    assert lines[-1].endswith("; drawing the figure and writing the files ...")
    assert "runs (" not in outcome.out and "10 replications" in outcome.out


def test_patterns_show_progress_on_stderr_and_results_on_stdout(
        capsys: pytest.CaptureFixture[str]) -> None:
    outcome = teamsim(capsys, "patterns", "P2", "-n", "2")
    assert outcome.err.startswith("patterns: 1/1 patterns (100%), ")
    assert outcome.out.startswith(" P2 ") and "patterns hold" in outcome.out
    assert "patterns: " not in outcome.out


class Terminal(io.StringIO):
    """A stream that says it is a terminal (one that gives no size)."""

    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_bar_is_redrawn_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TERM", raising=False)
    screen = Terminal()
    with Progress(50, "demo", stream=screen) as bar:
        for _ in range(50):
            bar.advance(1)
        bar.finish("writing the files")
    text = screen.getvalue()
    drawn, _, said = text.rpartition("\n" + "demo: 50/50 runs done in ")
    assert "\n" not in drawn.rstrip("\n")  # every redraw returns to the start of the line
    assert drawn.count("\r") >= 2
    assert "demo: 100%|" in drawn and "50/50 runs" in drawn
    assert said.endswith("; writing the files ...\n")


def test_a_progress_says_nothing_inside_quiet_nor_after_it_finished() -> None:
    text = io.StringIO()
    with progress.quiet():
        silenced = Progress(10, "silenced", stream=text)
        silenced.advance(10)
        silenced.finish("writing")
        progress.announce("announced", stream=text)
    assert text.getvalue() == ""
    finished = Progress(10, "demo", stream=text)
    finished.advance(5)
    finished.finish("the next step")
    finished.advance(5)
    assert text.getvalue().splitlines()[-1].endswith("; the next step ...")
    assert len(text.getvalue().splitlines()) == 2


def test_a_progress_whose_total_grows_counts_against_the_new_total() -> None:
    text = io.StringIO()
    bar = Progress(10, "demo", stream=text)
    bar.reach(10, total=40)
    bar.reach(40)
    assert [line.split(" (")[0] for line in text.getvalue().splitlines()] == [
        "demo: 10/40 runs", "demo: 40/40 runs"]


def tasks(settings: int, replications: int) -> list[RunTask]:
    config = load_scenario("baseline")
    return [RunTask(s, k, 1, config, ("team_output",)) for s in range(settings)
            for k in range(replications)]


@pytest.mark.parametrize(("settings", "replications", "workers"),
                         [(8, 30, 1), (8, 30, 2), (25, 20, 1), (3, 1000, 2), (1024, 10, 2),
                          (2, 30, 1), (2, 12, 2)])
def test_chunks_keep_a_settings_batch_whole_or_in_equal_pieces(
        settings: int, replications: int, workers: int) -> None:
    runs = tasks(settings, replications)
    size = runs_per_chunk(runs, workers, most=1000, batched=True)
    chunks = list(chunks_of(runs, size))
    assert [task for chunk in chunks for task in chunk] == runs  # every run once, in order
    assert all(len(chunk) <= size for chunk in chunks)
    assert len(chunks) >= min(len(runs), 4 * workers)  # every worker kept busy
    pieces = [len([t for t in chunk if t.setting == s]) for chunk in chunks
              for s in {t.setting for t in chunk}]
    assert max(pieces) - min(pieces) <= 1  # a setting is split into equal pieces
    # No batch smaller than fifty runs (or a whole setting) unless the workers need it.
    assert min(pieces) >= min(50, replications, len(runs) // (4 * workers))
    if settings * replications >= PROGRESS_CHUNKS * min(50, replications):
        assert len(chunks) >= PROGRESS_CHUNKS - 1  # a line about every tenth


# --- --log-level --------------------------------------------------------------------------------


def test_log_level_debug_shows_debug_and_info_and_the_default_neither(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    write_tiny(in_tmp_path)
    debug = teamsim(capsys, "--log-level", "debug", "run", "tiny.toml", "-n", "2", "--quiet",
                    "--out", "out")
    assert debug.code == 0, debug.err
    assert "teamsim: debug: simulation.cli: teamsim " in debug.err
    assert "teamsim: info: simulation.cli.runs: tiny: 2 replications on the Mesa model" in \
        debug.err
    info = teamsim(capsys, "--log-level", "info", "run", "tiny.toml", "-n", "2", "--quiet",
                   "--out", "out")
    assert "teamsim: info: tiny: 2 replications" in info.err
    assert "teamsim: debug" not in info.err
    default = teamsim(capsys, "run", "tiny.toml", "-n", "2", "--quiet", "--out", "out")
    assert (default.code, default.err) == (0, "")


def test_warning_hides_info_and_error_hides_warnings(capsys: pytest.CaptureFixture[str]
                                                     ) -> None:
    logger = logging.getLogger("simulation.experiments.sweep")
    before = logging.getLogger("simulation").handlers[:]
    for level in ("warning", "error"):
        with logs.logging_at(level):
            logger.info("an informational message")
            logger.warning("a store started with other code")
            logger.error("a failure")
        err = capsys.readouterr().err.splitlines()
        assert "teamsim: info: an informational message" not in err
        assert ("teamsim: warning: a store started with other code" in err) == (
            level == "warning")
        assert "teamsim: error: a failure" in err
    assert logging.getLogger("simulation").handlers == before  # nothing left behind


# --- completion ---------------------------------------------------------------------------------


def completion(capsys: pytest.CaptureFixture[str], shell: str, *before: str | Path) -> str:
    outcome = teamsim(capsys, *before, "completion", shell)
    assert (outcome.code, outcome.err) == (0, "")
    return outcome.out


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_knows_every_subcommand_and_option(
        capsys: pytest.CaptureFixture[str], shell: str) -> None:
    script = completion(capsys, shell)
    parser = cli.build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    assert subparsers is not None
    for name, subparser in subparsers.items():
        assert re.search(rf"(?<![\w-]){name}(?![\w-])", script), name
        for action in subparser._actions:
            for flag in action.option_strings:
                assert flag.lstrip("-") in script, f"{name} {flag}"
    for word in ("baseline", "strategy_comparison", "diagnose_and_match", "--log-level"):
        assert word.lstrip("-") in script


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script_is_valid_shell(capsys: pytest.CaptureFixture[str],
                                          in_tmp_path: Path, shell: str) -> None:
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    path = in_tmp_path / f"teamsim.{shell}"
    path.write_text(completion(capsys, shell), encoding="utf-8")
    done = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr


BASH_COMPLETES = """\
source "$1"
complete -p teamsim
t() { COMP_WORDS=("$@"); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _teamsim
      echo "${COMPREPLY[*]}"; }
t teamsim ru
t teamsim --plugin my.py sw
t teamsim run --str
t teamsim run --strategy co
t teamsim sweep strat
t teamsim --log-level w
t teamsim calibrate --parameters train_rate trust_g
t teamsim run --strategy my_
"""


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completes_commands_options_and_shipped_names(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    plugin = in_tmp_path / "my.py"
    plugin.write_text("from simulation import strategies\n"
                      "def my_own(observation, hours):\n    return hours * 0\n"
                      "strategies.register('my_own', my_own)\n", encoding="utf-8")
    script = in_tmp_path / "teamsim.bash"
    script.write_text(completion(capsys, "bash", "--plugin", plugin), encoding="utf-8")
    done = subprocess.run(["bash", "-c", BASH_COMPLETES, "bash", str(script)],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "complete -F _teamsim teamsim", "run", "sweep", "--strategy", "coach",
        "strategy_comparison", "warning", "trust_gain", "my_own"]
