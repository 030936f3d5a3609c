"""The leader patterns of VALIDATION.md (P19 onward) as executable checks: the leader as a
person. Each sets up its runs like the patterns of :mod:`simulation.analysis.patterns`
(which registers them) and returns its estimates in the order of its criteria.
"""

from __future__ import annotations

import numpy as np

from simulation.analysis.decompose import CLARITY, CLARITY_BAND, decompose
from simulation.analysis.pattern_checks import (
    Band,
    Context,
    Estimate,
    Pattern,
    criteria,
    ratio_of_means,
)
from simulation.engines.batch import run_batch
from simulation.engines.mesa_model import TeamModel
from simulation.model import diagnosis, equations
from simulation.model.config import WEEKS_PER_QUARTER, ScenarioConfig
from simulation.model.metrics import WeeklyRecord
from simulation.model.succession import READINESS_THRESHOLD

OVERLOAD_LEVEL = 2.25
"""The leader's hours in the overloaded quarter, as a share of her normal 8: 18 hours a
week, 150% of her capacity of 12."""
DEPLETED_WEEKS = range(7, 9)
"""(1-based) weeks in which the depleted leader is measured: the seventh and eighth of her
overloaded weeks."""
RECOVERED_WEEKS = range(WEEKS_PER_QUARTER + 7, WEEKS_PER_QUARTER + 9)
"""The seventh and eighth weeks after her load returns to normal (the quarter after)."""


def reading_and_commitments(config: ScenarioConfig, ctx: Context
                            ) -> tuple[np.ndarray, np.ndarray]:
    """Per replication and (1-based) week: the leader's diagnostic error (mean absolute
    difference between the gaps she read and the members' true gaps at the week's start,
    over the slots filled throughout the week) and the share of her planned 1:1s she kept
    (1 in a week with none planned)."""
    errors, kept = [], []
    for replication in range(ctx.replications):
        model = TeamModel(config, seed=ctx.seed, replication=replication,
                          data_collection=False)
        weekly_error = []
        while model.running:
            before = model.state
            model.step()
            observation = model.leader.observation
            assert observation is not None
            truth = diagnosis.true_gaps(before, config.parameters)
            filled = (observation.active > 0) & (before.active > 0)
            weekly_error.append(float(np.abs(observation.gaps - truth)[filled].mean()))
        frame = model.weekly_frame()
        planned = (frame.kept_commitments + frame.breaches).to_numpy()
        kept.append(np.where(planned > 0, frame.kept_commitments.to_numpy()
                             / np.where(planned > 0, planned, 1.0), 1.0))
        errors.append(np.array(weekly_error))
        model.release()
    return np.array(errors), np.array(kept)


def in_weeks(values: np.ndarray, weeks: range) -> np.ndarray:
    """Per replication: the mean over some (1-based) weeks."""
    return values[:, [week - 1 for week in weeks]].mean(axis=1)


def depleted_leader(ctx: Context) -> list[Estimate]:
    """P19: a quarter at 150% of the leader's capacity, then a quarter at her normal load.

    The same team and leader (the default strategy, no crises, so that only the load
    differs) with her normal 8 hours a week throughout, or with 18 hours a week (150% of
    her capacity of 12) in the first quarter. Measured in weeks 7 and 8 of the overload
    and in weeks 7 and 8 after it, against the normal leader in the same weeks (common random
    numbers): her diagnostic error and the share of her planned 1:1s she kept."""
    setting = {"quarters": 2, "environment__crisis_rate": 0.0}
    normal = reading_and_commitments(ctx.config(**setting), ctx)
    overloaded = reading_and_commitments(ctx.config(**setting, leader__attention=[
        {"from_quarter": 1, "to_quarter": 1, "level": OVERLOAD_LEVEL}]), ctx)
    estimates = []
    for weeks in (DEPLETED_WEEKS, RECOVERED_WEEKS):
        estimates.append(ratio_of_means(in_weeks(overloaded[0], weeks),
                                        in_weeks(normal[0], weeks), ctx.seed))
        estimates.append(ratio_of_means(in_weeks(overloaded[1], weeks),
                                        in_weeks(normal[1], weeks), ctx.seed))
    return estimates


YEAR_END = range(3 * WEEKS_PER_QUARTER, 4 * WEEKS_PER_QUARTER)
"""The (0-based) weeks of the fourth quarter, over which P22 averages."""


def cadence_outcomes(cadence: str, ctx: Context) -> dict[str, np.ndarray]:
    """Per replication, the mean over the fourth quarter's weeks: output per member and the
    members' mean motivation and trust, under the coaching leader with a feedback cadence
    in a calm year (no crises)."""
    config = ctx.config(quarters=4, environment__crisis_rate=0.0, leader__strategy="coach",
                        leader__feedback_cadence=cadence)
    record = run_batch(config, ctx.seed, range(ctx.replications), member_detail=True).record
    weeks = list(YEAR_END)
    active = record.active[weeks]
    outcomes = {name: equations.team_mean(record.member_states[name][weeks], active)
                .mean(axis=0) for name in ("motivation", "trust")}
    outcomes["output"] = (record.team_output[weeks].mean(axis=0)
                          / record.headcount[weeks].mean(axis=0))
    return outcomes


def regular_feedback(ctx: Context) -> list[Estimate]:
    """P22: the same leader, hours and strategy (coaching: development, feedback and room)
    for a year, her feedback given in weekly 1:1s or saved up for one annual review at the
    year's end (the hours her strategy plans for feedback banked for it). Over the fourth
    quarter's weeks (common random numbers), weekly against annual: output per member,
    motivation, trust. A calm year, so that only the cadence differs (crises cancel weekly
    1:1s, a broken commitment each, while a review booked long before is held:
    docs/CALIBRATION.md)."""
    annual = cadence_outcomes("annual", ctx)
    weekly = cadence_outcomes("weekly", ctx)
    return [ratio_of_means(weekly[name], annual[name], ctx.seed)
            for name in ("output", "motivation", "trust")]

LEADER_DEVELOPMENT: dict[str, dict[str, object]] = {
    "feedback-rich": {"leader__strategy": "coach", "leader__feedback_cadence": "weekly",
                      "leader__blame": 0.05, "team__psychological_safety": 0.8},
    "hands-off": {"leader__strategy": "hands_off"},
    "annual review only": {"leader__strategy": "coach", "leader__feedback_cadence": "annual"},
}
"""P20's three environments, on the default team over three years: a coaching leader who
gives feedback every week and meets raised problems with curiosity, in a team that starts
out safe; a hands-off leader; the same coaching leader saving her feedback for an annual
review, in an ordinary team."""


def became_ready(record: WeeklyRecord) -> np.ndarray:
    """Per run of a batch kept week by week (``member_detail``): of the members who were in
    the team in the run (those of the start and every new hire) and not ready to lead at
    the end of their first week, the share whose leadership readiness reached
    ``succession.READINESS_THRESHOLD`` at the end of some week they were in it. A member is
    a slot's stretch of filled weeks (a departure leaves the slot vacant for at least a
    week)."""
    readiness = record.member_states["leadership_readiness"]
    active = record.active > 0
    in_team = np.zeros(active.shape[1:], dtype=bool)
    counted = np.zeros_like(in_team)
    reached = np.zeros_like(in_team)
    members = np.zeros(active.shape[1])
    grown = np.zeros(active.shape[1])
    for week in range(active.shape[0]):
        filled, ready = active[week], readiness[week] >= READINESS_THRESHOLD
        left = in_team & ~filled
        grown += equations.last_sum((left & reached).astype(float))
        reached[left] = False
        joined = filled & ~in_team
        counted[joined] = ~ready[joined]
        members += equations.last_sum((joined & ~ready).astype(float))
        reached |= filled & counted & ready
        in_team = filled
    grown += equations.last_sum((in_team & reached).astype(float))
    return grown / np.maximum(members, 1.0)


def leaders_grown(ctx: Context) -> list[Estimate]:
    """P20: the share of members who become ready to lead over three years
    (:func:`became_ready`) in the feedback-rich environment against a hands-off leader and
    against the annual review only (:data:`LEADER_DEVELOPMENT`), the same teams under
    common random numbers (the batched engine)."""
    shares = {name: became_ready(run_batch(ctx.config(quarters=12, **setting), ctx.seed,
                                           range(ctx.replications), member_detail=True
                                           ).record)
              for name, setting in LEADER_DEVELOPMENT.items()}
    rich = shares["feedback-rich"]
    return [ratio_of_means(rich, shares["hands-off"], ctx.seed),
            ratio_of_means(rich, shares["annual review only"], ctx.seed)]


CLARITY_LEADERS = 8
"""P21's leaders per replication of the check (240 at the default 30)."""
CLARITY_REPLICATIONS = 4
"""Replications of the default team each of P21's leaders is ranked on (and each hybrid
leader run on)."""


def strategic_clarity_share(ctx: Context) -> list[Estimate]:
    """P21: strategic clarity's share of the output gap between top- and bottom-quartile
    leaders.

    A population of leaders who differ on every leadership dimension
    (:mod:`simulation.analysis.leader_population`), ranked by team output in quarter 12 on
    the default team, and the gap between the quartiles attributed to the dimensions by
    Shapley values over the simulator (:func:`simulation.analysis.decompose.decompose`):
    the share of the leader's strategic clarity (how clear the direction she holds is,
    which bounds her team's direction clarity) with its bootstrap interval."""
    result = decompose(ctx.config(), leaders=CLARITY_LEADERS * ctx.replications,
                       replications=CLARITY_REPLICATIONS, seed=ctx.seed, resamples=1000)
    return [Estimate(*result.share_of(CLARITY))]



LEADER_PATTERNS: tuple[Pattern, ...] = (
    Pattern("P19", "The depleted leader",
            criteria(("diagnostic error, weeks 7-8 at 150% of capacity / at normal load",
                       Band(1.25, None)),
                      ("share of planned 1:1s kept, the same weeks, overloaded / normal",
                       Band(None, 0.9)),
                      ("diagnostic error, weeks 7-8 after the load returns to normal / "
                       "normal", Band(None, 1.1)),
                      ("share of planned 1:1s kept, the same weeks, after / normal",
                       Band(0.9, None))),
            "Byrne et al. 2014; Barnes et al. 2015",
            depleted_leader, ("leader_strain_gain", "leader_recovery", "depleted_reading",
                              "depleted_hours")),
    Pattern("P20", "Feedback-rich teams grow leaders",
            criteria(("share of members who become ready to lead in three years, "
                      "feedback-rich / hands-off", Band(3, 7)),
                     ("the same share, feedback-rich / annual review only", Band(3, 7))),
            "practitioner research cited in the seeds (\"nearly five times more likely\"); "
            "McCall, Lombardo & Morrison 1988; DeRue & Wellman 2009; Day et al. 2014",
            leaders_grown, ("readiness_feedback_rate", "readiness_stretch_rate",
                            "readiness_unaided_stretch", "readiness_on_the_job",
                            "readiness_decay"),
            replication_factor=10),
    Pattern("P21", "Strategic clarity's share of the gap",
            criteria(("strategic clarity's share of the team-output gap between top- and "
                      "bottom-quartile leaders", Band(*CLARITY_BAND))),
            "practitioner research cited in the seeds (\"31 percent of the performance "
            "gap\")", strategic_clarity_share,
            ("direction_floor", "clarify_direction_rate", "direction_drift",
             "unclear_strategy_change_loss")),
    Pattern("P22", "Regular feedback beats the annual review",
            criteria(("output per member, quarter 4, weekly 1:1 feedback / annual review",
                      Band(1.1, None)),
                     ("members' motivation, quarter 4, weekly / annual", Band(1.1, None)),
                     ("members' trust in the leader, quarter 4, weekly / annual",
                      Band(1.0, None))),
            "practitioner literature (regular check-ins over annual reviews); Kulik & Kulik "
            "1988 (timely feedback); Hackman & Oldham 1976 (knowledge of results)",
            regular_feedback, ("standing_weight", "feedback_decay_weeks")),
)
