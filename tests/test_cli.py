"""The command line, driven in-process through ``simulation.cli.main`` (and once for real).

Every test runs in its own temporary folder (nothing is written into the repository), and
every strategy a test registers is removed from the package registry afterwards.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import Outcome, assert_one_error_line, folder_bytes, teamsim

from simulation import cli
from simulation.model import interventions as iv
from simulation.model.scenario_files import load_scenario, to_dict

REPOSITORY = Path(__file__).resolve().parent.parent
SHIPPED_FILES = sorted((REPOSITORY / "scenarios").glob("*.toml"))
ORGANISATION_NAMES = sorted(path.stem for path in SHIPPED_FILES
                            if "[[teams]]" in path.read_text(encoding="utf-8"))
SHIPPED_NAMES = sorted(path.stem for path in SHIPPED_FILES
                       if path.stem not in ORGANISATION_NAMES)
BUILT_IN_STRATEGIES = ("hands_off", "firefighter", "micromanager", "diagnose_and_match",
                       "situational", "marginal_gains", "big_push", "coach")
RESULT_FILES = ["manifest.json", "quarters.csv", "quarters.png", "summary.csv"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HOURS_COLUMNS = [f"hours_{name}" for name in iv.NAMES]

SMALL_SEED = 4242
SMALL_SCENARIO = f"""\
name = "small"
title = "A small test team"
description = "Two quarters of the default team, to keep the tests fast."
quarters = 2
replications = 3
seed = {SMALL_SEED}
"""


def write_small_scenario(folder: Path, name: str = "small.toml") -> Path:
    path = folder / name
    path.write_text(SMALL_SCENARIO, encoding="utf-8")
    return path


@dataclass(frozen=True)
class GoodRun:
    """One successful `teamsim run` of the small scenario, shared by several tests."""

    outcome: Outcome
    scenario: Path
    folder: Path


@pytest.fixture(scope="module")
def good_run(tmp_path_factory: pytest.TempPathFactory) -> GoodRun:
    """`teamsim run small.toml --replications 2 --out out`, run once for the module."""
    home = tmp_path_factory.mktemp("good_run")
    scenario = write_small_scenario(home)
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(home)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli.main(["run", "small.toml", "--replications", "2", "--out", "out"])
    return GoodRun(Outcome(code, out.getvalue(), err.getvalue()), scenario, home / "out")


def table_rows(stdout: str) -> list[list[str]]:
    """The rows of the printed quarterly table (below its header line), split in cells."""
    lines = stdout.splitlines()
    header = next(index for index, line in enumerate(lines)
                  if line.split()[:1] == ["quarter"])
    rows = []
    for line in lines[header + 1:]:
        cells = line.split()
        if not cells or not cells[0].isdigit():
            break
        rows.append(cells)
    return rows


def prints_a_table(stdout: str) -> bool:
    """Whether the output holds the quarterly table's header line."""
    return any(line.split()[:1] == ["quarter"] for line in stdout.splitlines())


# --- a good run ---------------------------------------------------------------------------


def test_run_exits_zero_and_prints_one_table_row_per_quarter(good_run: GoodRun) -> None:
    assert good_run.outcome.code == 0, good_run.outcome.err
    # Standard error holds the progress of the runs and nothing else (no warning, no error).
    assert good_run.outcome.err.splitlines() == [
        line for line in good_run.outcome.err.splitlines() if line.startswith("small: ")]
    assert "small: 2/2 runs done in" in good_run.outcome.err
    rows = table_rows(good_run.outcome.out)
    assert [row[0] for row in rows] == ["1", "2"]
    assert "2 replications" in good_run.outcome.out


def test_run_writes_exactly_the_four_result_files(good_run: GoodRun) -> None:
    assert sorted(path.name for path in good_run.folder.iterdir()) == RESULT_FILES
    # Nothing else beside it either: no staging folder left behind, no results/ folder.
    assert sorted(path.name for path in good_run.folder.parent.iterdir()) == [
        "out", "small.toml"]


def test_quarters_csv_has_one_row_per_replication_and_quarter(good_run: GoodRun) -> None:
    quarters = pd.read_csv(good_run.folder / "quarters.csv")
    assert len(quarters) == 4
    pairs = set(zip(quarters["replication"], quarters["quarter"], strict=True))
    assert pairs == {(0, 1), (0, 2), (1, 1), (1, 2)}
    assert (quarters["seed"] == SMALL_SEED).all()
    assert (quarters["scenario"] == "small").all()
    # Two replications are two different runs, not one run written twice.
    first, second = (quarters[quarters["replication"] == k]["team_output"].to_numpy()
                     for k in (0, 1))
    assert not np.array_equal(first, second)


def test_summary_csv_has_one_row_per_quarter(good_run: GoodRun) -> None:
    summary = pd.read_csv(good_run.folder / "summary.csv")
    assert summary["quarter"].tolist() == [1, 2]
    assert {"team_output", "team_output_low", "team_output_high"} <= set(summary.columns)


def test_manifest_records_configuration_seed_and_versions(good_run: GoodRun) -> None:
    manifest = json.loads((good_run.folder / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["configuration"] == to_dict(load_scenario(good_run.scenario))
    assert manifest["seed"] == SMALL_SEED
    assert manifest["replications"] == 2
    versions = manifest["versions"]
    assert versions["numpy"] == np.__version__
    assert versions["pandas"] == pd.__version__
    assert versions["python"] == ".".join(map(str, sys.version_info[:3]))
    for package in ("teamsim", "mesa", "simpy"):
        assert versions[package] not in ("", "not installed")


def test_figure_is_a_png(good_run: GoodRun) -> None:
    figure = (good_run.folder / "quarters.png").read_bytes()
    assert figure.startswith(PNG_SIGNATURE)
    assert len(figure) > 1000


def test_shipped_scenario_runs_by_name(capsys: pytest.CaptureFixture[str],
                                       in_tmp_path: Path) -> None:
    outcome = teamsim(capsys, "run", "baseline", "--replications", "1", "--out", "out")
    assert outcome.code == 0, outcome.err
    quarters = pd.read_csv(in_tmp_path / "out" / "quarters.csv")
    config = load_scenario("baseline")
    assert len(quarters) == config.quarters
    assert (quarters["scenario"] == "baseline").all()
    assert len(table_rows(outcome.out)) == config.quarters
    manifest = json.loads((in_tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert Path(manifest["source"]).name == "baseline.toml"
    assert sorted(path.name for path in in_tmp_path.iterdir()) == ["out"]


def test_run_without_out_writes_under_results_named_for_the_scenario(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    write_small_scenario(in_tmp_path, "my_file.toml")
    outcome = teamsim(capsys, "run", "my_file.toml", "-n", "1", "--quiet")
    assert outcome.code == 0, outcome.err
    assert not prints_a_table(outcome.out)  # --quiet
    assert sorted(path.name for path in (in_tmp_path / "results" / "small").iterdir()) == (
        RESULT_FILES)


# --- seeds --------------------------------------------------------------------------------


def run_with_seed(capsys: pytest.CaptureFixture[str], scenario: Path, seed: int,
                  out: str) -> bytes:
    outcome = teamsim(capsys, "run", scenario, "-n", "1", "--seed", str(seed), "--out", out,
                      "--quiet")
    assert outcome.code == 0, outcome.err
    return (Path(out) / "quarters.csv").read_bytes()


def test_same_seed_gives_byte_identical_quarters(capsys: pytest.CaptureFixture[str],
                                                 in_tmp_path: Path) -> None:
    scenario = write_small_scenario(in_tmp_path)
    first = run_with_seed(capsys, scenario, 11, "first")
    second = run_with_seed(capsys, scenario, 11, "second")
    assert first == second


def test_another_seed_gives_different_numbers(capsys: pytest.CaptureFixture[str],
                                              in_tmp_path: Path) -> None:
    scenario = write_small_scenario(in_tmp_path)
    run_with_seed(capsys, scenario, 11, "first")
    run_with_seed(capsys, scenario, 12, "second")
    first = pd.read_csv(in_tmp_path / "first" / "quarters.csv")
    second = pd.read_csv(in_tmp_path / "second" / "quarters.csv")
    assert first["seed"].unique().tolist() == [11]
    assert second["seed"].unique().tolist() == [12]
    assert not np.allclose(first["team_output"], second["team_output"])


# --- bad scenario files -------------------------------------------------------------------

BAD_FILES = {
    # id: (file text, or None for a missing file; the key the message must name, if any)
    "unknown_key": ("quarters = 2\n[leader]\natention_hours = 8\n", "leader.atention_hours"),
    "wrong_type": ('quarters = 2\n[team]\nsize = "eight"\n', "team.size"),
    "out_of_range": ("quarters = 2\n[leader]\nattention_hours = 500\n",
                     "leader.attention_hours"),
    "toml_syntax_error": ("quarters = 2\n[leader\nattention_hours = 8\n", None),
    "missing_file": (None, None),
    "empty_file": ("", None),
}


def write_bad_file(folder: Path, text: str | None) -> Path:
    path = folder / "bad_scenario.toml"
    if text is not None:
        path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("text", "key"), list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_bad_scenario_fails_in_one_line_and_writes_nothing(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, text: str | None,
        key: str | None) -> None:
    path = write_bad_file(in_tmp_path, text)
    before = sorted(in_tmp_path.iterdir())
    outcome = teamsim(capsys, "run", path.name, "--replications", "2", "--out", "out")
    assert_one_error_line(outcome, path.name, *([key] if key else []))
    assert not (in_tmp_path / "out").exists()
    assert not (in_tmp_path / "results").exists()
    assert sorted(in_tmp_path.iterdir()) == before


@pytest.mark.parametrize(("text", "key"), list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_bad_scenario_without_out_creates_no_results_folder(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, text: str | None,
        key: str | None) -> None:
    path = write_bad_file(in_tmp_path, text)
    outcome = teamsim(capsys, "run", path.name)
    assert_one_error_line(outcome, path.name, *([key] if key else []))
    assert not (in_tmp_path / "results").exists()


@pytest.mark.parametrize(("text", "key"), list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_bad_scenario_leaves_earlier_results_untouched(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, good_run: GoodRun,
        text: str | None, key: str | None) -> None:
    earlier = folder_bytes(good_run.folder)
    assert sorted(earlier) == RESULT_FILES
    out = in_tmp_path / "out"
    out.mkdir()
    for name, content in earlier.items():
        (out / name).write_bytes(content)
    path = write_bad_file(in_tmp_path, text)
    outcome = teamsim(capsys, "run", path.name, "--replications", "2", "--out", "out")
    assert outcome.code == 2
    assert folder_bytes(out) == earlier


def console_script() -> list[str]:
    """The installed `teamsim` command, else the module run by this interpreter."""
    for candidate in (REPOSITORY / ".venv" / "bin" / "teamsim",
                      Path(sys.executable).parent / "teamsim"):
        if candidate.is_file():
            return [str(candidate)]
    return [sys.executable, "-m", "simulation.cli"]


@pytest.mark.parametrize(("arguments", "names"), [
    (["run", "bad_scenario.toml", "--out", "out"], ["bad_scenario.toml", "team.size"]),
    (["--plugin", "broken_plugin.py", "list"], ["broken_plugin.py", "ZeroDivisionError"]),
], ids=["bad_scenario", "broken_plugin"])
def test_installed_command_reports_bad_input_without_a_traceback(
        in_tmp_path: Path, arguments: list[str], names: list[str]) -> None:
    write_bad_file(in_tmp_path, '[team]\nsize = "eight"\n')
    (in_tmp_path / "broken_plugin.py").write_text("1 / 0\n", encoding="utf-8")
    done = subprocess.run([*console_script(), *arguments], cwd=in_tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)
    assert_one_error_line(Outcome(done.returncode, done.stdout, done.stderr), *names)
    assert not (in_tmp_path / "out").exists()
    assert not (in_tmp_path / "results").exists()


# --- check and list ------------------------------------------------------------------------


def test_check_names_the_bad_file_and_exits_2(capsys: pytest.CaptureFixture[str],
                                              in_tmp_path: Path) -> None:
    write_small_scenario(in_tmp_path, "good.toml")
    (in_tmp_path / "bad.toml").write_text("[team]\nsize = 8.5\n", encoding="utf-8")
    outcome = teamsim(capsys, "check", "good.toml", "bad.toml")
    assert outcome.code == 2
    line = outcome.err.strip()
    assert len(outcome.err.splitlines()) == 1
    assert "bad.toml" in line
    assert "team.size" in line
    assert "good.toml" not in line
    assert "bad.toml: ok" not in outcome.out


def test_check_of_good_files_exits_0(capsys: pytest.CaptureFixture[str],
                                     in_tmp_path: Path) -> None:
    write_small_scenario(in_tmp_path, "good.toml")
    outcome = teamsim(capsys, "check", "good.toml", "baseline")
    assert outcome.code == 0, outcome.err
    assert outcome.err == ""
    assert "good.toml: ok" in outcome.out
    assert "baseline.toml: ok" in outcome.out


def listed_sections(stdout: str) -> dict[str, list[str]]:
    """`teamsim list` output as section title -> first word of each entry."""
    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in stdout.splitlines():
        if line and not line[0].isspace():
            current = sections.setdefault(line.rstrip(":"), [])
        elif line.strip():
            current.append(line.split()[0])
    return sections


def test_list_names_every_shipped_scenario_and_strategy(
        capsys: pytest.CaptureFixture[str]) -> None:
    outcome = teamsim(capsys, "list")
    assert outcome.code == 0
    sections = listed_sections(outcome.out)
    assert set(SHIPPED_NAMES) <= set(sections["Scenarios"])
    assert ORGANISATION_NAMES and set(ORGANISATION_NAMES) <= set(sections["Organisations"])
    assert set(BUILT_IN_STRATEGIES) <= set(sections["Strategies"])
    assert "(invalid:" not in outcome.out


# --- strategies and plugins ------------------------------------------------------------------


def test_strategy_override_is_what_runs(capsys: pytest.CaptureFixture[str],
                                        in_tmp_path: Path) -> None:
    scenario = write_small_scenario(in_tmp_path)
    assert load_scenario(scenario).leader.strategy != "hands_off"
    outcome = teamsim(capsys, "run", scenario.name, "--strategy", "hands_off", "-n", "1",
                      "--out", "out", "--quiet")
    assert outcome.code == 0, outcome.err
    manifest = json.loads((in_tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["configuration"]["leader"]["strategy"] == "hands_off"
    quarters = pd.read_csv(in_tmp_path / "out" / "quarters.csv")
    assert (quarters["strategy"] == "hands_off").all()
    # The hands-off leader really spent nothing, so it was not only relabelled.
    assert (quarters[HOURS_COLUMNS] == 0).all().all()


def test_unknown_strategy_override_fails_in_one_line(capsys: pytest.CaptureFixture[str],
                                                     in_tmp_path: Path) -> None:
    scenario = write_small_scenario(in_tmp_path)
    outcome = teamsim(capsys, "run", scenario.name, "--strategy", "charisma", "--out", "out")
    assert_one_error_line(outcome, "--strategy", "charisma")
    assert not (in_tmp_path / "out").exists()
    assert not (in_tmp_path / "results").exists()


PLUGIN = """\
from simulation.model import strategies


def recognise_everyone(observation, hours):
    \"\"\"Every hour on recognition, shared by everyone in the team.\"\"\"
    weights = observation.active[..., None] * strategies.profile(recognise=1.0)
    return strategies.spread(weights, hours)


strategies.register({name!r}, recognise_everyone, replace=True)
"""


@pytest.fixture
def plugin(in_tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A user's plugin file registering a strategy under a name unique to the test."""
    tag = uuid.uuid4().hex[:8]
    name = f"recognise_everyone_{tag}"
    path = in_tmp_path / f"team_plugin_{tag}.py"
    path.write_text(PLUGIN.format(name=name), encoding="utf-8")
    yield path, name
    sys.modules.pop(path.stem, None)


def test_plugin_strategy_runs_from_the_command_line(capsys: pytest.CaptureFixture[str],
                                                    in_tmp_path: Path,
                                                    plugin: tuple[Path, str]) -> None:
    plugin_file, name = plugin
    scenario = write_small_scenario(in_tmp_path)
    outcome = teamsim(capsys, "--plugin", plugin_file.name, "run", scenario.name,
                      "--strategy", name, "--replications", "1", "--out", "out", "--quiet")
    assert outcome.code == 0, outcome.err
    quarters = pd.read_csv(in_tmp_path / "out" / "quarters.csv")
    assert (quarters["strategy"] == name).all()
    assert set(HOURS_COLUMNS) <= set(quarters.columns)
    assert (quarters["hours_recognise"] > 0).all()
    others = [column for column in HOURS_COLUMNS if column != "hours_recognise"]
    assert (quarters[others] == 0).all().all()


def test_plugin_strategy_is_listed(capsys: pytest.CaptureFixture[str],
                                   plugin: tuple[Path, str]) -> None:
    plugin_file, name = plugin
    outcome = teamsim(capsys, "--plugin", plugin_file.name, "list")
    assert outcome.code == 0, outcome.err
    assert name in listed_sections(outcome.out)["Strategies"]


def test_plugin_strategy_can_be_named_in_a_scenario_file(capsys: pytest.CaptureFixture[str],
                                                         in_tmp_path: Path,
                                                         plugin: tuple[Path, str]) -> None:
    plugin_file, name = plugin
    scenario = in_tmp_path / "uses_plugin.toml"
    scenario.write_text(f'[leader]\nstrategy = "{name}"\n', encoding="utf-8")
    assert teamsim(capsys, "check", scenario.name).code == 2  # unknown without the plugin
    outcome = teamsim(capsys, "--plugin", plugin_file.name, "check", scenario.name)
    assert outcome.code == 0, outcome.err


@pytest.mark.parametrize(("source", "names"), [
    ("raise RuntimeError('no database configured')\n", ["RuntimeError", "no database"]),
    ("import a_module_that_does_not_exist_anywhere\n", ["ModuleNotFoundError"]),
    ("def broken(:\n", ["SyntaxError"]),
    (None, ["no such file"]),
], ids=["raises", "imports_a_missing_module", "syntax_error", "missing_file"])
def test_plugin_that_fails_to_import_fails_in_one_line(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, source: str | None,
        names: list[str]) -> None:
    path = in_tmp_path / f"failing_plugin_{uuid.uuid4().hex[:8]}.py"
    if source is not None:
        path.write_text(source, encoding="utf-8")
    try:
        scenario = write_small_scenario(in_tmp_path)
        outcome = teamsim(capsys, "--plugin", path.name, "run", scenario.name, "--out", "out")
    finally:
        sys.modules.pop(path.stem, None)
    assert_one_error_line(outcome, path.name, *names)
    assert not (in_tmp_path / "out").exists()


def test_plugin_given_as_a_missing_module_name_fails_in_one_line(
        capsys: pytest.CaptureFixture[str]) -> None:
    outcome = teamsim(capsys, "--plugin", "no_such_teamsim_plugin_module", "list")
    assert_one_error_line(outcome, "no_such_teamsim_plugin_module")


@pytest.mark.parametrize("name", ["", "../outside", "a/b"])
def test_a_scenario_name_that_is_not_a_plain_name_is_refused(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path, name: str) -> None:
    kept = in_tmp_path / "results" / "keep" / "x.csv"
    kept.parent.mkdir(parents=True)
    kept.write_text("precious", encoding="utf-8")
    scenario = in_tmp_path / "named.toml"
    scenario.write_text(SMALL_SCENARIO.replace('name = "small"', f"name = {name!r}"),
                        encoding="utf-8")
    assert_one_error_line(teamsim(capsys, "run", scenario), "named.toml", "name")
    assert kept.read_text(encoding="utf-8") == "precious"
    assert not (in_tmp_path / "outside").exists()


def test_out_pointing_at_a_file_is_refused_and_the_file_kept(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    target = in_tmp_path / "notes.txt"
    target.write_text("mine", encoding="utf-8")
    outcome = teamsim(capsys, "run", write_small_scenario(in_tmp_path), "--out", target)
    assert_one_error_line(outcome, "notes.txt")
    assert target.read_text(encoding="utf-8") == "mine"


def test_result_folders_follow_the_umask_not_a_private_mode(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    import os
    previous = os.umask(0o022)
    try:
        outcome = teamsim(capsys, "run", write_small_scenario(in_tmp_path), "-n", "1",
                          "--out", in_tmp_path / "out")
    finally:
        os.umask(previous)
    assert outcome.code == 0
    assert (in_tmp_path / "out").stat().st_mode & 0o777 == 0o755


def test_a_key_with_a_line_break_is_still_reported_in_one_line(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    scenario = in_tmp_path / "odd.toml"
    scenario.write_text('"qu\\narters" = 1\n', encoding="utf-8")
    assert_one_error_line(teamsim(capsys, "check", scenario), "odd.toml", "qu\\narters")


def test_a_misspelt_shipped_scenario_lists_the_shipped_names(
        capsys: pytest.CaptureFixture[str]) -> None:
    message = assert_one_error_line(teamsim(capsys, "run", "basline"), "basline")
    assert "baseline" in message


def test_a_plugin_file_named_like_a_library_does_not_replace_it(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    shadow = in_tmp_path / "json.py"
    shadow.write_text("VALUE = 1\n", encoding="utf-8")
    scenario = write_small_scenario(in_tmp_path)
    outcome = teamsim(capsys, "--plugin", shadow, "run", scenario, "-n", "1", "--out",
                      in_tmp_path / "out")
    assert outcome.code == 0
    assert sys.modules["json"] is json


def test_a_failing_run_reports_one_line_exit_1_and_writes_nothing(
        capsys: pytest.CaptureFixture[str], in_tmp_path: Path) -> None:
    name = f"broken_{uuid.uuid4().hex[:8]}"
    plugin_file = in_tmp_path / "broken_plugin.py"
    plugin_file.write_text(
        "from simulation import strategies\n"
        "def broken(observation, hours):\n"
        "    return hours\n"
        f"strategies.register({name!r}, broken)\n", encoding="utf-8")
    outcome = teamsim(capsys, "--plugin", plugin_file, "run", write_small_scenario(in_tmp_path),
                      "--strategy", name, "--out", in_tmp_path / "out")
    assert outcome.code == 1
    assert len(outcome.err.splitlines()) == 1
    assert name in outcome.err and "shape" in outcome.err
    assert not (in_tmp_path / "out").exists()
