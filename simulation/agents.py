"""Mesa agents: the team members and their leader.

Agents are thin. A :class:`TeamMember` is a person in a slot of the team; their state
lives in the model's arrays (so the equations run over the whole team at once) and reads
as attributes (``member.capability``). When a member leaves, their agent is removed and a
new agent (a new person, with a new ``unique_id``) fills the slot when the vacancy is
filled. The :class:`Leader` observes, plans and spends the week's hours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np

from simulation import diagnosis, leadership
from simulation.config import LeaderConfig
from simulation.state import MEMBER_VARIABLES
from simulation.strategies import SITUATIONS, RegisteredStrategy, classify_situations

if TYPE_CHECKING:
    from simulation.model import TeamModel


class SlotState:
    """Descriptor: a member's view of one state variable in the model's arrays."""

    def __init__(self, variable: str) -> None:
        self.variable = variable
        self.__doc__ = MEMBER_VARIABLES[variable]

    def __get__(self, member: TeamMember | None, owner: type | None = None) -> Any:
        if member is None:
            return self
        return float(getattr(member.model.state, self.variable)[member.slot])


class TeamMember(mesa.Agent):
    """A person in the team: capability, motivation, trust, accountability and the rest."""

    model: TeamModel

    capability = SlotState("capability")
    capability_ceiling = SlotState("capability_ceiling")
    capability_anchor = SlotState("capability_anchor")
    motivation = SlotState("motivation")
    motivation_anchor = SlotState("motivation_anchor")
    trust = SlotState("trust")
    accountability = SlotState("accountability")
    accountability_anchor = SlotState("accountability_anchor")
    scrutiny = SlotState("scrutiny")
    role_clarity = SlotState("role_clarity")
    role_clarity_anchor = SlotState("role_clarity_anchor")
    recent_output = SlotState("recent_output")
    obstacles = SlotState("obstacles")
    habit_strength = SlotState("habit_strength")
    exhaustion = SlotState("exhaustion")
    tenure_weeks = SlotState("tenure_weeks")

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


@dataclass(frozen=True)
class WeekPlan:
    """The leader's week: hours planned and granted per member and intervention."""

    hours_planned: float
    """Hours the leader meant to give the team this week."""
    crisis_hours: float
    """Hours crises took."""
    planned: np.ndarray
    granted: np.ndarray
    kept: np.ndarray
    """Weight in [0, 1) of each member's 1:1 that was held (0 if none was held)."""
    breached: np.ndarray
    """Weight in [0, 1) of each member's planned 1:1 that was cancelled (a broken
    commitment; 0 if none was)."""


class Leader(mesa.Agent):
    """The team's leader: finite attention, a fallible diagnosis and a strategy."""

    model: TeamModel

    def __init__(self, model: TeamModel, config: LeaderConfig,
                 strategy: RegisteredStrategy) -> None:
        super().__init__(model)
        self.config = config
        self.strategy = strategy
        self.observation: diagnosis.Observation | None = None
        self.last_plan: WeekPlan | None = None

    @property
    def attention_hours(self) -> float:
        """Hours a week the leader gives the team when not pulled away."""
        return self.config.attention_hours

    def attention_share(self) -> float:
        """Share of the normal leadership the team gets this week: the attention schedule's
        level, with a deputy carrying a share of whatever is withdrawn."""
        return float(leadership.attention_share(self.model.calendar.attention_level,
                                                self.config.deputy_share))

    def hours_this_week(self) -> float:
        """Hours planned for the team this week."""
        return self.config.attention_hours * self.attention_share()

    def crisis_hours_this_week(self) -> float:
        """Hours the team's crises take from the leader this week. A reassigned leader
        handles only her share of them; whoever covers for her handles the rest."""
        return self.model.calendar.crisis_hours * self.attention_share()

    def observe(self, week: int) -> diagnosis.Observation:
        """Read the team through noise and bias."""
        model = self.model
        self.observation = diagnosis.observe(
            model.state, model.last_output, model.noise.observation[week],
            self.config.diagnostic_accuracy, self.config.bias_cause,
            self.config.bias_strength, model.params)
        return self.observation

    def plan(self, week: int, observation: diagnosis.Observation, hours: float) -> np.ndarray:
        """Doses for the week: the strategy's plan, plus the hours set aside for systems."""
        return leadership.plan_doses(self.strategy, observation, np.asarray(hours),
                                     leadership.systems_share(self.config, week))

    def act(self, week: int) -> WeekPlan:
        """Observe, plan and fit the plan into the hours crises leave."""
        hours = self.hours_this_week()
        crisis = self.crisis_hours_this_week()
        planned = self.plan(week, self.observe(week), hours)
        granted, kept, breached = leadership.fit_week(
            planned, np.asarray(max(hours - crisis, 0.0)), self.model.params)
        self.last_plan = WeekPlan(hours, crisis, planned, granted, kept=kept,
                                  breached=breached)
        return self.last_plan
