"""A participant's page: join a room, then lead the team a quarter at a time.

``/play?room=CODE`` asks for a name and joins; the page's address then carries the
participant's own key (``&player=...``), so a reload resumes the game. Each quarter: the
team as it stands (every member's states), the allocation panel (hours a week per
intervention, and which members the work with members goes to), a button to play the
quarter, then what the quarter did. A page without an open room's code is refused and shows
nothing of any room.
"""

from __future__ import annotations

import functools
from typing import Any

import reacton.ipyvuetify as rv
import solara
import solara.lab

from simulation.model import interventions as iv
from simulation.workshop import access
from simulation.workshop.browser_chart import PlotlyChart
from simulation.workshop.play import OFFERED, TEAM_WORK, AllocationError, allocation
from simulation.workshop.room import Player, Room, RoomError, clean_code, find_room
from simulation.workshop.room_charts import trajectories

CSS = """
.teamsim-room-header { font-size: 1.4rem; font-weight: 600; }
.teamsim-room-note { font-size: 1.05rem; color: #333; }
.teamsim-refused { font-size: 1.3rem; color: #b00020; margin: 24px 0; }
.teamsim-alert { font-size: 1.1rem; background: #fff3e0; padding: 8px 12px; }
.teamsim-members { border-collapse: collapse; font-size: 1rem; }
.teamsim-members td, .teamsim-members th { padding: 2px 10px; text-align: right; }
.teamsim-hours-row { display: flex; align-items: center; gap: 8px; }
.teamsim-hours-name { min-width: 190px; }
"""

MEMBER_COLUMNS = (("capability", "capability"), ("motivation", "motivation"),
                  ("trust", "trust"), ("accountability", "accountability"),
                  ("role_clarity", "role clarity"), ("output", "output last week"))

DESCRIPTIONS = {item.name: item.moves for item in iv.CATALOGUE}


def refused_text() -> str:
    """What a visitor without a room's code reads."""
    return ("This page needs the link (or the room code) your trainer gave you. Type the "
            "code below, or ask the trainer for the link.")


@solara.component
def ParticipantPage() -> None:
    """``/play``: the room in the address, or a box to type its code."""
    router = solara.use_router()
    code = clean_code(access.query_value(router.search, "room"))
    token = access.query_value(router.search, "player")
    solara.Title("TeamSim: play the leader")
    solara.Style(CSS)
    room = find_room(code)
    with solara.Column(style={"padding": "12px 20px", "max-width": "1100px"}):
        if room is None:
            Refused(code, lambda typed: router.push(f"/play?room={clean_code(typed)}"))
            return
        player = room.by_token(token)
        if player is None:
            Join(room, lambda joined: router.push(
                f"/play?room={room.code}&player={joined.token}"))
            return
        Game(room, player)


@solara.component
def Refused(code: str, on_code: Any) -> None:
    """The refusal, and a box to type a code."""
    typed = solara.use_reactive("")
    message = refused_text() if not code else (
        f"There is no open room with the code {code}. Check the code with your trainer.")
    solara.HTML(tag="div", unsafe_innerHTML=message, classes=["teamsim-refused"],
                attributes={"data-testid": "refused"})
    with solara.Row(style={"align-items": "center"}):
        solara.InputText("Room code", value=typed, continuous_update=True,
                         classes=["teamsim-code"])
        solara.Button("Go", on_click=lambda: on_code(typed.value), color="primary",
                      classes=["teamsim-go"])


@solara.component
def Join(room: Room, on_joined: Any) -> None:
    """A name, and joining."""
    name = solara.use_reactive("")
    problem = solara.use_reactive("")

    def join() -> None:
        try:
            player = room.join(name.value)
        except RoomError as error:
            problem.set(str(error))
            return
        on_joined(player)

    solara.HTML(tag="div", unsafe_innerHTML=(
        f"Room {room.code}: you will lead the team of “{room.config.title or room.preset}” "
        f"for {room.quarters} quarters, as everyone in the room does."),
        classes=["teamsim-room-header"])
    with solara.Row(style={"align-items": "center"}):
        solara.InputText("Your name (shown on the trainer's screen)", value=name,
                         continuous_update=True, classes=["teamsim-name"])
        solara.Button("Join", on_click=join, color="primary", classes=["teamsim-join"])
    if problem.value:
        solara.Error(problem.value, classes=["teamsim-join-refused"])


def members_table(members: Any, quarter: int) -> str:
    """The team at the end of ``quarter`` (0: the start), one row per member."""
    rows = members[members["quarter"] == quarter]
    head = "".join(f"<th>{title}</th>" for _, title in MEMBER_COLUMNS)
    body = []
    for _, row in rows.iterrows():
        cells = "".join("<td>–</td>" if row[name] != row[name] else f"<td>{row[name]:.2f}</td>"
                        for name, _ in MEMBER_COLUMNS)
        body.append(f"<tr data-slot='{int(row['slot'])}'><td>member {int(row['slot'])}"
                    f"</td>{cells}</tr>")
    when = "at the start" if quarter == 0 else f"at the end of quarter {quarter}"
    return (f"<table class='teamsim-members'><caption>Your team {when}</caption><tr><th></th>"
            f"{head}</tr>{''.join(body)}</table>")


def quarter_news(room: Room, quarterly: Any, quarter: int) -> str:
    """What the last quarter played did, in words."""
    row = quarterly.iloc[quarter - 1]
    parts = [f"Quarter {quarter}: team output {row['team_output']:.2f} a week"]
    if quarter > 1:
        before = quarterly.iloc[quarter - 2]["team_output"]
        parts[0] += f" ({row['team_output'] - before:+.2f} on quarter {quarter - 1})"
    parts.append(f"motivation {row['motivation_mean']:.2f}, trust {row['trust_mean']:.2f}")
    if row["crises"]:
        parts.append(f"{int(row['crises'])} crisis week{'s' if row['crises'] != 1 else ''} "
                     f"took hours")
    if row["departures"]:
        parts.append(f"{int(row['departures'])} member{'s' if row['departures'] != 1 else ''} "
                     f"left")
    return "; ".join(parts) + "."


@solara.component
def Game(room: Room, player: Player) -> None:
    """The game: the team, the allocation panel, the results so far."""
    played = solara.use_reactive(player.quarters_played)
    task = solara.lab.use_task(lambda: room.view(player.name),  # type: ignore[arg-type]
                               dependencies=[room.code, player.name, played.value])
    view = task.latest
    stale = view is None or len(view.quarterly) != played.value  # the quarter is being run
    solara.ProgressLinear(stale)
    if view is None:
        return
    quarter = len(view.quarterly)
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"{player.name}, room {room.code}: quarter {quarter + 1} of {room.quarters}"
        if quarter < room.quarters else
        f"{player.name}, room {room.code}: all {room.quarters} quarters played"),
        classes=["teamsim-room-header"], attributes={"data-testid": "game-header",
                                                     "data-played": str(quarter)})
    if quarter:
        solara.HTML(tag="div", unsafe_innerHTML=quarter_news(room, view.quarterly, quarter),
                    classes=["teamsim-room-note"], attributes={"data-testid": "news"})
        PlotlyChart(trajectories({player.name: view.quarterly}, quarters=room.quarters,
                                        withdrawn=room.withdrawn_quarters()))
    solara.HTML(tag="div", unsafe_innerHTML=members_table(view.members, quarter))
    if quarter >= room.quarters:
        solara.HTML(tag="div", unsafe_innerHTML=(
            "You have played every quarter. The trainer's screen shows the room and the "
            "debrief: your plan beside everyone's and the built-in strategies'."),
            classes=["teamsim-room-note"], attributes={"data-testid": "finished"})
        return
    if not stale:
        AllocationPanel(room, player, quarter + 1,
                        lambda: played.set(player.quarters_played))


@solara.component
def AllocationPanel(room: Room, player: Player, quarter: int, on_played: Any) -> None:
    """Hours a week per intervention, the members the work with members goes to, and the
    button that plays the quarter. It starts from the last quarter's allocation."""
    last = player.plan[-1] if player.plan else None
    hours = solara.use_reactive({name: (last.hours_of(name) if last else 0.0)
                                 for name in OFFERED})
    focus = solara.use_reactive(set(last.focus) if last else set())
    problem = solara.use_reactive("")
    level = room.attention_in(quarter)
    if level < 1:
        solara.HTML(tag="div", unsafe_innerHTML=(
            f"This quarter the scenario reassigns you: you have {level:.0%} of your normal "
            f"hours for the team. Your mix is kept, scaled down."),
            classes=["teamsim-alert"], attributes={"data-testid": "reassigned"})
    total = sum(hours.value.values())
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"Share out your {room.week_hours:g} hours a week: {total:g} allocated, "
        f"{room.week_hours - total:g} left (hours left are not spent on the team)."),
        classes=["teamsim-room-note"], attributes={"data-testid": "hours-total"})
    for title, team in (("With members", False), ("With the whole team", True)):
        solara.HTML(tag="div", unsafe_innerHTML=title, classes=["teamsim-group"])
        for name in OFFERED:
            if (name in TEAM_WORK) == team:
                HoursBox(name, hours.value[name],
                         lambda value, name=name: hours.set({**hours.value, name: value}))
    solara.HTML(tag="div", unsafe_innerHTML=(
        "The work with members goes to (none ticked: everyone alike):"),
        classes=["teamsim-room-note"])
    def toggle(slot: int, on: bool) -> None:
        focus.set(focus.value | {slot} if on else focus.value - {slot})

    with solara.Row(style={"flex-wrap": "wrap"}):
        for slot in range(1, room.config.team.size + 1):
            rv.Checkbox(label=f"member {slot}", v_model=slot in focus.value,
                        on_v_model=functools.partial(toggle, slot), dense=True,
                        hide_details=True, class_=f"teamsim-focus teamsim-focus-{slot}")

    def play() -> None:
        try:
            chosen = allocation(room.config, hours.value, sorted(focus.value))
            room.play(player.name, chosen)
        except (AllocationError, RoomError) as error:
            problem.set(f"Not played: {error}")
            return
        problem.set("")
        on_played()

    if problem.value:
        solara.Error(problem.value, classes=["teamsim-play-refused"])
    solara.Button(f"Play quarter {quarter}", on_click=play, color="primary",
                  classes=["teamsim-play"])


@solara.component
def HoursBox(name: str, value: float, on_value: Any) -> None:
    """Hours a week for one intervention: a number box with what it does beside it. The
    box keeps the text as typed ("1." on the way to "1.5"); the panel gets its number."""
    text, set_text = solara.use_state(f"{value:g}")

    def typed(new: str) -> None:
        set_text(new)
        on_value(parse_hours(new))

    with solara.Row(classes=["teamsim-hours-row"]):
        solara.HTML(tag="span", unsafe_innerHTML=name.replace("_", " "),
                    classes=["teamsim-hours-name"])
        rv.TextField(v_model=text, on_v_model=typed, dense=True, hide_details=True,
                     outlined=True, style_="max-width: 90px",
                     class_=f"teamsim-hours teamsim-hours-{name}")
        solara.HTML(tag="span", unsafe_innerHTML=DESCRIPTIONS[name],
                    classes=["teamsim-lever-note"])


def parse_hours(text: str) -> float:
    """Hours typed into a box (empty: none; a decimal comma is read as a point). A value
    that is not a number is kept as NaN, which the allocation refuses by name."""
    text = (text or "").strip().replace(",", ".")
    if not text:
        return 0.0
    try:
        return float(text)
    except ValueError:
        return float("nan")
