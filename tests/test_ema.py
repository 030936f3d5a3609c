"""The EMA Workbench adapter: factors' ranges come from the declared ones, bad keys are
one-line errors, the workbench's experiments are the numbers simulation.simulate gives,
PRIM finds a box, and the shipped example's small version runs end to end."""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import simulation
from simulation.analysis.ema import (
    box_limits,
    declared_range,
    design_inputs,
    discover_box,
    ema_model,
    seeded_design,
    workbench,
)
from simulation.model.config import CADENCES, LeaderConfig, ScenarioConfig, TeamConfig
from simulation.model.parameters import Parameters
from simulation.model.scenario_files import ConfigError
from simulation.model.strategies import REGISTRY, StrategyRegistry

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "ema_withdrawal_discovery.py"


def perform(model: Any, seed: int, scenarios: int, policies: int = 0
            ) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """EMA's perform_experiments (Latin hypercube, sequential) under a seeded design."""
    with seeded_design(seed):
        return workbench().perform_experiments(model, scenarios=scenarios, policies=policies)


def declared(cls: type, name: str) -> tuple[float, float]:
    """A configuration field's declared (low, high), read from its metadata."""
    meta = {field.name: field.metadata for field in dataclasses.fields(cls)}[name]
    return meta["low"], meta["high"]


def test_factor_ranges_are_the_declared_ranges_unless_narrowed():
    model = ema_model("baseline", uncertainties=["team.size", "parameters.embed_rate",
                                                 "leader.improvement_plans"],
                      levers={"leader.systems_share": None, "leader.attention_hours": (4, 10),
                              "leader.feedback_cadence": None})
    uncertainties = {p.name: p for p in model.uncertainties}
    levers = {p.name: p for p in model.levers}
    size = uncertainties["team__size"]
    assert type(size).__name__ == "IntegerParameter"
    assert (size.lower_bound, size.upper_bound) == declared(TeamConfig, "size")
    embed = uncertainties["parameters__embed_rate"]
    assert type(embed).__name__ == "RealParameter"
    assert (embed.lower_bound, embed.upper_bound) == declared(Parameters, "embed_rate")
    assert [c.value for c in uncertainties["leader__improvement_plans"].categories] \
        == [False, True]
    share = levers["leader__systems_share"]
    assert (share.lower_bound, share.upper_bound) == declared(LeaderConfig, "systems_share")
    hours = levers["leader__attention_hours"]
    assert (hours.lower_bound, hours.upper_bound) == (4, 10)
    assert [c.value for c in levers["leader__feedback_cadence"].categories] == list(CADENCES)


def test_strategy_categories_come_from_the_registry():
    registry = StrategyRegistry()
    coach = REGISTRY.get("coach")
    for name in ("steady", "bold"):
        registry.register(name, coach.plan, vectorised=coach.vectorised)
    assert declared_range("leader__strategy", registry).categories == ("steady", "bold")
    assert declared_range("leader.strategy").categories == tuple(REGISTRY.names())


@pytest.mark.parametrize(("factors", "key", "words"), [
    ({"leader.systems_shar": None}, "leader.systems_shar", "did you mean 'leader.systems_share'"),
    ({"leader.systems_share": (0.2, 1.5)}, "leader.systems_share", "outside the declared range"),
    ({"team.capability": (-0.1, 0.5)}, "team.capability", "outside the declared range [0, 1]"),
    ({"team.size": (2.5, 6)}, "team.size", "whole numbers"),
    ({"team.size": (6, 3)}, "team.size", "low < high"),
    ({"leader.strategy": ["coach", "nope"]}, "leader.strategy", "not one of its categories"),
    ({"leader.strategy": "coach"}, "leader.strategy", "list of categories"),
    ({"leader": None}, "leader", "is a table"),
    ({"quarters": (2, 6)}, "quarters", "set it in `fixed`"),
    ({"environment.scheduled_crises": None}, "environment.scheduled_crises", "is a list"),
    ({"title": None}, "title", "free text"),
    ({"leader.withdrawn_from_quarter": None}, "leader.withdrawn_from_quarter",
     "beyond the run's last quarter"),
])
def test_a_bad_factor_is_a_one_line_error_naming_the_key(factors, key, words):
    with pytest.raises(ConfigError) as caught:
        ema_model("baseline", uncertainties=factors)
    message = str(caught.value)
    assert "\n" not in message and key in message and words in message


@pytest.mark.parametrize(("arguments", "key"), [
    ({"outcomes": ["team_outptu"]}, "team_outptu"),
    ({"quarters": [13]}, "quarters"),
    ({"levers": ["team.size"]}, "team.size"),
    ({"fixed": {"leader.atention_hours": 6}}, "leader.atention_hours"),
    ({"derived": {"team_output_q2": len}, "quarters": [2]}, "team_output_q2"),
])
def test_bad_outcomes_and_fixed_keys_are_one_line_errors(arguments, key):
    with pytest.raises(ConfigError) as caught:
        ema_model("baseline", uncertainties=["team.size"], **arguments)
    assert "\n" not in str(caught.value) and key in str(caught.value)


def test_without_the_workbench_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    with pytest.raises(ImportError, match=r"pip install teamsim\[ema\]") as caught:
        ema_model("baseline", uncertainties=["team.size"])
    assert "\n" not in str(caught.value)


def peak_trust(frame: pd.DataFrame, config: ScenarioConfig) -> float:
    """A derived outcome: the highest trust of any replication and quarter, plus the
    team's size (so that it reads the scenario too)."""
    return float(frame["trust_mean"].max()) + config.team.size


def test_experiments_are_simulate_on_the_same_keys_and_seed():
    model = ema_model("attention_withdrawn", fixed={"quarters": 4,
                                                    "leader.withdrawn_from_quarter": 3},
                      uncertainties={"team.size": (4, 9), "environment.crisis_rate": (0, 2)},
                      levers={"leader.strategy": ["coach", "situational"],
                              "leader.withdrawn_level": (0, 0.6)},
                      outcomes=["team_output", "trust_mean"], quarters=[4],
                      derived={"peak_trust": peak_trust}, replications=2, seed=11)
    experiments, outcomes = perform(model, seed=3, scenarios=3, policies=2)
    assert len(experiments) == 6 and outcomes["team_output"].shape == (6, 4)
    names = ["team__size", "environment__crisis_rate", "leader__strategy",
             "leader__withdrawn_level"]
    for row, values in enumerate(experiments[names].to_dict("records")):
        keys = {name: (value.item() if isinstance(value, np.generic) else value)
                for name, value in values.items()}
        frame = simulation.simulate("attention_withdrawn", replications=2, seed=11, quarters=4,
                                    leader__withdrawn_from_quarter=3, **keys)
        means = frame.groupby("quarter")[["team_output", "trust_mean"]].mean()
        np.testing.assert_allclose(outcomes["team_output"][row], means["team_output"],
                                   rtol=1e-12)
        np.testing.assert_allclose(outcomes["trust_mean"][row], means["trust_mean"], rtol=1e-12)
        assert outcomes["team_output_q4"][row] == pytest.approx(means.at[4, "team_output"])
        assert outcomes["peak_trust"][row] == pytest.approx(frame["trust_mean"].max()
                                                            + keys["team__size"])
    again, repeated = perform(model, seed=3, scenarios=3, policies=2)
    pd.testing.assert_frame_equal(again[names], experiments[names])
    np.testing.assert_array_equal(repeated["team_output"], outcomes["team_output"])
    other, _ = perform(model, seed=4, scenarios=3, policies=2)
    assert not np.array_equal(other["environment__crisis_rate"],
                              experiments["environment__crisis_rate"])


def test_prim_finds_the_box_of_low_output_in_few_leader_hours():
    model = ema_model("baseline", fixed={"quarters": 2},
                      uncertainties={"leader.attention_hours": (0, 12),
                                     "environment.pressure": (0.2, 0.5)},
                      outcomes=["team_output"], quarters=[2], replications=2, seed=5)
    experiments, outcomes = perform(model, seed=5, scenarios=24)
    output = outcomes["team_output_q2"]
    low = output < np.quantile(output, 0.25)
    box = discover_box(design_inputs(experiments, model), low, threshold=0.5)
    coverage, density = box.coverage, box.density
    assert density > low.mean() and density >= 0.5 and coverage > 0
    limits = box_limits(box).set_index("factor")
    assert limits.at["leader__attention_hours", "high"] < 12
    inside = experiments["leader__attention_hours"] <= limits.at["leader__attention_hours",
                                                                  "high"]
    assert output[inside].mean() < output[~inside].mean()


def test_the_example_small_version_runs_end_to_end(tmp_path, capsys, monkeypatch):
    spec = importlib.util.spec_from_file_location("ema_withdrawal_discovery", EXAMPLE)
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, example)  # its dataclasses look it up
    spec.loader.exec_module(example)
    out = tmp_path / "ema"
    assert example.main(["--small", "--out", str(out)]) == 0
    for figure in ("prim_tradeoff", "prim_box", "feature_scores", "gain_kept_scatter",
                   "output_per_member_quarters"):
        assert (out / f"{figure}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "30 experiments" in summary and "coverage" in summary and "density" in summary
    printed = capsys.readouterr().out
    assert "PRIM box" in printed and "feature scores" in printed
