"""The team is more than its members: ties, emotional contagion with its negativity bias,
and turnover contagion, each checked as the cited research says it works."""

from __future__ import annotations

import re

import numpy as np
import pytest

from simulation.engines.batch import run_batch
from simulation.engines.mesa_model import TeamModel
from simulation.model import network
from simulation.model.config import ScenarioConfig
from simulation.model.equations import leaving_probability
from simulation.model.scenario_files import ConfigError, load_scenario, with_overrides
from simulation.model.state import initial_state, with_departures

BASE = with_overrides(load_scenario("baseline"), {"quarters": 2})
RUNS = range(120)


def others_output(config: ScenarioConfig, quarter: int = 2) -> float:
    """Mean output over a quarter of every member but slot 0, per run, averaged."""
    record = run_batch(config, 7, RUNS, member_detail=True).records[0]
    weeks = slice((quarter - 1) * 13, quarter * 13)
    return float(record.member_output[weeks, :, 1:].sum(axis=(0, 2)).mean())


def test_one_members_state_changes_the_others():
    """The issue's first finding: members are no longer independent given the leader."""
    low = with_overrides(BASE, {"team.bad_apples": 1})
    high = with_overrides(BASE, {"team.stars": 1})
    assert others_output(low) < others_output(BASE) < others_output(high)


def test_bad_apple_drags_more_than_a_star_lifts():
    """Felps, Mitchell & Byington 2006; Baumeister et al. 2001 (P16)."""
    control = others_output(BASE)
    drop = control - others_output(with_overrides(BASE, {"team.bad_apples": 1}))
    lift = others_output(with_overrides(BASE, {"team.stars": 1})) - control
    assert drop / control >= 0.05
    assert 0 < lift < drop / 1.5


def test_without_negativity_bias_a_bad_apple_drags_no_more_than_a_star_lifts():
    symmetric = with_overrides(BASE, {"parameters.negativity_weight": 1.0})
    control = others_output(symmetric)
    drop = control - others_output(with_overrides(symmetric, {"team.bad_apples": 1}))
    lift = others_output(with_overrides(symmetric, {"team.stars": 1})) - control
    assert drop < 2.0 * lift


def test_contagion_travels_only_along_ties():
    """In silos with no bridges, a bad apple drags her own subgroup and not the other."""
    silos = with_overrides(BASE, {"network.structure": "subgroups", "network.subgroups": 2,
                                  "network.bridge_strength": 0.0, "team.bad_apples": 1})
    calm = with_overrides(silos, {"team.bad_apples": 0})
    record, control = (run_batch(c, 7, RUNS, member_detail=True).records[0]
                       for c in (silos, calm))
    motivation = record.member_states["motivation"][25].mean(axis=0)
    baseline = control.member_states["motivation"][25].mean(axis=0)
    own, other = slice(1, 4), slice(4, 8)  # slot 0 is the bad apple, in the first silo
    assert (baseline[own] - motivation[own]).mean() > 0.02
    assert abs((baseline[other] - motivation[other]).mean()) < 0.005


def test_a_departure_raises_the_leaving_hazard_of_those_close_to_the_leaver():
    """Felps et al. 2009: turnover is contagious, through the leaver's ties."""
    config = with_overrides(BASE, {"network.structure": "explicit",
                                   "network.ties": [[0, 1, 1.0], [2, 3, 1.0]]})
    state = initial_state(config, np.zeros((8, 8)))
    before = leaving_probability(state, 0.12, config.parameters)
    leaving = np.zeros(8, dtype=bool)
    leaving[0] = True
    after = leaving_probability(with_departures(state, leaving), 0.12, config.parameters)
    ratio = after / before
    assert after[0] == 0  # the leaver's slot is vacant
    assert 1.2 < ratio[1] < 2.0  # the close colleague
    np.testing.assert_allclose(ratio[2:], 1.0)  # nobody tied to the leaver


def test_the_shock_of_a_departure_fades_within_about_a_quarter():
    p = BASE.parameters
    assert (1 - p.departure_shock_decay) ** 13 < 0.4
    assert (1 - p.departure_shock_decay) ** 4 > 0.6


def test_ties_grow_faster_in_a_psychologically_safe_team():
    """Members who feel safe to speak up and help work together more (Edmondson 1999)."""
    def ties_after(safety: float) -> float:
        config = with_overrides(BASE, {"team.psychological_safety": safety,
                                       "network.tie_strength": 0.2,
                                       "parameters.safety_rate": 0.0})
        frame = run_batch(config, 3, range(20)).quarterly_frame()
        return float(frame[frame.quarter == 2]["tie_strength"].mean())

    assert ties_after(0.9) > ties_after(0.2) + 0.05


@pytest.mark.parametrize("structure", ["complete", "subgroups", "hub_and_spoke"])
def test_each_structure_is_symmetric_with_no_self_ties(structure):
    config = with_overrides(BASE, {"network.structure": structure, "network.subgroups": 3})
    allowed = network.structure(config)
    np.testing.assert_array_equal(allowed, allowed.T)
    assert np.all(np.diag(allowed) == 0)
    assert np.all((allowed >= 0) & (allowed <= 1))


def test_silos_are_dense_inside_and_sparse_between():
    config = with_overrides(BASE, {"network.structure": "subgroups", "network.subgroups": 2})
    graph = network.as_graph(network.structure(config))
    weights = [data["weight"] for _, _, data in graph.edges(data=True)]
    assert sorted(set(weights)) == [config.network.bridge_strength, 1.0]
    assert graph.number_of_edges() == 28


def test_a_new_hire_starts_with_weak_ties():
    config = with_overrides(BASE, {})
    state = initial_state(config, np.zeros((8, 8)))
    hired = np.zeros(8, dtype=bool)
    hired[3] = True
    ties = network.with_new_ties(state.ties, hired, network.structure(config),
                                 config.parameters)
    assert ties[3, 0] == pytest.approx(config.parameters.new_hire_tie)
    assert ties[0, 3] == ties[3, 0]
    assert ties[1, 2] == state.ties[1, 2]


def test_the_agents_show_their_affect_and_the_shock_of_departures():
    model = TeamModel(with_overrides(BASE, {"team.bad_apples": 1}), seed=2)
    model.step()
    assert model.members[0].affect == -1.0
    assert model.members[0].departure_shock == 0.0


@pytest.mark.parametrize("ties, key", [
    ([[0, 1, 0.5]], "network.ties"),  # ties with structure "complete"
])
def test_ties_without_an_explicit_structure_are_refused(ties, key):
    with pytest.raises(ConfigError, match=re.escape(key)):
        with_overrides(BASE, {"network.ties": ties})


@pytest.mark.parametrize("tie, problem", [
    ([0, 8, 0.5], "slot 8"), ([0, 0, 0.5], "to itself"), ([0, 1.5, 0.5], "slot 1.5"),
    ([0, 1, 1.5], "strength 1.5"), ([0, 1], "2 numbers"),
])
def test_a_bad_explicit_tie_is_refused_naming_it(tie, problem):
    with pytest.raises(ConfigError, match=r"network\.ties\[0\]") as error:
        with_overrides(BASE, {"network.structure": "explicit", "network.ties": [tie]})
    assert problem in str(error.value)


def test_more_bad_apples_and_stars_than_members_are_refused():
    with pytest.raises(ConfigError, match=r"team\.stars"):
        with_overrides(BASE, {"team.bad_apples": 5, "team.stars": 4})
