"""How each member's state moves in a week: capability, motivation, trust, accountability,
scrutiny, role clarity, obstacles, habits and exhaustion.

Pure functions over member arrays ``(..., members)`` and the effects of the doses in
effect ``(..., members, interventions)``; each docstring cites the source of its equation.
:func:`simulation.model.team_dynamics.advance_week` calls them all from the same starting
state (a synchronous update).
"""

from __future__ import annotations

from simulation.model import interventions as iv
from simulation.model import network
from simulation.model.arrays import maybe, np
from simulation.model.config import Parameters
from simulation.model.credibility import credibility_factor
from simulation.model.equations import approach, experience, team_level
from simulation.model.state import TeamState
from simulation.model.team_climate import peer_enforcement


def capability_step(state: TeamState, effect: np.ndarray, p: Parameters,
                    pace: np.ndarray | float = 1.0) -> np.ndarray:
    """Capability after a week: learning toward the ceiling, decay toward the anchor.

    Training and coaching close a share of the gap to the member's ceiling each week (the
    exponential learning curve, Heathcote, Brown & Mewhort 2000); novices also learn on the
    job, experienced members little; members learn at their own rate (``learning_rate``).
    Capability above its anchor that is not embedded in
    habit decays slowly (skill decay, Arthur et al. 1998). A psychologically safe team
    learns more from the same hours (:func:`learning_climate`), and members also learn from
    colleagues who know more (:func:`peer_learning`). ``pace`` scales what training and
    coaching teach for the task and the team's practice (:func:`learning_pace`).
    """
    gap = state.capability_ceiling - state.capability
    novice = 1.0 - experience(state.tenure_weeks, p.experience_half_weeks)
    taught = p.train_rate * effect[..., iv.TRAIN] + p.coach_capability_rate * effect[..., iv.COACH]
    learning = (taught * learning_climate(state, p) * pace * state.learning_rate
                + p.on_the_job_learning * novice)
    unembedded = np.maximum(state.capability - state.capability_anchor, 0.0)
    decay = p.capability_decay * (1.0 - state.habit_strength) * unembedded
    peers = np.minimum(peer_learning(state, p), np.maximum(gap, 0.0))
    return np.clip(state.capability + np.minimum(learning, 1.0) * gap + peers - decay,
                   0.0, 1.0)


def learning_climate(state: TeamState, p: Parameters) -> np.ndarray:
    """How much of a week's training and coaching turns into capability, by the
    team's psychological safety: 1 at the reference safety, more where members ask
    questions, try the new skill and admit what they got wrong, less where they hide it
    (team learning behaviour carries safety into learning: Edmondson 1999)."""
    safety = np.asarray(state.psychological_safety)[..., None]
    return np.maximum(1.0 + p.safety_learning_weight * (safety - p.safety_reference), 0.0)


def learning_pace(effect: np.ndarray, complexity: float | np.ndarray, p: Parameters
                  ) -> np.ndarray:
    """How fast training and coaching teach, for the task and the team's practice,
    ``(..., 1)`` (1 on a task of middling complexity without retrospectives or goals):
    slower on complex tasks, faster on simple ones; retrospectives add team learning
    (reviewing what worked: Tannenbaum & Cerasoli 2013); specific goals narrow attention
    and cost learning on complex tasks (Earley, Connolly & Ekegren 1989)."""
    c = np.asarray(complexity)
    task = 1.0 - team_level(p.complexity_learning_weight) * (c - 0.5)
    retrospectives = 1.0 + team_level(p.retrospective_learning) * effect[..., 0, iv.RETROSPECTIVE]
    goals = 1.0 - team_level(p.goal_learning_cost) * effect[..., 0, iv.SET_GOALS] * c
    return np.asarray(task * retrospectives * goals)[..., None]


def peer_learning(state: TeamState, p: Parameters) -> np.ndarray:
    """Capability a member picks up from more capable colleagues in a week, along ties,
    gated by psychological safety: asking for help, admitting what one does not know and
    speaking up are learning behaviours a team only shows when it feels safe (Edmondson
    1999), which is how safety carries into the team's learning."""
    safety = np.asarray(state.psychological_safety)[..., None]
    return p.peer_learning_rate * safety * network.peer_uplift(state.capability, state.ties,
                                                              state.active)


def feedback_effect(trust: np.ndarray, dose_effect: np.ndarray, rate: float,
                    threshold: float | np.ndarray) -> np.ndarray:
    """Signed effect of feedback: positive above the trust threshold, negative below.

    Kluger & DeNisi (1996): about a third of feedback interventions lowered performance;
    feedback from someone not trusted is read as an attack.
    """
    return rate * dose_effect * (trust - threshold)


def feedback_threshold(state: TeamState, p: Parameters) -> np.ndarray:
    """The trust a member needs for feedback to land well, ``(..., 1)``: lower in a
    psychologically safe team, where feedback is read as help rather than as a verdict
    (Edmondson 1999; London & Smither 2002 on the feedback environment)."""
    safety = np.asarray(state.psychological_safety)[..., None]
    return p.feedback_trust_threshold - p.feedback_safety_weight * (
        safety - p.safety_reference)


def bounded_push(level: np.ndarray, push: np.ndarray) -> np.ndarray:
    """Apply a signed push to a [0, 1] state: up by a share of the room above, down of the level."""
    return level + np.where(push > 0, push * (1.0 - level), push * level)


def micromanagement_sting(state: TeamState, p: Parameters) -> np.ndarray:
    """How much micromanagement hurts a member: most for experienced, capable members."""
    seasoned = experience(state.tenure_weeks, p.experience_half_weeks) * state.capability
    floor = p.micromanage_novice_sting
    return floor + (1.0 - floor) * np.clip(seasoned / p.micromanage_full_sting_seasoning,
                                           0.0, 1.0)


def motivation_step(state: TeamState, effect: np.ndarray, progress: np.ndarray,
                    p: Parameters, direction_baseline: np.ndarray | float = 0.0
                    ) -> np.ndarray:
    """Motivation after a week: the sum of :func:`motivation_parts`."""
    base, lift = motivation_parts(state, effect, progress, p, direction_baseline)
    return base + lift


def motivation_parts(state: TeamState, effect: np.ndarray, progress: np.ndarray,
                     p: Parameters, direction_baseline: np.ndarray | float = 0.0
                     ) -> tuple[np.ndarray, np.ndarray]:
    """Motivation after a week, in two parts: the part that moves from week to week, and the
    lift of knowing where one stands this week (:func:`standing_lift`).

    Up: recognition and purpose, coaching, empowerment of capable members, visible progress
    (the progress principle, Amabile & Kramer 2011), feedback under trust. Down: feedback
    under low trust, micromanagement (autonomy lost, Deci & Ryan 2000), exhaustion, and a
    direction that has fallen below ``direction_baseline`` (the environment's level: role
    ambiguity drains motivation, Tubre & Collins 2000). Without
    attention it drifts back to its anchor, unless embedded in habit. Last week's lift is
    not carried: it is this week's feedback that lifts this week.
    """
    m = state.motivation - state.standing_lift
    up = (p.recognise_rate * effect[..., iv.RECOGNISE] + p.coach_motivation_rate
          * effect[..., iv.COACH] + p.empower_motivation_rate * effect[..., iv.EMPOWER]
          * state.capability + p.progress_gain * progress)
    down = (p.micromanage_motivation_loss * effect[..., iv.MICROMANAGE]
            * micromanagement_sting(state, p)
            + p.exhaustion_motivation_loss * state.exhaustion
            + p.unclear_direction_motivation_loss * np.maximum(
                np.asarray(direction_baseline) - state.direction_clarity, 0.0)[..., None])
    feedback = state.feedback_sensitivity * feedback_effect(
        state.trust, effect[..., iv.MONITOR], p.feedback_motivation_rate,
        feedback_threshold(state, p))
    drift = p.motivation_drift * (1.0 - state.habit_strength) * (state.motivation_anchor - m)
    pushed = (bounded_push(m, feedback) + np.minimum(up, 1.0) * (1.0 - m) - down * m + drift
              + contagion(state, p))
    base = np.clip(pushed, 0.0, 1.0)
    return base, standing_lift(base, effect, state, p)


def knowledge_of_results(effect: np.ndarray) -> np.ndarray:
    """How well a member knows where they stand, in [0, 1): from the feedback on their work
    in effect this week, developmental (coaching), corrective (feedback on the work) and
    candid (an honest conversation about where they stand), each informing on its own,
    ``1 - (1 - coach)(1 - monitor)(1 - candour)``. Recognition is praise rather than
    information about the work, and acts through its own term."""
    return 1.0 - (1.0 - effect[..., iv.COACH]) * (1.0 - effect[..., iv.MONITOR]) * (
        1.0 - effect[..., iv.CANDOUR])


def standing_lift(base: np.ndarray, effect: np.ndarray, state: TeamState, p: Parameters
                  ) -> np.ndarray:
    """The lift to motivation of knowing where one stands: a share ``standing_weight`` x
    the member's feedback sensitivity x :func:`knowledge_of_results` x :func:`landing` of
    the room above the rest of their motivation (``base``). Knowledge of results is one of
    the critical psychological states through which feedback sustains internal work
    motivation (Hackman & Oldham 1976): it lasts while the feedback does, so the lift is
    gone within weeks of the last conversation (it is a level, not a gain that accumulates)
    and habits do not embed it. Feedback from a leader the member does not trust tells them
    where they stand too, but it is read as an attack (Kluger & DeNisi 1996) and lifts
    nothing."""
    share = np.minimum(p.standing_weight * state.feedback_sensitivity
                       * knowledge_of_results(effect) * landing(state, p), 1.0)
    return share * (1.0 - base)


def landing(state: TeamState, p: Parameters) -> np.ndarray:
    """How well feedback lands, in [0, 1]: 0 at or below the member's feedback threshold
    (:func:`feedback_threshold`), rising to 1 at ``standing_trust_width`` of trust above
    it."""
    return np.clip((state.trust - feedback_threshold(state, p)) / p.standing_trust_width,
                   0.0, 1.0)


def expressed_mood(state: TeamState, p: Parameters) -> np.ndarray:
    """The mood a member shows colleagues: motivation, coloured by trait affect."""
    return np.clip(state.motivation + p.affect_expression * state.affect, 0.0, 1.0)


def contagion(state: TeamState, p: Parameters) -> np.ndarray:
    """Motivation taken on from colleagues in a week: emotional contagion along ties
    (Barsade 2002), each colleague's expressed mood pulling a member's own toward it. A
    colleague whose mood is negative pulls ``negativity_weight`` times harder (bad is
    stronger than good, Baumeister et al. 2001), which is how one persistently negative
    member drags a team down more than an exceptionally positive one lifts it (Felps,
    Mitchell & Byington 2006)."""
    mood = expressed_mood(state, p)
    sway = 1.0 + (p.negativity_weight - 1.0) * (mood < p.mood_neutral)
    return p.contagion_rate * network.peer_pull(mood, state.ties, state.active, sway)


def trust_step(state: TeamState, effect: np.ndarray, kept: np.ndarray, breached: np.ndarray,
               p: Parameters, blamed: np.ndarray | float = 0.0) -> np.ndarray:
    """Trust in the leader after a week: built slowly, destroyed quickly.

    A kept 1:1 commitment closes a small share of the trust gap; a breach (a cancelled
    1:1) removes a large share of the trust there is (Slovic 1993; Schweitzer, Hershey &
    Bradlow 2006). ``kept`` and ``breached`` weigh each commitment in [0, 1] by its size
    (see :func:`commitment_weight`). Recognition, empowerment of capable members, care
    (benevolence: Mayer, Davis & Schoorman 1995), transparency and candour that lands
    (:func:`landing`) build trust; micromanagement, blame for a problem the member raised
    (``blamed``, in [0, 1]) and feedback under low trust erode it. What the leader's acts
    build (feedback that lands included) is scaled by her credibility
    (:func:`~simulation.model.credibility.credibility_factor`: the same kept 1:1 earns
    more from a leader whose word has held); what they destroy is not. Without contact
    trust relaxes slowly toward neutral.
    """
    t = state.trust
    credible = credibility_factor(state.leader_credibility, p)
    up = (p.trust_gain * kept + p.recognise_trust_rate * effect[..., iv.RECOGNISE]
          + p.empower_trust_rate * effect[..., iv.EMPOWER] * state.capability
          + trust_behaviours(state, effect, p)) * credible
    down = (p.trust_breach_loss * breached + p.micromanage_trust_loss
            * effect[..., iv.MICROMANAGE] * micromanagement_sting(state, p)
            + p.blame_trust_loss * blamed)
    feedback = state.feedback_sensitivity * feedback_effect(
        t, effect[..., iv.MONITOR], p.feedback_trust_rate, feedback_threshold(state, p))
    feedback = np.where(feedback > 0, feedback * credible, feedback)
    drift = p.trust_drift * (p.trust_neutral - t)
    pushed = bounded_push(t, feedback) + np.minimum(up, 1.0) * (1.0 - t) - \
        np.minimum(down, 1.0) * t + drift
    return np.clip(pushed, 0.0, 1.0)


def trust_behaviours(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """The share of the trust gap the week's care, transparency and candour close: care
    and transparency (decisions explained to the team) at their rates, candour at its rate
    where it lands (none at or below the member's feedback threshold: an honest verdict
    from a leader one does not trust is not heard as help)."""
    shown = (p.care_trust_rate * effect[..., iv.CARE]
             + p.transparency_trust_rate * effect[..., iv.TRANSPARENCY])
    candour = effect[..., iv.CANDOUR]
    if not maybe(np.any(candour)):
        return shown
    return shown + p.candour_trust_rate * candour * landing(state, p)


def accountability_step(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """Accountability after a week: feedback and consequences, coaching, micromanagement
    and the open actions agreed in performance conversations (``agreed_actions``) raise it;
    colleagues hold the member to the team's norm
    (:func:`~simulation.model.team_climate.peer_enforcement`); without attention it drifts
    back to its anchor unless embedded."""
    a = state.accountability
    up = (p.monitor_accountability_rate * effect[..., iv.MONITOR] + p.coach_accountability_rate
          * effect[..., iv.COACH] + p.micromanage_accountability_rate
          * effect[..., iv.MICROMANAGE]
          + p.performance_conversation_accountability_rate * state.agreed_actions)
    drift = p.accountability_drift * (1.0 - state.habit_strength) * \
        (state.accountability_anchor - a)
    return np.clip(a + np.minimum(up, 1.0) * (1.0 - a) + drift + peer_enforcement(state, p),
                   0.0, 1.0)


def scrutiny_step(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """Felt scrutiny after a week: up fast while watched, gone within weeks when not.

    Monitoring systems hold part of it without the leader. The fast fade is the Hawthorne
    pattern (e.g. Srigley et al. 2014: hand hygiene fell back once auditors left).
    """
    watched = np.maximum(effect[..., iv.MONITOR], effect[..., iv.MICROMANAGE])
    held = p.systems_scrutiny * state.systems[..., None]
    raised = state.scrutiny + p.monitor_scrutiny_rate * watched * (1.0 - state.scrutiny)
    return np.clip(approach(raised, held, p.scrutiny_decay), 0.0, 1.0)


def role_clarity_step(state: TeamState, effect: np.ndarray, p: Parameters,
                      damping: np.ndarray | float = 1.0) -> np.ndarray:
    """Role clarity after a week: clarification with the member closes the gap within
    weeks, less on complex tasks (``damping``,
    :func:`~simulation.model.team_dynamics.complexity_damping`); the team's settling of its
    roles' gaps and overlaps together adds to it on any task, and so do the open actions
    agreed in performance conversations (``agreed_actions``); it drifts back to its anchor
    unless embedded."""
    r = state.role_clarity
    drift = p.clarity_drift * (1.0 - state.habit_strength) * (state.role_clarity_anchor - r)
    clarified = np.minimum(p.clarify_rate * effect[..., iv.CLARIFY] * np.asarray(damping)[..., None]
                           + p.clarify_roles_rate * effect[..., iv.CLARIFY_ROLES]
                           + p.performance_conversation_clarity_rate * state.agreed_actions,
                           1.0)
    return np.clip(r + clarified * (1.0 - r) + drift, 0.0, 1.0)


def obstacles_step(state: TeamState, effect: np.ndarray, p: Parameters) -> np.ndarray:
    """A member's obstacles after a week: they follow the environment's barriers and fall
    where the leader removes them."""
    o = approach(state.obstacles, state.barriers[..., None], p.obstacle_perception_rate)
    return np.clip(o - p.remove_obstacles_rate * effect[..., iv.REMOVE_OBSTACLES] * o, 0.0, 1.0)


def embed(anchor: np.ndarray, level: np.ndarray, habit_strength: np.ndarray,
          p: Parameters) -> np.ndarray:
    """An anchor after a week: habits move it toward the current level (embedding).

    Gains held only by attention leave the anchor where it was, so they are lost when the
    attention goes; embedded gains move the anchor and hold.
    """
    return approach(anchor, level, p.embed_rate * habit_strength)


def exhaustion_step(exhaustion: np.ndarray, pressure: np.ndarray, p: Parameters,
                    care: np.ndarray | float = 0.0) -> np.ndarray:
    """Exhaustion after a week: builds under load above the threshold, recovers below it,
    and the leader's care (``care``, its effect in [0, 1)) relieves a share of it.

    Job demands-resources (Demerouti et al. 2001); the overtime-burnout loop of Homer 1985;
    support from the supervisor goes with less exhaustion (Halbesleben 2006).
    """
    load = pressure[..., None]
    building = p.exhaustion_gain * np.maximum(load - p.exhaustion_threshold, 0.0)
    recovering = p.exhaustion_recovery * np.maximum(p.exhaustion_threshold - load, 0.0)
    relieved = p.care_exhaustion_rate * np.asarray(care)
    return np.clip(exhaustion + building * (1.0 - exhaustion) - recovering * exhaustion
                   - relieved * exhaustion, 0.0, 1.0)
