"""Properties that hold for any valid configuration, however extreme (hypothesis)."""

from __future__ import annotations

import dataclasses
import typing

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulation import TeamModel
from simulation.model.config import (
    EnvironmentConfig,
    LeaderConfig,
    NetworkConfig,
    Parameters,
    ScenarioConfig,
    TeamConfig,
    WorkConfig,
)
from simulation.model.scenario_files import to_dict, with_overrides
from simulation.model.state import LEADER_VARIABLES, MEMBER_VARIABLES
from simulation.model.state import TEAM_VARIABLES as TEAM_STATES
from simulation.model.strategies import REGISTRY

TEAM_VARIABLES = {**TEAM_STATES, **LEADER_VARIABLES}
"""Every state with one value per team: the team's and its leader's."""

UNBOUNDED_MEMBER_STATES = {"tenure_weeks", "recent_output", "feedback_sensitivity",
                           "learning_rate", "improvement_plan_weeks", "low_output_weeks",
                           "vacancy_weeks"}


def values_of(cls: type, skip: set[str] = frozenset()) -> st.SearchStrategy[dict]:
    """Values for every numeric field of a configuration class, biased to the extremes."""
    hints = typing.get_type_hints(cls)
    fields = {}
    for field in dataclasses.fields(cls):
        low, high = field.metadata.get("low"), field.metadata.get("high")
        if field.name in skip or low is None or high is None or hints[field.name] not in (
                int, float):
            continue
        if hints[field.name] is int:
            high = min(high, 30)
            fields[field.name] = st.sampled_from([int(low), int(high)]) | st.integers(
                int(low), int(high))
        else:
            fields[field.name] = st.sampled_from([float(low), float(high)]) | st.floats(
                float(low), float(high))
    return st.fixed_dictionaries(fields)


@st.composite
def extreme_scenarios(draw: st.DrawFn) -> ScenarioConfig:
    """A one-quarter scenario with every parameter drawn across its whole allowed range."""
    overrides = {"quarters": 1}
    for section, cls, skip in (("parameters", Parameters, set()),
                               ("team", TeamConfig, {"size"}),
                               ("leader", LeaderConfig, set()),
                               ("environment", EnvironmentConfig, set()),
                               ("network", NetworkConfig, {"subgroups"}),
                               ("work", WorkConfig, set())):
        for name, value in draw(values_of(cls, skip)).items():
            overrides[f"{section}.{name}"] = value
    overrides["team.size"] = draw(st.integers(1, 12))
    overrides["leader.strategy"] = draw(st.sampled_from(REGISTRY.names()))
    overrides["leader.attention"] = [
        {"from_quarter": 1, "to_quarter": 0, "level": draw(st.floats(0, 1))}]
    # Keys that would contradict a one-quarter run are refused by the loader, so the
    # quarters they name are drawn within the run, and the ceiling at or above the start.
    for key in ("leader.withdrawn_from_quarter", "leader.systems_until_quarter"):
        overrides[key] = min(overrides[key], 1)
    overrides["team.capability_ceiling"] = max(overrides["team.capability_ceiling"],
                                               overrides["team.capability"])
    size = overrides["team.size"]
    overrides["team.bad_apples"] = min(overrides["team.bad_apples"], size)
    overrides["team.stars"] = min(overrides["team.stars"], size - overrides["team.bad_apples"])
    overrides["team.low_performers"] = min(
        overrides["team.low_performers"],
        size - overrides["team.bad_apples"] - overrides["team.stars"])
    overrides["network.structure"] = draw(st.sampled_from(["complete", "subgroups",
                                                           "hub_and_spoke"]))
    overrides["network.subgroups"] = draw(st.integers(1, size))
    # The norm's target weighs safety, systems and the members' own follow-through: the
    # first two may not add up to more than the whole.
    overrides["parameters.norm_systems_weight"] = min(
        overrides["parameters.norm_systems_weight"],
        1.0 - overrides["parameters.norm_safety_weight"])
    return with_overrides(ScenarioConfig(), overrides)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(config=extreme_scenarios(), seed=st.integers(0, 2**32))
def test_states_stay_finite_and_in_range_for_extreme_parameters(config, seed):
    model = TeamModel(config, seed=seed)
    while model.running:
        model.step()
        state = model.state
        for name in MEMBER_VARIABLES:
            values = getattr(state, name)
            if name == "affect":  # a trait from -1 to 1
                values = (values + 1.0) / 2.0
            assert np.all(np.isfinite(values)), name
            assert np.all(values >= 0), name
            if name not in UNBOUNDED_MEMBER_STATES:
                assert np.all(values <= 1), (name, to_dict(config))
        for name in TEAM_VARIABLES:
            value = getattr(state, name)
            assert np.isfinite(value) and 0 <= value <= 1, name
        assert np.all(np.isfinite(state.ties)) and np.all((state.ties >= 0) & (state.ties <= 1))
        assert np.all(np.isfinite(model.last_output)) and np.all(model.last_output >= 0)
    frame = model.quarterly_frame()
    numbers = frame.select_dtypes("number")
    assert np.isfinite(numbers.to_numpy()).all()
    model.release()
