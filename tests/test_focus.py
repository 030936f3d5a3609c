"""Focus has a price and a value: every further member or kind of work the leader spreads a
week's hours over costs a switching overhead (attention residue, Leroy 2009), so whether
spreading or focusing on two priorities wins depends on the situation."""

from __future__ import annotations

import numpy as np
import pytest

from simulation.engines.batch import run_batch
from simulation.model import focus
from simulation.model import interventions as iv
from simulation.model.config import Parameters
from simulation.model.scenario_files import load_scenario, with_overrides
from simulation.model.strategies import (
    CAUSE_REMEDIES,
    StrategyRegistry,
    profile,
    spread,
)

P = Parameters()

EVEN = profile(clarify=1 / 6, train=1 / 6, coach=1 / 6, recognise=1 / 6,
               remove_obstacles=1 / 6, monitor=1 / 6)


def spread_everywhere(observation, hours):
    """A little of every member-level remedy for everyone."""
    return spread(observation.active[..., None] * EVEN, hours)


def focus_on_two(observation, hours):
    """The remedies of the team's two largest observed causes, by each member's gaps."""
    gaps = observation.gaps * observation.active[..., None]
    order = np.argsort(-gaps.sum(axis=-2), axis=-1)
    keep = np.zeros(gaps.shape[:-2] + gaps.shape[-1:])
    np.put_along_axis(keep, order[..., :2], 1.0, axis=-1)
    return spread(np.einsum("...mc,ck->...mk", gaps * keep[..., None, :], CAUSE_REMEDIES),
                  hours)


REGISTRY = StrategyRegistry()
REGISTRY.register("spread_everywhere", spread_everywhere, "every remedy for everyone")
REGISTRY.register("focus_on_two", focus_on_two, "the two largest causes' remedies")


def test_the_effective_number_of_items_counts_large_doses_not_crumbs():
    assert focus.effective_count(np.array([2.0])) == pytest.approx(1.0)
    assert focus.effective_count(np.array([1.0, 1.0, 1.0, 1.0])) == pytest.approx(4.0)
    assert focus.effective_count(np.array([3.0, 3.0, 0.01, 0.01])) < 2.02
    assert focus.effective_count(np.zeros(3)) == 0.0


def test_each_switch_costs_a_share_of_the_weeks_effect():
    one = np.zeros((8, iv.COUNT))
    one[0, iv.COACH] = 3.0
    assert focus.focus(one, P) == pytest.approx(1.0)  # one member, one kind of work
    spread_out = np.zeros((8, iv.COUNT))
    spread_out[:, [iv.COACH, iv.CLARIFY, iv.MONITOR]] = 3.0 / 24
    # (3 - 1) kinds of work and (8 - 1) members beyond the first: nine switches.
    assert focus.focus(spread_out, P) == pytest.approx(1.0 - 9 * P.switch_hours / 3.0)
    assert focus.focus(np.zeros((8, iv.COUNT)), P) == 1.0


def test_the_overhead_costs_effect_not_time():
    config = with_overrides(load_scenario("baseline"), {"quarters": 2})
    free = with_overrides(config, {"parameters.switch_hours": 0.0})
    costly, costless = (run_batch(c, 4, range(5)) for c in (config, free))
    # The first week's plan is the same and takes the same hours ...
    np.testing.assert_array_equal(costly.record.hours[0], costless.record.hours[0])
    # ... and acts less.
    assert (costly.quarterly_frame().team_output
            < costless.quarterly_frame().team_output).all()


def quarter_4_output(scenario: str, strategy: str, switch_hours: float) -> float:
    config = with_overrides(load_scenario(scenario), {
        "leader.strategy": strategy, "quarters": 4, "parameters.switch_hours": switch_hours})
    frame = run_batch(config, 11, range(60), registry=REGISTRY).quarterly_frame()
    return float(frame[frame.quarter == 4].team_output.mean())


def spreading_over_focus(scenario: str, switch_hours: float = P.switch_hours) -> float:
    return (quarter_4_output(scenario, "spread_everywhere", switch_hours)
            / quarter_4_output(scenario, "focus_on_two", switch_hours))


def test_focus_wins_on_an_accurate_reading_and_spreading_hedges_a_misdiagnosis():
    assert spreading_over_focus("skills_gap_diagnosed") < 1.0
    assert spreading_over_focus("baseline") < 1.0
    assert spreading_over_focus("skills_gap_misdiagnosed") > 1.1


def test_the_switching_overhead_narrows_what_spreading_wins():
    hedge = spreading_over_focus("skills_gap_misdiagnosed", 0.0)
    costly = spreading_over_focus("skills_gap_misdiagnosed", 0.2)
    assert costly < hedge - 0.05
