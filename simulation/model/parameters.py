"""The model's constants (:class:`Parameters`): one default set, shipped with the package,
each with its meaning and allowed range. docs/CALIBRATION.md records how each default was
chosen."""

from __future__ import annotations

from dataclasses import dataclass

from simulation.model.fields import described
from simulation.model.leader_parameters import LeaderParameters
from simulation.model.performance_parameters import PerformanceParameters


@dataclass(frozen=True)
class Parameters(PerformanceParameters, LeaderParameters):
    """The model's constants: one default set, shipped with the package (the leader's own,
    :class:`LeaderParameters`, first, then those of performance management and hiring,
    :class:`PerformanceParameters`).

    Rates are per week. Every field can be overridden in a scenario's ``[parameters]``
    table, which is how sensitivity analyses and calibrations vary them.
    """

    # --- performance production -------------------------------------------------------
    follow_through_floor: float = described(
        0.67, "share of planned work completed by a member with no accountability", 0, 1)
    direction_floor: float = described(
        0.62, "share of output kept when direction and role are completely unclear", 0, 1)
    barrier_weight: float = described(
        0.5, "share of output lost to a full load of obstacles", 0, 1)
    exhaustion_weight: float = described(
        0.5, "share of output lost by a fully exhausted member", 0, 1)
    pressure_effort: float = described(
        0.35, "extra effort drawn out by full pressure from a rested member", 0, 2)
    collaboration_weight: float = described(
        0.3, "extra team output from collaboration at full psychological safety", 0, 2)
    training_member_hours: float = described(
        4.0, "hours a member spends in training for each hour the leader puts into it", 0, 20)
    work_week_hours: float = described(40.0, "a member's working hours in a week", 10, 80)

    # --- interventions: weekly effect at full dose, lag, saturation -----------------------
    clarify_rate: float = described(0.5, "share of a role-clarity gap closed per week", 0, 1)
    clarify_direction_rate: float = described(
        0.08, "share of the team's direction gap closed per week of clarification", 0, 1)
    clarify_lag: float = described(1.0, "weeks before clarification takes full effect", 1, 52)
    clarify_saturation: float = described(1.0, "hours per member for 63% of full effect", 0.05, 40)
    train_rate: float = described(0.038, "share of a capability gap closed per week", 0, 1)
    train_lag: float = described(3.0, "weeks before training takes full effect", 1, 52)
    train_saturation: float = described(2.0, "hours per member for 63% of full effect", 0.05, 40)
    coach_capability_rate: float = described(
        0.008, "share of a capability gap closed per week of coaching", 0, 1)
    coach_motivation_rate: float = described(
        0.006, "share of a motivation gap closed per week of coaching", 0, 1)
    coach_accountability_rate: float = described(
        0.015, "share of an accountability gap closed per week of coaching", 0, 1)
    coach_lag: float = described(2.0, "weeks before coaching takes full effect", 1, 52)
    coach_saturation: float = described(1.0, "hours per member for 63% of full effect", 0.05, 40)
    recognise_rate: float = described(0.008, "share of a motivation gap closed per week", 0, 1)
    recognise_trust_rate: float = described(
        0.002, "share of a trust gap closed per week of recognition", 0, 1)
    recognise_lag: float = described(1.0, "weeks before recognition takes full effect", 1, 52)
    recognise_saturation: float = described(
        0.5, "hours per member for 63% of full effect", 0.05, 40)
    remove_obstacles_rate: float = described(
        0.08, "share of a member's perceived obstacles removed per week", 0, 1)
    remove_barriers_rate: float = described(
        0.035, "share of the environment's barriers removed per week at full team dose", 0, 1)
    remove_obstacles_lag: float = described(2.0, "weeks before obstacle removal acts", 1, 52)
    remove_obstacles_saturation: float = described(
        1.5, "hours per member for 63% of full effect", 0.05, 40)
    monitor_scrutiny_rate: float = described(
        0.5, "share of the scrutiny gap opened per week of monitoring", 0, 1)
    monitor_accountability_rate: float = described(
        0.003, "share of an accountability gap closed per week by feedback and consequences",
        0, 1)
    feedback_motivation_rate: float = described(
        0.03, "motivation moved per week by feedback, per unit of trust above the threshold",
        0, 1)
    standing_weight: float = described(
        0.5, "share of the room above a member's motivation that knowing where they stand "
              "(feedback on their work in effect this week) lifts it by, at full knowledge "
              "of results (Hackman & Oldham 1976)", 0, 1)
    standing_trust_width: float = described(
        0.1, "trust above the feedback threshold at which knowing where one stands lifts "
             "motivation fully (none at the threshold or below it)", 0.01, 1)
    feedback_trust_threshold: float = described(
        0.45, "trust below which feedback lowers motivation (Kluger & DeNisi 1996)", 0, 1)
    feedback_trust_rate: float = described(
        0.02, "trust moved per week by feedback, per unit of trust above the threshold", 0, 1)
    monitor_lag: float = described(1.0, "weeks before monitoring takes full effect", 1, 52)
    monitor_saturation: float = described(0.5, "hours per member for 63% of full effect", 0.05,
                                          40)
    build_systems_rate: float = described(
        0.06, "share of the systems gap closed per week at full team dose", 0, 1)
    build_systems_lag: float = described(4.0, "weeks before system building acts", 1, 52)
    build_systems_saturation: float = described(
        3.0, "team hours per week for 63% of full effect", 0.05, 60)
    empower_motivation_rate: float = described(
        0.012, "share of a capable member's motivation gap closed per week", 0, 1)
    empower_trust_rate: float = described(
        0.003, "share of a trust gap closed per week of empowerment", 0, 1)
    empower_lag: float = described(2.0, "weeks before empowerment takes full effect", 1, 52)
    empower_saturation: float = described(0.5, "hours per member for 63% of full effect", 0.05,
                                          40)
    micromanage_accountability_rate: float = described(
        0.1, "share of an accountability gap closed per week of micromanagement", 0, 1)
    micromanage_motivation_loss: float = described(
        0.012, "share of motivation lost per week by a fully experienced, capable member", 0, 1)
    micromanage_trust_loss: float = described(
        0.006, "share of trust lost per week by a fully experienced, capable member", 0, 1)
    micromanage_safety_loss: float = described(
        0.008, "share of psychological safety lost per week at full team dose", 0, 1)
    micromanage_novice_sting: float = described(
        0.25, "share of micromanagement's full harm that a novice with no capability feels",
        0, 1)
    micromanage_full_sting_seasoning: float = described(
        0.5, "experience x capability at which micromanagement harms fully", 0.01, 1)
    micromanage_lag: float = described(1.0, "weeks before micromanagement acts", 1, 52)
    micromanage_saturation: float = described(
        0.5, "hours per member for 63% of full effect", 0.05, 40)

    # --- team interventions (team hours: the leader's hours summed over the members) -----
    team_building_rate: float = described(
        0.04, "share of the cohesion gap closed per week at full team dose of team building",
        0, 1)
    team_building_tie_rate: float = described(
        0.03, "extra weekly approach of every tie to what the structure allows at full team "
              "dose of team building", 0, 1)
    team_building_lag: float = described(3.0, "weeks before team building acts", 1, 52)
    team_building_saturation: float = described(
        3.0, "team hours per week for 63% of full effect", 0.05, 60)
    mediate_rate: float = described(
        0.08, "extra share of relationship conflict healed per week at full team dose of "
              "mediation by a leader the team trusts", 0, 1)
    mediate_lag: float = described(2.0, "weeks before mediation acts", 1, 52)
    mediate_saturation: float = described(
        2.0, "team hours per week for 63% of full effect", 0.05, 60)
    clarify_roles_rate: float = described(
        0.1, "share of every member's role-clarity gap closed per week at full team dose of "
             "team role clarification (gaps and overlaps)", 0, 1)
    clarify_roles_lag: float = described(2.0, "weeks before team role clarification acts",
                                         1, 52)
    clarify_roles_saturation: float = described(
        3.0, "team hours per week for 63% of full effect", 0.05, 60)
    retrospective_safety_rate: float = described(
        0.03, "share of the safety gap closed per week at full team dose of retrospectives "
              "run with curiosity (as much of the safety there is lost when run with blame)",
        0, 1)
    retrospective_norm_rate: float = described(
        0.03, "share of the mutual-accountability gap closed per week at full team dose of "
              "retrospectives", 0, 1)
    retrospective_learning: float = described(
        0.5, "extra share of what training and coaching teach at full team dose of "
             "retrospectives (team learning)", 0, 2)
    retrospective_lag: float = described(2.0, "weeks before retrospectives act", 1, 52)
    retrospective_saturation: float = described(
        2.0, "team hours per week for 63% of full effect", 0.05, 60)
    goal_effort: float = described(
        0.19, "extra effort at full team dose of specific, challenging goals on the simplest "
              "task (Locke & Latham 2002)", 0, 1)
    goal_efficacy_rate: float = described(
        0.02, "share of the collective-efficacy gap closed per week at full team dose of "
              "goal-setting", 0, 1)
    goal_learning_cost: float = described(
        0.3, "share of learning lost at full team dose of specific goals on the most complex "
             "task (goals narrow attention to the goal: Earley et al. 1989)", 0, 1)
    set_goals_lag: float = described(1.0, "weeks before goal-setting acts", 1, 52)
    set_goals_saturation: float = described(
        1.0, "team hours per week for 63% of full effect", 0.05, 60)
    complexity_goal_weight: float = described(
        0.55, "share of goal-setting's and clarification's effect lost on the most complex "
              "task (Wood, Mento & Locke 1987: d .76 on simple, .42 on complex tasks)", 0, 1)
    complexity_learning_weight: float = described(
        0.6, "change in the pace of training and coaching per unit of complexity below "
             "(faster) or above (slower) the middle", 0, 1.9)

    # --- trust ---------------------------------------------------------------------------
    meeting_saturation: float = described(
        0.5, "1:1 hours at which a meeting counts 63% as a commitment (kept or broken)",
        0.05, 10)
    trust_gain: float = described(
        0.002, "share of the trust gap closed by one kept 1:1 commitment", 0, 1)
    trust_breach_loss: float = described(
        0.2, "share of trust lost in one breach (a cancelled 1:1)", 0, 1)
    trust_drift: float = described(
        0.002, "weekly relaxation of trust toward neutral without contact", 0, 1)
    trust_neutral: float = described(0.5, "the trust level a stranger starts from", 0, 1)
    safety_rate: float = described(
        0.02, "weekly approach of psychological safety to the team's mean trust", 0, 1)

    # --- the team: ties and peer influence ---------------------------------------------
    tie_growth: float = described(
        0.03, "weekly approach of a tie to what the structure allows, at full safety", 0, 1)
    tie_decay: float = described(0.01, "weekly fading of every tie", 0, 1)
    new_hire_tie: float = described(
        0.3, "a newcomer's ties, as a share of what the structure allows", 0, 1)
    affect_expression: float = described(
        0.3, "how far trait affect colours a member's expressed mood", 0, 1)
    contagion_rate: float = described(
        0.06, "weekly share of the tie-weighted mood difference a member takes on from "
              "colleagues (emotional contagion, Barsade 2002)", 0, 1)
    negativity_weight: float = described(
        3.0, "how much more a colleague whose mood is negative sways the others (bad is "
             "stronger than good: Baumeister et al. 2001; Felps et al. 2006)", 1, 10)
    mood_neutral: float = described(
        0.4, "expressed mood below which a member's mood counts as negative", 0, 1)
    bad_apple_motivation: float = described(
        0.15, "the low motivation a persistently negative member keeps returning to", 0, 1)
    star_motivation: float = described(
        0.95, "the high motivation an exceptionally positive member keeps returning to", 0, 1)
    peer_learning_rate: float = described(
        0.15, "weekly share of the tie-weighted lead of more capable colleagues a member "
              "learns at full psychological safety (Edmondson 1999)", 0, 1)
    safety_learning_weight: float = described(
        1.0, "change in what training, coaching and practice teach per unit of "
             "psychological safety above the reference (Edmondson 1999)", 0, 2)
    safety_reference: float = described(
        0.5, "psychological safety at which learning is as the learning rates say", 0, 1)
    turnover_contagion_weight: float = described(
        0.7, "log-hazard of leaving per unit of closeness to a recent leaver (Felps et al. "
             "2009)", 0, 20)
    departure_shock_decay: float = described(
        0.08, "weekly fading of the shock of a close colleague's departure", 0, 1)

    # --- the team: mutual accountability and social loafing ------------------------------
    norm_rate: float = described(
        0.01, "weekly approach of the team's norm of mutual accountability to what the team "
              "practises (members' follow-through, safety, embedded systems)", 0, 1)
    norm_safety_weight: float = described(
        0.3, "share of the norm's target set by psychological safety (members can call each "
             "other out only where it is safe)", 0, 1)
    norm_systems_weight: float = described(
        0.2, "share of the norm's target set by embedded systems (the rest: members' own "
             "follow-through)", 0, 1)
    norm_modelling_rate: float = described(
        0.03, "weekly share of the norm's gap closed by a leader who keeps every commitment "
              "and holds every member to theirs (modelling)", 0, 1)
    peer_accountability_rate: float = described(
        0.03, "weekly pull of a member's accountability toward the team's norm (members "
              "enforcing it on each other)", 0, 1)
    loafing_weight: float = described(
        0.3, "share of effort lost to social loafing in a very large team with no norm and "
             "no identifiable contributions (Karau & Williams 1993)", 0, 1)
    loafing_half_size: float = described(
        4.0, "colleagues at which social loafing reaches half its full size", 0.5, 100)

    # --- psychological safety as a mechanism: voice, the leader's response, reading ----------
    problem_rate: float = described(
        0.15, "weekly probability that a member runs into a problem or makes a mistake", 0, 1)
    voice_floor: float = described(
        0.2, "share of problems a member raises when the team feels entirely unsafe (the rest "
             "are hidden; all are raised at full safety)", 0, 1)
    curiosity_safety_gain: float = described(
        0.08, "share of the safety gap closed, per member, by a raised problem met with "
              "curiosity", 0, 1)
    blame_safety_loss: float = described(
        0.15, "share of safety lost, per member, by a raised problem met with blame", 0, 1)
    blame_trust_loss: float = described(
        0.05, "share of trust a blamed member loses", 0, 1)
    micromanage_blame: float = described(
        0.25, "extra share of problems blamed per share of the leader's hours spent "
             "micromanaging", 0, 1)
    crisis_blame: float = described(
        0.15, "extra share of problems blamed while a crisis is under way", 0, 1)
    hidden_problem_obstacle: float = described(
        0.03, "share of a member's free path blocked by a problem they hide (it stays "
              "unsolved)", 0, 1)
    hiding_weight: float = described(
        0.3, "share of a member's gaps hidden from the leader (read as fine) when the team "
             "feels entirely unsafe", 0, 1)
    hiding_noise: float = described(
        0.5, "extra reading noise, relative, when the team feels entirely unsafe", 0, 5)
    misreading_persistence: float = described(
        0.9, "week-to-week correlation of the leader's reading error of a member (a "
             "misreading lasts weeks)", 0, 0.999)
    feedback_safety_weight: float = described(
        0.3, "how much lower the trust a feedback needs to land well, per unit of safety "
             "above the reference", 0, 2)

    # --- the team: conflict, cohesion, collective efficacy, the work ---------------------------
    task_conflict_rate: float = described(
        0.05, "weekly approach of task conflict to the disagreement the work brings", 0, 1)
    task_conflict_base: float = described(
        0.3, "task conflict the work brings at average complexity and interdependence", 0, 1)
    conflict_conversion: float = described(
        0.08, "weekly share of task conflict that turns personal in a conflict-prone team "
              "under full pressure, unclear roles and no safety", 0, 1)
    relationship_conflict_decay: float = described(
        0.03, "weekly share of relationship conflict that heals by itself", 0, 1)
    relationship_conflict_output: float = described(
        0.1, "share of team output lost at full relationship conflict (de Wit, Greer & "
              "Jehn 2012)", 0, 1)
    task_conflict_output: float = described(
        4.0, "change in team output per unit of task conflict per unit of safety above the "
             "task-conflict reference (Bradley et al. 2012)", 0, 5)
    task_conflict_safety_reference: float = described(
        0.45, "psychological safety at which task conflict neither helps nor hurts", 0, 1)
    relationship_conflict_cohesion: float = described(
        0.05, "weekly share of cohesion lost at full relationship conflict", 0, 1)
    relationship_conflict_ties: float = described(
        0.02, "weekly share of every tie lost at full relationship conflict", 0, 1)
    cohesion_rate: float = described(
        0.03, "weekly approach of cohesion to the strength of the team's ties, less any "
              "relationship conflict", 0, 1)
    success_cohesion: float = described(
        1.0, "share of the cohesion gap closed per unit of the team's relative progress in a "
             "week (shared success)", 0, 50)
    efficacy_gain: float = described(
        1.0, "share of the collective-efficacy gap closed per unit of the team's relative "
             "progress in a week (small wins), and lost per unit of decline", 0, 50)
    efficacy_drift: float = described(
        0.03, "weekly relaxation of collective efficacy toward what the team's record of "
              "output supports", 0, 1)
    efficacy_record_weight: float = described(
        0.35, "how far the team's record moves the efficacy it supports: neutral (0.5) at "
             "the expected output, this much higher per unit of output above it (as a share "
             "of it)", 0, 5)
    expected_output: float = described(
        0.45, "output per member a team is expected to deliver, against which it judges "
              "its record (about a typical team's)", 0.01, 5)
    team_effort_weight: float = described(
        0.2, "extra effort toward the team's result at full cohesion and collective efficacy, "
             "as much lost at none (neutral at 0.5)", 0, 0.9)

    # --- drift, decay and embedding (regression when attention is withdrawn) ------------
    motivation_drift: float = described(
        0.06, "weekly relaxation of motivation toward its anchor (unembedded)", 0, 1)
    accountability_drift: float = described(
        0.1, "weekly relaxation of accountability toward its anchor (unembedded)", 0, 1)
    clarity_drift: float = described(
        0.03, "weekly relaxation of role clarity toward its anchor (unembedded)", 0, 1)
    capability_decay: float = described(
        0.008, "weekly decay of unembedded capability toward its anchor (Arthur et al. 1998)",
        0, 1)
    direction_drift: float = described(
        0.02, "weekly relaxation of the team's direction toward the environment's level", 0, 1)
    unclear_strategy_change_loss: float = described(
        1.0, "extra share of a change's loss of direction (`change_size`) under a leader "
             "with no strategic clarity, against one with a fully clear strategy (1: twice "
             "the loss)", 0, 5)
    scrutiny_decay: float = described(
        0.35, "weekly loss of scrutiny when monitoring stops (Hawthorne effect fades)", 0, 1)
    systems_scrutiny: float = described(
        0.5, "scrutiny held up by fully built monitoring systems without the leader", 0, 1)
    scrutiny_weight: float = described(
        0.6, "share of the accountability gap that full scrutiny covers", 0, 1)
    embed_rate: float = described(
        0.05, "weekly rate at which a fully formed habit moves an anchor to the current level",
        0, 1)
    habit_rate: float = described(
        0.07, "weekly approach of habit strength to the team's systems (Lally et al. 2010)",
        0, 1)
    systems_decay: float = described(0.004, "weekly erosion of built systems", 0, 1)
    barrier_growth: float = described(
        0.02, "weekly drift of barriers back toward the environment's level", 0, 1)
    obstacle_perception_rate: float = described(
        0.1, "weekly approach of a member's perceived obstacles to the environment's", 0, 1)

    # --- learning ---------------------------------------------------------------------------
    on_the_job_learning: float = described(
        0.02, "share of a novice's capability gap closed per week by doing the job", 0, 1)
    experience_half_weeks: float = described(
        104.0, "tenure in weeks at which a member counts as half experienced", 1, 1000)

    # --- motivation: progress, pressure, exhaustion -------------------------------------------
    progress_gain: float = described(
        1.0, "motivation gained per unit of visible progress (Amabile & Kramer 2011)", 0, 10)
    output_memory: float = described(
        0.25, "weekly weight of the newest week in a member's sense of recent output", 0, 1)
    exhaustion_threshold: float = described(
        0.55, "load above which exhaustion builds (job demands-resources)", 0, 1)
    exhaustion_gain: float = described(
        0.08, "weekly build-up of exhaustion per unit of load above the threshold", 0, 1)
    exhaustion_recovery: float = described(
        0.08, "weekly recovery from exhaustion per unit of spare capacity", 0, 1)
    exhaustion_motivation_loss: float = described(
        0.04, "weekly share of motivation lost by a fully exhausted member", 0, 1)
    crisis_pressure: float = described(
        0.25, "extra pressure on the team during a crisis", 0, 1)

    # --- turnover --------------------------------------------------------------------------
    turnover_motivation_weight: float = described(
        4.0, "log-hazard of leaving per unit of motivation below the reference", 0, 20)
    turnover_trust_weight: float = described(
        3.0, "log-hazard of leaving per unit of trust below the reference", 0, 20)
    turnover_exhaustion_weight: float = described(
        2.5, "log-hazard of leaving per unit of exhaustion", 0, 20)
    turnover_reference_motivation: float = described(
        0.6, "motivation at which the hazard of leaving is the base rate", 0, 1)
    turnover_reference_trust: float = described(
        0.5, "trust at which the hazard of leaving is the base rate", 0, 1)
    new_hire_motivation: float = described(0.7, "motivation of a new hire (honeymoon)", 0, 1)
    new_hire_accountability: float = described(0.5, "accountability of a new hire", 0, 1)
    new_hire_role_clarity: float = described(0.3, "role clarity of a new hire", 0, 1)
    new_hire_capability_sd: float = described(
        0.05, "spread of new hires' starting capability", 0, 0.5)

    # --- diagnosis ----------------------------------------------------------------------------
    observation_noise: float = described(
        0.3, "standard deviation of a leader's reading of a state at zero accuracy", 0, 1)
