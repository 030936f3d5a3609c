"""Mesa agents: the team members and their leader.

Agents are thin. A :class:`TeamMember` is a person in a slot of the team; their state
lives in the model's arrays (so the equations run over the whole team at once) and reads
as attributes (``member.capability``). When a member leaves, their agent is removed and a
new agent (a new person, with a new ``unique_id``) fills the slot when the vacancy is
filled. The :class:`Leader` observes, plans and spends the week's hours.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from simulation.model.config import LeaderConfig
from simulation.model.diagnosis import Observation
from simulation.model.leadership import Planner
from simulation.model.state import MEMBER_VARIABLES
from simulation.model.strategies import SITUATIONS, RegisteredStrategy, classify_situations
from simulation.model.strategy_memory import StrategyContext
from simulation.model.week import LeaderWeek, WeekOutcome

if TYPE_CHECKING:
    from simulation.engines.mesa_model import TeamModel


UNBOUNDED_STATES = frozenset({"tenure_weeks", "recent_output", "feedback_sensitivity",
                              "learning_rate", "improvement_plan_weeks", "low_output_weeks",
                              "vacancy_weeks"})
"""Member states that are 0 upward; ``affect`` runs from -1 to 1, the rest from 0 to 1."""


def state_range(variable: str) -> tuple[float, float]:
    """The values a member state may take."""
    if variable in UNBOUNDED_STATES:
        return 0.0, np.inf
    return (-1.0, 1.0) if variable == "affect" else (0.0, 1.0)


def checked_value(variable: str, value: Any, low: float, high: float) -> float:
    """``value`` as a float, or a ValueError naming the variable and its range."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{variable} must be a number, not {value!r}") from None
    if not (np.isfinite(number) and low <= number <= high):
        upper = "upward" if high == np.inf else f"to {high:g}"
        raise ValueError(f"{variable} must be from {low:g} {upper}, not {number:g}")
    return number


class WeakIdCounters:
    """Mesa's per-model counters of agent ids (``Agent._ids``), held weakly: Mesa's own is a
    class-level dict that keeps every model that ever made an agent alive until
    ``release()``, so thousands of models in one process (``mesa.batch_run``) grew memory
    without end. Here a model nobody refers to is freed, and its counter with it."""

    def __init__(self) -> None:
        self._counters: weakref.WeakKeyDictionary[Any, Iterator[int]] = (
            weakref.WeakKeyDictionary())

    def __getitem__(self, model: Any) -> Iterator[int]:
        counter = self._counters.get(model)
        if counter is None:
            counter = self._counters[model] = itertools.count(1)
        return counter

    def __len__(self) -> int:
        return len(self._counters)


class TeamAgent(mesa.Agent):
    """A TeamSim agent: Mesa's Agent, its ids counted per model without holding the model
    (:class:`WeakIdCounters`); members and the leader share one count, as in Mesa."""

    _ids = WeakIdCounters()  # type: ignore[assignment]

    @property
    def role(self) -> str:
        """``member`` or ``leader`` (a column of the agents' data)."""
        return "leader" if isinstance(self, Leader) else "member"


class SlotState:
    """Descriptor: a member's view of one state variable in the model's arrays.

    Reading gives the member's value; assigning writes it through to the model's state
    (checked against the variable's range), so ``member.motivation = 0.9`` changes what the
    next week starts from. What the member drifts back to (the ``*_anchor`` states) is not
    moved with it. Whether a slot is filled (``active``) is the model's to change, by
    departures and hires, and cannot be assigned."""

    def __init__(self, variable: str) -> None:
        self.variable = variable
        self.__doc__ = MEMBER_VARIABLES[variable]

    def __get__(self, member: TeamMember | None, owner: type | None = None) -> Any:
        if member is None:
            return self
        return float(getattr(member.model.state, self.variable)[member.slot])

    def __set__(self, member: TeamMember, value: Any) -> None:
        if self.variable == "active":
            raise AttributeError("active is set by the model (departures and hires), not "
                                 "assigned")
        number = checked_value(self.variable, value, *state_range(self.variable))
        model = member.model
        values = np.array(getattr(model.state, self.variable), dtype=float)
        values[member.slot] = number
        model.state = model.state.replace(**{self.variable: values})


class TeamMember(TeamAgent):
    """A person in the team: capability, motivation, trust, accountability and the rest."""

    model: TeamModel

    if TYPE_CHECKING:
        # Every member state variable is a float attribute, set below from the state's
        # list of variables; this tells the type checker such attributes exist.
        def __getattr__(self, name: str) -> Any: ...

    def __init__(self, model: TeamModel, slot: int) -> None:
        super().__init__(model)
        self.slot = slot

    @property
    def output(self) -> float:
        """What the member produced last week."""
        return float(self.model.last_output[self.slot])

    @property
    def situation(self) -> str:
        """The member's situation as the leader read it last week (situational leadership)."""
        observation = self.model.leader.observation
        if observation is None:
            return "unobserved"
        return SITUATIONS[int(classify_situations(observation)[self.slot])]

    def __repr__(self) -> str:
        return (f"TeamMember(slot={self.slot}, capability={self.capability:.2f}, "
                f"motivation={self.motivation:.2f}, trust={self.trust:.2f}, "
                f"accountability={self.accountability:.2f})")


for _variable in MEMBER_VARIABLES:
    setattr(TeamMember, _variable, SlotState(_variable))


class Leader(TeamAgent):
    """The team's leader: finite attention, a fallible diagnosis and a strategy.

    Her week (observe, plan, fit the plan into the hours crises leave) is the leader's part
    of :func:`simulation.model.week.simulate_week`; the agent keeps what she saw and did.
    """

    model: TeamModel

    def __init__(self, model: TeamModel, config: LeaderConfig,
                 strategy: RegisteredStrategy) -> None:
        super().__init__(model)
        self.config = config
        self.strategy = strategy
        self.planner = Planner(strategy, model.config.name, model.seed, (model.replication,))
        """The strategy with this run's own memory (its copy and its context)."""
        self.observation: Observation | None = None
        self.last_plan: LeaderWeek | None = None
        self._share = 1.0
        self._deputy: np.ndarray | float = 0.0

    @property
    def exhaustion(self) -> float:
        """Her own accumulated strain (0 rested, 1 exhausted): hours beyond her capacity,
        crises and conflict build it, calm weeks restore her."""
        return float(self.model.state.leader_exhaustion)

    @exhaustion.setter
    def exhaustion(self, value: float) -> None:
        number = checked_value("exhaustion", value, 0.0, 1.0)
        self.model.state = self.model.state.replace(leader_exhaustion=np.asarray(number)[()])

    @property
    def credibility(self) -> float:
        """How far her team sees her deeds match her words (0 none, 1 complete): kept
        commitments, candour, care and transparency build it; broken commitments,
        favouritism and inconsistency erode it."""
        return float(self.model.state.leader_credibility)

    @credibility.setter
    def credibility(self, value: float) -> None:
        number = checked_value("credibility", value, 0.0, 1.0)
        self.model.state = self.model.state.replace(leader_credibility=np.asarray(number)[()])

    @property
    def context(self) -> StrategyContext | None:
        """What the strategy keeps of this run, if it takes a context (None if not)."""
        return self.planner.contexts[0] if self.planner.with_context else None

    @property
    def attention_hours(self) -> float:
        """Hours a week the leader gives the team when not pulled away."""
        return self.config.attention_hours

    def attention_share(self) -> float:
        """Share of the normal leadership the team got in the week last worked (the
        attention schedule's level, with a deputy carrying a share of what is withdrawn)."""
        return self._share

    @property
    def deputy(self) -> int | None:
        """The slot of the member who deputised for her in the week last worked (the most
        ready member, while her attention was withdrawn), or None if nobody did."""
        hours = np.asarray(self._deputy)
        return int(np.argmax(hours)) if hours.ndim and hours.max() > 0 else None

    def remember(self, outcome: WeekOutcome) -> None:
        """Keep the week's reading of the team and plan (for views and notebooks)."""
        self.observation = outcome.leader.observation
        self.last_plan = outcome.leader
        self._share = float(outcome.leader.attention_share)
        self._deputy = outcome.leader.deputy_hours
