"""Scenario files: every shipped one loads and runs; every bad one is refused in one line."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

import simulation
from simulation.model import strategies
from simulation.model.metrics import outcome_columns
from simulation.model.scenario_files import (
    ConfigError,
    load_scenario,
    shipped_scenarios,
    with_overrides,
)

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
SHIPPED_FILES = sorted(path for path in SCENARIO_DIR.glob("*.toml")
                       if "[[teams]]" not in path.read_text(encoding="utf-8"))
"""The shipped scenarios (organisation files, with [[teams]], are tested in
test_organisation.py)."""


def load_shipped(path: Path) -> simulation.ScenarioConfig:
    return load_scenario(path, strategy_exists=strategies.REGISTRY.__contains__)


def test_the_repository_ships_scenario_files() -> None:
    # Guards the parametrised tests below against silently running over nothing.
    assert len(SHIPPED_FILES) >= 10


def test_every_scenario_file_can_be_run_by_its_name() -> None:
    assert {path.stem for path in SHIPPED_FILES} <= set(shipped_scenarios())


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda path: path.stem)
def test_shipped_scenario_loads_with_a_title_and_a_story(path: Path) -> None:
    config = load_shipped(path)
    assert config.title.strip()
    assert "\n" not in config.title.strip()
    story = config.description.strip()
    assert len(story.split()) >= 20, "the description should be at least a paragraph"
    assert story.endswith((".", "!", "?")), "the description should end in a full sentence"


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda path: path.stem)
def test_shipped_scenario_is_named_after_its_file(path: Path) -> None:
    # results/<name>/ then matches the file a reader looks for.
    assert load_shipped(path).name == path.stem


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda path: path.stem)
def test_shipped_scenario_runs_and_the_team_produces(path: Path) -> None:
    shipped = load_shipped(path)
    # As short a run as still holds every event the scenario schedules (a shorter one
    # would contradict its own keys, which the loader refuses).
    leader = shipped.leader
    quarters = max(2, leader.withdrawn_from_quarter, leader.systems_until_quarter,
                   *(max(s.from_quarter, s.to_quarter) for s in leader.attention),
                   *(-(-week // 13) for week in shipped.environment.scheduled_crises))
    config = with_overrides(shipped, {"quarters": quarters})
    model = simulation.TeamModel(config, seed=20260101, replication=0)
    try:
        frame = model.run().quarterly_frame()
    finally:
        model.release()
    assert len(frame) == quarters
    assert frame["quarter"].tolist() == list(range(1, quarters + 1))
    outcomes = frame[outcome_columns()].to_numpy(dtype=float)
    assert np.all(np.isfinite(outcomes))
    assert (frame["team_output"] > 0).all()


# --- bad files --------------------------------------------------------------------------

BAD_FILES = {
    # id: (file text, the key the message must name; None where the problem has no key)
    "unknown_top_level_key": ("quarters = 2\nquartrs = 3\n", "quartrs"),
    "unknown_key_in_table": ("[leader]\natention_hours = 8\n", "leader.atention_hours"),
    "text_for_whole_number": ('[team]\nsize = "eight"\n', "team.size"),
    "fraction_for_whole_number": ("[team]\nsize = 8.5\n", "team.size"),
    "boolean_for_number": ("[leader]\nattention_hours = true\n", "leader.attention_hours"),
    "boolean_for_whole_number": ("quarters = false\n", "quarters"),
    "number_for_text": ("[leader]\nstrategy = 3\n", "leader.strategy"),
    "above_range": ("[leader]\nattention_hours = 500\n", "leader.attention_hours"),
    "below_range": ("[team]\ncapability = -0.1\n", "team.capability"),
    "not_finite": ("[leader]\nattention_hours = nan\n", "leader.attention_hours"),
    "bad_choice": ('[leader]\nbias_cause = "luck"\n', "leader.bias_cause"),
    "table_for_value": ("[quarters]\nfirst = 1\n", "quarters"),
    "inline_table_for_text": ("title = { text = 'x' }\n", "title"),
    "value_for_table": ("team = 3\n", "team"),
    "unknown_strategy": ('[leader]\nstrategy = "charisma"\n', "leader.strategy"),
    "value_for_list_of_tables": ("[leader]\nattention = 3\n", "leader.attention"),
    "bad_value_in_list_of_tables": (
        "[[leader.attention]]\nfrom_quarter = 2\nlevel = 0.5\n"
        "[[leader.attention]]\nfrom_quarter = 5\nlevel = 3.5\n",
        "leader.attention[1].level"),
    "unknown_key_in_list_of_tables": (
        "[[leader.attention]]\nfrom_quarter = 2\nlevl = 0.5\n", "leader.attention[0].levl"),
    "toml_syntax_error": ("quarters = 2\n[leader\nattention_hours = 8\n", None),
    "empty_file": ("", None),
    "only_comments": ("# a scenario still to be written\n", None),
}


def assert_one_line_naming(error: ConfigError, path: Path, key: str | None) -> str:
    message = str(error)
    assert message.strip(), "the message must say something"
    assert len(message.splitlines()) == 1, f"not one line: {message!r}"
    assert str(path) in message
    if key is not None:
        assert key in message
        assert error.key == key
    return message


@pytest.mark.parametrize(("text", "key"), list(BAD_FILES.values()), ids=list(BAD_FILES))
def test_bad_scenario_file_is_refused_in_one_line_naming_file_and_key(
        tmp_path: Path, text: str, key: str | None) -> None:
    path = tmp_path / "bad_scenario.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_scenario(path, strategy_exists=strategies.REGISTRY.__contains__)
    assert_one_line_naming(caught.value, path, key)


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "syntax.toml"
    path.write_text("quarters = 2\n[leader\nattention_hours = 8\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    message = assert_one_line_naming(caught.value, path, None)
    assert "line 2" in message


def test_missing_scenario_file_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "no_such_scenario.toml"
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    message = assert_one_line_naming(caught.value, path, None)
    assert "no such file" in message


def test_a_folder_given_as_scenario_file_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "folder.toml"
    path.mkdir()
    with pytest.raises(ConfigError) as caught:
        load_scenario(path)
    assert_one_line_naming(caught.value, path, None)


def test_unknown_strategy_is_accepted_when_no_registry_is_consulted(tmp_path: Path) -> None:
    # The check is the caller's choice: without strategy_exists the name is only text.
    path = tmp_path / "later.toml"
    path.write_text('[leader]\nstrategy = "defined_in_a_plugin"\n', encoding="utf-8")
    assert load_scenario(path).leader.strategy == "defined_in_a_plugin"


def test_scenario_without_a_name_is_named_after_its_file(tmp_path: Path) -> None:
    path = tmp_path / "my_team.toml"
    path.write_text("quarters = 3\n", encoding="utf-8")
    config = load_scenario(path)
    assert config.name == "my_team"
    assert config.quarters == 3


# --- overrides ----------------------------------------------------------------------------


def test_dotted_override_changes_that_value_and_nothing_else() -> None:
    config = load_scenario("baseline")
    assert config.leader.attention_hours != 5.0
    changed = with_overrides(config, {"leader.attention_hours": 5})
    assert changed.leader.attention_hours == 5.0
    assert isinstance(changed.leader.attention_hours, float)
    expected = dataclasses.replace(
        config, leader=dataclasses.replace(config.leader, attention_hours=5.0))
    assert changed == expected


def test_top_level_override_changes_the_horizon() -> None:
    config = load_scenario("baseline")
    assert with_overrides(config, {"quarters": 2}).weeks == 26


@pytest.mark.parametrize(("overrides", "key"), [
    ({"leader.attention_hours": 500}, "leader.attention_hours"),
    ({"team.capability": -0.1}, "team.capability"),
    ({"quarters": 0}, "quarters"),
    ({"team.size": 8.5}, "team.size"),
    ({"leader.bias_cause": "luck"}, "leader.bias_cause"),
    ({"leader.atention_hours": 5}, "leader.atention_hours"),
    ({"crew.size": 5}, "crew.size"),
], ids=["above_range", "below_range", "zero_quarters", "fraction_for_whole_number",
        "bad_choice", "unknown_key", "unknown_table"])
def test_bad_override_is_refused_naming_the_key(overrides: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        with_overrides(load_scenario("baseline"), overrides, "the command line")
    message = str(caught.value)
    assert len(message.splitlines()) == 1
    assert key in message
    assert "the command line" in message
