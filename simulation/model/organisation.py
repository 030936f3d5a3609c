"""A week of an organisation, written once for every engine: each team's week
(:mod:`simulation.model.week`), with a leader of several teams splitting her hours between
them and tiring over all of them; and the organisation's outcomes from its teams'.

A leader of several teams (Mintzberg 1973 on managerial work as fragmented, its attention
pulled by whatever is most pressing; Perlow 1999 on the time famine) has one week. Her
hours go to her teams by her base shares (``share`` and ``[[leaders.attention]]`` of the
organisation file), and a crisis in a team pulls her attention to it while it lasts (its
weight times ``1 + crisis_pull``): what one team gains of her, the others lose, and the
gains held only by her attention slip there (:func:`attention_split`). Her exhaustion is
one state, built by all her hours over her one capacity, by a crisis in any of her teams
and by the conflict of each in proportion to the attention she gives it
(:func:`shared_load`); her reading, strategy and credibility are met by each team apart.
A team with a leader of its own has its week exactly as its scenario alone would.

Pure functions over team arrays: ``(members,)`` in the Mesa model, ``(runs, members)`` in
the batched engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pandas as pd

from simulation.model import interventions as iv
from simulation.model.arrays import np
from simulation.model.config import Parameters, ScenarioConfig
from simulation.model.leadership import Planner
from simulation.model.metrics import EVENT_COUNTS
from simulation.model.organisation_config import ORGANISATION_ROW, OrganisationConfig
from simulation.model.randomness import WeekNoise
from simulation.model.state import TeamState
from simulation.model.week import (
    LeaderLoad,
    WeekEvents,
    WeekOutcome,
    in_crisis,
    leading_hours,
    start_week,
    work_week,
)


@dataclass(frozen=True)
class TeamWeek:
    """One team's part of the organisation's week: its state and what the week brings it."""

    state: TeamState
    last_output: np.ndarray
    events: WeekEvents
    noise: WeekNoise
    config: ScenarioConfig
    planner: Planner
    p: Parameters


def base_shares(organisation: OrganisationConfig) -> tuple[np.ndarray, ...]:
    """Each leader's base shares of attention, ``(weeks, her teams)`` (rows sum to 1)."""
    return tuple(leader.base_shares(organisation) for leader in organisation.leaders)


def attention_split(base: np.ndarray, crises: Sequence[np.ndarray | float],
                    crisis_pull: float) -> list[np.ndarray | float]:
    """A leader's shares of her hours this week, one per team she leads (team arrays that
    sum to 1): her base shares ``base``, each team's weight multiplied by
    ``1 + crisis_pull`` while a crisis is under way in it (``crises``: 1 or 0)."""
    weights = [share * (1.0 + crisis_pull * np.asarray(crisis))
               for share, crisis in zip(base, crises, strict=True)]
    total = sum(weights)
    return [weight / total for weight in weights]


def shared_load(hours: Sequence[np.ndarray], crises: Sequence[np.ndarray | float],
                conflicts: Sequence[np.ndarray], split: Sequence[np.ndarray | float],
                capacity_hours: float) -> LeaderLoad:
    """Her whole week: all the hours she leads over her capacity, 1 while a crisis is under
    way in any team of hers, and her teams' relationship conflict weighted by her shares of
    attention to them."""
    weighted = sum(share * conflict for share, conflict in zip(split, conflicts, strict=True))
    return LeaderLoad(np.asarray(sum(hours)) / capacity_hours, np.minimum(sum(crises), 1.0),
                      np.asarray(weighted))


def organisation_week(teams: Sequence[TeamWeek], organisation: OrganisationConfig,
                      week: int, shares: Sequence[np.ndarray]) -> list[WeekOutcome]:
    """One week of every team (in the organisation's order): each starts its week; each
    leader of several teams splits her hours between hers and carries her whole week's
    load into each; then each team works (``shares``: :func:`base_shares`)."""
    started = [start_week(t.state, t.events, t.noise, t.config, t.p) for t in teams]
    events = [t.events for t in teams]
    for leader, base in zip(organisation.leaders, shares, strict=True):
        if len(leader.teams) == 1:
            continue
        crises = [in_crisis(events[i]) for i in leader.teams]
        split = attention_split(base[week], crises, leader.crisis_pull)
        for i, share in zip(leader.teams, split, strict=True):
            events[i] = replace(events[i], leader_share=share)
        hours = [leading_hours(started[i], events[i], teams[i].config, teams[i].p)[2]
                 for i in leader.teams]
        load = shared_load(hours, crises, [started[i].relationship_conflict
                                           for i in leader.teams], split,
                           teams[leader.teams[0]].config.leader.capacity_hours)
        for i in leader.teams:
            events[i] = replace(events[i], leader_load=load)
    return [work_week(started[i], t.last_output, week, events[i], t.noise, t.config,
                      t.planner, t.p) for i, t in enumerate(teams)]


SUMMED: tuple[str, ...] = ("team_output", "headcount", *(f"hours_{n}" for n in iv.NAMES),
                           "hours_planned", "crisis_hours", *EVENT_COUNTS)
"""Outcome columns the organisation's rows sum over its teams; the others (states,
shares, spreads) are its teams' values weighted by their headcount, and its output per
member is its output over its headcount."""


def organisation_frame(frames: Sequence[pd.DataFrame], organisation: OrganisationConfig,
                       seed: int) -> pd.DataFrame:
    """The quarterly table of an organisation: every team's rows (``team`` and ``leader``
    columns first after the run's identity), then the organisation's own rows (``team`` =
    "organisation"), one per (replication, quarter) as the teams' are; ``seed`` is the
    organisation's base seed (each team's runs draw from their own, ``team_seed``). Each
    team frame holds the same (replication, quarter) rows in the same order."""
    tagged = []
    for frame, team in zip(frames, organisation.teams, strict=True):
        frame = frame.copy()
        frame["scenario"], frame["seed"] = organisation.name, seed
        frame.insert(1, "team", team.name)
        frame.insert(2, "leader", team.leader)
        tagged.append(frame)
    first = tagged[0]
    numeric = [c for c in first.columns[first.columns.get_loc("quarter") + 1:]]
    headcount = np.stack([frame["headcount"].to_numpy(dtype=float) for frame in tagged])
    weight = np.divide(headcount, headcount.sum(axis=0), out=np.full_like(headcount,
                       1.0 / len(tagged)), where=headcount.sum(axis=0) > 0)
    whole = first.copy()
    whole["team"], whole["leader"] = ORGANISATION_ROW, ""
    whole["strategy"] = "/".join(sorted({str(s) for frame in tagged
                                         for s in frame["strategy"].unique()}))
    for column in numeric:
        values = np.stack([frame[column].to_numpy(dtype=float) for frame in tagged])
        whole[column] = values.sum(axis=0) if column in SUMMED else (weight * values).sum(axis=0)
    count = whole["headcount"].to_numpy(dtype=float)
    output = whole["team_output"].to_numpy(dtype=float)
    whole["output_per_member"] = np.divide(output, count, out=np.zeros_like(output),
                                           where=count > 0)
    return pd.concat([*tagged, whole], ignore_index=True)
