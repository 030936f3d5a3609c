"""The leadership dimensions a population of leaders varies on
(:mod:`simulation.analysis.leader_population`): what each is in the model, its range in the
population and why that range."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from simulation.model.config import CADENCE_WEEKS
from simulation.model.strategies import DIAGNOSIS_THRESHOLD


@dataclass(frozen=True)
class LeaderDimension:
    """One way leaders differ: what it is in the model, its range in the population, and
    why that range."""

    name: str
    title: str
    kind: str
    """"standard" (the observed gap she lets stand on the root causes in ``acts_on``
    before she applies their matched remedies), "habit" (a share of her hours spent on
    the intervention in ``acts_on``), "accuracy", "bias", or a leader key of the scenario
    ("leader.attention_hours", "leader.blame")."""
    low: float
    high: float
    default: float
    """The value that leaves the scenario's leader as she is."""
    reason: str
    acts_on: tuple[str, ...] = ()
    """The root causes (member and team) a standard applies to, or the intervention a
    habit spends its share on."""
    scale: str = "linear"
    """"linear", "log" (uniform in the logarithm), "lattice" (``levels`` equal strata,
    each leader at the middle of hers), "choices" (equal shares of ``choices``) or
    "quantiles" (piecewise linear between the
    ``quantiles``: so many of the leaders up to so much)."""
    levels: int = 4
    quantiles: tuple[tuple[float, float], ...] = ()
    choices: tuple[float, ...] = ()
    """For the "choices" scale: the values, ascending, each taken by an equal share of the
    leaders (a configuration key whose values are names, such as the feedback cadence, by
    a number: its weeks between reviews)."""
    """For the "quantiles" scale: (share of leaders, value) knots of the population's
    distribution, from ``(0, low)`` to ``(1, high)``: ``(0.75, 0.05)`` says that three
    leaders in four lie at or below 0.05."""

    @property
    def configured(self) -> bool:
        """Whether the dimension is a scenario key (so the population takes it on a
        lattice and runs each level apart)."""
        return self.kind.startswith("leader.")

    def values(self, unit: np.ndarray) -> np.ndarray:
        """Values of the dimension at points of the unit interval."""
        if self.scale == "choices":
            stratum = np.minimum(np.floor(unit * len(self.choices)), len(self.choices) - 1)
            return np.asarray(self.choices)[stratum.astype(int)]
        if self.scale == "log":
            return self.low * (self.high / self.low) ** unit
        if self.scale == "lattice":
            stratum = np.minimum(np.floor(unit * self.levels), self.levels - 1)
            return self.low + (stratum + 0.5) / self.levels * (self.high - self.low)
        if self.scale == "quantiles":
            shares, values = zip(*self.quantiles, strict=True)
            return np.interp(unit, shares, values)
        return self.low + unit * (self.high - self.low)

    def units(self, values: np.ndarray) -> np.ndarray:
        """Where values of the dimension lie on the unit interval (the inverse of
        :meth:`values`; a lattice value at the middle of its stratum)."""
        if self.scale == "choices":
            index = np.searchsorted(np.asarray(self.choices), values)
            return (index + 0.5) / len(self.choices)
        if self.scale == "log":
            return np.log(values / self.low) / np.log(self.high / self.low)
        if self.scale == "quantiles":
            shares, levels = zip(*self.quantiles, strict=True)
            return np.interp(values, levels, shares)
        return (values - self.low) / (self.high - self.low)


STANDARD = (0.05, 0.45)
STANDARD_REASON = ("the observed gap she lets stand before she acts on it, from 0.05 (any gap "
                   "she can see: the default leader's reading error is 0.06) to 0.45 (about "
                   "the direction gap a hands-off leader leaves, 0.47 after three years on "
                   "the baseline team: she neglects the practice), the default 0.2 inside; "
                   "the same range for every practice, so that none is favoured")
HABIT_REASON = ("from none to a marked habit, a quarter of her hours (two of the default "
                "eight a week; the micromanager strategy spends 60%, P5's embedding leader "
                "a third on systems); judgement")
STRATEGIC_CLARITY_REASON = (
    "how clear the direction she holds is, on the scale of the team's direction clarity "
    "(a team that has taken in all of hers is as clear as she is), over its whole range, "
    "from none to fully clear: leaders span it, and crowd its lower half. Of 11,000 "
    "senior managers in 400 companies about a third could name their company's top three "
    "priorities and, given five tries, about half agreed on even one (Sull, Homkes & Sull "
    "2015); 28% of executives and middle managers who execute strategy could list three "
    "of its priorities (Sull, Sull & Yoder 2018); 22% of employees strongly agree that "
    "their leaders have a clear direction (Gallup 2017). Uniform over the range, so half "
    "the leaders hold a direction less clear than the environment's 0.6; the default "
    "leader's 1 (the model before the attribute) at the top")
MICROMANAGEMENT_REASON = (
    "a quarter of leaders micromanage markedly, 5% to 25% of her hours (up to two of the "
    "default eight a week), three in four at most 5% (an occasional close check): 59% of "
    "employees have worked for a micromanager at some point (Accountemps 2014) and 79% "
    "have been micromanaged (Chambers 2004), which over a career of three to five "
    "managers is a micromanager among one in six to two in five of them, a quarter in "
    "the middle; the micromanager strategy's 60% lies beyond")
TRUST_BEHAVIOURS_REASON = (
    "from none to a quarter of her hours on care, candour and transparency in equal parts "
    "(the trustworthy strategy's share, with which a leader her team has stopped believing "
    "wins back its trust over quarters); judgement, as for the other habits")
CADENCE_REASON = (
    "how often she gives each member feedback: every week, fortnight, quarter or year, the "
    "same hours banked for the review (leader.feedback_cadence); a quarter of the leaders "
    "at each. Regular check-ins and annual reviews both stay common: about one employee in "
    "five strongly agrees that their performance is managed in a way that motivates them, "
    "and about as many get meaningful feedback weekly (Gallup 2017, 2019); no survey fixes "
    "the shares, so the four cadences the model has are taken equally often")
CADENCE_LEVELS = tuple(float(weeks) for weeks in CADENCE_WEEKS.values())
"""The cadences as weeks between reviews (1, 2, 13, 52), the dimension's levels."""
MICROMANAGEMENT_QUANTILES = ((0.0, 0.0), (0.75, 0.05), (1.0, 0.25))
"""Three leaders in four spend up to 5% of their hours micromanaging, a quarter 5% to
25%."""

DIMENSIONS: tuple[LeaderDimension, ...] = (
    LeaderDimension("strategic_clarity", "Strategic clarity", "leader.strategic_clarity",
                    0.0, 1.0, 1.0, STRATEGIC_CLARITY_REASON, scale="lattice"),
    LeaderDimension("clarification", "Clarifying (direction and roles)",
                    "standard", *STANDARD, DIAGNOSIS_THRESHOLD, STANDARD_REASON,
                    ("direction", "roles")),
    LeaderDimension("development", "Development (training, coaching)", "standard",
                    *STANDARD, DIAGNOSIS_THRESHOLD, STANDARD_REASON, ("capability",)),
    LeaderDimension("recognition", "Recognition and autonomy (motivation)", "standard",
                    *STANDARD, DIAGNOSIS_THRESHOLD, STANDARD_REASON, ("motivation",)),
    LeaderDimension("obstacle_removal", "Obstacle removal", "standard", *STANDARD,
                    DIAGNOSIS_THRESHOLD, STANDARD_REASON, ("environment",)),
    LeaderDimension("accountability", "Feedback and consequences", "standard", *STANDARD,
                    DIAGNOSIS_THRESHOLD, STANDARD_REASON, ("accountability",)),
    LeaderDimension("team_leadership", "Team leadership", "standard", *STANDARD,
                    DIAGNOSIS_THRESHOLD, STANDARD_REASON,
                    ("collaboration", "mutual_accountability", "conflict")),
    LeaderDimension("empowerment", "Empowerment", "habit", 0.0, 0.25, 0.0, HABIT_REASON,
                    ("empower",)),
    LeaderDimension("micromanagement", "Micromanagement", "habit", 0.0, 0.25, 0.0,
                    MICROMANAGEMENT_REASON, ("micromanage",), scale="quantiles",
                    quantiles=MICROMANAGEMENT_QUANTILES),
    LeaderDimension("systems", "Building systems", "habit", 0.0, 0.25, 0.0, HABIT_REASON,
                    ("build_systems",)),
    LeaderDimension("trust_behaviours", "Trust behaviours",
                    "habit", 0.0, 0.25, 0.0, TRUST_BEHAVIOURS_REASON,
                    ("care", "candour", "transparency")),
    LeaderDimension("feedback_cadence", "Feedback cadence",
                    "leader.feedback_cadence", 1.0, 52.0, 1.0, CADENCE_REASON,
                    scale="choices", choices=CADENCE_LEVELS),
    LeaderDimension("attention_hours", "Attention hours", "leader.attention_hours", 4.0,
                    12.0, 8.0, "half to one and a half times the default 8 hours a week; "
                               "12 is the default capacity, beyond which she tires",
                    scale="lattice"),
    LeaderDimension("diagnostic_accuracy", "Diagnostic accuracy", "accuracy", 0.5, 0.95, 0.8,
                    "reading errors from 2.5 times the default leader's to a quarter of "
                    "them"),
    LeaderDimension("diagnostic_bias", "Diagnostic bias", "bias", 0.0, 0.5, 0.0,
                    "from none to half of every other gap read as the bias cause (P2's "
                    "badly biased leader, 0.8, lies beyond)"),
    LeaderDimension("blame", "Blame disposition", "leader.blame", 0.05, 0.45, 0.2,
                    "from the curious leader of the blame_culture scenario (0.05) to one "
                    "who meets nearly half of raised problems with blame (the default one "
                    "in five; a blame culture's 0.8 lies beyond)", scale="lattice"),
)
"""The leadership dimensions, in the order of a population's columns."""


def dimension_names(dimensions: Sequence[LeaderDimension] = DIMENSIONS) -> list[str]:
    """The dimensions' names, in order."""
    return [dimension.name for dimension in dimensions]
