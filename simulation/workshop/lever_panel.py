"""The levers of one configuration on the what-if page: a list for each choice (strategy,
feedback cadence, the bias's cause, network structure) and, for each number, a slider and a
box to type it into. A value is checked as the scenario's keys are (:mod:`.levers`); a
refused one is named, with what the lever stays at, and the control shows the kept value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reacton.ipyvuetify as rv
import solara
from reacton.ipyvue import use_event

from simulation.model.config import CADENCES, ScenarioConfig
from simulation.model.scenario_files import ConfigError
from simulation.model.strategies import REGISTRY
from simulation.workshop.levers import (
    BIAS_CAUSE,
    BIAS_CAUSES,
    CADENCE,
    LEVERS,
    STRATEGY,
    STRUCTURE,
    STRUCTURES,
    Lever,
    apply_levers,
    structures_of,
)
from simulation.workshop.readings import reads_members

GROUPS = tuple(dict.fromkeys(lever.group for lever in LEVERS.values()))
STRUCTURE_GROUP = "Team"
"""The panel the structure lever sits in (first in it)."""
LEADER_GROUP = "Leader"
"""The panel the feedback cadence and the bias's cause sit in (first in it)."""
CADENCE_NOTE = ("weekly or fortnightly 1:1s, or a quarterly or annual review that gets the "
                "feedback hours banked for it")
BIAS_CAUSE_NOTE = "the root cause the leader tends to see everywhere (Diagnostic bias: how much)"
CHOICE_LABELS = {STRATEGY: "Strategy", STRUCTURE: "Network structure",
                 CADENCE: "Feedback cadence", BIAS_CAUSE: "Bias towards the cause"}
NOT_READ = ("This strategy does not read the members' states: Diagnostic accuracy and "
            "Diagnostic bias change nothing under it.")


def differences(a: dict[str, Any], b: dict[str, Any], label: str = "B") -> str:
    """Which levers configuration ``label`` (``b``) sets differently from A, in words."""
    changed = []
    for name in (*CHOICE_LABELS, *LEVERS):
        if a[name] != b[name]:
            changed.append(f"{lever_label(name)} {shown_value(a[name])} → "
                           f"{shown_value(b[name])}")
    return f"{label} differs from A in: " + "; ".join(changed) if changed else ""


def lever_label(name: str) -> str:
    """What the page calls a lever."""
    return CHOICE_LABELS[name] if name in CHOICE_LABELS else LEVERS[name].label


def shown_value(value: Any) -> str:
    """A lever's value as the page writes it (an optional lever left unset: "auto")."""
    if value is None:
        return "auto"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def parse_typed(lever: Lever, text: str) -> float | int | None:
    """A number typed into a lever's box (a decimal comma is read as a point), or None for
    "auto" in an optional lever's; ValueError, with the problem in words, if it is not the
    lever's kind of number."""
    if lever.optional and text.strip().lower() == "auto":
        return None
    try:
        number = float(text.strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"must be a number, got {text.strip()!r}") from None
    if lever.whole:
        if not number.is_integer():
            raise ValueError(f"must be a whole number, got {text.strip()!r}")
        return int(number)
    return number


@solara.component
def LeverSlider(lever: Lever, value: float | None, low: float, high: float,
                on_commit: Callable[[float], None]) -> None:
    """A slider that commits its value when released (or moved by a key), not while it is
    dragged: a comparison runs once per move, not once per pixel. An optional lever left
    unset (None) rests at its low end until it is moved."""
    shown, set_shown = solara.use_state(low if value is None else value)
    slider = rv.Slider(v_model=shown, on_v_model=set_shown, min=low, max=high,
                       step=lever.step, thumb_label=True, hide_details=True, dense=True,
                       class_=f"teamsim-slider teamsim-slider-{lever.name}",
                       style_="min-width: 120px")

    def released(_widget: Any, _event: str, data: Any) -> None:
        on_commit(data)

    use_event(slider, "change", released)  # type: ignore[arg-type]  # called (widget, event, data)


@solara.component
def LeverControl(label: str, lever: Lever, value: float | None, low: float, high: float,
                 on_value: Callable[[str, Any], bool],
                 on_refused: Callable[[str, str], None]) -> None:
    """One lever of configuration ``label`` (its range ``low`` to ``high``): its name, a
    slider and a box to type a number into. Its arguments stay equal while another lever
    moves, so it is not drawn again then."""
    refusals, set_refusals = solara.use_state(0)

    def commit(raw: Any) -> None:
        number = round(float(raw), 6)
        on_value(lever.name, int(number) if lever.whole else number)

    def typed(text: str) -> None:
        try:
            number = parse_typed(lever, text)
        except ValueError as error:
            on_refused(lever.name, str(error))
            set_refusals(refusals + 1)
            return
        if not on_value(lever.name, number):
            set_refusals(refusals + 1)  # show the kept value again

    note = f" ({lever.note})" if lever.note else ""
    solara.HTML(tag="div", unsafe_innerHTML=(
        f"{lever.label} <span class='teamsim-lever-note'>{low:g}–{high:g}{note}</span>"),
        classes=["teamsim-lever-label"])
    with solara.Row(style={"align-items": "center", "gap": "6px"}):
        # Keys remount a control when its value is set from outside (so it shows the value,
        # or shows it again after a refusal); they name the configuration, so that A's
        # controls are never reused for B's.
        LeverSlider(lever, value, low, high, commit).key(f"{label}-slider-{lever.name}-{value}")
        TypedBox(lever, value, typed).key(f"{label}-box-{lever.name}-{value}-{refusals}")


@solara.component
def TypedBox(lever: Lever, value: float | None, on_typed: Callable[[str], None]) -> None:
    """A box to type a lever's value into; it is read on Enter or when it loses focus."""
    text, set_text = solara.use_state(shown_value(value))
    box = rv.TextField(v_model=text, on_v_model=set_text, dense=True, hide_details=True,
                       outlined=True, style_="max-width: 86px",
                       class_=f"teamsim-box teamsim-box-{lever.name}")

    def entered(_widget: Any, _event: str, data: Any) -> None:
        on_typed(str(data))

    use_event(box, "change", entered)  # type: ignore[arg-type]  # called (widget, event, data)


def structure_text(structure: str, config: ScenarioConfig) -> str:
    """A structure as the list names it."""
    if structure == "subgroups":
        return f"subgroups ({config.network.subgroups})"
    return structure.replace("_", " ")


@solara.component
def StructureSelect(label: str, value: str, base: ScenarioConfig,
                    on_value: Callable[[str, Any], bool]) -> None:
    """Who works with whom, for configuration ``label`` of the preset ``base``: a list of
    structures, with what the chosen one means. (A refused choice is not kept: the list
    shows ``value`` again when the panel redraws with the refusal.)"""
    rv.Select(label="Network structure", v_model=value,
              on_v_model=lambda structure: on_value(STRUCTURE, structure), dense=True,
              hide_details=True, class_="teamsim-structure",
              items=[{"text": structure_text(structure, base), "value": structure}
                     for structure in structures_of(base)]).key(f"{label}-structure-{value}")
    solara.HTML(tag="div", unsafe_innerHTML=STRUCTURES.get(value, "the ties the preset lists"),
                classes=["teamsim-lever-note"])


@solara.component
def ChoiceSelect(label: str, name: str, items: list[str], value: str, note: str,
                 on_value: Callable[[str, Any], bool]) -> None:
    """A lever that is a choice from a list (the feedback cadence, the bias's cause), with
    what it means."""
    rv.Select(label=CHOICE_LABELS[name], items=items, v_model=value,
              on_v_model=lambda chosen: on_value(name, chosen), dense=True,
              hide_details=True, class_=f"teamsim-{name.replace('_', '-')}"
              ).key(f"{label}-{name}-{value}")
    solara.HTML(tag="div", unsafe_innerHTML=note, classes=["teamsim-lever-note"])


@solara.component
def LeverPanel(label: str, levers: solara.Reactive[dict[str, Any]], base: ScenarioConfig,
               refusal: solara.Reactive[str]) -> None:
    """The levers of one configuration."""
    config = apply_levers(base, levers.value)

    def refused(name: str, problem: str) -> None:
        """Say, naming the lever, why a value was refused and what the lever stays at."""
        refusal.set(f"{label}: refused. {lever_label(name)} {problem}; it stays at "
                    f"{shown_value(levers.value[name])}.")

    def proposed_value(name: str, value: Any) -> bool:
        """Accept a value (True), or refuse it with a message naming the lever (False)."""
        proposed = {**levers.value, name: value}
        try:
            apply_levers(base, proposed)
        except ConfigError as error:
            refused(name, error.problem)
            return False
        levers.set(proposed)
        refusal.set("")
        return True

    # The same functions from one drawing to the next (they read the levers when called),
    # so the controls of the levers that did not move keep equal arguments.
    refuse = solara.use_memo(lambda: refused, [label, base, levers, refusal])
    set_lever = solara.use_memo(lambda: proposed_value, [label, base, levers, refusal])

    strategy_names = REGISTRY.names()
    rv.Select(label="Strategy", items=strategy_names, v_model=levers.value[STRATEGY],
              on_v_model=lambda name: set_lever(STRATEGY, name), dense=True, hide_details=True,
              class_="teamsim-strategy")
    solara.HTML(tag="div", unsafe_innerHTML=REGISTRY.get(levers.value[STRATEGY]).description,
                classes=["teamsim-lever-note"])
    if not reads_members(levers.value[STRATEGY]):
        solara.HTML(tag="div", unsafe_innerHTML=NOT_READ, classes=["teamsim-not-read"])
    for group in GROUPS:
        solara.HTML(tag="div", unsafe_innerHTML=group, classes=["teamsim-group"])
        if group == LEADER_GROUP:
            ChoiceSelect(label, CADENCE, list(CADENCES), levers.value[CADENCE], CADENCE_NOTE,
                         set_lever)
            ChoiceSelect(label, BIAS_CAUSE, list(BIAS_CAUSES), levers.value[BIAS_CAUSE],
                         BIAS_CAUSE_NOTE, set_lever)
        if group == STRUCTURE_GROUP:
            StructureSelect(label, levers.value[STRUCTURE], base, set_lever)
        for lever in LEVERS.values():
            if lever.group == group:
                LeverControl(label, lever, levers.value[lever.name], *lever.bounds(config),
                             set_lever, refuse)


