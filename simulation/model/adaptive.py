"""The leader who learns: for each member, which remedies work, and a reading reassessed
where they do not (the strategy ``adaptive``, docs/MODEL.md §8.6).

The leader starts from her diagnosis, as ``diagnose_and_match`` does, and keeps for every
member slot and every root cause a belief that the cause's remedy works for that member:
a Beta distribution over "a window of this remedy closes the gap", starting from the prior
``Beta(PRIOR_WORKED, PRIOR_FAILED)``. Every ``REASSESSMENT_WEEKS`` weeks a member is in
post she looks back: each cause whose remedy the member was given is credited with its
share of the window's remedy weight, as a success if the cause's gap as she reads it has
closed by at least ``REQUIRED_PROGRESS`` of where it stood, as a failure if not (a
Bernoulli observation weighted by the share: the Beta update).

Her credence in her reading of a cause is the belief's mean over the prior's, at most 1.
Where it falls below 1 she reassesses: she keeps that share of the gap she reads on the
cause and moves the doubted rest to the member's other causes in proportion to how she
reads them, trusted ones weighing more, so the next most likely cause gains most. That is
the diagnostic bias of §7.4 run backwards: a bias moves a share of every other gap onto
its favourite cause; doubting the favourite moves it back, in the proportions the other
readings keep. Her plan is then ``diagnose_and_match``'s on the reassessed reading, so
while she doubts nothing she plans exactly as it does.

The memory is per run, in the strategy's context (``context.memory``), as arrays with the
observation's leading axes: ``(members, causes)`` in the Mesa model, ``(runs, members,
causes)`` in a block of the batched engine. Nothing is drawn at random. A slot's memory
starts afresh while it is vacant and when a new member fills it (their tenure starts
again): what worked for one person says nothing about the next.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from simulation.model.arrays import divide, np
from simulation.model.diagnosis import Observation

REASSESSMENT_WEEKS = 6
"""Weeks of a remedy before the leader judges whether it works for the member."""

REQUIRED_PROGRESS = 0.05
"""Share of a gap, as she read it at the window's start, that a remedy must close within
the window to count as working."""

PRIOR_WORKED = 6.0
"""The prior's successes: how firmly she holds her first reading (belief perseverance: one
failed window takes an eighth of her credence in it, eight in a row, most of a year, half;
docs/CALIBRATION.md)."""

PRIOR_FAILED = 1.5
"""The prior's failures (a prior mean of 0.8: a matched remedy usually works)."""

PRIOR_MEAN = PRIOR_WORKED / (PRIOR_WORKED + PRIOR_FAILED)
"""The prior belief's mean: where her credence in a reading is 1."""


def credence(worked: np.ndarray, failed: np.ndarray) -> np.ndarray:
    """How far she trusts her reading of each cause of each member: the Beta mean of
    "the remedy works" over the prior mean, at most 1 (1 while no window has failed)."""
    return np.minimum(worked / (worked + failed) / PRIOR_MEAN, 1.0)


def reassessed_gaps(gaps: np.ndarray, trusted: np.ndarray) -> np.ndarray:
    """The gaps ``(..., members, causes)`` as reassessed with credences ``trusted`` (same
    shape): the share ``trusted`` of each read gap is kept, and the doubted rest moves to
    the member's other causes in proportion to their kept readings (it stays where no
    other cause is read at all). The total a member is read to need is kept, each gap
    capped at a full gap."""
    kept = gaps * trusted
    doubted = gaps - kept
    elsewhere = np.sum(kept, axis=-1, keepdims=True) - kept
    flow = divide(doubted, elsewhere, where=elsewhere > 0)
    received = kept * (np.sum(flow, axis=-1, keepdims=True) - flow)
    stays = np.where(elsewhere > 0, 0.0, doubted)
    return np.minimum(kept + received + stays, 1.0)


def _start(memory: dict[str, Any], observation: Observation) -> None:
    """The memory of a run's first week: every slot fresh."""
    shape = observation.gaps.shape
    memory.update(worked=np.full(shape, PRIOR_WORKED, dtype=float),
                  failed=np.full(shape, PRIOR_FAILED, dtype=float),
                  window_gaps=np.array(observation.gaps, dtype=float),
                  given=np.zeros(shape), weeks=np.zeros(observation.shape),
                  tenure=np.array(observation.tenure_weeks, dtype=float))


def _forget(memory: dict[str, Any], observation: Observation) -> None:
    """Slots that are vacant or filled by a new member (tenure started again) start
    afresh: prior beliefs, a new window."""
    fresh = (observation.active == 0) | (observation.tenure_weeks <= memory["tenure"])
    if fresh.any():
        _restart_window(memory, observation, fresh)
        memory["worked"][fresh] = PRIOR_WORKED
        memory["failed"][fresh] = PRIOR_FAILED
    memory["tenure"] = np.array(observation.tenure_weeks, dtype=float)


def _restart_window(memory: dict[str, Any], observation: Observation,
                    slots: np.ndarray) -> None:
    memory["window_gaps"][slots] = observation.gaps[slots]
    memory["given"][slots] = 0.0
    memory["weeks"][slots] = 0.0


def _judge(memory: dict[str, Any], observation: Observation) -> None:
    """At the end of a member's window: credit each cause's remedy with its share of the
    window, as having worked (the read gap closed by ``REQUIRED_PROGRESS``) or not."""
    due = memory["weeks"] >= REASSESSMENT_WEEKS
    if not due.any():
        return
    given, before = memory["given"][due], memory["window_gaps"][due]
    total = np.sum(given, axis=-1, keepdims=True)
    share = divide(given, total, where=total > 0)
    closed = divide(before - observation.gaps[due], before,
                    where=before > 0)
    worked = closed >= REQUIRED_PROGRESS
    memory["worked"][due] += np.where(worked, share, 0.0)
    memory["failed"][due] += np.where(worked, 0.0, share)
    _restart_window(memory, observation, due)


def reassessed_reading(observation: Observation, memory: dict[str, Any],
                       threshold: float) -> Observation:
    """This week's reading as the learning leader reassesses it, and her memory moved on:
    fresh slots forgotten, finished windows judged, and this week's remedy weights (the
    reassessed gaps' excess over the diagnosis ``threshold``) added to the window."""
    if not memory:
        _start(memory, observation)
    else:
        _forget(memory, observation)
        _judge(memory, observation)
    gaps = reassessed_gaps(observation.gaps, credence(memory["worked"], memory["failed"]))
    filled = observation.active[..., None]
    memory["given"] += np.maximum(gaps - threshold, 0.0) * filled
    memory["weeks"] += observation.active
    return dataclasses.replace(observation, gaps=gaps)
