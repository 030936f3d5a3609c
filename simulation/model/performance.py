"""Performance conversations and hard decisions: the quality of a performance conversation,
the improvement plan with a deadline, and the decision to move or dismiss a member who
has not improved, with what the team makes of it (docs/MODEL.md §7.23).

**The conversation's quality.** A performance conversation (the intervention
``performance_conversation``) is a 1:1 that agrees actions on the member's gap. Its
quality has three parts, each measured from the model's state:

* *preparation*: how well the leader's reading of the member matches the member's true
  gaps (:func:`preparation`, the Bray-Curtis similarity of the gaps she reads and the true
  ones; her noise, her bias, what an unsafe team hides and her exhaustion all lower it);
* *agreed actions*: a conversation brings the member's open agreed actions
  (``agreed_actions``) toward what her reading makes them worth, by the conversation's
  efficacy; while open they raise the member's accountability and role clarity
  (``member_dynamics.accountability_step``, ``role_clarity_step``: specific, agreed goals
  with feedback, Locke & Latham 2002);
* *follow-up*: open actions lapse by ``agreed_actions_fade`` a week; a follow-up
  conversation renews them, so followed-up actions stay open and a one-off fades within
  weeks (Kluger & DeNisi 1996 on feedback that is not followed through; London & Smither
  2002 on the feedback environment; Pulakos & O'Leary 2011 on performance management as
  ongoing conversations rather than an event).

**The plan and the decision** (``leader.improvement_plans``, ``plan_threshold``,
``plan_weeks``, ``plan_after_weeks``, ``dismissal``). A member past the ramp-up whose
output stays below ``plan_threshold`` of the team's mean (each member's running mean of
weekly output, ``recent_output``, over the team's) is put on a plan with a deadline
``plan_weeks`` ahead (``improvement_plan_weeks``); without plans, a leader whose policy is
to move or dismiss starts the same clock without telling the member. At the deadline a
member who has reached the threshold has improved and keeps the job; one who has not is
moved elsewhere or dismissed (the slot goes vacant, as at a departure), or, under
``never``, the plan closes.

**What the team makes of it.** The others judge the decision's fairness (procedural
justice: Leventhal 1980; Colquitt et al. 2001), :func:`fairness`, the mean of three
parts: *notice* (the member had a real plan: was told the standard and the deadline),
*support* (the mean of their open agreed actions over the plan: conversations, followed
up, aimed by an accurate reading) and *attribution* (what set the member below the team
lay in the person, capability, motivation or accountability, rather than in the
environment or unclear direction: consensus information, Kelley 1967; Mitchell & Wood
1980). An unfair exit costs every remaining member's trust in the leader and the team's
psychological safety, and shakes the member's close colleagues (turnover contagion,
weighed by the unfairness: survivors of layoffs they find unfair withdraw, Brockner et
al. 1987; Edmondson 1999); a fair one raises the team's norm of mutual accountability
(consequences for persistent non-performance). A move has ``move_severity`` of a
dismissal's effects. Pure functions over member arrays ``(..., members)``.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulation.model import hiring
from simulation.model import interventions as iv
from simulation.model.arrays import divide, maybe, np
from simulation.model.config import ROOT_CAUSES, LeaderConfig, Parameters, ScenarioConfig
from simulation.model.diagnosis import Observation, true_gaps
from simulation.model.equations import efficacy, last_sum, relative_to_team, team_level
from simulation.model.state import TeamState, with_departures

PERSON_CAUSES: tuple[str, ...] = ("capability", "motivation", "accountability")
"""The root causes that lie in the person; the others (environment, direction) lie in the
situation the member works in, which the organisation and the leader set."""
IS_PERSON = np.isin(ROOT_CAUSES, PERSON_CAUSES)
"""Mask over the root causes: which lie in the person."""

FAIRNESS_PARTS = 3
"""Notice, support and attribution weigh a third each in a decision's fairness."""


@dataclass(frozen=True)
class Decisions:
    """The week's plans and decisions, as masks ``(..., members)``."""

    opened: np.ndarray
    """Members put on a plan (or, without plans, on the clock to a decision) this week."""
    moved: np.ndarray
    """Members moved elsewhere at their plan's deadline."""
    dismissed: np.ndarray
    """Members dismissed at their plan's deadline."""
    fairness: np.ndarray
    """How fair the team found each decided exit, in [0, 1] (0 where none was decided)."""

    @property
    def exits(self) -> np.ndarray:
        """Members who left the team by the leader's decision this week."""
        return self.moved | self.dismissed


def no_decisions(shape: tuple[int, ...]) -> Decisions:
    """A week without plans or decisions."""
    nobody = np.zeros(shape, dtype=bool)
    return Decisions(nobody, nobody, nobody, np.zeros(shape))


def preparation(read_gaps: np.ndarray, gaps: np.ndarray) -> np.ndarray:
    """How well the leader's reading of each member matches the member's true gaps, in
    [0, 1]: the Bray-Curtis similarity ``2 sum_k min(read_k, true_k) / (sum_k read_k +
    sum_k true_k)`` over the root causes (``(..., members, causes)``), the share of the
    gap she reads and the gap there is that coincide; 1 where neither has any gap."""
    shared = 2.0 * np.minimum(read_gaps, gaps).sum(axis=-1)
    total = read_gaps.sum(axis=-1) + gaps.sum(axis=-1)
    return divide(shared, total, fill=1.0, where=total > 0)


def agreed_actions_step(agreed: np.ndarray, conversation: np.ndarray, prepared: np.ndarray,
                        p: Parameters) -> np.ndarray:
    """Open agreed actions after a week: a share ``agreed_actions_fade`` lapses, and the
    week's conversation (its efficacy ``conversation`` in [0, 1)) brings what is left that
    share of the way to what the leader's reading makes actions worth (``prepared``, from
    :func:`preparation`): a conversation aimed by a wrong reading agrees the wrong
    actions."""
    lapsed = agreed * (1.0 - p.agreed_actions_fade)
    return lapsed + conversation * (prepared - lapsed)


def conversations(state: TeamState, observed: TeamState, observation: Observation,
                  p: Parameters) -> TeamState:
    """The state with its agreed actions moved on by the week's performance conversations
    (their doses in effect in ``state``, after the lag and the leader's focus), prepared
    from her reading ``observation`` of the team as it stood when she read it
    (``observed``)."""
    hours = state.dose_in_effect[..., iv.PERFORMANCE_CONVERSATION]
    if not maybe(np.any(hours) | np.any(state.agreed_actions)):
        return state
    held = efficacy(hours, p.performance_conversation_saturation) * state.active
    prepared = (preparation(observation.gaps, true_gaps(observed, p)) if maybe(held.any())
                else np.ones_like(held))
    agreed = agreed_actions_step(state.agreed_actions, held, prepared, p)
    return state.replace(agreed_actions=np.where(state.active > 0, agreed,
                                                 state.agreed_actions))


def attribution(state: TeamState, p: Parameters) -> np.ndarray:
    """How far what sets each member below the team lies in the person, in [0, 1]: the
    share of the member's true gaps in excess of the team's mean gaps that is on
    capability, motivation or accountability (0 where no gap exceeds the team's)."""
    gaps = true_gaps(state, p)
    team = np.stack([state.mean(gaps[..., k]) for k in range(len(ROOT_CAUSES))], axis=-1)
    excess = np.maximum(gaps - team[..., None, :], 0.0)
    total = excess.sum(axis=-1)
    person = excess[..., IS_PERSON].sum(axis=-1)
    return divide(person, total, where=total > 0)


def fairness(notice: float, support: np.ndarray, attributed: np.ndarray) -> np.ndarray:
    """How fair the team finds a decision on a member, in [0, 1]: the mean of notice (1
    with a real plan, 0 without), the plan's support and the attribution of the shortfall
    to the person."""
    return (notice + support + attributed) / FAIRNESS_PARTS


def deciding(leader: LeaderConfig) -> bool:
    """Whether the leader runs plans or decisions at all."""
    return leader.improvement_plans or leader.dismissal != "never"


def plan_week(state: TeamState, leaving: np.ndarray, leader: LeaderConfig, p: Parameters
              ) -> tuple[TeamState, Decisions]:
    """The week's plans, at its end: the clocks of open plans run a week and take in the
    week's support; at a deadline a member who has not reached ``plan_threshold`` is
    decided on (:func:`decided`); members past the ramp-up whose output has stayed below it
    for ``plan_low_weeks`` weeks in a row are put on a plan. Members leaving of their own
    accord this week (``leaving``) are left out."""
    filled = (state.active > 0) & ~leaving
    # The performance the leader sees persist: each running mean of output over the team's.
    relative = relative_to_team(state.recent_output, state.active, state.headcount)
    below = relative < leader.plan_threshold
    low_weeks = np.where(filled & below, state.low_output_weeks + 1.0, 0.0)
    weeks = state.improvement_plan_weeks
    on_plan = filled & (weeks > 0)
    elapsed = leader.plan_weeks - weeks + 1.0
    support = np.where(on_plan, state.plan_support + (state.agreed_actions
                                                      - state.plan_support) / elapsed,
                       state.plan_support)
    left = np.where(on_plan, weeks - 1.0, weeks)
    deadline = on_plan & (left <= 0)
    exits = deadline & below & (leader.dismissal != "never")
    opened = (filled & ~on_plan & (low_weeks >= leader.plan_low_weeks)
              & (state.tenure_weeks >= leader.plan_after_weeks))
    state = state.replace(
        low_output_weeks=low_weeks,
        improvement_plan_weeks=np.where(opened, float(leader.plan_weeks), left),
        plan_support=np.where(opened | deadline, np.where(deadline, support, 0.0), support))
    if not maybe(exits.any()):
        return state, Decisions(opened, np.zeros_like(exits), np.zeros_like(exits),
                                np.zeros(exits.shape))
    return decided(state, exits, leader, p, opened)


def decided(state: TeamState, exits: np.ndarray, leader: LeaderConfig, p: Parameters,
            opened: np.ndarray) -> tuple[TeamState, Decisions]:
    """The state after the members in mask ``exits`` are moved or dismissed (their slots
    go vacant, as at a departure), and what the others make of it (:func:`fairness`):
    unfairness costs every remaining member's trust and the team's safety and shakes the
    leavers' close colleagues; fairness raises the team's norm of mutual accountability."""
    notice = 1.0 if leader.improvement_plans else 0.0
    fair = np.where(exits, fairness(notice, state.plan_support, attribution(state, p)), 0.0)
    severity = 1.0 if leader.dismissal == "dismiss" else p.move_severity
    shaken = np.where(exits, severity * (1.0 - fair), 0.0)
    unfair = last_sum(shaken)
    just = last_sum(np.where(exits, severity * fair, 0.0))
    staying = (state.active > 0) & ~exits
    trust_kept = 1.0 - np.minimum(team_level(p.dismissal_trust_loss) * unfair, 1.0)
    safety_kept = 1.0 - np.minimum(team_level(p.dismissal_safety_loss) * unfair, 1.0)
    norm_gain = np.minimum(team_level(p.dismissal_norm_gain) * just, 1.0)
    norm = state.mutual_accountability
    state = state.replace(
        trust=np.where(staying, state.trust * np.asarray(trust_kept)[..., None], state.trust),
        psychological_safety=state.psychological_safety * safety_kept,
        mutual_accountability=norm + norm_gain * (1.0 - norm))
    state = with_departures(state, exits, shaken)
    nobody = np.zeros_like(exits)
    moved, dismissed = (exits, nobody) if leader.dismissal == "move" else (nobody, exits)
    return state, Decisions(opened, moved, dismissed, fair)


def manage(state: TeamState, observed: TeamState, observation: Observation,
           leaving: np.ndarray, config: ScenarioConfig, p: Parameters
           ) -> tuple[TeamState, Decisions]:
    """Performance management and hiring at the week's end, after the team's week
    (``state``): the week's conversations move the agreed actions on (prepared from the
    leader's ``observation`` of the team as it stood, ``observed``), the vacancies' search
    advances (:func:`simulation.model.hiring.searched`), and, if the leader runs plans or
    decisions, :func:`plan_week`. ``leaving``: the members who leave of their own accord
    this week (their departure is the caller's)."""
    state = conversations(state, observed, observation, p)
    state = hiring.searched(state, state.dose_in_effect, p)
    if not deciding(config.leader):
        return state, no_decisions(leaving.shape)
    return plan_week(state, leaving, config.leader, p)
