"""Reproducible randomness: one numpy Generator per run, noise drawn in a fixed layout.

A run is identified by the base seed and its replication number; its generator is seeded
from ``SeedSequence(seed, spawn_key=(replication,))``, the same stream that
``SeedSequence(seed).spawn(n)[replication]`` gives. Replication k therefore meets the same
random numbers whatever strategy or setting is being compared (common random numbers).

All the run's noise is drawn once, up front, in a fixed order and shape (by purpose, week
and member slot), so that any driver of the same run (the Mesa model or an array engine)
consumes exactly the same numbers, whatever happens during the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.model.config import ScenarioConfig
from simulation.model.diagnosis import OBSERVED_READINGS, TEAM_READINGS
from simulation.model.state import INITIAL_DRAWS, TEAM_DRAWS, TRAIT_DRAWS, TeamState, initial_state


def run_seed_sequence(seed: int, replication: int) -> np.random.SeedSequence:
    """The seed sequence of replication ``replication`` under base seed ``seed``."""
    return np.random.SeedSequence(seed, spawn_key=(replication,))


def run_generator(seed: int, replication: int) -> np.random.Generator:
    """The run's one numpy Generator."""
    return np.random.default_rng(run_seed_sequence(seed, replication))


@dataclass(frozen=True)
class RunNoise:
    """Every random number one run uses, by purpose (shapes for ``weeks`` W, slots M)."""

    initial: np.ndarray
    """(M, INITIAL_DRAWS) standard normals: the starting team."""
    observation: np.ndarray
    """(W, M, OBSERVED_READINGS) standard normals: the leader's reading errors."""
    turnover: np.ndarray
    """(W, M) uniforms: whether a member leaves this week."""
    hire: np.ndarray
    """(W, M) standard normals: a new hire's starting capability."""
    crisis: np.ndarray
    """(W,) uniforms: whether a crisis strikes this week."""
    obstacle: np.ndarray
    """(W,) uniforms: whether a new obstacle emerges this week."""
    change: np.ndarray
    """(W,) uniforms: whether conditions change this week."""
    traits: np.ndarray
    """(M, TRAIT_DRAWS) standard normals: the starting members' traits."""
    hire_traits: np.ndarray
    """(W, M, TRAIT_DRAWS) standard normals: a new hire's traits."""
    team: np.ndarray
    """(TEAM_DRAWS,) standard normals: how this team differs from others at the start."""
    first_reading: np.ndarray
    """(M, OBSERVED_READINGS) standard normals: the leader's first misreading of each
    member."""
    voice: np.ndarray
    """(W, M) uniforms: whether a member runs into a problem, and raises or hides it."""
    team_reading: np.ndarray
    """(W, len(TEAM_READINGS)) standard normals: the leader's reading errors of the team
    states."""
    work: np.ndarray
    """(1,) standard normal: how productive the team's work is (``work.productivity_sd``)."""

    def week(self, week: int) -> WeekNoise:
        """The member noise of one (0-based) week, of one run or of every run of a batch
        (the run axis, if any, comes first)."""
        return WeekNoise(observation=self.observation[..., week, :, :],
                         turnover=self.turnover[..., week, :],
                         hire=self.hire[..., week, :],
                         hire_traits=self.hire_traits[..., week, :, :],
                         voice=self.voice[..., week, :],
                         team_reading=self.team_reading[..., week, :],
                         work=self.work[..., 0])

    def starting_team(self, config: ScenarioConfig) -> TeamState:
        """The run's (or batch's) starting team, from its draws."""
        return initial_state(config, self.initial, self.traits, self.team, self.first_reading)


@dataclass(frozen=True)
class WeekNoise:
    """A run's (or a batch's) member noise for one week."""

    observation: np.ndarray
    """``(..., members, OBSERVED_READINGS)`` standard normals: the leader's reading errors."""
    turnover: np.ndarray
    """``(..., members)`` uniforms: whether each member leaves."""
    hire: np.ndarray
    """``(..., members)`` standard normals: a new hire's starting capability."""
    hire_traits: np.ndarray
    """``(..., members, TRAIT_DRAWS)`` standard normals: a new hire's traits."""
    voice: np.ndarray
    """``(..., members)`` uniforms: problems raised or hidden."""
    team_reading: np.ndarray
    """``(..., len(TEAM_READINGS))`` standard normals: the leader's reading errors of the
    team states."""
    work: np.ndarray
    """Team arrays of the run's standard normal for its work's productivity."""


NORMAL, UNIFORM = "normal", "uniform"
LAYOUT: tuple[tuple[str, str], ...] = (
    ("work", NORMAL), ("initial", NORMAL), ("observation", NORMAL), ("turnover", UNIFORM),
    ("hire", NORMAL),
    ("crisis", UNIFORM), ("obstacle", UNIFORM), ("change", UNIFORM),
    ("traits", NORMAL), ("hire_traits", NORMAL), ("team", NORMAL), ("first_reading", NORMAL),
    ("voice", UNIFORM), ("team_reading", NORMAL),
)
"""The fixed order in which a run's noise is drawn, and each block's distribution. The
work's productivity comes first: it does not depend on the team's size or the run's
length, so replication k has the same work whatever those are (common random numbers
between team sizes, e.g. P13's)."""


def noise_shapes(weeks: int, members: int) -> dict[str, tuple[int, ...]]:
    """The shape of each block of a run's noise."""
    return {"initial": (members, INITIAL_DRAWS),
            "observation": (weeks, members, OBSERVED_READINGS),
            "turnover": (weeks, members), "hire": (weeks, members),
            "crisis": (weeks,), "obstacle": (weeks,), "change": (weeks,),
            "traits": (members, TRAIT_DRAWS), "hire_traits": (weeks, members, TRAIT_DRAWS),
            "team": (TEAM_DRAWS,), "first_reading": (members, OBSERVED_READINGS),
            "voice": (weeks, members), "team_reading": (weeks, len(TEAM_READINGS)),
            "work": (1,)}


def draw_into(rng: np.random.Generator, blocks: dict[str, np.ndarray]) -> None:
    """Fill a run's noise blocks from its generator, in the fixed layout."""
    for name, kind in LAYOUT:
        if kind == NORMAL:
            rng.standard_normal(out=blocks[name])
        else:
            rng.random(out=blocks[name])


def draw_run_noise(rng: np.random.Generator, weeks: int, members: int) -> RunNoise:
    """Draw a run's noise from its generator in the fixed layout (LAYOUT's order)."""
    blocks = {name: np.empty(shape) for name, shape in noise_shapes(weeks, members).items()}
    draw_into(rng, blocks)
    return RunNoise(**blocks)


def draw_batch_noise(seed: int, replications: list[int], weeks: int, members: int,
                     into: RunNoise | None = None) -> RunNoise:
    """The noise of many runs, run axis first: each run's blocks drawn from its own
    generator exactly as :func:`draw_run_noise` draws them, straight into place. ``into``
    lends the arrays of an earlier batch of at least as many runs of the same shape (its
    numbers are overwritten): a batch run in blocks fills one set of arrays, not a fresh
    one per block, whose first touch costs about as much as the draws."""
    runs = len(replications)
    blocks = ({name: np.empty((runs, *shape))
               for name, shape in noise_shapes(weeks, members).items()} if into is None
              else {name: getattr(into, name)[:runs] for name in noise_shapes(weeks, members)})
    for index, replication in enumerate(replications):
        draw_into(run_generator(seed, replication),
                  {name: block[index] for name, block in blocks.items()})
    return RunNoise(**blocks)
