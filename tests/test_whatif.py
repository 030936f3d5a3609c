"""What-if comparisons for workshops: levers, the paired difference and its sentence."""

from __future__ import annotations

import pytest

from simulation import load_scenario
from simulation.scenario import ConfigError
from simulation.whatif import apply_levers, compare

BASE = load_scenario("attention_withdrawn")


def test_levers_set_the_scenario_keys_they_name():
    config = apply_levers(BASE, {"systems_share": 0.33, "attention_hours": 10.0,
                                 "strategy": "situational"})
    assert config.leader.systems_share == 0.33
    assert config.leader.attention_hours == 10.0
    assert config.leader.strategy == "situational"


@pytest.mark.parametrize(("levers", "named"), [
    ({"attention_hours": 500.0}, "attention_hours"),
    ({"capability": -0.2}, "capability"),
    ({"team_size": 2.5}, "team_size"),
    ({"charisma": 1.0}, "charisma"),
])
def test_a_lever_out_of_range_is_refused_with_a_message_naming_it(levers, named):
    with pytest.raises(ConfigError) as caught:
        apply_levers(BASE, levers)
    assert named in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1


def test_systems_built_first_end_higher_and_the_sentence_says_so():
    a = BASE
    b = apply_levers(BASE, {"systems_share": 0.33})
    result = compare(a, b, replications=12, seed=3)
    row = result.difference
    assert row["low"] > 0
    assert result.sentence.startswith("B ends ")
    assert "higher" in result.sentence
    assert f"{100 * row['relative']:.0f}%" in result.sentence
    assert set(result.runs["label"]) == {"A", "B"}


def test_identical_configurations_are_reported_as_within_noise():
    result = compare(BASE, BASE, replications=6, seed=3)
    assert result.difference["difference"] == 0
    assert "within each other's noise" in result.sentence
