"""Member traits: stable dispositions every member draws, the starting team and each new
hire alike, one standard normal draw each (:func:`drawn_traits`)."""

from __future__ import annotations

import numpy as np

from simulation.model.config import TeamConfig

TRAITS: tuple[str, ...] = ("affect", "feedback_sensitivity", "learning_rate",
                            "conscientiousness")
"""Member traits drawn for every member (the starting team and each new hire), one standard
normal draw each, in this order."""
TRAIT_DRAWS = len(TRAITS)


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
