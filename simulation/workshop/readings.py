"""Whether a strategy reads the members' states, so that the diagnostic levers can act.

The diagnostic-accuracy and diagnostic-bias levers set ``leader.diagnostic_accuracy`` and
``leader.bias_strength``, which shape only the leader's reading of the team
(:func:`simulation.model.diagnosis.observe`). A strategy that ignores that reading (the
``firefighter`` looks at last week's output, which is visible; ``micromanager`` or
``big_push`` spread a fixed mix) plans the same whatever she reads, so the two levers move
nothing under it: the page says so rather than let a trainer wonder at an unchanged chart.
"""

from __future__ import annotations

import numpy as np

from simulation.model import strategies
from simulation.model.diagnosis import TEAM_READINGS, Observation
from simulation.model.leadership import strategy_doses

MEMBERS = 4
HOURS = 8.0

_GAPS = (np.array([[0.6, 0.1, 0.2, 0.1, 0.3], [0.1, 0.5, 0.1, 0.4, 0.1],
                   [0.2, 0.2, 0.6, 0.1, 0.2], [0.1, 0.3, 0.1, 0.2, 0.6]]),
         np.array([[0.1, 0.6, 0.1, 0.3, 0.1], [0.5, 0.1, 0.3, 0.1, 0.4],
                   [0.1, 0.4, 0.1, 0.6, 0.1], [0.3, 0.1, 0.5, 0.1, 0.2]]))
"""Two readings of the same four members that differ in every root cause."""


def _reading(gaps: np.ndarray, level: float) -> Observation:
    """A reading of four members who all produced the same last week; only what the leader
    reads (gaps, trust, exhaustion, the team's states) differs between readings."""
    ones = np.ones(MEMBERS)
    return Observation(gaps=gaps, trust=level * ones, exhaustion=(1 - level) * ones,
                       output=ones, tenure_weeks=52.0 * ones, active=ones,
                       team=np.full(len(TEAM_READINGS), level))


def reads_members(strategy: str) -> bool:
    """Whether the strategy's plan depends on the leader's reading of the team (and so on
    her diagnostic accuracy and bias). A strategy that fails on this probe is taken to
    read them: the page then says nothing rather than something wrong."""
    plan = strategies.REGISTRY.get(strategy)
    try:
        doses = [strategy_doses(plan, _reading(gaps, level), np.asarray(HOURS))
                 for gaps, level in zip(_GAPS, (0.8, 0.3), strict=True)]
    except Exception:  # a plugin that cannot plan for a hand-made reading
        return True
    return not np.allclose(doses[0], doses[1])
