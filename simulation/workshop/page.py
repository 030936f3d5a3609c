"""The workshop page: a preset, levers for configurations A and B (up to D), and the
comparison.

Layout: a header (the title, the preset, how many configurations, presenter mode); on the
left the preset's story and the levers of the configuration being edited
(:mod:`simulation.workshop.lever_panel`), in a column that scrolls on its own, so the
results stay on screen while the levers scroll; on the right the differences in words, the
chart (drawn in the browser by Plotly: output and the four core states, each configuration
with its 95% band, withdrawn attention shaded), the numbers of the quarter spoken of and the
exports; below, the team view (:mod:`simulation.workshop.team_view`) of the configuration
being edited. In presenter mode the type is large, the chart takes the full width and the
levers open in a drawer at the side.

State lives in the components (``use_reactive``), so every browser session has its own.
A comparison runs off the event loop (:mod:`simulation.workshop.compute`); while it runs,
the last chart stays on screen.
"""

from __future__ import annotations

import html
import io
from collections.abc import Callable
from typing import Any

import reacton.ipyvuetify as rv
import solara
import solara.lab

from simulation.figures import OUTCOME_TITLES, whatif_figure
from simulation.model.config import ScenarioConfig
from simulation.workshop.browser_chart import PlotlyChart
from simulation.workshop.controls import (
    AUTO,
    ConfigActions,
    ConfigCount,
    SpanSelect,
    span_choice,
)
from simulation.workshop.lever_panel import LeverPanel, differences
from simulation.workshop.levers import LABELS, MEASURES, apply_levers
from simulation.workshop.team_view import TeamView
from simulation.workshop.whatif import (
    Preset,
    WhatIf,
    compare,
    copy_a_to_b,
    preset_levers,
    presets,
    withdrawal_span,
)
from simulation.workshop.whatif_chart import chart_data

DEFAULT_PRESET = "attention_withdrawn"
REPLICATION_CHOICES = ("10", "30", "100")
DEFAULT_REPLICATIONS = "30"
CHART_DPI = 90
"""The PNG download's resolution (drawn only when it is downloaded)."""

CSS = """
.teamsim-sentence { font-size: 1.5rem; font-weight: 500; line-height: 1.3; margin: 4px 0; }
.teamsim-differs { color: #555; font-size: 0.95rem; }
.teamsim-story { font-size: 0.95rem; color: #333; }
.teamsim-lever-label { font-size: 0.85rem; margin-top: 6px; color: #222; }
.teamsim-lever-note { color: #777; }
.teamsim-group { font-weight: 600; margin-top: 12px; color: #1565c0; }
.teamsim-numbers { border-collapse: collapse; font-size: 0.95rem; }
.teamsim-numbers td, .teamsim-numbers th { padding: 2px 10px; text-align: right; }
.teamsim-numbers th:first-child, .teamsim-numbers td:first-child { text-align: left; }
.teamsim-pending { opacity: 0.55; transition: opacity 0.2s; }
.teamsim-page { height: 100vh; overflow: hidden; display: flex; flex-direction: column;
                flex-wrap: nowrap; }
.teamsim-body { flex: 1 1 auto; min-height: 0; flex-wrap: nowrap; gap: 16px;
                align-items: stretch; }
.teamsim-lever-column { flex: 0 0 30%; height: 100%; overflow-y: auto; padding-right: 8px; }
.teamsim-results { flex: 1 1 0; min-width: 0; height: 100%; overflow-y: auto; }
.teamsim-body > .teamsim-hidden { display: none !important; }
.teamsim-body .teamsim-drawer-close { display: none !important; }
.teamsim-body > .teamsim-drawer .teamsim-drawer-close { display: inline-flex !important;
                                                        align-self: flex-end; }
.teamsim-refusal-place { position: sticky; top: 0; z-index: 3; }
.teamsim-chart { width: 100%; min-height: 420px; }
.teamsim-presenter .teamsim-sentence { font-size: 2.1rem; }
.teamsim-presenter .teamsim-differs { font-size: 1.25rem; }
.teamsim-presenter .teamsim-numbers { font-size: 1.35rem; }
.teamsim-presenter .teamsim-header h2 { font-size: 1.3rem; }
.teamsim-drawer { position: fixed; top: 0; right: 0; width: 440px; max-width: 92vw;
                  height: 100vh; overflow-y: auto; background: #fff; z-index: 20;
                  box-shadow: -4px 0 16px #0004; padding: 8px 16px; }
"""


def show(configs: tuple[ScenarioConfig, ...], replications: int, span: int | str = 0,
         outcome: str = AUTO, presenter: bool = False) -> tuple[WhatIf, Any]:
    """Run the comparison (off the event loop) and build its chart: the comparison spoken
    of over ``span`` (0: the last quarter; a quarter; or a span's name), on ``outcome``."""
    kind, quarter = span_choice(span)
    whatif = compare(*configs, replications=replications, seed=configs[0].seed,
                     quarter=quarter, span=kind, outcome=None if outcome == AUTO else outcome)
    return whatif, chart_data(whatif.summary, whatif.by_label, presenter=presenter)


def png(whatif: WhatIf) -> bytes:
    """The comparison's chart as a PNG (for a slide), drawn when it is downloaded."""
    buffer = io.BytesIO()
    whatif_figure(whatif.summary, whatif.by_label, whatif.sentence).savefig(
        buffer, format="png", dpi=CHART_DPI)
    return buffer.getvalue()


def numbers_table(whatif: WhatIf) -> str:
    """The means and intervals of the last quarter spoken of, every configuration, as an
    HTML table."""
    summary = whatif.summary
    last = summary[summary["quarter"] == whatif.quarter].set_index("label")
    rows = []
    for measure in MEASURES:
        cells = []
        for label in whatif.labels:
            row = last.loc[label]
            cells.append(
                f"<td data-config='{label}' data-measure='{measure}' "
                f"data-mean='{row[measure]:.6g}'>{row[measure]:.2f} "
                f"<span class='teamsim-lever-note'>[{row[f'{measure}_low']:.2f}, "
                f"{row[f'{measure}_high']:.2f}]</span></td>")
        rows.append(f"<tr><td>{OUTCOME_TITLES[measure]}</td>{''.join(cells)}</tr>")
    heads = "".join(f"<th>{label}</th>" for label in whatif.labels)
    return (f"<table class='teamsim-numbers'><tr><th>Quarter {whatif.quarter} "
            f"({whatif.replications} replications; mean [95% interval])</th>{heads}</tr>"
            f"{''.join(rows)}</table>")


def sentences_html(whatif: WhatIf) -> str:
    """Each difference from A in words, one to a line."""
    return "".join(f"<div data-config='{label}'>{html.escape(said)}</div>"
                   for label, said in whatif.sentences.items())


@solara.component
def Comparison(configs: tuple[ScenarioConfig, ...], replications: int, span: int | str,
               outcome: str, presenter: bool) -> None:
    """The differences in words, the chart, the numbers and the export buttons."""
    task = solara.lab.use_task(  # type: ignore[arg-type]
        lambda: show(configs, replications, span, outcome, presenter),
        dependencies=[configs, replications, span, outcome, presenter])
    shown: tuple[WhatIf, Any] | None = task.latest
    if task.error:
        solara.Error(f"The comparison failed: {task.exception}")
    if shown is None:
        solara.ProgressLinear(True)
        solara.Text("Running the configurations…")
        return
    whatif, figure = shown
    pending = ["teamsim-pending"] if task.pending else []
    solara.ProgressLinear(task.pending)
    solara.HTML(tag="div", unsafe_innerHTML=sentences_html(whatif),
                classes=["teamsim-sentence", *pending],
                attributes={"data-testid": "sentence", "data-pending": str(task.pending),
                            "data-result": whatif.file_name("csv")})
    PlotlyChart(figure, ["teamsim-chart", *pending])
    with solara.Row(style={"align-items": "flex-start", "gap": "24px", "flex-wrap": "wrap"}):
        solara.HTML(tag="div", unsafe_innerHTML=numbers_table(whatif))
        with solara.Column():
            solara.FileDownload(lambda: png(whatif), filename=whatif.file_name("png"),
                                label="Chart (PNG)", mime_type="image/png")
            solara.FileDownload(lambda: whatif.to_csv(), filename=whatif.file_name("csv"),
                                label="Numbers (CSV)", mime_type="text/csv")


@solara.component
def Page() -> None:
    """The workshop page."""
    catalogue = presets()
    preset_name = solara.use_reactive(DEFAULT_PRESET)
    preset = catalogue[preset_name.value]
    levers = {label: solara.use_reactive(start) for label, start
              in preset_levers(preset, len(LABELS)).items()}
    count = solara.use_reactive(2)
    refusal = solara.use_reactive("")
    editing = solara.use_reactive(f"Configuration {LABELS[1]}")  # B: "move B's levers"
    replications = solara.use_reactive(DEFAULT_REPLICATIONS)
    span: solara.Reactive[int | str] = solara.use_reactive(0)  # 0: the last quarter
    outcome = solara.use_reactive(AUTO)
    presenter = solara.use_reactive(False)
    drawer = solara.use_reactive(False)
    labels = LABELS[:count.value]

    def set_levers(values: dict[str, dict[str, Any]]) -> None:
        for label, chosen in values.items():
            levers[label].set(chosen)
        refusal.set("")

    def choose_preset(name: str) -> None:
        preset_name.set(name)
        span.set(0)
        set_levers(preset_levers(catalogue[name], len(LABELS)))

    def set_count(number: int) -> None:
        for label in LABELS[count.value:number]:  # a new configuration starts as A
            levers[label].set(dict(levers["A"].value))
        if editing.value[-1] not in LABELS[:number]:
            editing.set(f"Configuration {LABELS[number - 1]}")
        count.set(number)

    configs = tuple(apply_levers(preset.config, levers[label].value) for label in labels)
    withdrawn = withdrawal_span(configs)
    spoken = 0 if span.value == "withdrawal" and not withdrawn else span.value
    label = editing.value[-1] if editing.value[-1] in labels else labels[-1]
    solara.Title("TeamSim workshop")
    solara.Style(CSS)
    with solara.Column(classes=["teamsim-page", *(["teamsim-presenter"] if presenter.value
                                                  else [])], style={"padding": "8px 16px"}):
        with solara.Row(classes=["teamsim-header"],
                        style={"align-items": "center", "gap": "16px", "flex-wrap": "wrap"}):
            solara.HTML(tag="h2", unsafe_innerHTML="TeamSim workshop: what if?")
            rv.Select(label="Preset", items=[{"text": p.title, "value": p.name}
                                             for p in catalogue.values()],
                      v_model=preset_name.value, on_v_model=choose_preset,
                      class_="teamsim-preset", hide_details=True, style_="max-width: 300px")
            solara.Text("Configurations:")
            ConfigCount(count.value, set_count, len(LABELS))
            solara.Switch(label="Presenter mode", value=presenter,
                          classes=["teamsim-presenter-switch"])
            if presenter.value:
                solara.Button("Close the levers" if drawer.value else "Levers",
                              on_click=lambda: drawer.set(not drawer.value), color="primary",
                              classes=["teamsim-drawer-button"])
        # The same two columns in both modes (so nothing remounts when presenter mode is
        # switched): the levers' column is hidden, or opened as a drawer, in presenter mode.
        if not presenter.value:
            place = "teamsim-lever-column"
        else:
            place = "teamsim-drawer" if drawer.value else "teamsim-hidden"
        with solara.Row(classes=["teamsim-body"]):
            with solara.Column(classes=[place]):
                solara.Button("Close the levers", on_click=lambda: drawer.set(False),
                              color="primary", classes=["teamsim-drawer-close"])
                LeverColumn(preset, levers, labels, label, editing, refusal, set_levers)
            with solara.Column(classes=["teamsim-results"]):
                Results(configs, levers, labels, replications, span, spoken, outcome,
                        withdrawn, presenter.value)
                TeamView(dict(zip(labels, configs, strict=True)), label)


@solara.component
def LeverColumn(preset: Preset, levers: dict[str, solara.Reactive[dict[str, Any]]],
                labels: tuple[str, ...], label: str, editing: solara.Reactive[str],
                refusal: solara.Reactive[str],
                set_levers: Callable[[dict[str, dict[str, Any]]], None]) -> None:
    """The preset's story and the levers of the configuration being edited, with a
    refusal's message held at the top as the levers scroll."""
    with solara.Column(classes=["teamsim-refusal-place"]):  # the levers stay mounted
        if refusal.value:
            solara.Error(refusal.value, classes=["teamsim-refusal"])
    solara.HTML(tag="div", unsafe_innerHTML=preset.story, classes=["teamsim-story"],
                attributes={"data-testid": "story"})
    # One configuration's levers on screen at a time (not tabs holding all): a second,
    # hidden set of the same controls is a second set of event handlers.
    solara.ToggleButtonsSingle(value=editing, values=[f"Configuration {name}"
                                                      for name in labels],
                               classes=["teamsim-editing"])
    ConfigActions(lambda: set_levers(preset_levers(preset, len(LABELS))), lambda: set_levers(
        copy_a_to_b({name: levers[name].value for name in labels})))
    with solara.Column(classes=["teamsim-levers"], style={"padding": "0"}).key(f"levers-{label}"):
        solara.HTML(tag="div", attributes={"data-config": label})
        LeverPanel(label, levers[label], preset.config, refusal).key(f"panel-{label}")


@solara.component
def Results(configs: tuple[ScenarioConfig, ...],
            levers: dict[str, solara.Reactive[dict[str, Any]]], labels: tuple[str, ...],
            replications: solara.Reactive[str], span: solara.Reactive[int | str],
            spoken: int | str, outcome: solara.Reactive[str], withdrawn: tuple[int, ...],
            presenter: bool) -> None:
    """What the configurations change, the comparison and its settings."""
    changed = [differences(levers["A"].value, levers[name].value, name) for name in labels[1:]]
    solara.HTML(tag="div", unsafe_innerHTML="<br>".join(line for line in changed if line),
                classes=["teamsim-differs"])
    Comparison(configs, int(replications.value), spoken, outcome.value, presenter)
    with solara.Row(style={"align-items": "center", "flex-wrap": "wrap", "gap": "8px"}):
        solara.Text("Replications of each:")
        solara.ToggleButtonsSingle(value=replications, values=list(REPLICATION_CHOICES))
        SpanSelect(span, outcome, min(config.quarters for config in configs), withdrawn)
        solara.Text(f"seed {configs[0].seed}; replication k of every configuration meets "
                    f"the same random numbers")
