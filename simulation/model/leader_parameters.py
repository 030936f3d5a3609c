"""The constants of the leader as a person (:class:`LeaderParameters`, which
:class:`simulation.model.parameters.Parameters` extends): how she tires and recovers, and
what exhaustion does to her reading of the team, her commitments and her response to
problems. docs/CALIBRATION.md records how each default was chosen."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.model.fields import described


@dataclass(frozen=True)
class LeaderParameters:
    """The leader's constants (rates per week); part of every :class:`Parameters`."""

    # --- the leader: fatigue and recovery -----------------------------------------------
    leader_strain_gain: float = described(
        0.17, "share of the way to full exhaustion the leader goes in a week, per unit of "
              "load above her capacity (hours led over `leader.capacity_hours`)", 0, 1)
    leader_recovery: float = described(
        0.9, "share of her exhaustion the leader recovers in a week with nothing to lead, "
              "in proportion to the spare share of her capacity", 0, 1)
    leader_crisis_strain: float = described(
        0.03, "share of the way to full exhaustion a week under crisis adds", 0, 1)
    leader_conflict_strain: float = described(
        0.05, "share of the way to full exhaustion a week of full relationship conflict in "
              "the team adds", 0, 1)
    depleted_reading: float = described(
        2.5, "how much larger the leader's reading errors are when she is fully exhausted "
             "(1: twice as large)", 0, 5)
    depleted_hours: float = described(
        0.6, "share of the week's planned hours a fully exhausted leader does not hold "
             "(1:1s and sessions cancelled: broken commitments)", 0, 1)
    depleted_threshold: float = described(
        0.25, "exhaustion up to which the leader reads her team and holds her plan as if "
              "rested; her depletion grows from there to full at exhaustion 1", 0, 0.95)
    depleted_blame: float = described(
        0.3, "extra share of raised problems a fully exhausted leader meets with blame", 0, 1)

    # --- the leader: feedback cadence ----------------------------------------------------
    feedback_decay_weeks: float = described(
        12.0, "weeks over which feedback about a piece of work loses all but 1/e of its "
              "value: banked for a later review, it says less about what the member can "
              "still change and is remembered less well (Kulik & Kulik 1988)", 1, 520)

    # --- the leader: switching between items of the week ---------------------------------
    switch_hours: float = described(
        0.05, "hours of the week's effect lost to each switch between members or kinds of "
             "work beyond the first (attention residue, Leroy 2009)", 0, 2)
