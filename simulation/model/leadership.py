"""The leader's week as pure functions over arrays: attention, the plan, and fitting the
plan into the hours a crisis-struck week leaves.

The Mesa ``Leader`` agent and the batched engine call these same functions, on one team
(arrays of shape ``(members,)``) or on many runs at once (``(runs, members)``), so both
compute the same numbers.

A strategy is given read-only views of what it reads (the observation shares arrays with
the team's state, so a write would change the team behind the model's back): a strategy
that writes into them fails at once with a :class:`StrategyError`, as does one whose answer
the model cannot use. Their messages name the strategy and the plugin that registered it.
"""

from __future__ import annotations

from dataclasses import fields

import numpy as np

from simulation.model import equations
from simulation.model import interventions as iv
from simulation.model.config import WEEKS_PER_QUARTER, LeaderConfig, Parameters
from simulation.model.diagnosis import Observation
from simulation.model.strategies import BUILT_IN_PLANS, RegisteredStrategy


class StrategyError(ValueError):
    """A strategy broke the contract: it answered in the wrong shape or with negative or
    non-finite hours, or it wrote into its observation."""


def attention_share(level: float | np.ndarray, deputy_share: float) -> float | np.ndarray:
    """Share of normal leadership the team gets: the schedule's level, with a deputy
    carrying a share of whatever is withdrawn."""
    return level + (1.0 - level) * deputy_share


def systems_share(leader: LeaderConfig, week: int) -> float:
    """Share of the leader's hours set aside for building systems in a (0-based) week."""
    quarter = week // WEEKS_PER_QUARTER + 1
    until = leader.systems_until_quarter
    return leader.systems_share if (until == 0 or quarter <= until) else 0.0


def read_only(array: np.ndarray) -> np.ndarray:
    """A view of ``array`` that cannot be written through (the array itself is untouched)."""
    view = np.asarray(array).view()
    view.flags.writeable = False
    return view


def read_only_observation(observation: Observation) -> Observation:
    """The observation as read-only views."""
    return Observation(**{field.name: read_only(getattr(observation, field.name))
                          for field in fields(Observation)})


def call_strategy(strategy: RegisteredStrategy, observation: Observation,
                  hours: np.ndarray) -> np.ndarray:
    """The strategy's answer as a new float array; a write into what it was given (which
    the caller passes as read-only views) raises a :class:`StrategyError`."""
    try:
        return np.array(strategy.plan(observation, hours), dtype=float)
    except ValueError as error:
        if "read-only" not in str(error):
            raise
        raise StrategyError(
            f"{strategy.title} wrote into its observation ({error}): a strategy must not "
            f"change what it reads; copy an array before changing it") from None


def answer_error(strategy: RegisteredStrategy, doses: np.ndarray,
                 expected: tuple[int, ...]) -> StrategyError | None:
    """What is wrong with a strategy's answer (None if nothing): its shape, or negative or
    non-finite hours (the first one named, with its intervention and member slot)."""
    if doses.shape != expected:
        return StrategyError(f"{strategy.title} returned doses of shape {doses.shape}, "
                             f"expected {expected}")
    if np.all(doses >= 0) and np.isfinite(np.sum(doses)):
        return None  # the usual answer, checked in two passes (NaN fails the first)
    bad = ~np.isfinite(doses) | (doses < 0)
    if not bad.any():
        return None
    where = tuple(int(i) for i in np.argwhere(bad)[0])
    return StrategyError(f"{strategy.title} returned negative or non-finite hours "
                         f"({doses[where]:g} of {iv.NAMES[where[-1]]} for member "
                         f"{where[-2]})")


def strategy_doses(strategy: RegisteredStrategy, observation: Observation,
                   hours: np.ndarray) -> np.ndarray:
    """Call a strategy and check its answer: the right shape, finite, non-negative, and
    nothing for vacant slots, scaled down to the hours available if it asks for more.

    The strategy reads read-only views. A strategy registered as not vectorised is called
    one team at a time."""
    hours = np.asarray(hours, dtype=float)
    if strategy.plan in BUILT_IN_PLANS:
        return strategy.plan(observation, hours)
    seen, given = read_only_observation(observation), read_only(hours)
    expected = (*observation.shape, iv.COUNT)
    if strategy.vectorised or observation.active.ndim == 1:
        doses = call_strategy(strategy, seen, given)
    else:
        answers = []
        for run in range(observation.active.shape[0]):
            answer = call_strategy(strategy, seen.run(run), given[run])
            error = answer_error(strategy, answer, expected[1:])
            if error is not None:
                raise error
            answers.append(answer)
        doses = np.stack(answers)
    error = answer_error(strategy, doses, expected)
    if error is not None:
        raise error
    doses *= observation.active[..., None]
    total = equations.total_hours(doses)
    over = total > hours * (1.0 + 1e-12)
    if np.any(over):
        doses *= np.where(over, hours / np.where(over, total, 1.0), 1.0)[..., None, None]
    return doses


def plan_doses(strategy: RegisteredStrategy, observation: Observation, hours: np.ndarray,
               share_for_systems: float) -> np.ndarray:
    """Doses for the week: the strategy's plan for its hours, plus the hours set aside for
    systems, shared over the filled slots."""
    hours = np.asarray(hours, dtype=float)
    doses = strategy_doses(strategy, observation, hours * (1.0 - share_for_systems))
    if share_for_systems > 0:
        headcount = equations.last_sum(observation.active)
        staffed = headcount > 0
        added = (hours[..., None] * share_for_systems * observation.active
                 / np.where(staffed, headcount, 1.0)[..., None])
        doses[..., iv.BUILD_SYSTEMS] += np.where(staffed[..., None], added, 0.0)
    return doses


ONE_TO_ONE = iv.ONE_TO_ONE.astype(float)
"""1 for the interventions held as a 1:1 with the member, 0 for the others."""


def fit_week(planned: np.ndarray, hours_left: np.ndarray, p: Parameters
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit the plan into the hours left (``equations.allocate_hours``) and weigh each
    member's 1:1 as kept or broken by its size: granted doses, kept, breached."""
    granted, cancelled = equations.allocate_hours(planned, np.asarray(hours_left))
    commitment = equations.commitment_weight(np.einsum("...k,k->...", planned, ONE_TO_ONE), p)
    return (granted, np.where(cancelled, 0.0, commitment),
            np.where(cancelled, commitment, 0.0))


def guarded(strategy: RegisteredStrategy, failures: dict[int, Exception]
            ) -> RegisteredStrategy:
    """``strategy`` for a batch of runs ``(runs, members)`` in which runs fail one at a
    time: a run whose answer the model cannot use (or, for a strategy that plans one team
    at a time, whose call raises) is entered in ``failures`` (run index: its first error,
    the one it raises run alone) and gets no hours from then on, while the other runs go
    on. A call for the whole batch that raises (a vectorised strategy's) still raises."""
    def plan(observation: Observation, hours: np.ndarray) -> np.ndarray:
        runs = observation.active.shape[0]
        expected = (*observation.shape[1:], iv.COUNT)
        answers: list[np.ndarray] = []
        if strategy.vectorised:
            doses = call_strategy(strategy, observation, hours)
            if doses.shape != (runs, *expected):
                raise answer_error(strategy, doses, (runs, *expected)) or AssertionError()
            answers = list(doses)
        else:
            for run in range(runs):
                answer = np.zeros(expected)
                if run not in failures:
                    try:
                        answer = call_strategy(strategy, observation.run(run), hours[run])
                    except Exception as raised:  # this run fails; the others go on
                        failures[run] = raised
                answers.append(answer)
        for run in range(runs):
            if run not in failures:
                error = answer_error(strategy, answers[run], expected)
                if error is not None:
                    failures[run] = error
            if run in failures:
                answers[run] = np.zeros(expected)
        return np.stack(answers)

    return RegisteredStrategy(strategy.name, plan, strategy.description, True,
                              strategy.source)
