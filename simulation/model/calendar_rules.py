"""The calendar's rules, written once: when the leader's attention is withdrawn, when crises
strike and how long they last, when obstacles emerge and conditions change, and when a
vacancy is filled.

Both engines derive their calendar from these functions. The Mesa model's SimPy processes
(:mod:`simulation.engines.simpy_calendar`) fire the events week by week; the batched engine
lays the same events out as arrays over weeks (:func:`timeline`). Whether an event strikes
is decided by the run's pre-drawn uniforms (:mod:`simulation.model.randomness`), so the
calendar is reproducible. Weeks are 0-based here; scenario files name quarters and
scheduled-crisis weeks 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulation.model.arrays import np
from simulation.model.config import WEEKS_PER_QUARTER, LeaderConfig, ScenarioConfig
from simulation.model.randomness import RunNoise

FOREVER = 10**9
"""The last quarter of a stretch that runs to the end of the run."""


def quarter_of(week: int) -> int:
    """The (1-based) quarter a (0-based) week falls in."""
    return week // WEEKS_PER_QUARTER + 1


def weekly_probability(rate_per_quarter: float) -> float:
    """Chance that a Poisson event with the given quarterly rate strikes in a week."""
    return float(1.0 - np.exp(-rate_per_quarter / WEEKS_PER_QUARTER))


def attention_level(leader: LeaderConfig, quarter: int) -> float:
    """Share of normal hours the leader gives the team in a (1-based) quarter.

    A reassignment (``withdrawn_from_quarter``) applies first; ``attention`` stretches
    override it, from their first to their last quarter inclusive, and where stretches
    overlap the later one in the file wins.
    """
    level = 1.0
    start = leader.withdrawn_from_quarter
    if start and quarter >= start and (leader.withdrawn_quarters == 0
                                       or quarter < start + leader.withdrawn_quarters):
        level = leader.withdrawn_level
    for change in leader.attention:
        last = change.to_quarter or FOREVER
        if change.from_quarter <= quarter <= last:
            level = change.level
    return level


def attention_levels(config: ScenarioConfig) -> np.ndarray:
    """The attention schedule's level in every week of the run, ``(weeks,)``."""
    return np.array([attention_level(config.leader, quarter_of(week))
                     for week in range(config.weeks)])


def crisis_starts(config: ScenarioConfig, crisis_uniforms: np.ndarray) -> np.ndarray:
    """Crises breaking out in each week, ``(..., weeks)``: a random one where the week's
    uniform falls below the weekly chance, plus every crisis scheduled for that week
    (scheduled weeks beyond the run are ignored)."""
    env = config.environment
    started = (np.asarray(crisis_uniforms) < weekly_probability(env.crisis_rate)).astype(float)
    for week in env.scheduled_crises:
        if week <= config.weeks:
            started[..., week - 1] += 1.0
    return started


def crisis_duration(config: ScenarioConfig) -> int:
    """Weeks a crisis lasts: it takes the leader's hours and adds pressure in the week it
    breaks out and the weeks after, this many in all."""
    return config.environment.crisis_weeks


def crises_under_way(starts: np.ndarray, duration: int) -> np.ndarray:
    """Crises under way in each week, ``(..., weeks)``: those that broke out in the last
    ``duration`` weeks, this one included."""
    running = np.cumsum(starts, axis=-1)
    ended = np.zeros_like(running)
    if duration < running.shape[-1]:
        ended[..., duration:] = running[..., :-duration]
    return running - ended


def obstacle_shocks(config: ScenarioConfig, obstacle_uniforms: np.ndarray) -> np.ndarray:
    """Share of the free path blocked by obstacles emerging in each week, ``(..., weeks)``."""
    env = config.environment
    return np.where(np.asarray(obstacle_uniforms) < weekly_probability(env.obstacle_rate),
                    env.obstacle_size, 0.0)


def change_shocks(config: ScenarioConfig, change_uniforms: np.ndarray) -> np.ndarray:
    """Share of direction clarity lost to conditions changing in each week, ``(..., weeks)``."""
    env = config.environment
    return np.where(np.asarray(change_uniforms) < weekly_probability(env.change_rate),
                    env.change_size, 0.0)


def hire_start_week(leaving_week: int | np.ndarray, config: ScenarioConfig
                    ) -> int | np.ndarray:
    """The (0-based) week a new hire starts in a slot left in ``leaving_week`` when the
    leader puts no hours into hiring: the slot is vacant the week after the departure and
    for the hiring delay, then the new hire starts at the beginning of a week (which may be
    a quarter's first). :func:`simulation.model.hiring.vacancy_filled` is the rule with her
    effort."""
    return leaving_week + 1 + config.environment.hiring_delay_weeks


@dataclass(frozen=True)
class Timeline:
    """The calendar of one run ``(weeks,)`` or many ``(runs, weeks)`` as arrays."""

    attention_level: np.ndarray
    """(W,) the attention schedule's level (before any deputy steps in)."""
    crises_started: np.ndarray
    """(..., W) crises that break out in each week."""
    crises_active: np.ndarray
    """(..., W) crises under way in each week."""
    obstacle_shock: np.ndarray
    """(..., W) share of the free path new obstacles block."""
    change_shock: np.ndarray
    """(..., W) share of direction clarity changed conditions take."""


def timeline(config: ScenarioConfig, noise: RunNoise) -> Timeline:
    """Every run's schedule, crises, new obstacles and changed conditions."""
    started = crisis_starts(config, noise.crisis)
    return Timeline(
        attention_level=attention_levels(config),
        crises_started=started,
        crises_active=crises_under_way(started, crisis_duration(config)),
        obstacle_shock=obstacle_shocks(config, noise.obstacle),
        change_shock=change_shocks(config, noise.change),
    )
