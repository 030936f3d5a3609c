"""Leader strategies: what the leader observes and the hours available in, doses out.

Every strategy has the same shape::

    def strategy(observation: Observation, hours: np.ndarray) -> np.ndarray

``observation`` is the leader's (noisy, possibly biased) reading of the team, member
arrays of shape ``(..., members)``; ``hours`` has shape ``(...)``. The strategy returns
leader hours per member per intervention, shape ``(..., members, interventions)``, adding
up to at most ``hours``. Built-in strategies are written over arrays, so one call serves a
single team or a batch of runs.

Strategies live in an explicit registry. Register your own by name::

    from simulation.model import strategies
    strategies.register("praise_everyone", praise_everyone, "recognition for all")

Each entry records where it was registered (``source``): the plugin file or module the
command line was loading when ``register`` was called (the loader says so explicitly with
:meth:`StrategyRegistry.registering_from`), or what the caller passes as ``source=``; the
built-ins have none. Error messages about a strategy name it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from simulation.model import interventions as iv
from simulation.model.adaptive import reassessed_reading
from simulation.model.arrays import add, np
from simulation.model.config import ROOT_CAUSES, TEAM_CAUSES
from simulation.model.diagnosis import Observation
from simulation.model.equations import last_sum, relative_to_team
from simulation.model.situations import SITUATION_APPROACH as SITUATION_APPROACH
from simulation.model.situations import SITUATION_EMPHASIS as SITUATION_EMPHASIS
from simulation.model.situations import SITUATION_THRESHOLDS as SITUATION_THRESHOLDS
from simulation.model.situations import SITUATIONS as SITUATIONS
from simulation.model.situations import TEAM_STAGE_APPROACH as TEAM_STAGE_APPROACH
from simulation.model.situations import TEAM_STAGE_EMPHASIS as TEAM_STAGE_EMPHASIS
from simulation.model.situations import TEAM_STAGES as TEAM_STAGES
from simulation.model.situations import SituationThresholds as SituationThresholds
from simulation.model.situations import classify_situations as classify_situations
from simulation.model.situations import classify_team_stage as classify_team_stage
from simulation.model.strategy_helpers import empty_weights as empty_weights
from simulation.model.strategy_helpers import need as need
from simulation.model.strategy_helpers import profile as profile
from simulation.model.strategy_helpers import spread as spread
from simulation.model.strategy_helpers import whole_team as whole_team
from simulation.model.strategy_memory import StrategyContext, check_memory

Strategy = Callable[[Observation, np.ndarray], np.ndarray]


@dataclass(frozen=True)
class RegisteredStrategy:
    """A strategy with its name and a one-line description."""

    name: str
    plan: Strategy
    description: str
    vectorised: bool = False
    """Whether the strategy works on a batch of runs at once (arrays ``(runs, members)``);
    if not, the batched engine calls it one team at a time."""
    source: str = ""
    """Where it was registered: a plugin's file (absolute path) or module; "" for the
    built-ins."""

    @property
    def title(self) -> str:
        """How messages name it: ``strategy 'x'``, with ``(from <source>)`` if it has one."""
        origin = f" (from {self.source})" if self.source else ""
        return f"strategy {self.name!r}{origin}"


class StrategyRegistry:
    """Strategies by name. Nothing is registered implicitly: every entry is a call."""

    def __init__(self) -> None:
        self._entries: dict[str, RegisteredStrategy] = {}
        self._sources: list[str] = []  # plugins being loaded, innermost last

    @contextmanager
    def registering_from(self, source: str) -> Iterator[None]:
        """Within the block, strategies registered without ``source=`` are recorded as
        coming from ``source`` (the plugin loader wraps each plugin's import in it)."""
        self._sources.append(source)
        try:
            yield
        finally:
            self._sources.pop()

    def register(self, name: str, plan: Strategy, description: str = "",
                 *, replace: bool = False, vectorised: bool = False,
                 source: str | None = None) -> None:
        """Add a strategy under ``name``; refuses to shadow one unless ``replace``, and one
        that keeps memory in module globals (see :mod:`simulation.model.strategy_memory`).
        Declare ``vectorised=True`` if it is written over arrays with leading axes, so the
        batched engine can call it for many runs at once. ``source`` says where it comes
        from (default: the plugin being loaded, if any)."""
        if not name.isidentifier():
            raise ValueError(f"strategy name {name!r} must be a Python identifier")
        if name in self._entries and not replace:
            raise ValueError(f"a strategy named {name!r} is already registered")
        summary = (plan.__doc__ or "").strip().split("\n\n")[0]
        text = description or " ".join(summary.split())
        if source is None:
            source = self._sources[-1] if self._sources else ""
        entry = RegisteredStrategy(name, plan, text, vectorised, source)
        check_memory(plan, entry.title)
        self._entries[name] = entry

    def get(self, name: str) -> RegisteredStrategy:
        """The strategy registered under ``name``."""
        try:
            return self._entries[name]
        except KeyError:
            known = ", ".join(sorted(self._entries))
            raise KeyError(f"unknown strategy {name!r} (known: {known})") from None

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def names(self) -> list[str]:
        """Registered names, in registration order."""
        return list(self._entries)

    def copy(self) -> StrategyRegistry:
        """A new registry holding this one's strategies (``REGISTRY.copy()``: the built-ins,
        to which one's own are added without touching the package's)."""
        copied = StrategyRegistry()
        copied._entries = dict(self._entries)
        return copied


REGISTRY = StrategyRegistry()
"""The registry the model and the command line look strategies up in."""


def register(name: str, plan: Strategy, description: str = "", *, replace: bool = False,
             vectorised: bool = False, source: str | None = None) -> None:
    """Register a strategy in the package registry (see :class:`StrategyRegistry`)."""
    REGISTRY.register(name, plan, description, replace=replace, vectorised=vectorised,
                      source=source)


def get(name: str) -> RegisteredStrategy:
    """Look up a strategy in the package registry."""
    return REGISTRY.get(name)


# ---------------------------------------------------------------------------------------
# Built-in strategies


def hands_off(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Spends no hours on the team: the comparison for every other strategy."""
    return empty_weights(observation)


def firefighter(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Reacts to the currently worst performer and assumes a motivation problem."""
    output = np.where(observation.active > 0, observation.output, np.inf)
    worst = np.argmin(output, axis=-1)
    chosen = np.arange(observation.shape[-1]) == worst[..., None]
    weights = chosen[..., None] * profile(recognise=0.5, monitor=0.5)
    return spread(weights * observation.active[..., None], hours)


def micromanager(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Checks on everyone, closely and often."""
    weights = observation.active[..., None] * profile(micromanage=0.6, monitor=0.4)
    return spread(weights, hours)


CAUSE_REMEDIES = np.array([profile(**iv.REMEDIES[cause]) for cause in ROOT_CAUSES])
"""The root-cause matrix (interventions.REMEDIES) as an array, one row per member cause."""

TEAM_CAUSE_REMEDIES = np.array([profile(**iv.REMEDIES[cause]) for cause in TEAM_CAUSES])
"""The team rows of the root-cause matrix, one per team-level cause."""

DIAGNOSIS_THRESHOLD = 0.2
"""Observed gaps smaller than this are left alone by diagnose_and_match."""

TEAM_DIAGNOSIS_THRESHOLD = 0.4
"""Observed team-level gaps smaller than this are left alone by diagnose_and_match."""

TEAM_EMPHASIS = 0.5
"""How much of the team a team-level gap weighs as: a team gap counts like the same gap
in half of the members (it touches everyone, and one team session serves them all)."""


def team_need(observation: Observation, threshold: float = TEAM_DIAGNOSIS_THRESHOLD
              ) -> np.ndarray:
    """How far each observed team-level gap exceeds ``threshold``, weighted as
    ``TEAM_EMPHASIS`` of the team's headcount, ``(..., len(TEAM_CAUSES))``."""
    headcount = last_sum(observation.active)
    excess = np.maximum(observation.team_gaps - threshold, 0.0)
    return excess * (TEAM_EMPHASIS * headcount)[..., None]


def diagnose_and_match(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Diagnoses each member's gaps and the team's, and applies the matched interventions
    (primary and secondary) to each, in proportion to how far the gap exceeds a
    threshold."""
    excess = np.maximum(observation.gaps - DIAGNOSIS_THRESHOLD, 0.0)
    weights = excess @ CAUSE_REMEDIES
    weights *= observation.active[..., None]
    weights += whole_team(team_need(observation) @ TEAM_CAUSE_REMEDIES, observation)
    return spread(weights, hours)


def adaptive(observation: Observation, hours: np.ndarray,
             context: StrategyContext | None = None) -> np.ndarray:
    """Diagnoses and matches, and learns which remedies work for whom: where a member's
    gap does not close under its remedy within weeks, reassesses the diagnosis toward the
    member's next most likely cause.

    Without a context (one call outside a run) it plans as ``diagnose_and_match``; the
    learning is in :mod:`simulation.model.adaptive` (docs/MODEL.md §8.6)."""
    if context is not None:
        observation = reassessed_reading(observation, context.memory, DIAGNOSIS_THRESHOLD)
    return diagnose_and_match(observation, hours)


def situational(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """A different approach for each member's situation and for the team's stage:
    directing the new, coaching the under-skilled, supporting the unmotivated, delegating
    to experienced performers; building a forming team, settling a storming one, setting
    standards with a norming one."""
    situation = classify_situations(observation)
    emphasis = np.take(SITUATION_EMPHASIS, situation, axis=0) * need(observation)
    members = np.take(SITUATION_APPROACH, situation, axis=0) * emphasis[..., None]
    stage = classify_team_stage(observation)
    team_weight = np.take(TEAM_STAGE_EMPHASIS, stage, axis=0) * np.sum(team_need(observation),
                                                                      axis=-1)
    team = whole_team(np.take(TEAM_STAGE_APPROACH, stage, axis=0) * team_weight[..., None],
                      observation)
    return spread(members + team, hours)


MARGINAL_GAINS_MIX = profile(clarify=0.13, train=0.14, coach=0.14, recognise=0.13,
                             remove_obstacles=0.13, monitor=0.13, build_systems=0.2)
"""Small steady shares on every dimension plus building systems."""


def marginal_gains(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Small steady gains on every dimension for every member, plus building systems."""
    return spread(observation.active[..., None] * MARGINAL_GAINS_MIX, hours)


def big_push(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """One big push on one dimension: every hour into training the whole team."""
    return spread(observation.active[..., None] * profile(train=1.0), hours)


def coach(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Development, feedback and empowerment: grows people, then gives them room."""
    development = need(observation)[..., None] * profile(train=0.3, coach=0.45, monitor=0.25)
    autonomy = (observation.capability * observation.active)[..., None] * profile(empower=0.4)
    return spread(development + autonomy, hours)


def clarify_only(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Only clarifies expectations and goals, for every member alike."""
    return spread(observation.active[..., None] * profile(clarify=1.0), hours)


def train_only(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Only trains, for every member alike."""
    return spread(observation.active[..., None] * profile(train=1.0), hours)


def monitor_only(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Only monitors and gives feedback, for every member alike (the Hawthorne leader)."""
    return spread(observation.active[..., None] * profile(monitor=1.0), hours)


def goals_only(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Only sets specific, challenging goals with the team, and follows them up."""
    return spread(whole_team(profile(set_goals=1.0), observation), hours)


def build_capability(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Invests in capability and systems (training and embedding practice) instead of
    fighting today's fires: slower now, stronger later (Repenning & Sterman 2002)."""
    return spread(observation.active[..., None] * profile(train=0.6, build_systems=0.4),
                  hours)


TEAM_BUILDER_MEMBER_SHARE = 0.3
"""Share of the team builder's hours kept for members (coaching the neediest)."""


def team_builder(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Works the team rather than its members: most hours go to team building, role
    clarification, retrospectives, mediation and shared goals, as the team's observed gaps
    call for them (always some retrospectives and goals); the rest coaches members in
    proportion to their need."""
    team_mix = (np.maximum(observation.team_gaps, 0.05) @ TEAM_CAUSE_REMEDIES
                + profile(retrospective=0.1, set_goals=0.1))
    team_mix = team_mix / np.sum(team_mix, axis=-1, keepdims=True)
    team = whole_team(team_mix, observation) * (1.0 - TEAM_BUILDER_MEMBER_SHARE)
    needs = need(observation)
    total = np.maximum(np.sum(needs, axis=-1, keepdims=True), 1e-12)
    members = (needs / total)[..., None] * profile(coach=1.0) * TEAM_BUILDER_MEMBER_SHARE
    return spread(team + members, hours)


TRUST_SHARE = 0.25
"""Share of the trustworthy leader's hours spent on the trust behaviours that are acts."""

TRUST_BEHAVIOURS_MIX = profile(care=0.4, candour=0.4, transparency=0.2)
"""How the trustworthy leader shares her trust hours: care and candour, each shared
equally over the members, and transparency with the team."""


def trustworthy(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Diagnoses and matches with three quarters of her hours and spends the rest on the
    trust behaviours: care and candour with every member alike, transparency with the
    team (reliability is keeping the 1:1s all of it books)."""
    trust = whole_team(TRUST_BEHAVIOURS_MIX, observation)
    hours = np.asarray(hours, dtype=float)
    matched = diagnose_and_match(observation, hours * (1.0 - TRUST_SHARE))
    return matched + spread(trust, hours * TRUST_SHARE)


LOW_PERFORMANCE = 0.8
"""Output relative to the team's mean (last week's, as the leader saw it) below which the
performance manager holds a performance conversation with a member."""

CONVERSATION_WEIGHT = 0.5
"""How much a performance conversation with a low performer, or one on a plan, weighs in
the performance manager's week: as much as a matched remedy for a gap of 0.7 (0.5 above
the diagnosis threshold)."""

HIRING_WEIGHT = 1.0
"""How much the search for each vacant slot weighs in the performance manager's week: as
much as two members' performance conversations."""


def performance_manager(observation: Observation, hours: np.ndarray) -> np.ndarray:
    """Diagnoses and matches, holds performance conversations with members who perform low
    or are on an improvement plan (every week: each one follows the last one up), and puts
    hours into hiring while a slot is vacant."""
    excess = np.maximum(observation.gaps - DIAGNOSIS_THRESHOLD, 0.0)
    weights = excess @ CAUSE_REMEDIES
    weights += whole_team(team_need(observation) @ TEAM_CAUSE_REMEDIES, observation)
    assert observation.plan_weeks is not None  # filled in by Observation.__post_init__
    low = (relative_to_team(observation.output, observation.active) < LOW_PERFORMANCE) | (
        observation.plan_weeks > 0)
    weights = add(weights, (..., iv.PERFORMANCE_CONVERSATION), CONVERSATION_WEIGHT * low)
    weights *= observation.active[..., None]
    vacancies = last_sum(1.0 - observation.active)
    weights += whole_team(HIRING_WEIGHT * vacancies[..., None] * profile(hire=1.0),
                          observation)
    return spread(weights, hours)


for _name, _plan in (("hands_off", hands_off), ("firefighter", firefighter),
                     ("micromanager", micromanager), ("diagnose_and_match", diagnose_and_match),
                     ("situational", situational), ("marginal_gains", marginal_gains),
                     ("big_push", big_push), ("coach", coach),
                     ("clarify_only", clarify_only), ("train_only", train_only),
                     ("monitor_only", monitor_only), ("build_capability", build_capability),
                     ("goals_only", goals_only), ("team_builder", team_builder),
                     ("adaptive", adaptive), ("trustworthy", trustworthy),
                     ("performance_manager", performance_manager)):
    register(_name, _plan, vectorised=True)

BUILT_IN_PLANS = frozenset(REGISTRY.get(name).plan for name in REGISTRY.names())
"""The package's own strategies. Their answers are trusted as they are (a fresh array,
finite, non-negative, within the hours, nothing for vacant slots: the tests check each
one), so the engines neither copy nor check them."""
