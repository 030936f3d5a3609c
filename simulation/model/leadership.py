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

from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

from simulation.model import equations
from simulation.model import interventions as iv
from simulation.model.arrays import add, is_traced, maybe, np
from simulation.model.config import WEEKS_PER_QUARTER, LeaderConfig, Parameters
from simulation.model.diagnosis import Observation
from simulation.model.strategies import BUILT_IN_PLANS, RegisteredStrategy
from simulation.model.strategy_memory import (
    StrategyContext,
    check_memory,
    fresh_plan,
    takes_context,
)


class StrategyError(ValueError):
    """A strategy broke the contract: it answered in the wrong shape or with negative or
    non-finite hours, or it wrote into its observation."""


def systems_share(leader: LeaderConfig, week: int) -> Any:
    """Share of the leader's hours set aside for building systems in a (0-based) week (a
    number; a traced one while the week is compiled)."""
    quarter = week // WEEKS_PER_QUARTER + 1
    until = leader.systems_until_quarter
    if is_traced():  # the week is a traced number
        return np.where((until == 0) | (quarter <= until), leader.systems_share, 0.0)
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
                  hours: np.ndarray, plan: Callable[..., Any] | None = None,
                  context: StrategyContext | None = None) -> np.ndarray:
    """The strategy's answer as a new float array (``plan``: the run's copy of it, given
    ``context`` if it takes one); a write into what it was given (which the caller passes
    as read-only views) raises a :class:`StrategyError`."""
    chosen: Callable[..., Any] = strategy.plan if plan is None else plan
    try:
        answer = (chosen(observation, hours) if context is None
                  else chosen(observation, hours, context))
        return np.array(answer, dtype=float)
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


class Planner:
    """A strategy leading particular runs: each run's own copy of the strategy and its own
    :class:`~simulation.model.strategy_memory.StrategyContext`, and the checks the model
    puts on every answer.

    The Mesa model makes one for its run; the batched engine one per block of runs. A
    strategy not declared vectorised plans one run at a time in a batch, each run with its
    copy and context, as the Mesa model would; a vectorised one plans the whole block in one
    call, with one copy and one context. A built-in strategy is trusted as it is (no copy,
    no checks); one that takes a context (``adaptive``) is given one per run or block all
    the same, with its ``memory`` only (a built-in keeps what it needs there, so its plans
    and observations are not kept for it). With ``failures`` (a dictionary the caller keeps),
    a run whose strategy call raises or answers what the model cannot use is entered there
    (its index in ``replications``: its first error) and gets no hours from then on, while
    the other runs go on; a call for the whole block that raises still raises.
    """

    def __init__(self, strategy: RegisteredStrategy, scenario: str = "", seed: int = 0,
                 replications: Sequence[int] = (0,), *, batched: bool = False,
                 failures: dict[int, Exception] | None = None, first_index: int = 0
                 ) -> None:
        self.strategy = strategy
        self.built_in = strategy.plan in BUILT_IN_PLANS
        self.with_context = takes_context(strategy.plan)
        self.per_run = batched and not strategy.vectorised
        self.failures = failures
        self.first_index = first_index
        reps = [int(r) for r in replications]
        identities: list[int | np.ndarray] = (
            list(reps) if self.per_run else [np.array(reps) if batched else reps[0]])
        if self.built_in:
            self.plans: list[Callable[..., Any]] = [strategy.plan]
            self.contexts: list[StrategyContext] = (
                [StrategyContext(scenario, seed, identities[0])] if self.with_context else [])
            return
        check_memory(strategy.plan, strategy.title)
        self.plans = [fresh_plan(strategy.plan) for _ in identities]
        self.contexts = [StrategyContext(scenario, seed, identity) for identity in identities]

    def doses(self, observation: Observation, hours: np.ndarray, week: int) -> np.ndarray:
        """The strategy's plan for the week, checked: the right shape, finite,
        non-negative, nothing for vacant slots, scaled down to the hours available if it
        asks for more. The strategy reads read-only views."""
        hours = np.asarray(hours, dtype=float)
        if self.built_in:
            if not self.with_context:
                return self.strategy.plan(observation, hours)
            context = self.contexts[0]
            context.week = week
            learning: Callable[..., np.ndarray] = self.strategy.plan
            return learning(observation, hours, context)
        seen, given = read_only_observation(observation), read_only(hours)
        expected = (*observation.shape, iv.COUNT)
        views = ([seen.run(run) for run in range(observation.active.shape[0])]
                 if self.per_run else [seen])
        if self.per_run:
            doses = np.stack([self._run_answer(run, view, given[run], week, expected[1:])
                              for run, view in enumerate(views)])
        else:
            doses = self._call(0, seen, given, week)
            if self.failures is not None:
                doses = self._drop_failed(doses, expected, self.failures)
        error = answer_error(self.strategy, doses, expected)
        if error is not None:
            raise error
        doses *= observation.active[..., None]
        total = equations.total_hours(doses)
        over = total > hours * (1.0 + 1e-12)
        if np.any(over):
            doses *= np.where(over, hours / np.where(over, total, 1.0), 1.0)[..., None, None]
        if self.with_context:
            for run, (context, view) in enumerate(zip(self.contexts, views, strict=True)):
                context.remember(view, doses[run] if self.per_run else doses)
        return doses

    def _call(self, index: int, observation: Observation, hours: np.ndarray, week: int
              ) -> np.ndarray:
        if not self.with_context:
            return call_strategy(self.strategy, observation, hours, self.plans[index])
        context = self.contexts[index]
        context.week = week
        return call_strategy(self.strategy, observation, hours, self.plans[index], context)

    def _run_answer(self, run: int, observation: Observation, hours: np.ndarray, week: int,
                    expected: tuple[int, ...]) -> np.ndarray:
        """One run's checked answer (zeros for a run that has failed, with ``failures``)."""
        index = self.first_index + run
        if self.failures is not None and index in self.failures:
            return np.zeros(expected)
        try:
            answer = self._call(run, observation, hours, week)
            error = answer_error(self.strategy, answer, expected)
        except Exception as raised:
            if self.failures is None:
                raise
            self.failures[index] = raised  # this run fails; the others go on
            return np.zeros(expected)
        if error is None:
            return answer
        if self.failures is None:
            raise error
        self.failures[index] = error
        return np.zeros(expected)

    def _drop_failed(self, doses: np.ndarray, expected: tuple[int, ...],
                     failures: dict[int, Exception]) -> np.ndarray:
        """A vectorised answer with the runs whose part the model cannot use (and those
        failed before) entered in ``failures`` and given nothing."""
        if doses.shape != expected:
            raise answer_error(self.strategy, doses, expected) or AssertionError()
        for run in range(expected[0]):
            index = self.first_index + run
            if index not in failures:
                error = answer_error(self.strategy, doses[run], expected[1:])
                if error is not None:
                    failures[index] = error
            if index in failures:
                doses[run] = 0.0
        return doses


def strategy_doses(strategy: RegisteredStrategy, observation: Observation,
                   hours: np.ndarray) -> np.ndarray:
    """One call of a strategy, checked as :meth:`Planner.doses` checks it (a fresh copy and
    context: for a week outside any run)."""
    batched = observation.active.ndim > 1
    runs = observation.active.shape[0] if batched else 1
    return Planner(strategy, replications=range(runs), batched=batched).doses(
        observation, hours, 0)


def plan_doses(planner: Planner, observation: Observation, hours: np.ndarray,
               share_for_systems: float, week: int = 0) -> np.ndarray:
    """Doses for the (0-based) week: the strategy's plan for its hours, plus the hours set
    aside for systems, shared over the filled slots."""
    hours = np.asarray(hours, dtype=float)
    doses = planner.doses(observation, hours * (1.0 - share_for_systems), week)
    if maybe(share_for_systems > 0):
        headcount = equations.last_sum(observation.active)
        staffed = headcount > 0
        added = (hours[..., None] * share_for_systems * observation.active
                 / np.where(staffed, headcount, 1.0)[..., None])
        doses = add(doses, (..., iv.BUILD_SYSTEMS), np.where(staffed[..., None], added, 0.0))
    return doses


ONE_TO_ONE = iv.ONE_TO_ONE.astype(float)
"""1 for the interventions held as a 1:1 with the member, 0 for the others."""
MEETING_WHEN_BANKED = (iv.ONE_TO_ONE & ~iv.IS_FEEDBACK).astype(float)
"""The 1:1 interventions that are still met in the week when feedback is banked for a
review."""


def with_review(granted: np.ndarray, kept: np.ndarray, review: np.ndarray, p: Parameters
                ) -> tuple[np.ndarray, np.ndarray]:
    """The week's doses and kept commitments with each member's review added: a review is
    booked long in advance and held whatever the week brings (its hours were banked), and
    it counts as a commitment kept by its size."""
    held = equations.commitment_weight(np.einsum("...k,k->...", review, ONE_TO_ONE), p)
    return granted + review, np.maximum(kept, held)


def fit_week(planned: np.ndarray, hours_left: np.ndarray, p: Parameters,
             banked: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Fit the plan into the hours left (``equations.allocate_hours``) and weigh each
    member's 1:1 as kept or broken by its size: granted doses, kept, breached. With
    ``banked`` (a feedback cadence longer than a week) the plan's feedback hours are spent
    this week on the member's next review, not in a meeting, so they do not count toward
    this week's 1:1."""
    granted, cancelled = equations.allocate_hours(planned, np.asarray(hours_left))
    meeting = MEETING_WHEN_BANKED if banked else ONE_TO_ONE
    commitment = equations.commitment_weight(np.einsum("...k,k->...", planned, meeting), p)
    return (granted, np.where(cancelled, 0.0, commitment),
            np.where(cancelled, commitment, 0.0))
