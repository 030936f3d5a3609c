"""Inputs a user can type that used to hang, lose data or print a bad message: each is now
one printable line naming the file and the key, exit 2, and nothing written."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import assert_one_error_line, folder_bytes, teamsim

from simulation.model.scenario_files import MAX_MESSAGE, ConfigError, load_scenario


def write(path: Path, text: str | bytes) -> Path:
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_fifo_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    outcome = teamsim(capsys, "check", fifo)
    assert outcome.code == 2
    assert "not a regular file" in assert_one_error_line(outcome, str(fifo))


def test_a_device_is_refused_without_reading_it(capsys):
    outcome = teamsim(capsys, "run", "/dev/zero")
    assert outcome.code == 2
    assert "not a regular file" in assert_one_error_line(outcome, "/dev/zero")


def test_a_file_larger_than_a_mebibyte_is_refused(tmp_path, capsys):
    big = write(tmp_path / "big.toml", "# padding\n" * 120_000)
    outcome = teamsim(capsys, "check", big)
    assert outcome.code == 2
    assert "at most 1,048,576" in assert_one_error_line(outcome, str(big))


def test_a_byte_order_mark_as_windows_notepad_writes_it_is_accepted(tmp_path):
    path = write(tmp_path / "bom.toml", b"\xef\xbb\xbfquarters = 2\n")
    assert load_scenario(path).quarters == 2


def test_deeply_nested_arrays_are_one_line_not_a_recursion_error(tmp_path, capsys):
    deep = write(tmp_path / "deep.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n")
    outcome = teamsim(capsys, "check", deep)
    assert outcome.code == 2
    assert "nested too deeply" in assert_one_error_line(outcome, str(deep))


def test_a_name_too_long_for_a_folder_is_refused_by_check(tmp_path, capsys):
    path = write(tmp_path / "long.toml", f'name = "{"a" * 5000}"\n')
    outcome = teamsim(capsys, "check", path)
    assert outcome.code == 2
    assert "at most 64 characters" in assert_one_error_line(outcome, str(path), "name")


@pytest.mark.parametrize("escape", ["\\u001b[31m", "\\u0007", "\\u0000"])
def test_control_characters_in_a_title_are_refused_and_never_echoed(tmp_path, capsys, escape):
    path = write(tmp_path / "title.toml", f'title = "red{escape}"\n')
    outcome = teamsim(capsys, "check", path)
    assert outcome.code == 2
    line = assert_one_error_line(outcome, str(path), "title")
    assert line.isprintable()


def test_a_huge_value_is_cut_in_the_message(tmp_path):
    path = write(tmp_path / "s.toml", f'[leader]\nstrategy = "{"x" * 100_000}"\n')
    with pytest.raises(ConfigError) as error:
        load_scenario(path, strategy_exists=lambda name: False)
    assert len(str(error.value)) <= MAX_MESSAGE
    assert "leader.strategy" in str(error.value)


@pytest.mark.parametrize(("text", "key", "other"), [
    ("quarters = 4\n[[leader.attention]]\nfrom_quarter = 2\nto_quarter = 1\nlevel = 0.5\n",
     "leader.attention[0].to_quarter", "from_quarter"),
    ("quarters = 4\n[[leader.attention]]\nfrom_quarter = 6\nlevel = 0.5\n",
     "leader.attention[0].from_quarter", "quarters"),
    ("quarters = 4\n[leader]\nwithdrawn_from_quarter = 5\n",
     "leader.withdrawn_from_quarter", "quarters"),
    ("quarters = 2\n[environment]\nscheduled_crises = [27]\n",
     "environment.scheduled_crises[0]", "quarters"),
    ("[team]\ncapability = 0.8\ncapability_ceiling = 0.6\n",
     "team.capability_ceiling", "team.capability"),
])
def test_keys_that_contradict_each_other_are_refused_with_both_named(tmp_path, capsys, text,
                                                                     key, other):
    path = write(tmp_path / "contradiction.toml", text)
    outcome = teamsim(capsys, "check", path)
    assert outcome.code == 2
    assert_one_error_line(outcome, str(path), key, other)


def test_a_grid_of_a_trillion_settings_is_refused_at_once(tmp_path, capsys):
    values = ", ".join(str(i / 100) for i in range(100))
    keys = ["leader.diagnostic_accuracy", "leader.bias_strength", "environment.pressure",
            "environment.barriers", "team.motivation", "team.trust"]
    grid = "".join(f'"{key}" = [{values}]\n' for key in keys)
    path = write(tmp_path / "huge.toml", f'scenarios = ["baseline"]\n[grid]\n{grid}')
    outcome = teamsim(capsys, "check", path)
    assert outcome.code == 2
    assert "--max-work" in assert_one_error_line(outcome, str(path), "grid")


def test_a_million_replications_are_refused_before_a_run_starts(tmp_path, capsys):
    outcome = teamsim(capsys, "run", "baseline", "--replications", "1000000")
    assert outcome.code == 2
    assert "--max-work" in assert_one_error_line(outcome, "--replications")
    assert not (tmp_path / "results").exists()


def test_run_never_replaces_a_folder_another_command_wrote(tmp_path, capsys):
    folder = tmp_path / "results" / "withdrawal_timing"
    folder.mkdir(parents=True)
    write(folder / "report.md", "a sweep's report")
    write(folder / "manifest.json", json.dumps({"experiment": "withdrawal_timing"}))
    scenario = write(tmp_path / "s.toml", 'name = "withdrawal_timing"\nquarters = 1\n')
    before = folder_bytes(tmp_path / "results")
    outcome = teamsim(capsys, "run", scenario, "-n", "2", "--quiet")
    assert outcome.code == 2
    assert_one_error_line(outcome, "--out", "--overwrite")
    assert folder_bytes(tmp_path / "results") == before
    replaced = teamsim(capsys, "run", scenario, "-n", "2", "--quiet", "--overwrite")
    assert replaced.code == 0
    assert not (folder / "report.md").exists()


def test_run_replaces_its_own_earlier_results(tmp_path, capsys):
    assert teamsim(capsys, "run", "baseline", "-n", "2", "--quiet").code == 0
    again = teamsim(capsys, "run", "baseline", "-n", "3", "--quiet")
    assert again.code == 0


def test_check_refuses_what_the_sweep_would_refuse(tmp_path, capsys):
    empty = write(tmp_path / "empty.toml", 'scenarios = ["baseline"]\noutcomes = []\n')
    outcome = teamsim(capsys, "check", empty)
    assert outcome.code == 2
    assert_one_error_line(outcome, str(empty), "outcomes")
    grid = write(tmp_path / "grid.toml",
                 'scenarios = ["baseline"]\n[grid]\n"leader.strategy" = ["coach", "nope"]\n')
    outcome = teamsim(capsys, "check", grid)
    assert outcome.code == 2
    assert_one_error_line(outcome, str(grid), "grid.leader.strategy[1]")


def test_a_design_of_more_settings_than_a_sweep_holds_is_refused_at_once(tmp_path, capsys):
    values = ", ".join(str(i / 400) for i in range(400))
    grid = "".join(f'"{key}" = [{values}]\n' for key in ("team.motivation", "team.trust"))
    path = write(tmp_path / "wide.toml",
                 f'scenarios = ["baseline"]\nreplications = 1\n[grid]\n{grid}')
    outcome = teamsim(capsys, "check", path)
    assert outcome.code == 2
    line = assert_one_error_line(outcome, str(path), "grid")
    assert "160,000" in line or "1.6e+05" in line
    assert "100,000" in line


def test_more_workers_than_the_machine_can_hold_are_refused(tmp_path, capsys):
    outcome = teamsim(capsys, "sweep", "withdrawal_timing", "--workers", "100000", "--quiet")
    assert outcome.code == 2
    assert f"at most {4 * (os.cpu_count() or 1)}" in assert_one_error_line(outcome, "--workers")
    assert not (tmp_path / "results").exists()


def test_reproduce_refuses_more_workers_than_the_machine_can_hold(tmp_path, capsys):
    outcome = teamsim(capsys, "reproduce", "--workers", "100000", "--quiet")
    assert outcome.code == 2
    assert "at most" in assert_one_error_line(outcome, "--workers")
    assert not (tmp_path / "results").exists()
