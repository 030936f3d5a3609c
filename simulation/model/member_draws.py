"""What a member's standard normal draws make of her beyond her starting states: her traits
(drawn for every member, the starting team and each new hire) and her starting readiness
to lead (:mod:`simulation.model.state` builds the team from them)."""

from __future__ import annotations

from simulation.model.arrays import np
from simulation.model.config import TeamConfig

TRAITS: tuple[str, ...] = ("affect", "feedback_sensitivity", "learning_rate",
                            "conscientiousness")
"""Member traits drawn for every member (the starting team and each new hire), one standard
normal draw each, in this order."""
TRAIT_DRAWS = len(TRAITS)

READINESS_DRAWS: tuple[int, ...] = (0, 6)
"""The columns of a slot's starting draws (``state.initial_state``) behind her capability
and her tenure, on which her starting readiness rests with her conscientiousness."""


def starting_readiness(team: TeamConfig, z: np.ndarray, trait_z: np.ndarray) -> np.ndarray:
    """Members' starting leadership readiness: ``team.leadership_readiness`` plus
    ``team.leadership_readiness_sd`` x the draws behind their capability, tenure and
    conscientiousness (their mean, rescaled to unit spread), clipped to [0, 1]: it comes
    with skill, experience and persistence (Day et al. 2014) and takes no draw of its own."""
    capability, tenure = (z[..., column] for column in READINESS_DRAWS)
    drawn = capability + tenure + trait_z[..., TRAITS.index("conscientiousness")]
    return np.clip(team.leadership_readiness + team.leadership_readiness_sd * drawn
                   / np.sqrt(3.0), 0.0, 1.0)


def drawn_traits(team: TeamConfig, z: np.ndarray) -> dict[str, np.ndarray]:
    """Members' traits from standard normal draws ``(..., members, TRAIT_DRAWS)``: trait
    affect normal and clipped to [-1, 1]; sensitivity to feedback and learning rate
    lognormal around 1 (people differ several-fold in how they take feedback and how fast
    they learn: Kluger & DeNisi 1996; Ackerman 1987); conscientiousness normal around 0.5
    in [0, 1] (Barrick & Mount 1991)."""
    column = {name: z[..., index] for index, name in enumerate(TRAITS)}
    return {
        "affect": np.clip(team.affect_sd * column["affect"], -1.0, 1.0),
        "feedback_sensitivity": np.exp(team.feedback_sensitivity_sd
                                       * column["feedback_sensitivity"]),
        "learning_rate": np.exp(team.learning_rate_sd * column["learning_rate"]),
        "conscientiousness": np.clip(0.5 + team.conscientiousness_sd
                                     * column["conscientiousness"], 0.0, 1.0),
    }


TEAM_DRAWN: tuple[str, ...] = (
    "psychological_safety", "conflict_proneness", "capability", "motivation", "diversity",
    "trust")
"""What differs between teams (replications) at the start, one standard normal draw each,
spread by ``team.between_teams_sd``: psychological safety, conflict proneness, the members'
mean starting trust and (by ``MEMBER_MEAN_SHARE`` of it) their mean starting capability
and motivation (teams differ by more than their members' independent draws would make
them), and the team's diversity (spread by ``team.diversity_sd``). The other team states
start where the scenario says and settle to what these traits make of them."""
TEAM_DRAWS = len(TEAM_DRAWN)

MEMBER_MEAN_SHARE = 0.4
"""Share of ``team.between_teams_sd`` by which teams' mean starting capability and
motivation differ: individual performance and its antecedents cluster only moderately in
teams (ICC(1) of about 0.1 to 0.2 in team research, Bliese 2000), far less than shared
perceptions such as trust in the leader and psychological safety."""
