"""Who works with whom, and how members influence each other along their ties.

The team is a weighted network over member slots. Its *structure* ``(members, members)``
says how much the work brings two slots together (1 within a subgroup, a weak bridge
between subgroups; symmetric, zero on the diagonal); the *ties* ``(..., members, members)``
are the strengths of the working relationships, which grow toward the structure as members
collaborate and fade without it. Ties are arrays, so both engines run them; networkx builds
nothing here (the structures are simple enough to write as arrays), and
:func:`as_graph` hands a team's ties to networkx for analysis.

Influence along ties is a tie-weighted mean over colleagues: a member with no ties is
influenced by nobody, and one colleague's weight is one tie out of ``members - 1``.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy

from simulation.model.arrays import divide, np
from simulation.model.config import NetworkConfig, ScenarioConfig
from simulation.model.equations import approach, last_dot, last_sum, team_level
from simulation.model.parameters import Parameters


def structure(config: ScenarioConfig) -> np.ndarray:
    """What the scenario's structure allows between each pair of slots, ``(M, M)``
    (read-only: one array per structure, kept)."""
    return _structure(config.network, config.team.size)


@functools.lru_cache(maxsize=64)
def _structure(network: NetworkConfig, size: int) -> numpy.ndarray:
    allowed = numpy.ones((size, size))
    if network.structure == "subgroups":
        group = numpy.arange(size) * network.subgroups // size  # contiguous blocks of slots
        allowed = numpy.where(group[:, None] == group[None, :], 1.0, network.bridge_strength)
    elif network.structure == "hub_and_spoke":
        allowed = numpy.full((size, size), network.bridge_strength)
        allowed[0, :] = allowed[:, 0] = 1.0
    elif network.structure == "explicit":
        allowed = numpy.zeros((size, size))
        for first, second, strength in network.ties:
            allowed[int(first), int(second)] = allowed[int(second), int(first)] = strength
    numpy.fill_diagonal(allowed, 0.0)
    allowed.flags.writeable = False
    return allowed


def initial_ties(config: ScenarioConfig, shape: tuple[int, ...]) -> np.ndarray:
    """The starting ties: ``tie_strength`` of what the structure allows, for every run of
    ``shape`` (the member state's leading shape)."""
    ties = config.network.tie_strength * structure(config)
    return np.broadcast_to(ties, (*shape[:-1], *ties.shape)).copy()


def with_new_ties(ties: np.ndarray, hired: np.ndarray, allowed: np.ndarray,
                  p: Parameters) -> np.ndarray:
    """Ties after new hires fill the slots in mask ``hired``: a newcomer starts with weak
    ties (``new_hire_tie`` of what the structure allows), in both directions."""
    newcomer = hired[..., :, None] | hired[..., None, :]
    return np.where(newcomer, pair_level(p.new_hire_tie) * allowed, ties)


def ties_step(ties: np.ndarray, allowed: np.ndarray, safety: np.ndarray, p: Parameters,
              team_building: np.ndarray | float = 0.0,
              relationship_conflict: np.ndarray | float = 0.0) -> np.ndarray:
    """Ties after a week: they grow toward what the structure allows, faster in a
    psychologically safe team (members who speak up and help each other work together
    more: Edmondson 1999) and with team building (``team_building``, its team effect in
    [0, 1]); every tie fades a little without it, and faster under relationship conflict
    (personal friction pulls working relationships apart: Jehn 1995). (A tie to a vacant
    slot moves too, unread: every use of the ties weighs them by who is there, and a new
    hire's ties start afresh.) Both steps keep a tie inside [0, 1]."""
    growth = (team_level(p.tie_growth) * np.asarray(safety)
              + team_level(p.team_building_tie_rate) * np.asarray(team_building))
    fading = team_level(p.tie_decay) + team_level(p.relationship_conflict_ties) * np.asarray(
        relationship_conflict)
    kept = (1.0 - np.minimum(fading, 1.0))[..., None, None]
    return approach(ties, allowed, np.minimum(growth, 1.0)[..., None, None]) * kept


def pair_level(value: float | np.ndarray) -> float | np.ndarray:
    """A parameter as it applies to pair arrays ``(..., M, M)``: a batch's per-run value
    ``(runs, 1)`` becomes ``(runs, 1, 1)``."""
    return value[..., None] if isinstance(value, np.ndarray) and value.ndim else value


def peer_pull(levels: np.ndarray, ties: np.ndarray, active: np.ndarray,
              sender_weight: np.ndarray | float = 1.0) -> np.ndarray:
    """Each member's tie-weighted pull toward colleagues' ``levels``, ``(..., M)``:
    ``sum_j w_ij a_j g_j (x_j - x_i) / (n - 1)`` over the filled slots, with ``g_j`` the
    weight of sender j (heavier for the senders whose influence is stronger)."""
    senders = active * sender_weight
    weighted = ties * senders[..., None, :]
    toward = (weighted @ levels[..., None])[..., 0] - last_sum(weighted) * levels
    return toward / colleagues(active) * active


def peer_uplift(levels: np.ndarray, ties: np.ndarray, active: np.ndarray) -> np.ndarray:
    """How far each member's colleagues are ahead of them, tie-weighted:
    ``sum_j w_ij a_j max(x_j - x_i, 0) / (n - 1)``, ``(..., M)`` (what one can learn from
    colleagues who know more; nothing from those who know less)."""
    ahead = np.maximum(levels[..., None, :] - levels[..., :, None], 0.0)
    uplift = np.einsum("...ij,...ij,...j->...i", ties, ahead, active)
    return uplift / colleagues(active) * active


def colleagues(active: np.ndarray) -> np.ndarray:
    """Each member's number of colleagues, ``n - 1`` (at least 1), ``(..., 1)``: what a
    tie-weighted sum over the team is divided by, so that one colleague weighs one tie."""
    return np.maximum(last_sum(active)[..., None] - 1.0, 1.0)


def closeness_to(leaving: np.ndarray, ties: np.ndarray) -> np.ndarray:
    """How close each member was to this week's leavers: the sum of their ties to them
    (capped at 1), ``(..., M)``."""
    return np.minimum((ties @ leaving.astype(float)[..., None])[..., 0], 1.0)


def mean_tie(ties: np.ndarray, active: np.ndarray) -> np.ndarray:
    """Mean tie strength over pairs of filled slots (0 for a team of fewer than two)."""
    headcount = last_sum(active)
    pairs = headcount * headcount - headcount
    total = last_dot((ties @ active[..., None])[..., 0], active)
    return divide(total, pairs, where=pairs > 0)


def as_graph(ties: np.ndarray, active: np.ndarray | None = None) -> Any:
    """One team's ties ``(M, M)`` as a weighted networkx graph over its filled slots (for
    analysis: density, clustering, components)."""
    import networkx as nx

    filled = np.ones(ties.shape[-1]) if active is None else active
    graph = nx.Graph()
    graph.add_nodes_from(int(i) for i in np.flatnonzero(filled))
    for i, j in zip(*np.nonzero(np.triu(ties, 1)), strict=True):
        if filled[i] and filled[j]:
            graph.add_edge(int(i), int(j), weight=float(ties[i, j]))
    return graph
