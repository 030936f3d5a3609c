"""The workshop page: a preset, levers for configuration A and B, and the comparison.

Layout, left to right: the preset with its story and the levers of A and B (a slider and a
box to type a number, per lever; a list for the strategy and for the network structure);
the difference in words, the chart (output and the four core states, A and B with 95%
bands, withdrawn attention shaded), the final quarter's numbers and the export buttons.
Below: the team view (:mod:`simulation.workshop.team_view`).

State lives in the components (``use_reactive``), so every browser session has its own.
A comparison runs in a worker thread; while it runs, the last chart stays on screen.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reacton.ipyvuetify as rv
import solara
import solara.lab
from reacton.ipyvue import use_event

from simulation.figures import OUTCOME_TITLES, whatif_figure
from simulation.model.config import CADENCES, ScenarioConfig
from simulation.model.scenario_files import ConfigError
from simulation.model.strategies import REGISTRY
from simulation.workshop.controls import ConfigActions, QuarterSelect
from simulation.workshop.readings import reads_members
from simulation.workshop.team_view import TeamView
from simulation.workshop.whatif import (
    CADENCE,
    LABELS,
    LEVERS,
    MEASURES,
    STRATEGY,
    STRUCTURE,
    STRUCTURES,
    Lever,
    WhatIf,
    apply_levers,
    compare,
    copy_a_to_b,
    preset_levers,
    presets,
    structures_of,
)

DEFAULT_PRESET = "attention_withdrawn"
REPLICATION_CHOICES = ("10", "30", "100")
DEFAULT_REPLICATIONS = "30"
CHART_DPI = 90
GROUPS = tuple(dict.fromkeys(lever.group for lever in LEVERS.values()))
STRUCTURE_GROUP = "Team"
CADENCE_GROUP = "Leader"
"""The panel the feedback cadence sits in (first in it)."""
CADENCE_NOTE = ("weekly or fortnightly 1:1s, or a quarterly or annual review that gets the "
                "feedback hours banked for it")
"""The panel the structure lever sits in (first in it)."""
CHOICE_LABELS = {STRATEGY: "Strategy", STRUCTURE: "Network structure",
                 CADENCE: "Feedback cadence"}
NOT_READ = ("This strategy does not read the members' states: Diagnostic accuracy and "
            "Diagnostic bias change nothing under it.")

CSS = """
.teamsim-sentence { font-size: 1.5rem; font-weight: 500; line-height: 1.3; margin: 4px 0; }
.teamsim-differs { color: #555; font-size: 0.95rem; }
.teamsim-story { font-size: 0.95rem; color: #333; }
.teamsim-lever-label { font-size: 0.85rem; margin-top: 6px; color: #222; }
.teamsim-lever-note { color: #777; }
.teamsim-group { font-weight: 600; margin-top: 12px; color: #1565c0; }
.teamsim-chart img, img.teamsim-chart { width: 100%; max-width: 1400px; }
.teamsim-numbers { border-collapse: collapse; font-size: 0.95rem; }
.teamsim-numbers td, .teamsim-numbers th { padding: 2px 10px; text-align: right; }
.teamsim-numbers th:first-child, .teamsim-numbers td:first-child { text-align: left; }
.teamsim-pending { opacity: 0.55; transition: opacity 0.2s; }
"""


@dataclass(frozen=True)
class Shown:
    """A finished comparison and its chart, ready for the page and for export."""

    whatif: WhatIf
    png: bytes

    @property
    def sentence(self) -> str:
        return self.whatif.sentence


def show(a: ScenarioConfig, b: ScenarioConfig, replications: int, quarter: int = 0) -> Shown:
    """Run the comparison, its sentence of ``quarter`` (0: the last), and draw its chart
    (in a worker thread)."""
    whatif = compare(a, b, replications=replications, seed=a.seed, quarter=quarter or None)
    figure = whatif_figure(whatif.summary, whatif.a, whatif.b, whatif.sentence)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=CHART_DPI)
    return Shown(whatif, buffer.getvalue())


def differences(a: dict[str, Any], b: dict[str, Any]) -> str:
    """Which levers B sets differently from A, in words."""
    changed = []
    for name in (*CHOICE_LABELS, *LEVERS):
        if a[name] != b[name]:
            changed.append(f"{lever_label(name)} {shown_value(a[name])} → "
                           f"{shown_value(b[name])}")
    return "B differs from A in: " + "; ".join(changed) if changed else ""


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
def LeverControl(label: str, lever: Lever, value: float | None, config: ScenarioConfig,
                 on_value: Callable[[str, Any], bool],
                 on_refused: Callable[[str, str], None]) -> None:
    """One lever of configuration ``label``: its name, a slider and a box to type a number
    into."""
    low, high = lever.bounds(config)
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
def LeverPanel(label: str, levers: solara.Reactive[dict[str, Any]], base: ScenarioConfig,
               refusal: solara.Reactive[str]) -> None:
    """The levers of one configuration."""
    config = apply_levers(base, levers.value)

    def refuse(name: str, problem: str) -> None:
        """Say, naming the lever, why a value was refused and what the lever stays at."""
        refusal.set(f"{label}: refused. {lever_label(name)} {problem}; it stays at "
                    f"{shown_value(levers.value[name])}.")

    def set_lever(name: str, value: Any) -> bool:
        """Accept a value (True), or refuse it with a message naming the lever (False)."""
        proposed = {**levers.value, name: value}
        try:
            apply_levers(base, proposed)
        except ConfigError as error:
            refuse(name, error.problem)
            return False
        levers.set(proposed)
        refusal.set("")
        return True

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
        if group == CADENCE_GROUP:
            rv.Select(label="Feedback cadence", items=list(CADENCES),
                      v_model=levers.value[CADENCE],
                      on_v_model=lambda cadence: set_lever(CADENCE, cadence), dense=True,
                      hide_details=True, class_="teamsim-cadence"
                      ).key(f"{label}-cadence-{levers.value[CADENCE]}")
            solara.HTML(tag="div", unsafe_innerHTML=CADENCE_NOTE,
                        classes=["teamsim-lever-note"])
        if group == STRUCTURE_GROUP:
            StructureSelect(label, levers.value[STRUCTURE], base, set_lever)
        for lever in LEVERS.values():
            if lever.group == group:
                LeverControl(label, lever, levers.value[lever.name], config, set_lever, refuse)


def numbers_table(whatif: WhatIf) -> str:
    """The last quarter's means and intervals, A and B, as an HTML table."""
    summary = whatif.summary
    last = summary[summary["quarter"] == whatif.quarter].set_index("label")
    rows = []
    for measure in MEASURES:
        cells = []
        for label in LABELS:
            row = last.loc[label]
            cells.append(
                f"<td data-config='{label}' data-measure='{measure}' "
                f"data-mean='{row[measure]:.6g}'>{row[measure]:.2f} "
                f"<span class='teamsim-lever-note'>[{row[f'{measure}_low']:.2f}, "
                f"{row[f'{measure}_high']:.2f}]</span></td>")
        rows.append(f"<tr><td>{OUTCOME_TITLES[measure]}</td>{''.join(cells)}</tr>")
    return (f"<table class='teamsim-numbers'><tr><th>Quarter {whatif.quarter} "
            f"({whatif.replications} replications; mean [95% interval])</th><th>A</th>"
            f"<th>B</th></tr>{''.join(rows)}</table>")


@solara.component
def Comparison(a: ScenarioConfig, b: ScenarioConfig, replications: int, quarter: int) -> None:
    """The difference in words (of ``quarter``, 0: the last), the chart, the numbers and
    the export buttons."""
    task = solara.lab.use_task(lambda: show(a, b, replications, quarter),  # type: ignore[arg-type]
                               dependencies=[a, b, replications, quarter])
    shown: Shown | None = task.latest
    if task.error:
        solara.Error(f"The comparison failed: {task.exception}")
    if shown is None:
        solara.ProgressLinear(True)
        solara.Text("Running both configurations…")
        return
    pending = ["teamsim-pending"] if task.pending else []
    solara.ProgressLinear(task.pending)
    solara.HTML(tag="div", unsafe_innerHTML=shown.sentence,
                classes=["teamsim-sentence", *pending],
                attributes={"data-testid": "sentence", "data-pending": str(task.pending)})
    solara.Image(shown.png, classes=["teamsim-chart", *pending])
    with solara.Row(style={"align-items": "flex-start", "gap": "24px", "flex-wrap": "wrap"}):
        solara.HTML(tag="div", unsafe_innerHTML=numbers_table(shown.whatif))
        with solara.Column():
            solara.FileDownload(shown.png, filename=shown.whatif.file_name("png"),
                                label="Chart (PNG)", mime_type="image/png")
            solara.FileDownload(lambda: shown.whatif.to_csv(),
                                filename=shown.whatif.file_name("csv"),
                                label="Numbers (CSV)", mime_type="text/csv")


@solara.component
def Page() -> None:
    """The workshop page."""
    catalogue = presets()
    preset_name = solara.use_reactive(DEFAULT_PRESET)
    preset = catalogue[preset_name.value]
    levers = {label: solara.use_reactive(start) for label, start
              in preset_levers(preset).items()}
    refusal = solara.use_reactive("")
    editing = solara.use_reactive(f"Configuration {LABELS[1]}")  # B: "move B's levers"
    replications = solara.use_reactive(DEFAULT_REPLICATIONS)
    quarter = solara.use_reactive(0)  # the sentence's quarter; 0: the last

    def set_levers(values: dict[str, dict[str, Any]]) -> None:
        for label in LABELS:
            levers[label].set(values[label])
        refusal.set("")

    def choose_preset(name: str) -> None:
        preset_name.set(name)
        quarter.set(0)
        set_levers(preset_levers(catalogue[name]))

    configs = {label: apply_levers(preset.config, levers[label].value) for label in LABELS}
    solara.Title("TeamSim workshop")
    solara.Style(CSS)
    with solara.Columns([3, 7], style={"padding": "8px 16px"}):
        with solara.Column():
            solara.HTML(tag="h2", unsafe_innerHTML="TeamSim workshop: what if?")
            rv.Select(label="Preset", items=[{"text": p.title, "value": p.name}
                                             for p in catalogue.values()],
                      v_model=preset_name.value, on_v_model=choose_preset,
                      class_="teamsim-preset", hide_details=True)
            solara.HTML(tag="div", unsafe_innerHTML=preset.story, classes=["teamsim-story"],
                        attributes={"data-testid": "story"})
            with solara.Column():  # a fixed place, so a message does not remount the levers
                if refusal.value:
                    solara.Error(refusal.value, classes=["teamsim-refusal"])
            # One configuration's levers on screen at a time (not tabs holding both): a
            # second, hidden set of the same controls is a second set of event handlers.
            solara.ToggleButtonsSingle(value=editing, values=[f"Configuration {label}"
                                                              for label in LABELS],
                                       classes=["teamsim-editing"])
            ConfigActions(lambda: set_levers(preset_levers(preset)), lambda: set_levers(
                copy_a_to_b({label: levers[label].value for label in LABELS})))
            label = editing.value[-1]
            with solara.Column(classes=["teamsim-levers"],
                               style={"padding": "0"}).key(f"levers-{label}"):
                solara.HTML(tag="div", attributes={"data-config": label})
                LeverPanel(label, levers[label], preset.config, refusal).key(f"panel-{label}")
        with solara.Column():
            solara.HTML(tag="div", unsafe_innerHTML=differences(levers["A"].value,
                                                                levers["B"].value),
                        classes=["teamsim-differs"])
            Comparison(configs["A"], configs["B"], int(replications.value), quarter.value)
            with solara.Row(style={"align-items": "center"}):
                solara.Text("Replications of each:")
                solara.ToggleButtonsSingle(value=replications, values=list(REPLICATION_CHOICES))
                QuarterSelect(quarter, min(config.quarters for config in configs.values()))
                solara.Text(f"seed {preset.config.seed}; replication k of A and of B meets "
                            f"the same random numbers")
            TeamView(configs["A"], configs["B"])
