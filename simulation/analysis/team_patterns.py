"""The team patterns of VALIDATION.md (P13 onward) as executable checks: what members do to
each other. Each sets up its runs like the patterns of :mod:`simulation.analysis.patterns`
(which registers them) and returns its estimates in the order of its criteria.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import cast

import numpy as np
import pandas as pd

from simulation.analysis.pattern_checks import (
    Band,
    Context,
    Estimate,
    Pattern,
    Runs,
    criteria,
    interval,
    ratio_of_means,
)
from simulation.model import equations
from simulation.model.config import WEEKS_PER_QUARTER
from simulation.model.state import TeamState

SAFETY_LEVELS = np.linspace(0.1, 0.9, 9)
"""Starting psychological safety of the teams P14 compares."""


def safety_drives_learning(ctx: Context) -> list[Estimate]:
    """P14: teams from low to high starting safety, same leader and training hours.

    Every team is led by a leader who only trains (the same hours for each), for a year.
    The capability gained (end of the year against the start) of the teams starting at
    0.8 against those at 0.2, and across all the teams (nine levels of starting safety
    from 0.1 to 0.9) the correlation of starting safety with capability gained."""
    gained: dict[float, np.ndarray] = {}
    for level in SAFETY_LEVELS:
        runs = ctx.run(ctx.config(quarters=4, leader__strategy="train_only",
                                  team__psychological_safety=float(level)),
                       keep_models=True, label=f"starting safety {level:.1f}")
        start = np.array([m.noise.starting_team(m.config)
                          .capability.mean() for m in runs.models])
        gained[round(float(level), 2)] = runs.quarter("capability_mean", 4) - start
    safety = np.concatenate([np.full(len(g), level) for level, g in gained.items()])
    return [interval(gained[0.8] - gained[0.2]),
            correlation(safety, np.concatenate(list(gained.values())))]


def correlation(x: np.ndarray, y: np.ndarray) -> Estimate:
    """Pearson's r with its 95% interval (Fisher's z)."""
    r = float(np.corrcoef(x, y)[0, 1])
    half = 1.959964 / np.sqrt(len(x) - 3)
    return Estimate(r, float(np.tanh(np.arctanh(r) - half)),
                    float(np.tanh(np.arctanh(r) + half)))


def others_output(runs: Runs, quarter: int) -> np.ndarray:
    """Per replication: the output of every member but slot 0 over a quarter."""
    weeks = range((quarter - 1) * WEEKS_PER_QUARTER + 1, quarter * WEEKS_PER_QUARTER + 1)
    return np.array([frame.loc[(frame.slot > 0) & frame.week.isin(weeks), "output"].sum()
                     for frame in (model.member_frame() for model in runs.models)])


def bad_apples(ctx: Context) -> list[Estimate]:
    """P16: a bad apple, or a star, in place of an average member, and the others' output.

    Slot 0 holds a persistently negative member, or an exceptionally positive one, under
    the default leader; the others' output in the second quarter is compared with the same
    team's without either (common random numbers)."""
    setting = {"quarters": 2}
    control = others_output(ctx.run(ctx.config(**setting), keep_models=True,
                                    label="average member"), 2)
    bad = others_output(ctx.run(ctx.config(**setting, team__bad_apples=1), keep_models=True,
                                label="a bad apple"), 2)
    star = others_output(ctx.run(ctx.config(**setting, team__stars=1), keep_models=True,
                                 label="a star"), 2)
    drop = ratio_of_means(control - bad, control, ctx.seed)
    drop_over_lift = ratio_of_means(control - bad, star - control, ctx.seed + 1)
    return [drop, drop_over_lift]


EXPOSURE_WEEKS = WEEKS_PER_QUARTER
"""A member counts as exposed in the quarter after a colleague left (in the default
complete network every colleague is close: ties start at 0.6 and grow)."""


def hazard_counts(model: object) -> np.ndarray:
    """For one run: observed departures and the departures expected without any recent
    departure nearby (the model's hazard with the shock of departures taken out), among
    exposed and among unexposed member-weeks: ``[observed_exposed, expected_exposed,
    observed_unexposed, expected_unexposed]``. Standardising by the expected hazard makes
    the comparison one of comparable members: a demoralised team loses more people whether
    or not a departure is contagious."""
    frame: pd.DataFrame = model.member_frame()  # type: ignore[attr-defined]
    config = model.config  # type: ignore[attr-defined]
    p = config.parameters
    weeks = int(frame.week.max())
    size = config.team.size
    present = np.zeros((weeks + 1, size), dtype=bool)
    state = {name: np.zeros((weeks + 1, size)) for name in ("motivation", "trust",
                                                             "exhaustion")}
    rows = frame.week.to_numpy(), frame.slot.to_numpy()
    present[rows] = True
    for name in state:
        state[name][rows] = frame[name].to_numpy()
    left = present[:-1] & ~present[1:]  # in slot at the end of week w, gone at w + 1
    left = np.vstack([np.zeros((1, size), dtype=bool), left])
    close_left = np.zeros((weeks + 1, size), dtype=bool)
    for week, slot in zip(*np.nonzero(left), strict=True):
        colleagues = np.ones(size, dtype=bool)
        colleagues[slot] = False
        close_left[week:week + EXPOSURE_WEEKS] |= colleagues
    expected = equations.leaving_probability(cast(TeamState, SimpleNamespace(
        motivation=state["motivation"], trust=state["trust"], exhaustion=state["exhaustion"],
        departure_shock=np.zeros_like(state["trust"]), active=present.astype(float))),
        config.environment.turnover_rate, p)
    # A member present in week w may leave at its end: the departure shows at w + 1.
    at_risk = present[1:-1]
    observed = left[2:]
    exposed = close_left[1:-1] & at_risk
    unexposed = ~close_left[1:-1] & at_risk
    hazard = expected[1:-1]
    return np.array([observed[exposed].sum(), hazard[exposed].sum(),
                     observed[unexposed].sum(), hazard[unexposed].sum()], dtype=float)


def turnover_is_contagious(ctx: Context) -> list[Estimate]:
    """P17: the leaving hazard in the quarter after a close colleague left, standardised.

    A team with frequent departures (demoralised, under pressure, a hands-off leader):
    members' leaving hazard in the quarter after a colleague left, against comparable
    members' with no recent departure nearby (each standardised by the hazard the model
    expects without the shock of departures)."""
    runs = ctx.run(ctx.config(quarters=8, leader__strategy="hands_off",
                              team__motivation=0.45, team__trust=0.4,
                              environment__turnover_rate=0.3, environment__pressure=0.5),
                   keep_models=True, label="a team losing people")
    counts = np.array([hazard_counts(model) for model in runs.models])
    return [standardised_ratio(counts, ctx.seed)]


def standardised_ratio(counts: np.ndarray, seed: int, resamples: int = 4000) -> Estimate:
    """The hazard ratio of exposed to unexposed members, each standardised by its expected
    departures, ``(O_e / E_e) / (O_u / E_u)`` over all runs, with a percentile bootstrap
    interval over runs."""
    def ratio(sums: np.ndarray) -> np.ndarray:
        return (sums[..., 0] / sums[..., 1]) / (sums[..., 2] / sums[..., 3])

    picks = np.random.default_rng(seed).integers(0, len(counts), (resamples, len(counts)))
    low, high = np.percentile(ratio(counts[picks].sum(axis=1)), [2.5, 97.5])
    return Estimate(float(ratio(counts.sum(axis=0))), float(low), float(high))


def cohens_d(treated: np.ndarray, control: np.ndarray) -> Estimate:
    """Cohen's d of two independent samples (pooled standard deviation), with its
    large-sample 95% interval (Hedges & Olkin 1985)."""
    n1, n2 = len(treated), len(control)
    pooled = np.sqrt(((n1 - 1) * np.var(treated, ddof=1) + (n2 - 1) * np.var(control, ddof=1))
                     / (n1 + n2 - 2))
    d = float((np.mean(treated) - np.mean(control)) / pooled)
    half = 1.959964 * np.sqrt((n1 + n2) / (n1 * n2) + d * d / (2 * (n1 + n2)))
    return Estimate(d, d - half, d + half)


LOAFING_SETTING = {"quarters": 1, "leader__strategy": "hands_off",
                   "work__identifiability": 0.1}
"""P13's teams: a hands-off leader (so that a larger team does not also mean fewer leader
hours a member) and work in which contributions are hard to tell apart."""


def output_per_member(ctx: Context, size: int, norm: float) -> np.ndarray:
    """Output per member over the first quarter of teams of ``size`` whose norm of mutual
    accountability starts at ``norm``, one value per replication."""
    runs = ctx.run(ctx.config(**LOAFING_SETTING, team__size=size,
                              team__mutual_accountability=norm),
                   label=f"{size} members, norm {norm:g}")
    return runs.quarter("output_per_member", 1)


def social_loafing(ctx: Context) -> list[Estimate]:
    """P13: output per member in teams of 12 against teams of 4, where contributions are
    hard to identify, with a weak norm of mutual accountability (0.1 at the start) and a
    strong one (0.9), at the same distribution of capability and motivation. The weak-norm
    gap as Cohen's d (across teams), and the strong-norm gap as a share of the weak one."""
    weak = {size: output_per_member(ctx, size, 0.1) for size in (4, 12)}
    strong = {size: output_per_member(ctx, size, 0.9) for size in (4, 12)}
    return [cohens_d(weak[4], weak[12]),
            ratio_of_means(strong[4] - strong[12], weak[4] - weak[12], ctx.seed)]


def year_means(runs: Runs, outcome: str) -> np.ndarray:
    """An outcome averaged over the first four quarters, one value per replication."""
    return np.mean([runs.quarter(outcome, quarter) for quarter in range(1, 5)], axis=0)


def conflict_and_output(ctx: Context) -> list[Estimate]:
    """P15: across teams over a year (the default team and leader; teams differ at the
    start by ``team.between_teams_sd``), the correlation of relationship conflict with
    team output, of task conflict with team output, and of task conflict with team output
    among the teams whose psychological safety is above the median."""
    runs = ctx.run(ctx.config(quarters=4), label="teams over a year")
    output = year_means(runs, "team_output")
    relationship = year_means(runs, "relationship_conflict")
    task = year_means(runs, "task_conflict")
    safe = year_means(runs, "psychological_safety")
    high = safe > np.median(safe)
    return [correlation(relationship, output), correlation(task, output),
            correlation(task[high], output[high])]


def goal_setting_by_complexity(ctx: Context) -> list[Estimate]:
    """P18: a quarter of goal-setting (a leader who only sets specific team goals) against
    a hands-off leader, on a simple task (complexity 0.1) and a complex one (0.9): the
    effect on team output in the quarter as Cohen's d across teams, and the simple task's
    d less the complex task's."""
    effect = {}
    for label, complexity in (("simple", 0.1), ("complex", 0.9)):
        setting = {"quarters": 1, "work__complexity": complexity}
        goals = ctx.run(ctx.config(**setting, leader__strategy="goals_only"),
                        label=f"goal-setting, {label} task").quarter("team_output", 1)
        none = ctx.run(ctx.config(**setting, leader__strategy="hands_off"),
                       label=f"hands-off, {label} task").quarter("team_output", 1)
        effect[label] = (goals, none)
    simple, complex_ = (cohens_d(*effect[label]) for label in ("simple", "complex"))
    return [simple, complex_, d_difference(effect["simple"], effect["complex"], ctx.seed)]


def d_difference(first: tuple[np.ndarray, np.ndarray], second: tuple[np.ndarray, np.ndarray],
                 seed: int, resamples: int = 2000) -> Estimate:
    """The first comparison's Cohen's d less the second's, with a percentile bootstrap
    interval over replications (resampled together: replication k of every setting
    shares its random numbers)."""
    def d(treated: np.ndarray, control: np.ndarray) -> np.ndarray:
        pooled = np.sqrt((np.var(treated, ddof=1, axis=-1) + np.var(control, ddof=1, axis=-1))
                         / 2.0)
        return (np.mean(treated, axis=-1) - np.mean(control, axis=-1)) / pooled

    picks = np.random.default_rng(seed).integers(0, len(first[0]), (resamples, len(first[0])))
    gaps = d(first[0][picks], first[1][picks]) - d(second[0][picks], second[1][picks])
    low, high = np.percentile(gaps, [2.5, 97.5])
    return Estimate(float(d(*first) - d(*second)), float(low), float(high))



TEAM_PATTERNS: tuple[Pattern, ...] = (
    Pattern("P13", "Social loafing",
            criteria(("output per member, team of 4 minus team of 12, weak norm, hidden "
                       "contributions (Cohen's d across teams)", Band(0.2, 0.7)),
                      ("size gap with a strong norm / with a weak norm", Band(None, 0.5))),
            "Karau & Williams 1993 (meta-analysis, d about 0.44)",
            social_loafing, ("loafing_weight", "loafing_half_size"), replication_factor=32),
    Pattern("P14", "Psychological safety drives team learning",
            criteria(("capability gained in a year, safety 0.8 minus 0.2, same training",
                       Band(0, None)),
                      ("correlation across teams of starting safety with capability gained",
                       Band(0.2, 0.6))),
            "Edmondson 1999 (team learning behaviour carries safety into performance)",
            safety_drives_learning, ("safety_learning_weight", "peer_learning_rate"),
            replication_factor=2),
    Pattern("P15", "Relationship conflict hurts, task conflict does not",
            criteria(("correlation across teams of relationship conflict with team output, "
                       "a year", Band(-0.35, -0.05)),
                      ("correlation across teams of task conflict with team output",
                       Band(-0.10, 0.15)),
                      ("the same among teams above the median in psychological safety",
                       Band(0, None))),
            "de Wit, Greer & Jehn 2012 (meta-analysis); Bradley et al. 2012",
            conflict_and_output, ("relationship_conflict_output", "task_conflict_output",
                                  "conflict_conversion"), replication_factor=48),
    Pattern("P16", "Bad apples",
            criteria(("others' output, quarter 2: drop with a bad apple / without",
                       Band(0.05, None)),
                      ("drop with a bad apple / lift with a star", Band(1.5, None))),
            "Felps, Mitchell & Byington 2006; Baumeister et al. 2001",
            bad_apples, ("contagion_rate", "negativity_weight", "affect_expression"),
            replication_factor=2),
    Pattern("P17", "Turnover is contagious",
            criteria(("leaving hazard in the quarter after a close colleague left / "
                       "comparable members' (standardised)", Band(1.2, 2.0))),
            "Felps et al. 2009",
            turnover_is_contagious, ("turnover_contagion_weight", "departure_shock_decay"),
            replication_factor=4),
    Pattern("P18", "Goal-setting works more on simple tasks",
            criteria(("goal-setting's effect on team output after a quarter, simple task "
                       "(Cohen's d)", Band(0.5, 1.0)),
                      ("the same on a complex task", Band(0.2, 0.6)),
                      ("simple minus complex", Band(0, None))),
            "Wood, Mento & Locke 1987 (d .76 against .42)",
            goal_setting_by_complexity, ("goal_effort", "complexity_goal_weight"),
            replication_factor=10),
)
"""The team patterns, in VALIDATION.md's order."""
