"""The constants of performance management and hiring (:class:`PerformanceParameters`,
which :class:`simulation.model.parameters.Parameters` extends): what a performance
conversation's agreed actions do and how fast they lapse, what the leader's hours put into
a search do to the vacancy and the hire, and what a decision to move or dismiss a member
costs or gives the team (docs/MODEL.md §7.23). docs/CALIBRATION.md records how each
default was chosen."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.model.fields import described


@dataclass(frozen=True)
class PerformanceParameters:
    """Performance management's constants (rates per week); part of every
    :class:`~simulation.model.parameters.Parameters`. Every intervention's lag and
    saturation are named after it, as in the catalogue."""

    # --- performance conversations, hiring and hard decisions (issue 13) ------------------
    performance_conversation_accountability_rate: float = described(
        0.04, "share of an accountability gap closed per week while the actions agreed in "
              "performance conversations are fully open (specific, agreed goals with "
              "feedback on them: Locke & Latham 2002)", 0, 1)
    performance_conversation_clarity_rate: float = described(
        0.06, "share of a role-clarity gap closed per week while the agreed actions are "
              "fully open (what is expected made explicit)", 0, 1)
    agreed_actions_fade: float = described(
        0.3, "weekly share of the open agreed actions that lapse in a week without a "
             "performance conversation (no follow-up)", 0, 1)
    performance_conversation_lag: float = described(
        1.0, "weeks before a performance conversation takes full effect", 1, 52)
    performance_conversation_saturation: float = described(
        1.0, "hours per member for 63% of full effect", 0.05, 40)
    hire_speed: float = described(
        1.0, "extra weeks of search a week of full hiring effort adds (1: a vacancy the "
             "leader searches for at full effort fills in half the hiring delay)", 0, 10)
    hire_capability_gain: float = described(
        0.15, "rise in a new hire's mean capability when the leader searched at full effort "
              "through the vacancy (structured selection: Schmidt & Hunter 1998)", 0, 1)
    hire_clarity_gain: float = described(
        0.3, "rise in a new hire's starting role clarity, as a share of the gap above "
             "`new_hire_role_clarity`, at full hiring effort (a realistic job preview: "
             "Premack & Wanous 1985)", 0, 1)
    hire_lag: float = described(1.0, "weeks before hiring effort takes full effect", 1, 52)
    hire_saturation: float = described(
        2.0, "hours per week per vacant slot for 63% of full hiring effort", 0.05, 60)
    dismissal_trust_loss: float = described(
        0.15, "share of trust in the leader every remaining member loses when a colleague "
              "is dismissed entirely unfairly (no plan, no support, the shortfall not "
              "theirs: Brockner et al. 1987)", 0, 1)
    dismissal_safety_loss: float = described(
        0.2, "share of psychological safety the team loses at an entirely unfair dismissal "
             "(Edmondson 1999)", 0, 1)
    dismissal_norm_gain: float = described(
        0.1, "share of the mutual-accountability norm's gap closed by an entirely fair "
             "dismissal (consequences for persistent non-performance)", 0, 1)
    move_severity: float = described(
        0.5, "share of a dismissal's effects on the team that moving the member elsewhere "
             "has (the member keeps a job)", 0, 1)

    # --- the team: members who cannot grow into the job ------------------------------
    low_performer_ceiling: float = described(
        0.3, "the capability a member who cannot grow into the job starts at most at and "
             "can reach (`team.low_performers`)", 0, 1)

    # --- the team: an unclear direction saps motivation ------------------------------
    unclear_direction_motivation_loss: float = described(
        0.0025, "weekly share of motivation lost per unit the team's direction has fallen "
                "below the environment's level (`environment.direction_clarity`): not "
                "knowing what the work is for or what counts as doing it well drains "
                "effort (role ambiguity and motivation: Jackson & Schuler 1985; Tubre & "
                "Collins 2000; a compelling direction, Hackman 2002)", 0, 1)
