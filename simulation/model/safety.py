"""Psychological safety as a mechanism: members run into problems and make mistakes, raise
them or hide them; the leader meets what is raised with curiosity or with blame; safety
follows.

Pure functions over member arrays ``(..., members)`` and team arrays ``(...)``. What safety
does in turn lives where it acts: the learning climate and peer learning
(:mod:`~simulation.model.member_dynamics`), how feedback lands
(:func:`~simulation.model.member_dynamics.feedback_effect`), what the leader can see
(:mod:`~simulation.model.diagnosis`), the norm of mutual accountability and conflict
(:mod:`~simulation.model.team_climate`), and collaboration
(:func:`~simulation.model.equations.team_output`).
"""

from __future__ import annotations

from dataclasses import dataclass

from simulation.model import interventions as iv
from simulation.model.arrays import divide, np
from simulation.model.config import Parameters
from simulation.model.equations import approach, last_sum, team_level, total_hours
from simulation.model.state import TeamState


@dataclass(frozen=True)
class Problems:
    """The week's problems and mistakes, as masks ``(..., members)``."""

    raised: np.ndarray
    """Members who ran into a problem or made a mistake and spoke up."""
    hidden: np.ndarray
    """Members who ran into one and kept it to themselves."""


def speaking_up(state: TeamState, p: Parameters) -> np.ndarray:
    """Share of problems and mistakes a member raises (team arrays): ``voice_floor`` in a
    team that feels entirely unsafe, all of them in one that feels entirely safe (voice
    needs safety: Edmondson 1999; Detert & Burris 2007)."""
    floor = team_level(p.voice_floor)
    return floor + (1.0 - floor) * state.psychological_safety


def problems(state: TeamState, voice: np.ndarray, p: Parameters) -> Problems:
    """Who runs into a problem this week and who raises it, from uniforms ``voice``
    ``(..., members)``: a problem with probability ``problem_rate``, raised with the
    probability of :func:`speaking_up`, hidden otherwise. Vacant slots have none."""
    filled = state.active > 0
    arises = p.problem_rate
    raised_below = arises * speaking_up(state, p)[..., None]
    return Problems(raised=filled & (voice < raised_below),
                    hidden=filled & (voice >= raised_below) & (voice < arises))


def blame_share(leader_blame: float, granted: np.ndarray, in_crisis: np.ndarray | float,
                p: Parameters, depleted: np.ndarray | float = 0.0) -> np.ndarray:
    """Share of raised problems the leader meets with blame rather than curiosity, this
    week (team arrays): her disposition, more while she micromanages (in proportion to the
    share of her hours in it), while a crisis is under way and as much more as her
    exhaustion adds (``depleted``)."""
    hours = total_hours(granted)
    micromanaging = divide(last_sum(granted[..., iv.MICROMANAGE]), hours,
                           where=hours > 0)
    return np.clip(leader_blame + team_level(p.micromanage_blame) * micromanaging
                   + team_level(p.crisis_blame) * np.asarray(in_crisis)
                   + np.asarray(depleted), 0.0, 1.0)


def response_to_problems(state: TeamState, raised: np.ndarray, blame: np.ndarray,
                         p: Parameters) -> np.ndarray:
    """Change in psychological safety from the leader's responses to this week's raised
    problems: each one met with curiosity closes a share of the safety gap, each one met
    with blame takes a larger share of the safety there is (a blamed voice teaches the whole
    team to keep quiet: Edmondson 1996, 1999), both per member of the team."""
    psi = state.psychological_safety
    per_member = state.mean(raised.astype(float))
    curiosity = team_level(p.curiosity_safety_gain) * (1.0 - blame) * (1.0 - psi)
    blamed = team_level(p.blame_safety_loss) * blame * psi
    return per_member * (curiosity - blamed)


def psychological_safety_step(state: TeamState, effect: np.ndarray, raised: np.ndarray,
                              blame: np.ndarray, p: Parameters) -> np.ndarray:
    """Psychological safety after a week: it follows the team's trust in the leader slowly
    (quarters to years), moves with her responses to the problems members raise
    (:func:`response_to_problems`), grows a little with her transparency (a leader who
    shares information and her reasons invites voice: Detert & Burris 2007 on leader
    openness), and micromanagement erodes it."""
    mean_trust = state.mean(state.trust)
    psi = approach(state.psychological_safety, mean_trust, team_level(p.safety_rate))
    erosion = team_level(p.micromanage_safety_loss) * state.mean(
        effect[..., iv.MICROMANAGE])
    moved = psi - erosion * psi + response_to_problems(state, raised, blame, p)
    openness = team_level(p.transparency_safety_rate) * effect[..., 0, iv.TRANSPARENCY]
    return np.clip(moved + openness * (1.0 - state.psychological_safety), 0.0, 1.0)


def blamed(raised: np.ndarray, blame: np.ndarray) -> np.ndarray:
    """How much each member was blamed this week, in [0, 1]: the leader's blame share for
    those who raised a problem, 0 for the rest."""
    return raised * np.asarray(blame)[..., None]


def hidden_obstacles(obstacles: np.ndarray, hidden: np.ndarray, p: Parameters) -> np.ndarray:
    """A member's obstacles after hiding a problem: it stays unsolved and blocks a little
    more of the path."""
    return obstacles + p.hidden_problem_obstacle * hidden * (1.0 - obstacles)
