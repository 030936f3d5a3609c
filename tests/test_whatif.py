"""What-if comparisons for workshops: levers, the paired difference and its sentence."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import pytest

from simulation import load_scenario
from simulation.experiments.stats import paired_comparisons
from simulation.figures import whatif_figure
from simulation.model.scenario_files import ConfigError, shipped_scenarios, with_overrides
from simulation.model.strategies import REGISTRY
from simulation.workshop import compute
from simulation.workshop.levers import LEVER_KEYS, MEASURES, apply_levers, levers_of, structures_of
from simulation.workshop.readings import reads_members
from simulation.workshop.sentence import difference_sentence
from simulation.workshop.whatif import (
    compare,
    copy_a_to_b,
    preset_levers,
    presets,
)

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


def test_identical_configurations_are_named_as_such_not_compared():
    result = compare(BASE, BASE, replications=6, seed=3)
    assert result.difference["difference"] == 0
    assert result.sentence.startswith("A and B are the same configuration")


def test_a_small_difference_is_reported_as_no_clear_difference_with_its_interval():
    b = apply_levers(BASE, {"turnover_rate": 0.11})  # a departure more or less, either way
    result = compare(BASE, b, replications=6, seed=3)
    row = result.difference
    assert row["low"] < 0 < row["high"]
    assert result.sentence.startswith("B and A show no clear difference in team output in "
                                      "quarter 12 (95% interval \u2212")
    assert "higher" not in result.sentence and "lower" not in result.sentence


def paired_row(difference: float, low: float, high: float, reference: float = 10.0
               ) -> dict[str, float]:
    """A paired comparison's row, relative to a reference mean of ``reference``."""
    return {"difference": difference, "low": low, "high": high,
            "relative": difference / reference, "relative_low": low / reference,
            "relative_high": high / reference}


@pytest.mark.parametrize(("row", "sentence"), [
    (paired_row(0.0, 0.0, 0.0), "B and A end exactly the same in team output in quarter 12: "
                                "what B changes makes no difference to it here."),
    (paired_row(0.0, -0.2, 0.3), "B and A show no clear difference in team output in "
                                 "quarter 12 (95% interval \u22122% to +3%)."),
    (paired_row(0.01, -0.001, 0.02), "B and A show no clear difference in team output in "
                                     "quarter 12 (95% interval 0.0% to +0.2%)."),
    (paired_row(1.8, 1.2, 2.4), "B ends 18% higher than A in team output in quarter 12 "
                                "(95% interval 12% to 24%)."),
    (paired_row(-0.04, -0.07, -0.01), "B ends 0.4% lower than A in team output in quarter 12 "
                                      "(95% interval 0.1% to 0.7%)."),
])
def test_the_sentence_is_honest_about_null_and_tiny_differences(row, sentence):
    assert difference_sentence(row, 12) == sentence
    assert not re.search(r"(?<![\d.])0% (higher|lower)", sentence)


def test_teams_of_different_sizes_are_compared_per_member_not_in_totals():
    b = apply_levers(BASE, {"team_size": 30})
    result = compare(BASE, b, replications=8, seed=3)
    assert result.outcome == "output_per_member"
    assert "in output per member in quarter 12" in result.sentence
    by_hand = paired_comparisons(result.runs, ["output_per_member"], [12], reference="A")
    assert result.difference["relative"] == pytest.approx(by_hand["relative"].iloc[0])
    totals = paired_comparisons(result.runs, ["team_output"], [12], reference="A")
    assert totals["relative"].iloc[0] > 1  # in totals, B would read hundreds of % higher
    assert abs(result.difference["relative"]) < 1
    assert compare(BASE, apply_levers(BASE, {"systems_share": 0.33}), replications=4,
                   seed=3).outcome == "team_output"


def test_the_sentence_speaks_of_the_chosen_quarter():
    b = apply_levers(BASE, {"systems_share": 0.33})
    result = compare(BASE, b, replications=8, seed=3, quarter=4)
    assert result.quarter == 4
    assert " in quarter 4 " in result.sentence
    by_hand = paired_comparisons(result.runs, ["team_output"], [4], reference="A").iloc[0]
    assert result.difference["relative"] == pytest.approx(by_hand["relative"])
    assert result.runs["quarter"].max() == 12  # the chart still shows every quarter
    assert compare(BASE, b, replications=8, seed=3, quarter=40).quarter == 12
    assert compare(BASE, b, replications=8, seed=3).quarter == 12


def test_levers_read_back_what_they_set():
    levers = levers_of(BASE)
    assert set(levers) == set(LEVER_KEYS)
    assert apply_levers(BASE, levers) == BASE
    assert levers_of(apply_levers(BASE, {"team_size": 12}))["team_size"] == 12


def test_quarter_levers_end_at_the_runs_last_quarter():
    with pytest.raises(ConfigError, match="withdrawn_from_quarter: must be from 0 to 12"):
        apply_levers(BASE, {"withdrawn_from_quarter": 13})
    longer = BASE.__class__(**{**BASE.__dict__, "quarters": 16})
    assert apply_levers(longer, {"withdrawn_from_quarter": 13}).leader.withdrawn_from_quarter \
        == 13


def test_an_unknown_strategy_is_refused_naming_the_strategy_lever():
    with pytest.raises(ConfigError, match="levers: strategy: unknown strategy 'charm'"):
        apply_levers(BASE, {"strategy": "charm"})


def test_the_feedback_cadence_lever_moves_the_feedback_to_a_review_and_costs_output():
    weekly = apply_levers(BASE, {"strategy": "coach", "feedback_cadence": "weekly",
                                 "withdrawn_from_quarter": 0})
    annual = apply_levers(weekly, {"feedback_cadence": "annual"})
    assert annual.leader.feedback_cadence == "annual"
    assert levers_of(annual)["feedback_cadence"] == "annual"
    row = compare(weekly, annual, replications=20).difference
    assert row["relative_high"] < 0  # the annual review ends lower, and surely so
    with pytest.raises(ConfigError, match="levers: feedback_cadence: "):
        apply_levers(BASE, {"feedback_cadence": "monthly"})


def test_every_shipped_scenario_is_a_preset_with_its_story():
    found = presets()
    assert set(found) == set(shipped_scenarios())
    for preset in found.values():
        assert len(preset.story) > 80
        assert "\n" not in preset.story
        assert preset.config.name == preset.name


def test_the_table_holds_a_b_and_the_paired_difference_for_every_quarter():
    b = apply_levers(BASE, {"systems_share": 0.33})
    result = compare(BASE, b, replications=8, seed=5)
    table = result.table()
    assert len(table) == 3 * len(MEASURES) * BASE.quarters
    assert set(table["configuration"]) == {"A", "B", "B-A"}
    last = table[(table.quarter == 12) & (table.measure == "team_output")].set_index(
        "configuration")
    assert last.loc["B-A", "mean"] == pytest.approx(last.loc["B", "mean"] - last.loc["A", "mean"])
    assert last.loc["B-A", "mean"] == pytest.approx(result.difference["difference"])
    assert (table["low"] <= table["mean"]).all() and (table["mean"] <= table["high"]).all()
    exported = pd.read_csv(io.StringIO(result.to_csv()))
    assert exported.shape[0] == table.shape[0]
    pd.testing.assert_frame_equal(exported[table.columns], table, check_exact=False,
                                  rtol=1e-5)


def test_the_csv_records_the_preset_the_seed_and_both_configurations_levers():
    b = apply_levers(BASE, {"systems_share": 0.33, "strategy": "situational"})
    exported = pd.read_csv(io.StringIO(compare(BASE, b, replications=4, seed=7).to_csv()))
    assert (exported["preset"] == "attention_withdrawn").all()
    assert (exported["seed"] == 7).all()
    for name in LEVER_KEYS:
        assert {f"A_{name}", f"B_{name}"} <= set(exported.columns)
    assert (exported["A_systems_share"] == 0).all()
    assert (exported["B_systems_share"] == 0.33).all()
    assert set(exported["A_strategy"]) == {"coach"}
    assert set(exported["B_strategy"]) == {"situational"}
    assert (exported["B_team_size"] == BASE.team.size).all()


def test_different_comparisons_download_under_different_names():
    def name(levers, seed=7, replications=4):
        return compare(BASE, apply_levers(BASE, levers), replications=replications,
                       seed=seed).file_name("csv")
    first = name({"systems_share": 0.33})
    assert first.startswith("teamsim_whatif_attention_withdrawn_") and first.endswith(".csv")
    assert first == name({"systems_share": 0.33})
    assert len({first, name({"systems_share": 0.5}), name({"attention_hours": 12.0}),
                name({"systems_share": 0.33}, seed=8),
                name({"systems_share": 0.33}, replications=5)}) == 5


def test_reset_returns_both_configurations_to_the_presets_levers():
    preset = presets()["attention_withdrawn"]
    reset = preset_levers(preset)
    assert reset == {"A": levers_of(preset.config), "B": levers_of(preset.config)}
    reset["B"]["systems_share"] = 0.5  # each configuration has its own levers
    assert reset["A"]["systems_share"] == 0


def test_copy_a_to_b_gives_b_as_levers_and_leaves_a():
    a = {**levers_of(BASE), "attention_hours": 12.0}
    b = {**levers_of(BASE), "systems_share": 0.33}
    copied = copy_a_to_b({"A": a, "B": b})
    assert copied["A"] == a and copied["B"] == a
    copied["B"]["crisis_rate"] = 1.0
    assert copied["A"]["crisis_rate"] == a["crisis_rate"] == BASE.environment.crisis_rate


# --- the diagnostic levers ----------------------------------------------------------------


def test_a_less_accurate_leader_does_worse_under_a_diagnosing_strategy():
    a = apply_levers(BASE, {"strategy": "diagnose_and_match"})
    b = apply_levers(a, {"diagnostic_accuracy": 0.0})
    assert b.leader.diagnostic_accuracy == 0.0  # the key the model's reading uses
    result = compare(a, b, replications=10, seed=BASE.seed)
    assert result.difference["high"] < 0
    assert "lower than A in team output" in result.sentence


def test_under_a_strategy_that_reads_nobody_the_diagnostic_levers_change_nothing():
    a = apply_levers(BASE, {"strategy": "firefighter"})
    b = apply_levers(a, {"diagnostic_accuracy": 0.0, "bias_strength": 0.6})
    result = compare(a, b, replications=4, seed=3)
    assert result.difference["difference"] == 0
    assert result.sentence.startswith("B and A end exactly the same")
    assert not reads_members("firefighter")
    assert reads_members("diagnose_and_match")


def test_the_page_knows_which_strategies_read_the_members_as_the_model_does():
    for name in REGISTRY.names():
        a = apply_levers(BASE, {"strategy": name})
        b = apply_levers(a, {"diagnostic_accuracy": 0.0, "bias_strength": 0.5})
        runs = compare(a, b, replications=3, seed=1).runs
        moved = not np.array_equal(runs[runs.label == "A"]["team_output"].to_numpy(),
                                   runs[runs.label == "B"]["team_output"].to_numpy())
        assert reads_members(name) == moved, name


def test_the_same_seed_gives_the_same_comparison():
    b = apply_levers(BASE, {"attention_hours": 12.0})
    first = compare(BASE, b, replications=5, seed=11)
    compute.shutdown()  # a fresh service: nothing kept from the first
    second = compare(BASE, b, replications=5, seed=11)
    pd.testing.assert_frame_equal(first.runs, second.runs)
    assert first.sentence == second.sentence


def test_the_comparison_figure_shades_each_configurations_withdrawal():
    b = apply_levers(BASE, {"withdrawn_from_quarter": 3, "withdrawn_quarters": 2})
    result = compare(BASE, b, replications=4, seed=2)
    figure = whatif_figure(result.summary, result.by_label, result.sentence)
    axes = figure.axes
    assert len(axes) == len(MEASURES)
    spans = [patch for patch in axes[0].patches]
    # A is withdrawn in quarters 5-8 and B in 3-4: six shaded quarters, none shared.
    assert len(spans) == 6
    assert figure.get_suptitle().replace("\n", " ") == result.sentence


# --- the team's levers: structure, size, interdependence, complexity -----------------------


@pytest.mark.parametrize(("levers", "key", "value"), [
    ({"structure": "subgroups"}, "network.structure", "subgroups"),
    ({"structure": "hub_and_spoke"}, "network.structure", "hub_and_spoke"),
    ({"structure": "complete"}, "network.structure", "complete"),
    ({"team_size": 30}, "team.size", 30),
    ({"team_size": 2, "structure": "subgroups"}, "team.size", 2),
    ({"interdependence": 0.0}, "work.interdependence", 0.0),
    ({"interdependence": 1.0}, "work.interdependence", 1.0),
    ({"complexity": 0.0}, "work.complexity", 0.0),
    ({"complexity": 1.0}, "work.complexity", 1.0),
])
def test_a_team_lever_in_range_sets_its_scenario_key(levers, key, value):
    table, field = key.split(".")
    assert getattr(getattr(apply_levers(BASE, levers), table), field) == value
    assert key in LEVER_KEYS.values()


@pytest.mark.parametrize(("levers", "message"), [
    ({"interdependence": 1.05}, "levers: interdependence: must be at most 1, got 1.05"),
    ({"interdependence": -0.05}, "levers: interdependence: must be at least 0, got -0.05"),
    ({"interdependence": "high"}, "levers: interdependence: must be a number"),
    ({"complexity": 2.0}, "levers: complexity: must be at most 1, got 2.0"),
    ({"complexity": float("nan")}, "levers: complexity: must be a finite number"),
    ({"team_size": 31}, "levers: team_size: must be from 1 to 30, got 31"),
    ({"team_size": 0}, "levers: team_size: must be at least 1, got 0"),
    ({"structure": "ring"}, "levers: structure: unknown structure 'ring' (known: complete, "
                            "subgroups, hub_and_spoke)"),
    ({"structure": "explicit"}, "levers: structure: unknown structure 'explicit'"),
    ({"structure": ["complete"]}, "levers: structure: unknown structure ['complete']"),
    ({"structure": "subgroups", "team_size": 1},
     "levers: team_size: would split 1 member into 2 subgroups (subgroups need a team of "
     "at least 2)"),
])
def test_a_team_lever_out_of_range_is_refused_in_one_line_naming_it(levers, message):
    with pytest.raises(ConfigError) as caught:
        apply_levers(BASE, levers)
    assert str(caught.value).startswith(message)
    assert len(str(caught.value).splitlines()) == 1


def test_a_structure_that_would_split_too_small_a_team_names_the_structure_lever():
    small = apply_levers(BASE, {"team_size": 1})
    with pytest.raises(ConfigError, match="levers: structure: would split 1 member into 2"):
        apply_levers(small, {"structure": "subgroups"})


@pytest.mark.parametrize("levers", [
    {"structure": "subgroups"}, {"structure": "hub_and_spoke"}, {"interdependence": 0.0},
    {"interdependence": 1.0}, {"complexity": 0.0}, {"complexity": 1.0}])
def test_moving_a_team_lever_changes_the_what_if_result(levers):
    result = compare(BASE, apply_levers(BASE, levers), replications=12, seed=3)
    row = result.difference
    assert row["low"] > 0 or row["high"] < 0, row
    assert result.sentence.startswith("B ends ")


@pytest.mark.parametrize("size", [4, 14])
def test_moving_team_size_changes_the_teams_output_and_is_said_per_member(size):
    result = compare(BASE, apply_levers(BASE, {"team_size": size}), replications=12, seed=3)
    totals = paired_comparisons(result.runs, ["team_output"], [12], reference="A").iloc[0]
    assert totals["low"] > 0 or totals["high"] < 0, totals
    assert "in output per member in quarter 12" in result.sentence


def test_a_preset_that_lists_its_ties_keeps_them_as_its_own_structure():
    explicit = with_overrides(BASE, {"network.structure": "explicit",
                                     "network.ties": [[0, 1, 1.0], [1, 2, 0.5]]})
    levers = levers_of(explicit)
    assert levers["structure"] == "explicit"
    assert apply_levers(explicit, levers) == explicit
    assert structures_of(explicit) == ("complete", "subgroups", "hub_and_spoke", "explicit")
    complete = apply_levers(explicit, {"structure": "complete"})
    assert complete.network.structure == "complete"
    assert complete.network.ties == ()


# --- up to four configurations, spans and the new levers (issue 15) -----------------------


def test_four_configurations_are_each_set_against_a_under_common_random_numbers():
    systems = apply_levers(BASE, {"systems_share": 0.33})
    fewer_hours = apply_levers(BASE, {"attention_hours": 2})
    result = compare(BASE, systems, BASE, fewer_hours, replications=8, seed=3)
    assert result.labels == ("A", "B", "C", "D")
    assert list(result.differences["other"]) == ["B", "C", "D"]
    pair = compare(BASE, systems, replications=8, seed=3)
    assert result.difference["difference"] == pytest.approx(pair.difference["difference"])
    same = result.differences.set_index("other").loc["C"]
    assert same["difference"] == 0 and same["low"] == 0 and same["high"] == 0
    assert result.sentences["C"] == ("C is the same configuration as A: move a lever of C "
                                     "to compare.")
    assert result.sentences["B"].startswith("B ends ") and "higher" in result.sentences["B"]
    assert result.sentences["D"].startswith("D ends ") and "lower than A" in result.sentences["D"]
    table = result.table()
    assert {"A", "B", "C", "D", "B-A", "C-A", "D-A"} == set(table["configuration"])
    assert result.settings()["D_attention_hours"] == 2


def test_more_than_four_configurations_are_refused():
    with pytest.raises(ValueError, match="at most 4"):
        compare(BASE, BASE, BASE, BASE, BASE, replications=2)


def test_the_sentence_can_speak_of_the_withdrawal_as_the_mean_of_its_quarters():
    deputy = apply_levers(BASE, {"deputy_share": 0.8})
    result = compare(BASE, deputy, replications=10, seed=3, span="withdrawal")
    assert result.span.quarters == (5, 6, 7, 8)
    runs = result.runs[result.runs.quarter.isin([5, 6, 7, 8])]
    means = runs.groupby(["label", "replication"])["team_output"].mean().unstack(0)
    assert result.difference["difference"] == pytest.approx((means["B"] - means["A"]).mean())
    assert "over the withdrawal (the mean of quarters 5 to 8)" in result.sentence


def test_the_sentence_can_speak_of_cumulative_output_over_the_whole_run():
    systems = apply_levers(BASE, {"systems_share": 0.33})
    result = compare(BASE, systems, replications=10, seed=3, span="cumulative")
    sums = result.runs.groupby(["label", "replication"])["team_output"].sum().unstack(0)
    assert result.difference["difference"] == pytest.approx((sums["B"] - sums["A"]).mean())
    assert result.difference["relative"] == pytest.approx(
        (sums["B"] - sums["A"]).mean() / sums["A"].mean(), rel=1e-6)
    assert "in cumulative team output over quarters 1 to 12" in result.sentence
    assert result.file_name("csv") != compare(BASE, systems, replications=10,
                                              seed=3).file_name("csv")


def test_a_withdrawal_to_speak_of_needs_a_configuration_that_withdraws():
    baseline = presets()["baseline"].config
    with pytest.raises(ConfigError) as refused:
        compare(baseline, apply_levers(baseline, {"systems_share": 0.2}), replications=2,
                span="withdrawal")
    assert refused.value.key == "span"


def test_output_per_member_can_be_chosen_for_teams_of_the_same_size():
    systems = apply_levers(BASE, {"systems_share": 0.33})
    result = compare(BASE, systems, replications=6, seed=3, outcome="output_per_member")
    assert "in output per member in quarter 12" in result.sentence
    by_hand = paired_comparisons(result.runs, ["output_per_member"], [12], reference="A")
    assert result.difference["difference"] == pytest.approx(by_hand["difference"].iloc[0])
    team = compare(BASE, systems, replications=6, seed=3)
    assert "in team output in quarter 12" in team.sentence
    assert result.difference["difference"] < team.difference["difference"] / 2


def test_the_run_length_lever_sets_the_quarters_and_refuses_to_cut_the_withdrawal():
    shorter = apply_levers(BASE, {"quarters": 8})
    assert shorter.quarters == 8
    assert compare(BASE, shorter, replications=2, seed=3).runs["quarter"].max() == 8
    with pytest.raises(ConfigError) as refused:
        apply_levers(BASE, {"quarters": 3})
    assert refused.value.key == "quarters"
    assert "must be at least 5" in refused.value.problem


@pytest.mark.parametrize(("preset", "levers"), [
    ("attention_withdrawn", {"pressure": 0.95}),
    ("skills_gap_misdiagnosed", {"bias_cause": "direction"})])
def test_pressure_and_the_bias_cause_change_the_what_if_result(preset, levers):
    base = presets()[preset].config
    result = compare(base, apply_levers(base, levers), replications=12, seed=3)
    assert result.difference["low"] > 0 or result.difference["high"] < 0, result.difference
