"""The team view: one run of the Mesa agents, week by week, for a room to watch.

Above the members, the team's climate: a line of figures (psychological safety, cohesion,
collective efficacy, mutual accountability, task and relationship conflict, tie strength)
read from the model as it plays. Then the ties (:mod:`simulation.workshop.ties_svg`): a
node per member on a circle, a line per strong tie. Each member is also a card: a dot
coloured by the state the trainer picks (red bad, green good) and four small bars for
capability, motivation, trust and accountability, read from the ``TeamMember`` agents
themselves. A vacant slot (someone left, the post is being filled) shows as an empty card
and a hollow node. Play, pause and step move the session's own model; choosing the other
configuration to edit, or changing it, starts a fresh run.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reacton.ipyvuetify as rv
import solara
import solara.lab
from matplotlib import colormaps
from matplotlib.colors import to_hex

from simulation.engines.mesa_model import TeamModel
from simulation.figures.style import outcome_title
from simulation.model.config import WEEKS_PER_QUARTER, ScenarioConfig
from simulation.model.state import TEAM_MEASURES, TEAM_VARIABLES
from simulation.workshop import ties_svg

STATES: dict[str, str] = {
    "capability": "Capability",
    "motivation": "Motivation",
    "trust": "Trust",
    "accountability": "Accountability",
}
"""The member states drawn as bars on a card, with their names on the page."""


@dataclass(frozen=True)
class Shade:
    """A member state the dots can be coloured by: its name on the page, and whether a
    high value is good (green) or bad (red)."""

    title: str
    high_is_good: bool = True

    @property
    def scale(self) -> str:
        """How the colours read, in words."""
        return "red low, green high" if self.high_is_good else "green low, red high"


COLOUR_BY: dict[str, Shade] = {
    "motivation": Shade("Motivation"),
    "capability": Shade("Capability"),
    "trust": Shade("Trust in the leader"),
    "accountability": Shade("Accountability"),
    "role_clarity": Shade("Role clarity"),
    "conscientiousness": Shade("Conscientiousness"),
    "exhaustion": Shade("Exhaustion", high_is_good=False),
    "departure_shock": Shade("Departure shock", high_is_good=False),
}
"""The member states the "Colour by" choice offers (each from 0 to 1), in its order."""

CLIMATE: tuple[str, ...] = ("psychological_safety", "cohesion", "collective_efficacy",
                             "mutual_accountability", "task_conflict",
                             "relationship_conflict", "tie_strength")
"""The team-level states in the climate line (named on the page as on the figures)."""

FRICTIONS = ("task_conflict", "relationship_conflict")
"""Climate figures where more is friction (their bars are drawn in another colour)."""

SPEEDS: dict[str, float] = {"slow": 0.6, "normal": 0.25, "fast": 0.05}
"""Seconds between weeks while playing."""

COLOURS = colormaps["RdYlGn"]

SHUTTING_DOWN = threading.Event()
"""Set when the server stops: every playing team view stops at its next week (their
threads would otherwise keep the process alive until their runs end)."""

CSS = """
.teamsim-team { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
.teamsim-member { width: 112px; border: 1px solid #ccc; border-radius: 8px; padding: 6px;
                  background: #fff; font-size: 0.75rem; line-height: 1.25; }
.teamsim-member.vacant { border-style: dashed; color: #999; background: #fafafa; }
.teamsim-dot { width: 28px; height: 28px; border-radius: 50%; display: inline-block;
               vertical-align: middle; margin-right: 8px; border: 1px solid #0003; }
.teamsim-bar { height: 7px; background: #eee; border-radius: 3px; margin: 1px 0 4px 0; }
.teamsim-bar > div { height: 7px; border-radius: 3px; background: #1565c0; }
.teamsim-week { font-size: 1.1rem; font-weight: 500; }
.teamsim-situation { color: #777; font-style: italic; min-height: 2.5em; }
.teamsim-climate { display: flex; flex-wrap: wrap; gap: 4px 14px; margin: 6px 0 2px 0;
                   font-size: 0.8rem; }
.teamsim-climate > div { white-space: nowrap; min-width: 90px; }
.teamsim-climate b { font-size: 0.95rem; }
.teamsim-climate .friction .teamsim-bar > div { background: #ef6c00; }
.teamsim-network { display: flex; gap: 12px; align-items: flex-start; }
""" + ties_svg.CSS


def member_colour(member: Any, colour_by: str) -> str:
    """The colour of a member's dot (and node) for the state chosen."""
    value = min(max(float(getattr(member, colour_by)), 0.0), 1.0)
    return to_hex(COLOURS(value if COLOUR_BY[colour_by].high_is_good else 1.0 - value))


def member_card(member: Any, colour_by: str) -> str:
    """One member as an HTML card (values in data attributes, for tests and styling)."""
    values = {state: float(getattr(member, state)) for state in {**STATES, **COLOUR_BY}}
    colour = member_colour(member, colour_by)
    bars = "".join(
        f"<div>{title} {values[state]:.2f}</div>"
        f"<div class='teamsim-bar'><div style='width:{100 * values[state]:.0f}%'></div></div>"
        for state, title in STATES.items())
    data = " ".join(f"data-{state.replace('_', '-')}='{value:.4f}'"
                    for state, value in values.items())
    return (f"<div class='teamsim-member' data-slot='{member.slot}' {data}>"
            f"<div><span class='teamsim-dot' data-colour='{colour}' "
            f"style='background:{colour}'></span>"
            f"<b>#{member.unique_id}</b></div><div class='teamsim-situation' title='how the "
            f"leader reads this member'>{html.escape(member.situation.replace('_', ' '))}"
            f"</div>{bars}</div>")


def vacant_card(slot: int) -> str:
    """A slot whose member left; the post is being filled."""
    return (f"<div class='teamsim-member vacant' data-slot='{slot}' data-vacant='1'>"
            f"<div><span class='teamsim-dot' style='background:#fff'></span>"
            f"<b>vacant</b></div><div>someone left; the post is being filled</div></div>")


def team_html(model: TeamModel, colour_by: str) -> str:
    """The whole team, slot by slot."""
    cards = [vacant_card(slot) if member is None else member_card(member, colour_by)
             for slot, member in enumerate(model.members)]
    return f"<div class='teamsim-team'>{''.join(cards)}</div>"


def climate_html(model: TeamModel) -> str:
    """The team's climate as a line of labelled figures, each with a small bar."""
    meanings = {**TEAM_VARIABLES, **TEAM_MEASURES}
    figures = []
    for name in CLIMATE:
        title = html.escape(outcome_title(name))
        value = float(getattr(model, name))
        friction = " class='friction'" if name in FRICTIONS else ""
        figures.append(
            f"<div{friction} data-climate='{name}' data-value='{value:.4f}' "
            f"title='{html.escape(meanings[name], quote=True)}'>{title} <b>{value:.2f}</b>"
            f"<div class='teamsim-bar'><div style='width:{100 * min(value, 1.0):.0f}%'>"
            f"</div></div></div>")
    return (f"<div class='teamsim-climate' data-testid='team-climate'>{''.join(figures)}"
            f"</div>")


def network_svg(model: TeamModel, colour_by: str) -> str:
    """The ties between members, nodes coloured like the cards' dots."""
    colours = [None if member is None else member_colour(member, colour_by)
               for member in model.members]
    labels = [f"slot {slot}: vacant" if member is None else
              f"#{member.unique_id}: {COLOUR_BY[colour_by].title.lower()} "
              f"{float(getattr(member, colour_by)):.2f}"
              for slot, member in enumerate(model.members)]
    return ties_svg.ties_svg(model.state.ties, colours, labels)


def view_html(model: TeamModel, colour_by: str) -> str:
    """Everything the view redraws each week: the climate, the ties and the cards."""
    return (f"{climate_html(model)}<div class='teamsim-network'><div class='teamsim-ties'>"
            f"{network_svg(model, colour_by)}</div>{team_html(model, colour_by)}</div>")


def status_line(model: TeamModel) -> str:
    """Where the run is, and what the leader did this week."""
    week = model.weeks_done
    if week == 0:
        return f"Week 0 of {model.config.weeks}: the team as it starts."
    quarter = (week - 1) // WEEKS_PER_QUARTER + 1
    plan = model.leader.last_plan
    hours = 0.0 if plan is None else float(plan.hours_planned)
    crisis = 0.0 if plan is None else float(plan.crisis_hours)
    share = model.leader.attention_share()
    output = float(model.last_output.sum())
    parts = [f"Week {week} of {model.config.weeks} (quarter {quarter}).",
             f"Team output last week: {output:.2f}.",
             f"Leader: {hours:.1f} hours for the team"]
    if share < 1:
        parts[-1] += f" ({100 * share:.0f}% of normal: attention withdrawn)"
    if crisis > 0:
        parts[-1] += f", {crisis:.1f} of them taken by a crisis"
    parts[-1] += "."
    return " ".join(parts)


@solara.component
def TeamView(configs: dict[str, ScenarioConfig], which: str) -> None:
    """One run of configuration ``which`` (the one being edited), week by week, with play,
    pause and step. Its run goes on through changes that leave that configuration as it
    is (another configuration's levers, the sentence, the replications)."""
    colour_by = solara.use_reactive("motivation")
    speed = solara.use_reactive("normal")
    playing = solara.use_reactive(False)
    restarts = solara.use_reactive(0)
    week = solara.use_reactive(0)  # re-renders the cards after each step
    config = configs[which]

    def fresh_model() -> TeamModel:
        return TeamModel(config, seed=config.seed, replication=0)

    model = solara.use_memo(fresh_model, dependencies=[config, restarts.value])

    def release() -> Callable[[], None]:
        playing.set(False)
        week.set(0)
        return model.release

    solara.use_effect(release, [model])

    def step() -> None:
        if model.running:
            model.step()
        week.set(model.weeks_done)
        if not model.running:
            playing.set(False)

    def play() -> None:
        # Stops when paused, at the run's end, when the server stops, or when the task is
        # cancelled (its dependencies changed, or the participant's session closed).
        while playing.value and model.running and task.is_current():
            if SHUTTING_DOWN.wait(SPEEDS[speed.value]) or not playing.value:
                break
            step()

    task = solara.lab.use_task(play, dependencies=[playing.value, model])  # type: ignore[arg-type]

    solara.Style(CSS)
    with solara.Card("The team, week by week (one run of the Mesa agents)"):
        with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "12px"}):
            solara.Button("Pause" if playing.value else "Play", color="primary",
                          on_click=lambda: playing.set(not playing.value),
                          disabled=not model.running, classes=["teamsim-play"])
            solara.Button("Step", on_click=step, disabled=playing.value or not model.running,
                          classes=["teamsim-step"])
            solara.Button("Restart", on_click=lambda: restarts.set(restarts.value + 1),
                          classes=["teamsim-restart"])
            with solara.Column(style={"width": "200px"}):
                rv.Select(label="Colour by", v_model=colour_by.value,
                          on_v_model=colour_by.set, dense=True, hide_details=True,
                          items=[{"text": shade.title, "value": state}
                                 for state, shade in COLOUR_BY.items()],
                          class_="teamsim-colour-by")
            with solara.Column(style={"width": "120px"}):
                solara.Select("Speed", values=list(SPEEDS), value=speed)
        solara.HTML(tag="div", unsafe_innerHTML=html.escape(status_line(model)),
                    classes=["teamsim-week"],
                    attributes={"data-testid": "team-week", "data-week": str(week.value)})
        solara.HTML(tag="div", unsafe_innerHTML=view_html(model, colour_by.value))
        shade = COLOUR_BY[colour_by.value]
        solara.Text(f"Configuration {which}, replication 0 of seed {config.seed}; "
                    f"colour: {shade.title.lower()} ({shade.scale}); lines: ties stronger "
                    f"than {ties_svg.TIE_THRESHOLD:g}, wider and darker the stronger.")
