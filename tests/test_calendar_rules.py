"""The calendar's rules, one at a time: the leader's attention quarter by quarter, the
weeks a crisis takes, scheduled crises and when a new hire starts."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pytest

from simulation.model import calendar_rules as rules
from simulation.model.config import (
    AttentionChange,
    EnvironmentConfig,
    LeaderConfig,
    ScenarioConfig,
)


def leader(*stretches: tuple[int, int, float], **reassignment: Any) -> LeaderConfig:
    """A leader with attention stretches (from_quarter, to_quarter, level), and perhaps a
    reassignment (withdrawn_from_quarter, withdrawn_quarters, withdrawn_level)."""
    return LeaderConfig(attention=tuple(AttentionChange(*s) for s in stretches),
                        **reassignment)


def levels(config: LeaderConfig, quarters: int = 8) -> list[float]:
    """The attention level in quarters 1 to ``quarters``."""
    return [rules.attention_level(config, quarter) for quarter in range(1, quarters + 1)]


def scenario(quarters: int = 2, **environment: Any) -> ScenarioConfig:
    return ScenarioConfig(quarters=quarters,
                          environment=EnvironmentConfig(**environment))


# --- attention ------------------------------------------------------------------------------


def test_a_leader_with_no_schedule_gives_full_attention_throughout():
    assert levels(LeaderConfig()) == [1.0] * 8


def test_an_attention_stretch_includes_its_last_quarter_and_not_the_quarter_after():
    assert levels(leader((2, 4, 0.3)), 6) == [1.0, 0.3, 0.3, 0.3, 1.0, 1.0]


def test_a_one_quarter_stretch_covers_exactly_that_quarter():
    assert levels(leader((3, 3, 0.5)), 5) == [1.0, 1.0, 0.5, 1.0, 1.0]


def test_an_attention_stretch_ending_in_quarter_0_runs_to_the_end_of_the_run():
    config = leader((3, 0, 0.4))
    assert levels(config, 4) == [1.0, 1.0, 0.4, 0.4]
    assert rules.attention_level(config, 200) == 0.4
    assert rules.attention_level(config, 10**6) == 0.4


def test_where_stretches_overlap_the_later_one_in_the_file_wins():
    assert levels(leader((2, 4, 0.2), (3, 5, 0.7)), 6) == [1.0, 0.2, 0.7, 0.7, 0.7, 1.0]
    # Later in the file, not later in time: here the earlier stretch is listed last.
    assert levels(leader((3, 5, 0.7), (2, 4, 0.2)), 6) == [1.0, 0.2, 0.2, 0.2, 0.7, 1.0]


def test_a_reassignment_lasts_its_withdrawn_quarters_and_then_the_leader_is_back():
    config = leader(withdrawn_from_quarter=3, withdrawn_quarters=2, withdrawn_level=0.1)
    assert levels(config, 6) == [1.0, 1.0, 0.1, 0.1, 1.0, 1.0]


def test_a_reassignment_of_0_quarters_lasts_to_the_end_of_the_run():
    config = leader(withdrawn_from_quarter=2, withdrawn_quarters=0, withdrawn_level=0.25)
    assert levels(config, 4) == [1.0, 0.25, 0.25, 0.25]
    assert rules.attention_level(config, 200) == 0.25


def test_a_reassignment_from_quarter_0_never_happens():
    assert levels(leader(withdrawn_from_quarter=0, withdrawn_level=0.1)) == [1.0] * 8


def test_an_attention_stretch_overrides_a_reassignment_where_they_meet():
    config = leader((4, 4, 0.6), withdrawn_from_quarter=3, withdrawn_quarters=3,
                    withdrawn_level=0.1)
    assert levels(config, 7) == [1.0, 1.0, 0.1, 0.6, 0.1, 1.0, 1.0]


def test_the_weekly_schedule_changes_level_at_the_first_week_of_a_quarter():
    config = dataclasses.replace(scenario(quarters=3), leader=leader((2, 2, 0.5)))
    weekly = rules.attention_levels(config)
    assert weekly.shape == (39,)
    assert rules.quarter_of(12) == 1 and rules.quarter_of(13) == 2
    assert weekly[:13].tolist() == [1.0] * 13
    assert weekly[13:26].tolist() == [0.5] * 13
    assert weekly[26:].tolist() == [1.0] * 13


# --- crises ---------------------------------------------------------------------------------


def test_a_crisis_is_under_way_for_its_duration_from_the_week_it_breaks_out():
    starts = np.array([0, 1, 0, 0, 0, 1, 0], dtype=float)
    assert rules.crises_under_way(starts, 1).tolist() == [0, 1, 0, 0, 0, 1, 0]
    assert rules.crises_under_way(starts, 2).tolist() == [0, 1, 1, 0, 0, 1, 1]
    assert rules.crises_under_way(starts, 3).tolist() == [0, 1, 1, 1, 0, 1, 1]


def test_overlapping_crises_are_counted_each_for_its_own_duration():
    starts = np.array([1, 1, 0, 0, 0, 0], dtype=float)
    assert rules.crises_under_way(starts, 3).tolist() == [1, 2, 2, 1, 0, 0]
    two_at_once = np.array([0, 2, 0, 0], dtype=float)
    assert rules.crises_under_way(two_at_once, 2).tolist() == [0, 2, 2, 0]


def test_a_crisis_longer_than_the_run_lasts_to_its_end():
    starts = np.array([0, 1, 0, 0], dtype=float)
    assert rules.crises_under_way(starts, 4).tolist() == [0, 1, 1, 1]
    assert rules.crises_under_way(starts, 52).tolist() == [0, 1, 1, 1]
    # One week shorter than the run: a crisis from the first week is over in the last.
    assert rules.crises_under_way(np.array([1, 0, 0, 0.0]), 3).tolist() == [1, 1, 1, 0]


def test_crises_under_way_are_counted_for_every_run_of_a_batch():
    starts = np.array([[1, 0, 0, 0], [0, 0, 1, 0]], dtype=float)
    assert rules.crises_under_way(starts, 2).tolist() == [[1, 1, 0, 0], [0, 0, 1, 1]]


def test_scheduled_crises_strike_in_their_week_and_those_beyond_the_run_are_ignored():
    # Two quarters are weeks 1 to 26; scheduled weeks are 1-based, the array 0-based.
    config = scenario(quarters=2, crisis_rate=0.0, scheduled_crises=(1, 13, 13, 26, 27, 500))
    no_random_crisis = np.ones(26)
    started = rules.crisis_starts(config, no_random_crisis)
    assert started.shape == (26,)
    assert {week: count for week, count in enumerate(started) if count} == {0: 1.0, 12: 2.0,
                                                                            25: 1.0}


def test_a_random_crisis_strikes_where_the_weeks_uniform_falls_below_the_weekly_chance():
    config = scenario(quarters=1, crisis_rate=1.3)
    chance = rules.weekly_probability(1.3)
    assert chance == pytest.approx(1 - np.exp(-0.1))
    uniforms = np.full(13, 0.99)
    uniforms[[2, 7]] = [chance - 1e-9, chance + 1e-9]
    assert np.flatnonzero(rules.crisis_starts(config, uniforms)).tolist() == [2]


def test_the_timeline_keeps_each_crisis_under_way_for_the_scenarios_crisis_weeks():
    config = scenario(quarters=1, crisis_rate=0.0, crisis_weeks=3, scheduled_crises=(2, 12))
    assert rules.crisis_duration(config) == 3
    started = rules.crisis_starts(config, np.ones(13))
    active = rules.crises_under_way(started, rules.crisis_duration(config))
    assert np.flatnonzero(active).tolist() == [1, 2, 3, 11, 12]


# --- vacancies ------------------------------------------------------------------------------


def test_a_new_hire_starts_after_the_week_of_leaving_and_the_hiring_delay():
    assert rules.hire_start_week(5, scenario(hiring_delay_weeks=8)) == 14
    # No delay: the slot is filled at the start of the next week.
    assert rules.hire_start_week(5, scenario(hiring_delay_weeks=0)) == 6
    weeks = rules.hire_start_week(np.array([0, 12, 20]), scenario(hiring_delay_weeks=12))
    assert weeks.tolist() == [13, 25, 33]  # week 13 (0-based) is a quarter's first
