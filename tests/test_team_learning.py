"""Psychological safety carries into the team's learning (Edmondson 1999): members learn
from colleagues who know more, and more from the same hours, where it is safe to ask."""

from __future__ import annotations

import numpy as np
from conftest import make_state

from simulation.model import interventions as iv
from simulation.model.config import Parameters
from simulation.model.member_dynamics import capability_step, learning_climate, peer_learning

P = Parameters()


def mixed_team(safety: float):
    """Four members: one expert (0.9) and three novices (0.3), everyone tied."""
    state = make_state(members=4, capability=0.3)
    capability = np.array([0.9, 0.3, 0.3, 0.3])
    return state.replace(capability=capability, capability_anchor=capability.copy(),
                         capability_ceiling=np.full(4, 0.95),
                         psychological_safety=np.asarray(safety))


def test_novices_learn_from_a_more_capable_colleague():
    learned = peer_learning(mixed_team(0.6), P)
    assert learned[0] == 0.0  # nobody knows more than the expert
    assert np.all(learned[1:] > 0)


def test_peer_learning_needs_psychological_safety():
    assert np.all(peer_learning(mixed_team(0.0), P) == 0.0)
    safe, unsafe = peer_learning(mixed_team(0.9), P), peer_learning(mixed_team(0.2), P)
    np.testing.assert_allclose(safe[1:], unsafe[1:] * 0.9 / 0.2)


def test_peer_learning_flows_only_along_ties():
    team = mixed_team(0.8)
    ties = team.ties.copy()
    ties[0, 1] = ties[1, 0] = 0.0  # novice 1 never works with the expert
    learned = peer_learning(team.replace(ties=ties), P)
    assert learned[1] == 0.0 and learned[2] > 0


def test_the_same_training_teaches_more_in_a_safe_team():
    doses = np.zeros((4, iv.COUNT))
    effect = doses.copy()
    effect[:, iv.TRAIN] = 1.0
    gain = {safety: capability_step(mixed_team(safety), effect, P)[1:].mean() - 0.3
            for safety in (0.2, 0.5, 0.8)}
    assert gain[0.2] < gain[0.5] < gain[0.8]
    assert learning_climate(mixed_team(P.safety_reference), P) == 1.0
