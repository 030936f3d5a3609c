"""The constants of the leader as a person (:class:`LeaderParameters`, which
:class:`simulation.model.parameters.Parameters` extends): how she tires and recovers, and
what exhaustion does to her reading of the team, her commitments and her response to
problems; how her feedback loses value while it waits for a review; the three trust
behaviours that are acts of their own (care, candour, transparency); what switching
between the week's items costs her; and how her members grow ready to lead and deputise
for her (:mod:`simulation.model.succession`). docs/CALIBRATION.md records how each default
was chosen."""

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

    # --- the leader: credibility (docs/MODEL.md §7.21) ----------------------------------
    credibility_gain: float = described(
        0.01, "share of the gap to full credibility closed in a week in which every "
              "member's 1:1 is kept, at full commitment weight (Simons 2002: behavioural "
              "integrity)", 0, 1)
    credibility_breach_loss: float = described(
        0.1, "share of her credibility lost in a week in which every member's 1:1 is "
             "broken, at full commitment weight", 0, 1)
    favouritism_credibility_loss: float = described(
        0.02, "share of her credibility lost in a week of full favouritism (all her "
              "member hours to members beyond their share of the team's need, in full "
              "view: Colquitt et al. 2001)", 0, 1)
    inconsistency_credibility_loss: float = described(
        0.02, "share of her credibility lost in a week whose plan departs wholly from the "
              "priorities she has shown", 0, 1)
    unnoticed_share: float = described(
        0.15, "share of her hours that may go beyond the members' needs, or away from the "
              "priorities she has shown, before her team notices (favouritism and "
              "inconsistency count only beyond it)", 0, 0.95)
    priorities_rate: float = described(
        0.3, "weekly share of the way the priorities the team has seen her show move to "
             "the week's plan (a memory of about three weeks)", 0.01, 1)
    credibility_trust_weight: float = described(
        1.0, "change in the trust her trust-building acts earn (kept 1:1s, recognition, "
             "empowerment, care, candour, feedback that lands) per unit of credibility "
             "above the reference, as much less below (never below none)", 0, 5)
    credibility_reference: float = described(
        0.7, "credibility at which trust responds to her acts as the trust rates say", 0, 1)
    care_credibility_rate: float = described(
        0.01, "share of the gap to full credibility closed per week of care at full dose "
              "for every member", 0, 1)
    candour_credibility_rate: float = described(
        0.01, "share of the gap to full credibility closed per week of candour at full "
              "dose for every member (truth)", 0, 1)
    transparency_credibility_rate: float = described(
        0.01, "share of the gap to full credibility closed per week at full team dose of "
              "transparency", 0, 1)

    # --- the leader: the trust behaviours that are acts (docs/MODEL.md §7.21) -----------
    care_trust_rate: float = described(
        0.003, "share of the trust gap closed per week of care at full dose (benevolence: "
               "Mayer, Davis & Schoorman 1995)", 0, 1)
    care_exhaustion_rate: float = described(
        0.03, "share of a member's exhaustion relieved per week of care at full dose "
              "(support from the supervisor: Halbesleben 2006)", 0, 1)
    care_lag: float = described(2.0, "weeks before care takes full effect", 1, 52)
    care_saturation: float = described(
        0.5, "hours per member for 63% of full effect", 0.05, 40)
    candour_trust_rate: float = described(
        0.004, "share of the trust gap closed per week of candour at full dose where it "
               "lands fully (trust well above the member's feedback threshold)", 0, 1)
    candour_lag: float = described(1.0, "weeks before candour takes full effect", 1, 52)
    candour_saturation: float = described(
        0.5, "hours per member for 63% of full effect", 0.05, 40)
    transparency_trust_rate: float = described(
        0.002, "share of every member's trust gap closed per week at full team dose of "
               "transparency (decisions explained: informational justice, Colquitt et al. "
               "2001)", 0, 1)
    transparency_safety_rate: float = described(
        0.005, "share of the psychological-safety gap closed per week at full team dose of "
              "transparency (leader openness: Detert & Burris 2007)", 0, 1)
    transparency_direction_rate: float = described(
        0.01, "share of the team's direction gap closed per week at full team dose of "
              "transparency (the reasons behind decisions)", 0, 1)
    transparency_lag: float = described(1.0, "weeks before transparency acts", 1, 52)
    transparency_saturation: float = described(
        2.0, "team hours per week for 63% of full effect", 0.05, 60)

    # --- the leader: switching between items of the week ---------------------------------
    switch_hours: float = described(
        0.05, "hours of the week's effect lost to each switch between members or kinds of "
             "work beyond the first (attention residue, Leroy 2009)", 0, 2)

    # --- the leader's successors: leadership readiness and the deputy ---------------------
    readiness_feedback_rate: float = described(
        0.003, "share of the gap to the readiness her capability allows that a member "
               "closes in a week of coaching and feedback on the work that lands, at full "
               "knowledge of results (developmental relationships: Day et al. 2014)", 0, 1)
    readiness_stretch_rate: float = described(
        0.005, "share of that gap a fully capable member closes in a week of full stretch "
               "(empowerment: room to decide and to lead) with full feedback on it (McCall, "
               "Lombardo & Morrison 1988)", 0, 1)
    readiness_unaided_stretch: float = described(
        0.1, "share of what stretch develops that it develops without feedback on it: "
             "challenge alone develops leaders with quickly diminishing returns, feedback "
             "sustains them (DeRue & Wellman 2009)", 0, 1)
    readiness_on_the_job: float = described(
        0.004, "share of that gap a member closes in a week by doing the job and meeting "
               "its challenges, whatever the leader does", 0, 1)
    readiness_decay: float = described(
        0.0012, "share of a member's leadership readiness that fades in a week "
                "(unpractised skill decays: Arthur et al. 1998)", 0, 1)
    readiness_capability_margin: float = described(
        0.3, "how far above her capability a member's readiness to lead can grow (one "
             "cannot be ready to lead what one cannot do)", 0, 1)
    new_hire_readiness: float = described(
        0.1, "leadership readiness of a new hire (new to the team and its work)", 0, 1)
    deputy_readiness_floor: float = described(
        0.4, "readiness up to which the most ready member carries none of the leadership "
             "a withdrawal leaves; from it her share rises to `deputy_full_share` at the "
             "readiness threshold (0.7)", 0, 0.69)
    deputy_full_share: float = described(
        0.5, "share of the withdrawn leadership a ready deputy carries (she keeps her own "
             "work too; each hour she leads is an hour off it)", 0, 1)
