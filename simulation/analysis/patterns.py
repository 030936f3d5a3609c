"""The pattern registry: the published patterns of VALIDATION.md as executable checks.

Pattern-oriented modelling (Grimm et al. 2005): a model earns trust by reproducing several
observed patterns at once, at different levels, with one set of default parameters. Each
pattern here sets up its runs (scenario, strategies, replications under common random
numbers) and measures its figures with 95% intervals; its criteria (what is measured and
the band it must lie in) sit beside it in the registry, and the machinery that checks them
is :mod:`simulation.analysis.pattern_checks`. Nothing here changes the model: the patterns
only choose teams, leaders and horizons, as a user's scenario would.

    from simulation.analysis.patterns import PATTERNS, check
    result = check(PATTERNS["P1"], replications=30, seed=1)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from simulation.analysis.leader_patterns import LEADER_PATTERNS
from simulation.analysis.pattern_checks import (
    Band,
    Context,
    Estimate,
    Pattern,
    PatternResult,
    Runs,
    check,
    criteria,
    interval,
    ratio_of_means,
)
from simulation.analysis.team_patterns import TEAM_PATTERNS
from simulation.engines.mesa_model import TeamModel
from simulation.model import equations
from simulation.model.config import DEFAULT_SEED, WEEKS_PER_QUARTER, Parameters

__all__ = ["PATTERNS", "PatternResult", "check", "check_all"]


# ---------------------------------------------------------------------------------------
# The twelve patterns: each sets up its runs and returns its estimates in the order of
# its criteria (in the registry below).


def strong_leadership_pays(ctx: Context) -> list[Estimate]:
    """P1: matched interventions with adequate attention against a hands-off leader."""
    leader = ctx.run(ctx.config(quarters=8), label="diagnose_and_match")
    hands_off = ctx.run(ctx.config(quarters=8, leader__strategy="hands_off"),
                        label="hands_off")
    ratio = leader.quarter("team_output", 8) / hands_off.quarter("team_output", 8)
    return [interval(ratio)]


SKILLS_GAP = {"team__capability": 0.3, "team__capability_ceiling": 0.85,
              "team__motivation": 0.75, "quarters": 4}


def misdiagnosis_wastes_effort(ctx: Context) -> list[Estimate]:
    """P2: a capability gap read as a motivation problem, same hours."""
    correct = ctx.run(ctx.config(**SKILLS_GAP), label="correct diagnosis")
    biased = ctx.run(ctx.config(**SKILLS_GAP, leader__bias_strength=0.8),
                     label="sees motivation problems")
    hands_off = ctx.run(ctx.config(**SKILLS_GAP, leader__strategy="hands_off"),
                        label="hands_off")
    baseline = hands_off.quarter("team_output", 4)
    gain_correct = correct.quarter("team_output", 4) - baseline
    gain_biased = biased.quarter("team_output", 4) - baseline
    return [ratio_of_means(gain_biased, gain_correct, ctx.seed)]


def first_week_at(series: pd.Series, level: float) -> float:
    """The first week (1-based) a weekly series reaches a level (inf if never)."""
    reached = np.flatnonzero(series.to_numpy() >= level)
    return float(reached[0] + 1) if reached.size else float("inf")


def timelines_differ(ctx: Context) -> list[Estimate]:
    """P3: clarification acts within weeks, training over months, trust over quarters."""
    clarifying = ctx.run(ctx.config(quarters=1, team__role_clarity=0.3, team__spread=0.0,
                                    leader__strategy="clarify_only"))
    start = 0.3
    closed = clarifying.week("role_clarity_mean", [4])
    clarity = interval((closed - start) / (1 - start))

    novices = {"team__capability": 0.3, "team__capability_sd": 0.0,
               "team__capability_ceiling": 0.85, "team__tenure_years": 0.0,
               "team__tenure_years_sd": 0.0, "leader__strategy": "train_only",
               "leader__attention_hours": 16.0, "quarters": 4}
    training = ctx.run(ctx.config(**novices), keep_models=True)
    weeks = []
    for model, frame in zip(training.models, training.weekly, strict=True):
        halfway = 0.3 + 0.5 * (float(np.mean(model.state.capability_ceiling)) - 0.3)
        weeks.append(first_week_at(frame["capability_mean"], halfway))
    capability = interval(np.array(weeks))
    recovery, _ = breach_and_recovery(ctx)
    return [clarity, capability, recovery]


BREACH_WEEK = 14


def breach_and_recovery(ctx: Context) -> tuple[Estimate, Estimate]:
    """One week in which a crisis cancels every 1:1, in the second quarter of a leader
    who otherwise keeps her weekly commitments: the weeks until trust is back at its
    level before the breach, and the trust lost against the trust one kept 1:1 builds."""
    steady = {"environment__crisis_rate": 0.0, "environment__crisis_weeks": 1,
              "environment__crisis_hours": 60.0, "leader__strategy": "coach",
              "quarters": 8}
    struck = ctx.run(ctx.config(**steady, environment__scheduled_crises=[BREACH_WEEK]),
                     keep_models=True, label=f"one breach in week {BREACH_WEEK}")
    calm = ctx.run(ctx.config(**steady), label="no breach")
    recovery, ratio = [], []
    for frame, calm_frame, model in zip(struck.weekly, calm.weekly, struck.models,
                                        strict=True):
        trust = frame["trust_mean"].to_numpy()
        before = trust[BREACH_WEEK - 2]  # the end of the week before the breach
        after = trust[BREACH_WEEK - 1:]
        back = np.flatnonzero(after[1:] >= before)
        recovery.append(float(back[0] + 1) if back.size else float(len(after)))
        lost = calm_frame["trust_mean"].to_numpy()[BREACH_WEEK - 1] - trust[BREACH_WEEK - 1]
        ratio.append(lost / one_commitment_gain(model, trust[BREACH_WEEK - 2]))
    return interval(np.array(recovery)), interval(np.array(ratio))


def one_commitment_gain(model: TeamModel, trust: float) -> float:
    """Trust one kept weekly 1:1 of the leader's usual size builds at a trust level."""
    hours = model.leader.attention_hours / model.config.team.size
    weight = float(equations.commitment_weight(np.asarray(hours), model.params))
    return model.params.trust_gain * weight * (1.0 - trust)


def trust_is_asymmetric(ctx: Context) -> list[Estimate]:
    """P4: one breach costs far more trust than one kept commitment builds, and the
    recovery takes far longer than the drop (one week)."""
    recovery, ratio = breach_and_recovery(ctx)
    return [ratio, recovery]  # the drop takes one week, so recovery weeks / drop weeks


NOBODY_STEPS_IN = {"leader__deputy_share": 0.0}
"""P5, P6 and P10 measure what is lost when the leader goes and nothing holds the gains:
nobody deputises (a successor holds them as systems do: MODEL.md §7.20)."""


def regression_without_embedding(ctx: Context) -> list[Estimate]:
    """P5: a year of coaching, then the leader's attention is withdrawn (nobody deputises)."""
    withdrawn = {"leader__strategy": "coach", "leader__withdrawn_from_quarter": 5,
                 "leader__withdrawn_quarters": 0, "leader__withdrawn_level": 0.0,
                 "quarters": 8, **NOBODY_STEPS_IN}
    hands_off = ctx.run(ctx.config(quarters=8, leader__strategy="hands_off"),
                        label="hands_off")
    bare = ctx.run(ctx.config(**withdrawn), label="coached, withdrawn, no systems")
    embedded = ctx.run(ctx.config(**withdrawn, leader__systems_share=0.33,
                                  leader__systems_until_quarter=4),
                       label="coached, withdrawn, systems built")
    return [ratio_of_means(*_gains(bare, hands_off, 4, 8), ctx.seed),
            ratio_of_means(*_gains(embedded, hands_off, 4, 8), ctx.seed)]


def _gains(treated: Runs, hands_off: Runs, during: int, after: int
           ) -> tuple[np.ndarray, np.ndarray]:
    """Per-replication gains over hands-off at quarter ``after`` and at ``during``."""
    def gain(quarter: int) -> np.ndarray:
        return (treated.quarter("team_output", quarter)
                - hands_off.quarter("team_output", quarter))
    return gain(after), gain(during)


def monitoring_only_collapses(ctx: Context) -> list[Estimate]:
    """P6: gains produced by monitoring alone, after the monitoring (anyone's) stops."""
    watched = ctx.run(ctx.config(quarters=3, leader__strategy="monitor_only",
                                 leader__withdrawn_from_quarter=3,
                                 leader__withdrawn_level=0.0, **NOBODY_STEPS_IN),
                      label="monitoring for 2 quarters")
    hands_off = ctx.run(ctx.config(quarters=3, leader__strategy="hands_off"),
                        label="hands_off")
    end_of_monitoring = list(range(23, 27))
    quarter_later = list(range(36, 40))
    gain_during = (watched.week("team_output", end_of_monitoring)
                   - hands_off.week("team_output", end_of_monitoring))
    gain_after = (watched.week("team_output", quarter_later)
                  - hands_off.week("team_output", quarter_later))
    return [ratio_of_means(gain_after, gain_during, ctx.seed)]


def marginal_gains_compound(ctx: Context) -> list[Estimate]:
    """P7: small steady gains on every dimension against one big push, same hours."""
    spread_out = ctx.run(ctx.config(leader__strategy="marginal_gains"),
                         label="marginal_gains")
    push = ctx.run(ctx.config(leader__strategy="big_push"), label="big_push")
    ahead = spread_out.quarter("team_output", 8) - push.quarter("team_output", 8)
    early = (spread_out.quarter("team_output", 5) - spread_out.quarter("team_output", 1)) / 4
    late = (spread_out.quarter("team_output", 12) - spread_out.quarter("team_output", 8)) / 4
    return [interval(ahead), ratio_of_means(late, early, ctx.seed)]


EXPERTS = {"team__capability": 0.8, "team__capability_ceiling": 0.92,
           "team__motivation": 0.7, "team__trust": 0.6, "team__tenure_years": 5.0,
           "team__tenure_years_sd": 1.5, "quarters": 4}


def micromanagement_backfires(ctx: Context) -> list[Estimate]:
    """P8: close control of experienced performers against leaving them be."""
    managed = ctx.run(ctx.config(**EXPERTS, leader__strategy="micromanager"),
                      label="micromanager")
    free = ctx.run(ctx.config(**EXPERTS, leader__strategy="hands_off"), label="hands_off")

    def difference(outcome: str, quarter: int) -> np.ndarray:
        return managed.quarter(outcome, quarter) - free.quarter(outcome, quarter)

    return [interval(difference("accountability_mean", 1)),
            interval(difference("team_output", 1)),
            interval(difference("motivation_mean", 4)),
            interval(difference("trust_mean", 4))]


def worse_before_better(ctx: Context) -> list[Estimate]:
    """P9: time on capability and systems against firefighting (the capability trap)."""
    investing = ctx.run(ctx.config(quarters=4, leader__strategy="build_capability"),
                        label="build_capability")
    firefighting = ctx.run(ctx.config(quarters=4, leader__strategy="firefighter"),
                           label="firefighter")

    def difference(quarter: int) -> np.ndarray:
        return (investing.quarter("team_output", quarter)
                - firefighting.quarter("team_output", quarter))

    return [interval(difference(1)), interval(difference(4))]


def training_effect_size(ctx: Context) -> list[Estimate]:
    """P10: one training block (a quarter of training at an hour per member per week),
    measured a quarter after it ends (nobody deputises), against no training."""
    block = {"quarters": 2, "leader__withdrawn_from_quarter": 2,
             "leader__withdrawn_level": 0.0, **NOBODY_STEPS_IN}
    trained = ctx.run(ctx.config(**block, leader__strategy="train_only"), keep_models=True)
    untrained = ctx.run(ctx.config(**block, leader__strategy="hands_off"))
    gain = trained.quarter("capability_mean", 2) - untrained.quarter("capability_mean", 2)
    spread = np.array([float(np.std(model.noise.starting_team(model.config)
                                    .capability)) for model in trained.models])
    return [interval(gain / spread)]


def overload_burns_out(ctx: Context) -> list[Estimate]:
    """P11: sustained pressure with no recovery, against normal pressure."""
    overload = {"environment__pressure": 0.95, "environment__crisis_rate": 0.0,
                "leader__strategy": "hands_off", "quarters": 4}
    strained = ctx.run(ctx.config(**overload), label="overload (pressure 0.95)")
    normal = ctx.run(ctx.config(**overload | {"environment__pressure": 0.35}),
                     label="normal pressure")
    start = normal.week("team_output", [1, 2, 3, 4])
    first_month = strained.week("team_output", [1, 2, 3, 4])
    lowest = np.array([frame["team_output"].iloc[-13:].mean() for frame in strained.weekly])
    departures = (np.array([frame["departures"].sum() for frame in strained.quarterly])
                  - np.array([frame["departures"].sum() for frame in normal.quarterly]))
    return [interval(first_month / start), interval(lowest / start), interval(departures)]


def people_change(ctx: Context) -> list[Estimate]:
    """P12: turnover of a demoralised team against a committed one, and the dip of each
    departure."""
    settle = {"leader__strategy": "hands_off", "quarters": 8}
    low = ctx.run(ctx.config(**settle, team__motivation=0.3, team__trust=0.3))
    high = ctx.run(ctx.config(**settle, team__motivation=0.8, team__trust=0.8))

    def per_year(runs: Runs) -> np.ndarray:
        return np.array([frame["departures"].sum() / 2 for frame in runs.quarterly])

    dips = departure_dips(low.weekly + high.weekly)
    return [interval(per_year(low) - per_year(high)), interval(dips)]


def departure_dips(weekly: Sequence[pd.DataFrame]) -> np.ndarray:
    """For every lone departure with 4 weeks before and 8 after it in the run: the team's
    output in the 8 weeks after it over the output in the 4 weeks before. A departure
    counts as lone when no other member left in the 12 weeks before it or the 8 after, and
    no new hire started in those 12 weeks: departures cluster (turnover is contagious,
    P17), and the hire who fills an earlier vacancy would otherwise show as a rise after
    the next departure."""
    ratios = []
    for frame in weekly:
        output = frame["team_output"].to_numpy()
        departures = frame["departures"].to_numpy()
        hires = frame["hires"].to_numpy()
        for week in np.flatnonzero(departures > 0):
            if week < 12 or week + 9 > len(output):
                continue
            others = departures[week - 12:week + 9].sum() - departures[week]
            if others == 0 and departures[week] == 1 and hires[week - 12:week + 9].sum() == 0:
                ratios.append(output[week + 1:week + 9].mean() / output[week - 4:week].mean())
    return np.array(ratios)


# ---------------------------------------------------------------------------------------
# The registry


AT_LEAST_0, AT_MOST_0 = Band(0, None), Band(None, 0)

PATTERNS: dict[str, Pattern] = {p.id: p for p in (
    Pattern("P1", "Strong leadership pays",
            criteria(("team output ratio (diagnose and match / hands-off), quarter 8",
                       Band(1.5, 2.0))),
            "practitioner research (strong leadership practice: 1.5-2.0x financial "
            "performance)", strong_leadership_pays,
            ("follow_through_floor", "direction_floor", "barrier_weight"),
            figure=("team_output",)),
    Pattern("P2", "Misdiagnosis wastes effort",
            criteria(("biased leader's gain / correct leader's gain, quarter 4",
                       Band(None, 1 / 3))),
            "practitioner literature (assuming motivation problems)",
            misdiagnosis_wastes_effort, ("recognise_rate", "train_rate")),
    Pattern("P3", "Timelines differ",
            criteria(("share of a role-clarity gap closed in 4 weeks of clarification",
                       Band(0.5, None)),
                      ("weeks of training to close half a capability gap", Band(8, 26)),
                      ("weeks for trust to recover from one breach",
                       Band(2 * WEEKS_PER_QUARTER, None))),
            "practitioner literature; learning-curve research (Heathcote et al. 2000)",
            timelines_differ, ("clarify_rate", "train_rate", "trust_gain")),
    Pattern("P4", "Trust is asymmetric",
            criteria(("trust lost in one breach / trust gained from one kept 1:1",
                       Band(3, None)),
                      ("recovery weeks / drop weeks", Band(3, None))),
            "Slovic 1993; Schweitzer, Hershey & Bradlow 2006", trust_is_asymmetric,
            ("trust_breach_loss", "trust_gain"), figure=("trust_mean@week",)),
    Pattern("P5", "Regression without embedding",
            criteria(("share of the gain kept 4 quarters after withdrawal, no systems",
                       Band(None, 0.5)),
                      ("share of the gain kept 4 quarters after withdrawal, systems built",
                       Band(0.7, None))),
            "practitioner literature (regression causes); skill decay: Arthur et al. 1998",
            regression_without_embedding, ("embed_rate", "motivation_drift",
                                           "accountability_drift"), cheap=False,
            figure=("team_output",)),
    Pattern("P6", "Monitoring-only gains collapse",
            criteria(("share of the monitoring gain left a quarter after it stops",
                       Band(None, 0.2))),
            "Hawthorne-effect studies, e.g. Srigley et al. 2014",
            monitoring_only_collapses, ("scrutiny_decay", "monitor_accountability_rate"),
            replication_factor=8, figure=("team_output@week",)),
    Pattern("P7", "Marginal gains compound",
            criteria(("marginal gains minus big push, team output, quarter 8", AT_LEAST_0),
                      ("late / early quarter-on-quarter gain of marginal gains",
                       Band(None, 1.0))),
            "practitioner literature (aggregation of marginal gains)",
            marginal_gains_compound, ("embed_rate",), cheap=False,
            figure=("team_output",)),
    Pattern("P8", "Micromanagement backfires on experienced performers",
            criteria(("accountability, micromanaged minus hands-off, quarter 1", AT_LEAST_0),
                      ("team output, micromanaged minus hands-off, quarter 1", AT_LEAST_0),
                      ("motivation, micromanaged minus hands-off, quarter 4", AT_MOST_0),
                      ("trust, micromanaged minus hands-off, quarter 4", AT_MOST_0)),
            "practitioner literature (empower decision-making)", micromanagement_backfires,
            ("micromanage_motivation_loss", "micromanage_trust_loss")),
    Pattern("P9", "Worse before better",
            criteria(("team output, investing minus firefighting, quarter 1", AT_MOST_0),
                      ("team output, investing minus firefighting, quarter 4", AT_LEAST_0)),
            "Repenning & Sterman 2001, 2002 (capability trap)", worse_before_better,
            ("training_member_hours",)),
    Pattern("P10", "Training works at the size research finds",
            criteria(("capability gain in standard deviations of starting capability",
                       Band(0.4, 0.8))),
            "Arthur et al. 2003 (d about 0.6)", training_effect_size, ("train_rate",)),
    Pattern("P11", "Overload burns out",
            criteria(("first-month output under overload / normal starting output",
                       Band(1.0, None)),
                      ("quarter-4 output under overload / normal starting output",
                       Band(None, 1.0)),
                      ("extra departures in a year of overload", AT_LEAST_0)),
            "Homer 1985; job demands-resources research",
            overload_burns_out, ("exhaustion_gain", "pressure_effort"),
            figure=("team_output@week", "exhaustion_mean@week")),
    Pattern("P12", "People change",
            criteria(("departures a year, low minus high motivation and trust", AT_LEAST_0),
                      ("team output in the 8 weeks after a departure / the 4 weeks before",
                       Band(None, 1.0))),
            "turnover research",
            people_change, ("turnover_motivation_weight", "new_hire_capability_sd")),
    *TEAM_PATTERNS,
    *LEADER_PATTERNS,
)}


def check_all(ids: Sequence[str] = (), replications: int = 30, seed: int = DEFAULT_SEED,
              parameters: Parameters | None = None,
              progress: Callable[[PatternResult], None] | None = None) -> list[PatternResult]:
    """Run several patterns (all by default), in registry order."""
    unknown = [i for i in ids if i not in PATTERNS]
    if unknown:
        raise KeyError(f"unknown pattern {unknown[0]!r} (known: {', '.join(PATTERNS)})")
    results = []
    for pattern in (PATTERNS[i] for i in (ids or PATTERNS)):
        result = check(pattern, replications, seed, parameters)
        results.append(result)
        if progress is not None:
            progress(result)
    return results
