"""A strategy's memory is its own run's: the context, per-run copies of what a closure holds,
globals refused, and agent attributes that write through to the model."""

from __future__ import annotations

import numpy as np
import pytest

from simulation import TeamModel
from simulation.engines.batch import run_batch
from simulation.model import interventions as iv
from simulation.model import strategies
from simulation.model.scenario_files import load_scenario, with_overrides
from simulation.model.strategies import REGISTRY, StrategyRegistry
from simulation.model.strategy_memory import (
    HISTORY_WEEKS,
    StrategyContext,
    StrategyMemoryError,
    fresh_plan,
    takes_context,
)

TRAIN = strategies.profile(train=1.0)
RECOGNISE = strategies.profile(recognise=1.0)


def alternating_by_closure():
    """Trains one week and recognises the next, counting its calls in a closure."""
    calls = 0

    def plan(observation, hours):
        nonlocal calls
        calls += 1
        mix = TRAIN if calls % 2 else RECOGNISE
        return strategies.spread(observation.active[..., None] * mix, hours)

    return plan


def alternating_by_context(observation, hours, context):
    """The same, counting in its context's memory."""
    calls = context.memory.get("calls", 0) + 1
    context.memory["calls"] = calls
    mix = TRAIN if calls % 2 else RECOGNISE
    return strategies.spread(observation.active[..., None] * mix, hours)


def registry_with(**plans) -> StrategyRegistry:
    entries = StrategyRegistry()
    for name in REGISTRY.names():
        entry = REGISTRY.get(name)
        entries.register(name, entry.plan, entry.description, vectorised=entry.vectorised)
    for name, plan in plans.items():
        entries.register(name, plan, name)
    return entries


def one_quarter(strategy: str):
    return with_overrides(load_scenario("baseline"), {"quarters": 1,
                                                      "leader.strategy": strategy})


def mesa_training_hours(config, registry, replication: int) -> float:
    model = TeamModel(config, seed=5, replication=replication, registry=registry).run()
    hours = model.hours_by_intervention()["train"]
    model.release()
    return hours


@pytest.mark.parametrize("name", ["closure", "context"])
def test_a_strategy_with_memory_gives_every_run_the_same_hours_in_both_engines(name):
    registry = registry_with(closure=alternating_by_closure(), context=alternating_by_context)
    config = one_quarter(name)
    batched = run_batch(config, 5, range(4), registry=registry).record.hours[:, :, iv.TRAIN]
    per_run = batched.sum(axis=0)
    # 13 weeks, alternating from training: 7 weeks of training in every replication.
    assert np.all(per_run > 0) and np.ptp(per_run) < 1e-9
    mesa = [mesa_training_hours(config, registry, replication) for replication in range(4)]
    np.testing.assert_allclose(mesa, per_run, rtol=1e-12)


def test_closure_memory_does_not_leak_from_one_replication_to_the_next():
    registry = registry_with(closure=alternating_by_closure())
    config = one_quarter("closure")
    first = mesa_training_hours(config, registry, 0)
    again = mesa_training_hours(config, registry, 0)
    assert first == again


def test_a_strategy_that_assigns_a_global_variable_is_refused_naming_it():
    source = ("from simulation.model import strategies\n"
              "CALLS = 0\n"
              "def counting(observation, hours):\n"
              "    global CALLS\n"
              "    CALLS += 1\n"
              "    return strategies.coach(observation, hours)\n")
    namespace: dict = {}
    exec(compile(source, "student.py", "exec"), namespace)  # a student's module
    with pytest.raises(StrategyMemoryError, match=r"global variable 'CALLS'.*context\.memory"):
        StrategyRegistry().register("counting", namespace["counting"])


def test_the_context_names_the_run_and_the_week_and_its_memory_starts_empty_each_run():
    def noting(observation, hours, context: StrategyContext):
        if not context.memory:
            SEEN_AT_START.append((context.scenario, context.seed, int(context.replication),
                                  context.week, context.quarter))
        context.memory["weeks"] = context.memory.get("weeks", 0) + 1
        assert context.week == context.memory["weeks"] - 1
        return strategies.coach(observation, hours)

    SEEN_AT_START.clear()
    registry = registry_with(noting=noting)
    config = one_quarter("noting")
    run_batch(config, 5, [3, 8], registry=registry)
    seen = list(SEEN_AT_START)
    model = TeamModel(config, seed=5, replication=8, registry=registry).run()
    assert seen == [("baseline", 5, 3, 0, 1), ("baseline", 5, 8, 0, 1)]
    assert SEEN_AT_START[-1] == ("baseline", 5, 8, 0, 1)
    assert model.leader.context.memory == {"weeks": 13}
    model.release()


SEEN_AT_START: list[tuple] = []
"""What the strategy above saw at the start of each run (a module's list, which per-run
copies do not copy)."""


def test_the_context_keeps_the_last_quarters_plans_as_the_model_checked_them():
    def growing(observation, hours, context):
        assert len(context.plans) == min(context.week, HISTORY_WEEKS)
        assert len(context.observations) == len(context.plans)
        if context.plans:  # what it asked for last week, scaled to its hours
            last = context.plans[-1]
            assert not last.flags.writeable
            assert np.sum(last) <= context.memory["hours"] * (1 + 1e-12)
        context.memory["hours"] = float(hours)
        return 10.0 * strategies.coach(observation, hours)  # asks for ten times too much

    model = TeamModel(one_quarter("growing"), seed=2,
                      registry=registry_with(growing=growing)).run()
    context = model.leader.context
    assert len(context.plans) == HISTORY_WEEKS
    np.testing.assert_allclose(np.sum(context.plans[-1]), context.memory["hours"])
    model.release()


def test_a_vectorised_strategy_is_given_the_batchs_replications():
    def batch_aware(observation, hours, context):
        BATCH_REPLICATIONS.append(np.array(context.replication))
        return strategies.coach(observation, hours)

    BATCH_REPLICATIONS.clear()
    registry = StrategyRegistry()
    registry.register("batch_aware", batch_aware, vectorised=True)
    run_batch(one_quarter("batch_aware"), 1, [4, 5, 6], registry=registry)
    assert all(list(seen) == [4, 5, 6] for seen in BATCH_REPLICATIONS)
    assert len(BATCH_REPLICATIONS) == 13


BATCH_REPLICATIONS: list[np.ndarray] = []


def test_context_is_given_to_strategies_that_ask_for_it_only():
    assert takes_context(alternating_by_context)
    assert takes_context(lambda observation, hours, context=None: None)
    assert not takes_context(strategies.coach)
    assert not takes_context(alternating_by_closure())


def test_a_copy_for_a_run_starts_from_the_registered_state_and_keeps_its_own():
    original = alternating_by_closure()
    first, second = fresh_plan(original), fresh_plan(original)
    slot = original.__code__.co_freevars.index("calls")
    first.__closure__[slot].cell_contents = 5
    assert original.__closure__[slot].cell_contents == 0
    assert second.__closure__[slot].cell_contents == 0
    assert fresh_plan(strategies.coach) is strategies.coach  # nothing to copy


def test_a_read_only_table_is_shared_by_the_runs_not_copied():
    table = np.linspace(0.0, 1.0, 1000)
    table.flags.writeable = False
    scratch = np.zeros(3)

    def lookup(observation, hours):
        return strategies.coach(observation, hours) * table[0] + scratch[0]

    copy = fresh_plan(lookup)
    cells = dict(zip(lookup.__code__.co_freevars, copy.__closure__, strict=True))
    assert cells["table"].cell_contents is table
    assert cells["scratch"].cell_contents is not scratch


class Counter:
    """A callable strategy object that counts its calls in an attribute."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, observation, hours):
        self.calls += 1
        mix = TRAIN if self.calls % 2 else RECOGNISE
        return strategies.spread(observation.active[..., None] * mix, hours)


def test_a_callable_objects_attributes_are_copied_for_each_run():
    counter = Counter()
    registry = registry_with(counter=counter)
    config = one_quarter("counter")
    batched = run_batch(config, 5, range(3), registry=registry).record.hours[:, :, iv.TRAIN]
    assert np.ptp(batched.sum(axis=0)) < 1e-9
    assert counter.calls == 0  # the registered object is left as it was


# --- agents' attributes write through ---------------------------------------------------


def twin_models(config="baseline"):
    return (TeamModel(config, seed=4), TeamModel(config, seed=4))


def test_assigning_a_members_motivation_changes_what_the_team_does_next():
    changed, untouched = twin_models()
    changed.step(), untouched.step()
    member = changed.team[0]
    member.motivation = 0.99
    assert member.motivation == 0.99 and changed.state.motivation[0] == 0.99
    changed.step(), untouched.step()
    assert changed.last_output[0] > untouched.last_output[0]
    assert changed.state.motivation[0] > untouched.state.motivation[0]


def test_assigning_a_team_state_writes_through():
    changed, untouched = twin_models()
    changed.psychological_safety = 0.95
    assert changed.psychological_safety == 0.95
    changed.step(), untouched.step()
    assert changed.psychological_safety > untouched.psychological_safety


@pytest.mark.parametrize(("name", "value", "message"), [
    ("motivation", 1.5, "motivation must be from 0 to 1, not 1.5"),
    ("affect", -2, "affect must be from -1 to 1, not -2"),
    ("tenure_weeks", -1, "tenure_weeks must be from 0 upward, not -1"),
    ("trust", float("nan"), "trust must be from 0 to 1, not nan"),
    ("trust", "high", "trust must be a number, not 'high'"),
])
def test_a_member_state_out_of_its_range_is_refused_and_nothing_changes(name, value, message):
    model = TeamModel("baseline", seed=1)
    before = getattr(model.state, name).copy()
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        setattr(model.team[0], name, value)
    np.testing.assert_array_equal(getattr(model.state, name), before)


def test_what_the_model_decides_cannot_be_assigned():
    model = TeamModel("baseline", seed=1)
    with pytest.raises(AttributeError, match="active is set by the model"):
        model.team[0].active = 0.0
    with pytest.raises(AttributeError, match="tie_strength is measured"):
        model.tie_strength = 0.5
