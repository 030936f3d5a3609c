"""Typed, frozen configuration of an organisation: several teams, each a scenario, and their
leaders, one of whom may lead more than one team; and the organisation-level inputs every
team works in.

An organisation file (read by :mod:`simulation.model.organisation_files`) names, for each
team, the scenario that sets it up and the leader who leads it. A leader's own keys (her
strategy, hours, capacity, reading, ...) are hers in every team she leads; a leader of
several teams splits her hours between them (:mod:`simulation.model.organisation`). The
organisation-level inputs (:class:`OrganisationInputs`) set keys of every team's scenario
by the documented map :data:`INPUT_KEYS`; at their neutral values they change nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulation.model.arrays import np
from simulation.model.config import (
    DEFAULT_SEED,
    MAX_DESCRIPTION,
    MAX_NAME,
    MAX_TITLE,
    NAME_PATTERN,
    WEEKS_PER_QUARTER,
    ScenarioConfig,
    described,
)

MAX_TEAMS = 24
"""Most teams an organisation file may hold."""

ORGANISATION_ROW = "organisation"
"""What the ``team`` column says on the organisation's own rows of a quarterly table."""

PERSONAL_KEYS: tuple[str, ...] = ("attention_hours", "capacity_hours", "exhaustion")
"""Leader keys that are the person's, not her relation to a team: a leader of several teams
has one value of each (set in her ``[[leaders]]`` table, or agreed by her teams'
scenarios)."""


@dataclass(frozen=True)
class OrganisationInputs:
    """What the organisation gives every team (each optional; at its neutral value, the
    default of the keys it sets, it changes nothing)."""

    strategy_clarity: float | None = described(
        None, "clarity of the organisation's strategy: the direction clarity every team's "
              "drifts back to (neutral 0.6)", 0, 1)
    culture: float | None = described(
        None, "how safe, trusting and mutually accountable the organisation's culture is: "
              "every team's starting psychological safety and trust, and 0.8 of it as "
              "mutual accountability (neutral 0.5)", 0, 1)
    systems: float | None = described(
        None, "processes and tools the organisation has embedded: every team's starting "
              "systems (neutral 0.1)", 0, 1)
    talent: float | None = described(
        None, "the talent the organisation attracts: every team's mean starting capability, "
              "and half of it as a new hire's (neutral 0.5)", 0, 1)
    resources: float | None = described(
        None, "resources the organisation provides: one minus it is the barriers of every "
              "team's environment and its members' starting obstacles (neutral 0.7)", 0, 1)


INPUT_KEYS: dict[str, tuple[tuple[str, Callable[[float], float]], ...]] = {
    "strategy_clarity": (("environment.direction_clarity", lambda x: x),),
    "culture": (("team.psychological_safety", lambda x: x), ("team.trust", lambda x: x),
                ("team.mutual_accountability", lambda x: 0.8 * x)),
    "systems": (("team.systems", lambda x: x),),
    "talent": (("team.capability", lambda x: x), ("team.new_hire_capability", lambda x: x / 2)),
    "resources": (("environment.barriers", lambda x: 1.0 - x),
                  ("team.obstacles", lambda x: 1.0 - x)),
}
"""The scenario keys each organisation-level input sets in every team, and how."""


def input_overrides(inputs: OrganisationInputs) -> dict[str, dict[str, float]]:
    """The scenario keys the given inputs set, by input: ``{input: {key: value}}``."""
    return {name: {key: round(float(rule(value)), 12) for key, rule in INPUT_KEYS[name]}
            for name in INPUT_KEYS if (value := getattr(inputs, name)) is not None}


@dataclass(frozen=True)
class LeaderTable:
    """The organisation's keys of a ``[[leaders]]`` table (the rest of the table are
    :class:`~simulation.model.config.LeaderConfig` keys, set in each of her teams)."""

    name: str = described("", "the leader's name (teams name their leader by it)",
                          pattern=NAME_PATTERN, max_length=MAX_NAME)
    crisis_pull: float = described(
        1.0, "how far a crisis in one of her teams pulls her attention to it: its weight "
             "in her split is multiplied by one plus this while the crisis lasts", 0, 10)


@dataclass(frozen=True)
class ShareChange:
    """From a quarter on, the leader's base shares of attention to her teams."""

    from_quarter: int
    shares: tuple[float, ...]
    """One weight per team she leads, in her teams' order (they need not sum to 1)."""


@dataclass(frozen=True)
class OrganisationTeam:
    """One team: its name, its leader and its scenario with the organisation's settings."""

    name: str
    leader: str
    share: float
    """Its base weight in its leader's attention (when she leads several teams)."""
    config: ScenarioConfig


@dataclass(frozen=True)
class OrganisationLeader:
    """One leader of the organisation and the teams she leads."""

    name: str
    teams: tuple[int, ...]
    """Indices of her teams in ``OrganisationConfig.teams``."""
    crisis_pull: float
    attention: tuple[ShareChange, ...]
    """Changes of her base shares, by quarter (empty: the teams' ``share`` throughout)."""

    def base_shares(self, organisation: OrganisationConfig) -> np.ndarray:
        """``(weeks, her teams)`` her base weights each week, normalised to sum to 1."""
        weights = np.array([[organisation.teams[i].share for i in self.teams]] *
                           organisation.weeks, dtype=float)
        for change in self.attention:
            weights[(change.from_quarter - 1) * WEEKS_PER_QUARTER:] = change.shares
        return weights / weights.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class OrganisationConfig:
    """An organisation: its teams, their leaders, what it gives every team, the horizon."""

    name: str
    title: str
    description: str
    quarters: int
    replications: int
    seed: int
    inputs: OrganisationInputs
    teams: tuple[OrganisationTeam, ...]
    leaders: tuple[OrganisationLeader, ...]
    data: str
    """The file's settings as canonical JSON (what overrides rebuild it from)."""
    folder: str
    """The folder the file's relative scenario paths start from."""

    @property
    def weeks(self) -> int:
        """Weekly steps in the run."""
        return self.quarters * WEEKS_PER_QUARTER

    @property
    def team_names(self) -> tuple[str, ...]:
        """The teams' names, in the file's order."""
        return tuple(team.name for team in self.teams)

    def leader_of(self, team: int) -> OrganisationLeader:
        """The leader of team ``team`` (an index)."""
        return next(leader for leader in self.leaders if team in leader.teams)


@dataclass(frozen=True)
class OrganisationHeader:
    """The top-level keys of an organisation file."""

    name: str = described("organisation", "short name; results go to results/<name>/",
                          pattern=NAME_PATTERN, max_length=MAX_NAME)
    title: str = described("", "one-line title", max_length=MAX_TITLE)
    description: str = described("", "the story the organisation tells, in plain words",
                                 max_length=MAX_DESCRIPTION)
    quarters: int = described(12, "quarters simulated (13 weekly steps each), in every team",
                              1, 100)
    replications: int = described(20, "default number of replications", 1, 100000)
    seed: int = described(DEFAULT_SEED, "default base seed of the replications", 0, 2**63 - 1)


def team_seed(seed: int, team: int) -> int:
    """The base seed of team ``team``'s runs under the organisation's base seed ``seed``:
    each team meets its own random numbers, and replication k of the organisation is
    replication k of every team under its seed."""
    state = np.random.SeedSequence([seed, team]).generate_state(2, np.uint32)
    return int((int(state[0]) << 31) ^ int(state[1])) % 2**63
