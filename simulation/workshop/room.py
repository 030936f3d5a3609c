"""A participatory session: a room of participants, each playing the leader of the same team.

The trainer opens a room on a preset (:func:`open_room`): the team, its seed, and what the
scenario scripts (crises at their rate, a reassignment of the leader) are the same for
everyone. The room has a code; only a page that gives it joins. Each participant plays the
quarters at their own pace, choosing an :class:`~simulation.workshop.play.Allocation` per
quarter; their run so far is the plan replayed from the first week
(:func:`simulation.workshop.play.run_plan`), so what they saw is what the export and the
debrief hold.

The trainer's screen reads the room: everyone's trajectory, a leaderboard, and a debrief
(:mod:`simulation.workshop.debrief`) comparing the plans the room played with the built-in
strategies on the same team, each replicated over many draws of chance.

Rooms live in the server's process (one dictionary, guarded by a lock) for as long as it
runs; the trainer's export is how a session's runs are kept.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from simulation.engines.batch import BatchResult
from simulation.model.calendar_rules import attention_level
from simulation.model.config import ScenarioConfig
from simulation.model.scenario_files import with_overrides
from simulation.workshop.play import OFFERED, Allocation, run_plan

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
"""Letters and digits of a room code: no 0/O, 1/I/L, so a code read off a screen is typed
right."""

CODE_LENGTH = 6
"""31**6, about 900 million codes: not guessed by trying."""

MAX_PLAYERS = 60
"""Participants a room takes (a large workshop; the server's memory stays small)."""

MAX_NAME = 24
"""Characters of a participant's name."""

OUTCOMES: tuple[str, ...] = ("team_output", "capability_mean", "motivation_mean",
                             "trust_mean", "accountability_mean")
"""What a participant's quarter reports: output and the four core states."""

MEMBER_STATES: tuple[str, ...] = ("capability", "motivation", "trust", "accountability",
                                  "role_clarity")
"""A member's states the participant sees at each quarter's end."""


class RoomError(ValueError):
    """Something a room refuses (a name taken, a full room, a finished run): said in one
    line to the person who asked."""


def new_code() -> str:
    """A fresh room code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def clean_code(text: str | None) -> str:
    """A code as typed or linked, normalised (case and spaces do not matter)."""
    return "".join((text or "").split()).upper()


@dataclass
class Player:
    """One participant: their name and the allocations played, one per quarter."""

    name: str
    plan: list[Allocation] = field(default_factory=list)
    joined: float = field(default_factory=time.time)
    token: str = field(default_factory=lambda: secrets.token_urlsafe(9))
    """The participant's own key (in their page's address), so that reloading the page
    resumes their game and nobody else can play it."""

    @property
    def quarters_played(self) -> int:
        return len(self.plan)


Standings = list[tuple[Player, pd.DataFrame]]
"""Every participant with their quarterly rows so far (:meth:`Room.standings`)."""


@dataclass(frozen=True)
class QuarterView:
    """What a participant sees of their run after some quarters: the quarterly rows
    played, and each member's states at each quarter's end."""

    quarterly: pd.DataFrame
    """One row per quarter played (the engine's quarterly columns)."""
    members: pd.DataFrame
    """One row per (quarter, slot) filled at the quarter's end: quarter 0 is the start."""


@dataclass
class Room:
    """A room: the team everyone leads, and its participants."""

    code: str
    preset: str
    config: ScenarioConfig
    """The team, its seed and run length (the quarters the room plays)."""
    players: dict[str, Player] = field(default_factory=dict)
    opened: float = field(default_factory=time.time)
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    @property
    def quarters(self) -> int:
        return self.config.quarters

    @property
    def week_hours(self) -> float:
        """The leader's normal hours a week: what a participant allocates."""
        return self.config.leader.attention_hours

    def join(self, name: str) -> Player:
        """Add a participant; RoomError if the name is empty, too long or taken, or the
        room is full. Joining again under one's own name is refused too: two browsers
        would otherwise play one participant's quarters in turn."""
        shown = " ".join(name.split())
        if not shown:
            raise RoomError("type a name to join (it appears on the trainer's screen)")
        if len(shown) > MAX_NAME:
            raise RoomError(f"a name has at most {MAX_NAME} characters")
        with self.lock:
            if shown.casefold() in {known.casefold() for known in self.players}:
                raise RoomError(f"{shown!r} is taken in this room: choose another name")
            if len(self.players) >= MAX_PLAYERS:
                raise RoomError(f"the room is full ({MAX_PLAYERS} participants)")
            player = Player(shown)
            self.players[shown] = player
        return player

    def player(self, name: str) -> Player:
        """A participant by name."""
        with self.lock:
            return self.players[name]

    def by_token(self, token: str) -> Player | None:
        """The participant whose key this is, or None."""
        with self.lock:
            return next((player for player in self.players.values()
                         if token and secrets.compare_digest(player.token, token)), None)

    def play(self, name: str, chosen: Allocation) -> int:
        """Play a participant's next quarter with ``chosen``; returns the quarter played.
        RoomError once every quarter is played."""
        with self.lock:
            player = self.players[name]
            if player.quarters_played >= self.quarters:
                raise RoomError(f"all {self.quarters} quarters are played")
            player.plan.append(chosen)
            return player.quarters_played

    def attention_in(self, quarter: int) -> float:
        """Share of the leader's normal hours she has for the team in ``quarter`` (below 1
        while the scenario reassigns her)."""
        return attention_level(self.config.leader, quarter)

    def view(self, name: str) -> QuarterView:
        """A participant's run over the quarters they have played."""
        plan = tuple(self.player(name).plan)
        return quarter_view(self.config, plan)

    def standings(self) -> Standings:
        """Every participant with their quarterly rows so far, in joining order."""
        with self.lock:
            players = sorted(self.players.values(), key=lambda player: player.joined)
            plans = [(player, tuple(player.plan)) for player in players]
        return [(player, quarterly_played(self.config, plan)) for player, plan in plans]

    def withdrawn_quarters(self) -> tuple[int, ...]:
        """The quarters in which the scenario reassigns the leader."""
        return tuple(q for q in range(1, self.quarters + 1) if self.attention_in(q) < 1)


def played_run(config: ScenarioConfig, plan: tuple[Allocation, ...]) -> BatchResult:
    """The run every participant plays (replication 0) led by ``plan`` (none played yet: a
    leader who spends nothing, whose run only its starting team is read from)."""
    return run_plan(config, plan if plan else (Allocation(()),), 1)


def quarterly_played(config: ScenarioConfig, plan: tuple[Allocation, ...]) -> pd.DataFrame:
    """The quarterly rows of the quarters ``plan`` has played."""
    frame = played_run(config, plan).quarterly_frame()
    return frame.iloc[:len(plan)].reset_index(drop=True)


def quarter_view(config: ScenarioConfig, plan: tuple[Allocation, ...]) -> QuarterView:
    """The quarters of ``plan`` played on a team (none played: the team at the start)."""
    played = len(plan)
    result = played_run(config, plan)
    record = result.record
    quarterly = quarterly_played(config, plan)
    rows = []
    start = result.initial_state
    for slot in range(config.team.size):
        rows.append({"quarter": 0, "slot": slot + 1,
                     **{name: float(getattr(start, name)[0, slot]) for name in MEMBER_STATES},
                     "output": np.nan})
    for quarter in range(1, played + 1):
        end = quarter - 1  # without member detail, one row per quarter's last week
        for slot in range(config.team.size):
            if record.active[end, 0, slot] <= 0:
                continue
            rows.append({"quarter": quarter, "slot": slot + 1,
                         **{name: float(record.member_states[name][end, 0, slot])
                            for name in MEMBER_STATES},
                         "output": float(record.member_output[end, 0, slot])})
    return QuarterView(quarterly, pd.DataFrame(rows))


def leaderboard(standings: Standings) -> pd.DataFrame:
    """The room ranked: the most quarters played first, then the most output (mean weekly
    team output over the quarters played), with where the team stands at the last one."""
    rows = []
    for player, quarterly in standings:
        last = quarterly.iloc[-1] if len(quarterly) else None
        rows.append({
            "name": player.name, "quarters": player.quarters_played,
            "output": float(quarterly["team_output"].mean()) if last is not None else np.nan,
            "motivation": float(last["motivation_mean"]) if last is not None else np.nan,
            "trust": float(last["trust_mean"]) if last is not None else np.nan,
        })
    table = pd.DataFrame(rows, columns=["name", "quarters", "output", "motivation", "trust"])
    table = table.sort_values(["quarters", "output", "name"], ascending=[False, False, True],
                              na_position="last", kind="stable").reset_index(drop=True)
    table.insert(0, "rank", range(1, len(table) + 1))
    return table


def export_frame(room: Room) -> pd.DataFrame:
    """Every participant's quarters: the allocation played (hours a week per intervention,
    the focus) and what came of it, one row per (participant, quarter), with the room's
    preset, seed and code."""
    rows = []
    for player, quarterly in room.standings():
        for quarter, chosen in enumerate(player.plan, start=1):
            outcome = quarterly.iloc[quarter - 1]
            rows.append({
                "room": room.code, "preset": room.preset, "seed": room.config.seed,
                "participant": player.name, "quarter": quarter,
                **{f"hours_a_week_{name}": chosen.hours_of(name) for name in OFFERED},
                "focus": " ".join(str(slot) for slot in chosen.focus) or "everyone",
                "attention_level": room.attention_in(quarter),
                **{name: float(outcome[name]) for name in (*OUTCOMES, "crises", "departures")},
            })
    return pd.DataFrame(rows)


_ROOMS: dict[str, Room] = {}
_ROOMS_LOCK = threading.Lock()


def open_room(preset: str, config: ScenarioConfig, quarters: int | None = None) -> Room:
    """Open a room on a preset's team, playing ``quarters`` (by default the preset's)."""
    if quarters is not None and quarters != config.quarters:
        config = with_overrides(config, {"quarters": quarters}, "room")
    with _ROOMS_LOCK:
        code = new_code()
        while code in _ROOMS:
            code = new_code()
        room = Room(code, preset, config)
        _ROOMS[code] = room
    return room


def find_room(code: str | None) -> Room | None:
    """The open room with this code, or None (a code never opened, or mistyped)."""
    with _ROOMS_LOCK:
        return _ROOMS.get(clean_code(code))

