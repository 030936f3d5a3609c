"""The trainer's screen of a participatory session (``/trainer``), made for the projector.

Without a room: choose the preset and the quarters the room plays, and open a room. With
one (``/trainer?room=CODE``): the room's code, join link and QR code; everyone's
trajectory, redrawn every few seconds; the leaderboard; and, when the trainer asks, the
debrief (the room's plans beside the built-in strategies on the same team, with intervals).
Both the participants' runs and the debrief can be downloaded as CSV. When the server is
on the network, the page needs the trainer's key (in the link the terminal printed).
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import reacton.ipyvuetify as rv
import segno
import solara
import solara.lab

from simulation.model.scenario_files import ConfigError
from simulation.workshop import access
from simulation.workshop.browser_chart import PlotlyChart
from simulation.workshop.debrief import debrief
from simulation.workshop.room import Room, export_frame, find_room, leaderboard, open_room
from simulation.workshop.room_charts import debrief_figure, trajectories
from simulation.workshop.team_view import SHUTTING_DOWN
from simulation.workshop.whatif import presets

REFRESH_SECONDS = 2.0
"""How often the trainer's screen reads the room again."""

DEFAULT_PRESET = "attention_withdrawn"

CSS = """
.teamsim-code-big { font-size: 3rem; font-weight: 700; letter-spacing: 0.2em; }
.teamsim-join-link { font-size: 1.3rem; word-break: break-all; }
.teamsim-board { border-collapse: collapse; font-size: 1.25rem; }
.teamsim-board td, .teamsim-board th { padding: 4px 14px; text-align: right; }
.teamsim-board td:nth-child(2), .teamsim-board th:nth-child(2) { text-align: left; }
.teamsim-refused { font-size: 1.3rem; color: #b00020; margin: 24px 0; }
.teamsim-room-note { font-size: 1.1rem; color: #333; }
"""


def qr_svg(url: str) -> str:
    """The join link as a QR code, inline SVG (drawn here: nothing leaves the machine)."""
    return str(segno.make(url, error="m").svg_inline(scale=6, border=2))


def board_html(table: pd.DataFrame, quarters: int) -> str:
    """The leaderboard as an HTML table."""
    head = ("<tr><th>#</th><th>participant</th><th>quarters</th><th>output a week</th>"
            "<th>motivation</th><th>trust</th></tr>")
    rows = []
    for _, row in table.iterrows():
        numbers = "".join("<td>–</td>" if row[name] != row[name] else
                          f"<td>{row[name]:.2f}</td>"
                          for name in ("output", "motivation", "trust"))
        rows.append(f"<tr data-name='{html.escape(row['name'], quote=True)}'>"
                    f"<td>{row['rank']}</td><td>{html.escape(row['name'])}</td>"
                    f"<td>{row['quarters']} of {quarters}</td>{numbers}</tr>")
    return (f"<table class='teamsim-board' data-testid='leaderboard'>{head}{''.join(rows)}"
            f"</table>")


def debrief_html(table: pd.DataFrame) -> str:
    """The debrief as an HTML table."""
    rows = []
    for _, row in table.iterrows():
        played = "" if row["played"] != row["played"] else f"{row['played']:.2f}"
        rows.append(f"<tr data-kind='{row['kind']}' data-who='{html.escape(row['who'], True)}'>"
                    f"<td>{html.escape(row['who'])}</td><td>{row['kind']}</td>"
                    f"<td>{row['output']:.2f} [{row['output_low']:.2f}, "
                    f"{row['output_high']:.2f}]</td><td>{played}</td>"
                    f"<td>{row['motivation']:.2f}</td><td>{row['trust']:.2f}</td>"
                    f"<td style='text-align:left'>{html.escape(row['mix'])}</td></tr>")
    return ("<table class='teamsim-board' data-testid='debrief'><tr><th>plan</th><th></th>"
            "<th>output a week, mean [95%]</th><th>as played</th><th>motivation</th>"
            f"<th>trust</th><th>mix</th></tr>{''.join(rows)}</table>")


@solara.component
def TrainerPage() -> None:
    """``/trainer``: open a room, or show the one in the address."""
    router = solara.use_router()
    served = access.current()
    solara.Title("TeamSim: the room")
    solara.Style(CSS)
    with solara.Column(style={"padding": "12px 20px"}):
        if not served.is_trainer(router.search):
            solara.HTML(tag="div", unsafe_innerHTML=(
                "This is the trainer's page: it needs the trainer's link. Participants join "
                "with the room's link."), classes=["teamsim-refused"],
                attributes={"data-testid": "refused"})
            return
        key = access.query_value(router.search, "key")
        suffix = f"&key={key}" if key else ""
        room = find_room(access.query_value(router.search, "room"))
        if room is None:
            Opener(access.query_value(router.search, "preset"),
                   lambda opened: router.push(f"/trainer?room={opened.code}{suffix}"))
        else:
            RoomScreen(room, served)


@solara.component
def Opener(asked: str, on_opened: Any) -> None:
    """The preset (``asked`` in the address, ``/trainer?preset=baseline``, if it is one)
    and the quarters to play, and the button that opens the room."""
    catalogue = presets()
    preset = solara.use_reactive(asked if asked in catalogue else DEFAULT_PRESET)
    quarters = solara.use_reactive(catalogue[preset.value].config.quarters)
    problem = solara.use_reactive("")
    chosen = catalogue[preset.value]

    def open_it() -> None:
        try:
            room = open_room(chosen.name, chosen.config, int(quarters.value))
        except ConfigError as error:
            problem.set(f"Not opened: quarters to play {error.problem}")
            return
        on_opened(room)

    solara.HTML(tag="h2", unsafe_innerHTML="TeamSim: a room of leaders")
    solara.HTML(tag="div", unsafe_innerHTML=(
        "Every participant leads the same team, with the same chance, and shares out the "
        "leader's hours each quarter. Choose the team and how many quarters the room plays."),
        classes=["teamsim-room-note"])
    rv.Select(label="Preset", items=[{"text": p.title, "value": p.name}
                                     for p in catalogue.values()],
              v_model=preset.value, on_v_model=lambda name: (
                  preset.set(name), quarters.set(catalogue[name].config.quarters)),
              class_="teamsim-room-preset", hide_details=True)
    solara.HTML(tag="div", unsafe_innerHTML=chosen.story, classes=["teamsim-story"])
    solara.InputInt("Quarters to play", value=quarters, classes=["teamsim-room-quarters"])
    if problem.value:
        solara.Error(problem.value, classes=["teamsim-open-refused"])
    solara.Button("Open the room", on_click=open_it, color="primary",
                  classes=["teamsim-open-room"])


@solara.component
def RoomScreen(room: Room, served: access.Access) -> None:
    """The room on the projector: how to join, everyone's trajectory, the leaderboard and
    the debrief."""
    tick = solara.use_reactive(0)
    asked = solara.use_reactive(False)

    def refresh() -> None:
        while task.is_current() and not SHUTTING_DOWN.wait(REFRESH_SECONDS):
            tick.set(tick.value + 1)

    task = solara.lab.use_task(refresh, dependencies=[room.code])  # type: ignore[arg-type]
    link = served.join_url(room.code)
    with solara.Row(style={"align-items": "center", "gap": "32px", "flex-wrap": "wrap"}):
        solara.HTML(tag="div", unsafe_innerHTML=qr_svg(link),
                    attributes={"data-testid": "qr"})
        with solara.Column():
            solara.HTML(tag="div", unsafe_innerHTML=f"Room {room.code}",
                        classes=["teamsim-code-big"], attributes={"data-testid": "room-code"})
            solara.HTML(tag="div", unsafe_innerHTML=html.escape(link),
                        classes=["teamsim-join-link"], attributes={"data-testid": "join-link"})
            solara.HTML(tag="div", unsafe_innerHTML=(
                f"{html.escape(room.config.title or room.preset)}: {room.quarters} quarters, "
                f"{room.config.team.size} members, {room.week_hours:g} hours a week to share "
                f"out, seed {room.config.seed}."), classes=["teamsim-room-note"])
    standings = room.standings()
    runs = {player.name: quarterly for player, quarterly in standings if len(quarterly)}
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"{len(standings)} participant{'s' if len(standings) != 1 else ''} in the room"),
        classes=["teamsim-room-note"], attributes={"data-testid": "headcount",
                                                    "data-count": str(len(standings)),
                                                    "data-read": str(tick.value)})
    if runs:
        PlotlyChart(trajectories(runs, quarters=room.quarters,
                                        withdrawn=room.withdrawn_quarters()))
    table = leaderboard(standings)
    solara.HTML(tag="div", unsafe_innerHTML=board_html(table, room.quarters))
    finished = int((table["quarters"] >= room.quarters).sum())
    solara.Button(f"Debrief ({finished} finished)", on_click=lambda: asked.set(True),
                  color="primary", disabled=finished == 0, classes=["teamsim-debrief"])
    if asked.value:
        Debrief(room, finished)
    if len(table):
        # Drawn when asked for, not on every refresh; the name changes with every quarter
        # played, so two different downloads never share one.
        played = int(table["quarters"].sum())
        solara.FileDownload(lambda: export_frame(room).to_csv(index=False,
                                                              float_format="%.6g").encode(),
                            label="Participants' runs (CSV)",
                            filename=f"teamsim_room_{room.code}_{len(table)}p_{played}q.csv",
                            mime_type="text/csv")


@solara.component
def Debrief(room: Room, finished: int) -> None:
    """The debrief of the participants finished so far (recomputed when more finish)."""
    task = solara.lab.use_task(lambda: debrief(room),  # type: ignore[arg-type]
                               dependencies=[room.code, finished])
    table = task.latest
    if table is None:
        solara.ProgressLinear(True)
        solara.Text("Replicating every plan and the built-in strategies…")
        return
    PlotlyChart(debrief_figure(table))
    solara.HTML(tag="div", unsafe_innerHTML=debrief_html(table))
    text = table.to_csv(index=False, float_format="%.6g")
    solara.FileDownload(text.encode(), label="Debrief (CSV)",
                        filename=f"teamsim_debrief_{room.code}_{finished}.csv",
                        mime_type="text/csv")
