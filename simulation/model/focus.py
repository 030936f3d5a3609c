"""What spreading the week's hours costs: a switching overhead (attention residue).

A leader who moves from one member to the next and from one kind of work to another carries
part of her attention from the last task into the next (attention residue: Leroy 2009;
task-switch costs: Monsell 2003), so each further item she spreads a week over costs some
of the week's effect. The count of items is an effective number (the inverse Simpson index
of the week's hours: ``(sum h)^2 / sum h^2``), so that a plan with many tiny doses beside a
few large ones counts about as many items as it has large ones: once over the
interventions (hours summed over the members) and once over the members (the hours of
member-level interventions each member gets). Pure functions over dose arrays ``(...,
members, interventions)``.
"""

from __future__ import annotations

from simulation.model import interventions as iv
from simulation.model.arrays import divide, np
from simulation.model.config import Parameters
from simulation.model.equations import team_level


def effective_count(hours: np.ndarray) -> np.ndarray:
    """The effective number of items hours are spread over (last axis): the inverse
    Simpson index, 1 for a single item, n for n equal ones, 0 for no hours."""
    total = hours.sum(axis=-1)
    squares = np.square(hours).sum(axis=-1)
    return divide(total * total, squares, where=squares > 0)


def switches(doses: np.ndarray) -> np.ndarray:
    """The week's switches, one value per team: the effective number of interventions
    beyond the first and of members met beyond the first."""
    by_intervention = doses.sum(axis=-2)
    by_member = doses[..., iv.MEMBER_LEVEL].sum(axis=-1)
    return (np.maximum(effective_count(by_intervention) - 1.0, 0.0)
            + np.maximum(effective_count(by_member) - 1.0, 0.0))


def focus(doses: np.ndarray, p: Parameters) -> np.ndarray:
    """The share of the week's hours that act (team arrays): every switch costs
    ``switch_hours`` of the week's effect, the rest acts in full (0 if the switches take
    it all; 1 for a week without hours)."""
    total = doses.sum(axis=(-2, -1))
    overhead = team_level(p.switch_hours) * switches(doses)
    return divide(np.maximum(total - overhead, 0.0), total, fill=1.0,
                  where=total > 0)
