"""The pattern registry: the published patterns hold under the defaults, and they fail
when the mechanism they rest on is pushed far from its default (so the checks can fail).

Replications are those of the full check and the seed is fixed, so each result is the one
docs/VALIDATION.md reports (`teamsim patterns`, 30 replications): several figures lie near
their band's edge, and fewer replications widen their intervals past it.
"""

from __future__ import annotations

import pytest

from simulation.analysis.pattern_checks import Band, Measurement, check, parameters_with
from simulation.analysis.patterns import PATTERNS
from simulation.model.config import DEFAULT_SEED

CI_REPLICATIONS = 30
SEED = DEFAULT_SEED

KNOWN_MISSES: dict[str, str] = {
    # Since every random number became a hash of its address (docs/CALIBRATION.md, "The
    # counter-based random numbers"), these six figures' intervals cross a band's edge at
    # the default seed, though each point estimate lies inside its band. They sat near
    # the edge before: at other seeds the earlier generator missed P17 and P22 too. Each
    # is a strict expected failure: it fails loudly once the model reproduces it again.
    "P14": "correlation of starting safety with capability gained 0.27 [0.19, 0.35], "
           "band 0.2 to 0.6",
    "P15": "correlation of task conflict with team output 0.135 [0.084, 0.185], band "
           "-0.1 to 0.15",
    "P17": "leaving hazard after a close colleague left 1.25 [1.10, 1.42], band 1.2 to 2",
    "P20": "readiness to lead, feedback-rich / annual review 3.22 [2.85, 3.67], band 3 "
           "to 7",
    "P21": "strategic clarity's share of the quartile gap 0.24 [0.17, 0.31], band 0.2 "
           "to 0.4",
    "P22": "motivation, weekly / annual feedback 1.123 [1.096, 1.151], band at least 1.1",
}
"""Published patterns the model does not reproduce yet, each with what it measures."""

CHEAP = [pytest.param(pattern_id, marks=pytest.mark.xfail(reason=KNOWN_MISSES[pattern_id],
                                                          strict=True))
         if pattern_id in KNOWN_MISSES else pattern_id
         for pattern_id, pattern in PATTERNS.items() if pattern.cheap]


def describe(result) -> str:
    return "; ".join(f"{m.name}: {m.value:.3g} [{m.low:.3g}, {m.high:.3g}] vs {m.band}"
                     for m in result.measurements)


IMPLEMENTED = [f"P{i}" for i in range(1, 23)]
"""The patterns of VALIDATION.md the registry checks so far, in its order."""


def test_the_registry_holds_the_published_patterns_in_order():
    assert list(PATTERNS) == IMPLEMENTED
    for pattern in PATTERNS.values():
        assert pattern.title and pattern.band and pattern.source and pattern.mechanisms


@pytest.mark.parametrize("pattern_id", CHEAP)
def test_pattern_holds_under_the_default_parameters(pattern_id):
    result = check(PATTERNS[pattern_id], replications=CI_REPLICATIONS, seed=SEED)
    assert result.passed, describe(result)


BROKEN_MECHANISMS = {
    # Trust that is lost as slowly as it is won is not asymmetric: at a loss of 0.0005 of
    # the level a breach costs about what a kept 1:1 builds (trust_gain 0.002 on the gap).
    "P4": {"trust_breach_loss": 0.0005},
    # Training ten times as strong overshoots the effect sizes research finds.
    "P10": {"train_rate": 0.4},
    # Scrutiny that lingers keeps the Hawthorne gains long after the watching stops.
    "P6": {"scrutiny_decay": 0.01},
    # Micromanagement that costs experienced members nothing does not backfire.
    "P8": {"micromanage_motivation_loss": 0.0, "micromanage_trust_loss": 0.0},
    # Training that costs the trainees none of their own time is not worse before better.
    "P9": {"training_member_hours": 0.0},
    # Loafing that costs no effort leaves large teams as productive per member as small.
    "P13": {"loafing_weight": 0.0},
    # Task conflict that never helps a safe team is not positive among high-safety teams.
    "P15": {"task_conflict_output": 0.0},
    # Goals that act as strongly on complex tasks as on simple ones overshoot there.
    "P18": {"complexity_goal_weight": 0.0, "goal_learning_cost": 0.0},
    # Safety that changes nothing about learning does not drive it.
    "P14": {"safety_learning_weight": 0.0, "peer_learning_rate": 0.0},
    # Without the negativity bias a bad apple drags the team no more than a star lifts it.
    "P16": {"negativity_weight": 1.0},
    # Departures that do not shake colleagues are not contagious.
    "P17": {"turnover_contagion_weight": 0.0},
    # A leader whom overtime does not tire reads and keeps her plan as well as a rested one.
    "P19": {"leader_strain_gain": 0.0},
    # Leader development that needs no feedback: coaching and feedback on the work grow
    # nobody's readiness to lead, and stretch develops as much without feedback on it, so
    # the annual review grows nearly as many leaders as weekly feedback.
    "P20": {"readiness_feedback_rate": 0.0, "readiness_unaided_stretch": 1.0},
    # Feedback that tells members nothing about where they stand sustains no motivation
    # between conversations, so the annual review costs little of it.
    "P22": {"standing_weight": 0.0},
    # Direction that neither output nor motivation depends on gives strategic clarity no
    # share of the gap (0.8% [-0.5, 2.1]; with output alone independent of it, 4.7%).
    "P21": {"direction_floor": 1.0, "unclear_direction_motivation_loss": 0.0},
}


@pytest.mark.parametrize("pattern_id", sorted(BROKEN_MECHANISMS))
def test_pattern_fails_when_its_mechanism_is_pushed_far_from_the_default(pattern_id):
    broken = parameters_with(BROKEN_MECHANISMS[pattern_id])
    result = check(PATTERNS[pattern_id], replications=CI_REPLICATIONS, seed=SEED,
                   parameters=broken)
    assert not result.passed, describe(result)


def test_a_patterns_prose_is_written_from_its_band_objects():
    """The words the evidence page prints for a pattern's bands come from the very Band
    objects its check applies, so the two cannot drift apart."""
    from dataclasses import replace

    from simulation.analysis.pattern_checks import Criterion

    p10 = PATTERNS["P10"]
    assert p10.band == ("capability gain in standard deviations of starting capability: "
                        "0.4 to 0.8")
    moved = replace(p10, criteria=(Criterion(p10.criteria[0].measures, Band(0.3, None)),))
    assert moved.band.endswith(": at least 0.3")
    result = check(moved, replications=4, seed=SEED)
    assert [m.band for m in result.measurements] == [Band(0.3, None)]
    assert [m.name for m in result.measurements] == [p10.criteria[0].measures]


def test_a_measurement_holds_only_when_its_whole_interval_is_in_the_band():
    band = Band(1.5, 2.0)
    assert Measurement("m", 1.7, 1.6, 1.9, band).in_band
    assert not Measurement("m", 1.7, 1.4, 1.9, band).in_band
    assert not Measurement("m", 1.9, 1.8, 2.1, band).in_band
    assert Measurement("m", -1.0, -2.0, -0.5, Band(None, 0)).in_band
    assert not Measurement("m", float("nan"), 0.0, 0.0, Band(None, 1)).in_band


def test_calibration_moves_a_mistuned_parameter_back_toward_the_band():
    from simulation.analysis.calibration import calibrate, objective

    mistuned = parameters_with({"train_rate": 0.2})
    before = objective(mistuned, ["P10"], 6, SEED)
    tuned, after = calibrate(["train_rate"], start=mistuned, ids=["P10"], replications=6,
                             seed=SEED, step=0.5, rounds=4)
    assert before > 0
    assert after < before
    assert tuned.train_rate < 0.2


def test_the_evidence_page_is_current():
    """docs/VALIDATION.md records the fingerprint of the defaults and the model code it
    was measured with; regenerate it (`teamsim patterns --write-docs`) after a change."""
    from pathlib import Path

    from simulation.analysis.evidence import model_fingerprint

    page = Path(__file__).resolve().parents[1] / "docs" / "VALIDATION.md"
    assert f"Model fingerprint: `{model_fingerprint()}`" in page.read_text(encoding="utf-8")
    held = f"{len(IMPLEMENTED) - len(KNOWN_MISSES)} of {len(IMPLEMENTED)} patterns hold"
    assert held in page.read_text(encoding="utf-8")
