"""The workshop's command, the page's helpers and the team view's drawing, without a
browser (the page itself is tested in Chromium: test_workshop_browser.py)."""

from __future__ import annotations

import re
import socket
import time
from types import SimpleNamespace
from typing import Any

import ipyvuetify as v
import numpy as np
import pytest
import solara
import solara.widgets
from conftest import teamsim
from matplotlib.colors import to_hex

from simulation import TeamModel, load_scenario
from simulation.figures.style import outcome_title
from simulation.workshop.browser_chart import BrowserChart
from simulation.workshop.lever_panel import NOT_READ, LeverControl, differences, parse_typed
from simulation.workshop.levers import LEVERS, apply_levers, levers_of
from simulation.workshop.page import Page
from simulation.workshop.team_view import (
    CLIMATE,
    COLOUR_BY,
    COLOURS,
    climate_html,
    member_colour,
    network_svg,
    team_html,
    view_html,
)
from simulation.workshop.ties_svg import TIE_THRESHOLD, ties_svg
from simulation.workshop.whatif import compare, presets


def test_a_port_in_use_is_a_one_line_error(capsys):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        outcome = teamsim(capsys, "workshop", "--port", str(port))
    assert outcome.code == 2
    assert outcome.err.strip() == (f"teamsim: error: --port {port}: in use by another "
                                   f"program; choose another port")


def test_a_port_out_of_range_is_refused(capsys):
    outcome = teamsim(capsys, "workshop", "--port", "70000")
    assert outcome.code == 2
    assert "--port: must be from 0 to 65535" in outcome.err


def test_the_page_says_which_levers_b_changed():
    a = levers_of(presets()["attention_withdrawn"].config)
    assert differences(a, a) == ""
    b = {**a, "strategy": "firefighter", "systems_share": 0.33}
    assert differences(a, b) == ("B differs from A in: Strategy coach → firefighter; "
                                 "Hours building systems 0 → 0.33")


@pytest.mark.parametrize(("lever", "text", "value"), [
    ("attention_hours", " 12 ", 12.0), ("capability", "0,4", 0.4), ("team_size", "9", 9),
    ("team_size", "9.0", 9)])
def test_typed_numbers_are_read_as_the_lever_needs(lever, text, value):
    assert parse_typed(LEVERS[lever], text) == value


@pytest.mark.parametrize(("lever", "text"), [("team_size", "8.5"), ("capability", "high")])
def test_typed_text_that_is_not_the_levers_number_is_refused(lever, text):
    with pytest.raises(ValueError):
        parse_typed(LEVERS[lever], text)


def test_the_page_names_the_team_levers_b_changed():
    a = levers_of(presets()["attention_withdrawn"].config)
    b = {**a, "structure": "subgroups", "interdependence": 0.9, "complexity": 0.2}
    assert differences(a, b) == ("B differs from A in: Network structure complete → "
                                 "subgroups; Interdependence 0.5 → 0.9; Task complexity 0.5 → "
                                 "0.2")


# --- the page's state (rendered without a browser) ----------------------------------------


def rendered_page() -> Any:
    """The page rendered in this process (its widgets, found by class or label)."""
    _box, rendered = solara.render(Page(), handle_error=False)
    return rendered


def html_with(rendered: Any, attribute: str, value: str | None = None) -> list[Any]:
    """The page's HTML blocks with an attribute (and, if given, that value)."""
    return [html for html in rendered.find(solara.widgets.HTML).widgets
            if attribute in html.attributes
            and (value is None or html.attributes[attribute] == value)]


def differs(rendered: Any) -> str:
    """The line above the chart that names the levers B sets differently."""
    return str(html_with(rendered, "class", "teamsim-differs")[0].unsafe_innerHTML)


def type_lever(rendered: Any, lever: str, text: str) -> None:
    """Type a value into the shown configuration's box for a lever, and press Enter."""
    rendered.find(v.TextField, class_=f"teamsim-box teamsim-box-{lever}").widget.fire_event(
        "change", text)


def click(rendered: Any, label: str) -> None:
    """Click a button of the page by its label."""
    rendered.find(v.Btn, children=[label]).widget.click()


def shown_chart(rendered: Any, before: str | None = None) -> tuple[str, dict[str, Any]]:
    """The comparison shown (its digest) and the chart sent to the browser, once one other
    than ``before`` is done."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = html_with(rendered, "data-testid", "sentence")
        if found and found[0].attributes["data-pending"] == "False" \
                and found[0].attributes["data-result"] != before:
            return found[0].attributes["data-result"], rendered.find(BrowserChart).widget.figure
        time.sleep(0.05)
    raise AssertionError("no new comparison within a minute")


def output_line(figure: dict[str, Any], label: str) -> list[float]:
    """A configuration's mean team output by quarter, as the chart draws it."""
    return next(trace["y"] for trace in figure["data"] if trace["name"] == label
                and trace["mode"] == "lines+markers" and trace["xaxis"] == "x")


def test_the_chart_sent_to_the_browser_is_the_comparison_of_the_levers_set():
    rendered = rendered_page()
    shown, before = shown_chart(rendered)
    type_lever(rendered, "systems_share", "0.4")
    _, after = shown_chart(rendered, shown)
    base = presets()["attention_withdrawn"].config
    expected = compare(base, apply_levers(base, {"systems_share": 0.4}), replications=30,
                       seed=base.seed).summary
    b = expected[expected["label"] == "B"].sort_values("quarter")["team_output"]
    assert output_line(after, "B") == pytest.approx(b.tolist(), rel=1e-12)
    assert output_line(after, "B") != output_line(before, "B")
    assert output_line(after, "A") == output_line(before, "A")


def test_moving_one_lever_redraws_its_own_control_not_every_lever():
    # Twenty participants changing levers at once share the server's one interpreter: a
    # change must not redraw the twenty controls that did not move.
    rendered = rendered_page()
    shown, _ = shown_chart(rendered)
    drawn = LeverControl.render_count
    type_lever(rendered, "systems_share", "0.3")
    shown_chart(rendered, shown)
    assert LeverControl.render_count - drawn == 1


def test_the_page_opens_with_b_selected_for_editing():
    rendered = rendered_page()
    editing = rendered.find(v.BtnToggle, class_="teamsim-editing").widget
    assert editing.v_model == 1  # the second choice: Configuration B
    assert [html.attributes["data-config"] for html in html_with(rendered, "data-config")] \
        == ["B"]
    type_lever(rendered, "systems_share", "0.33")
    assert differs(rendered) == "B differs from A in: Hours building systems 0 → 0.33"


def test_the_reset_button_brings_both_configurations_back_to_the_preset():
    rendered = rendered_page()
    type_lever(rendered, "attention_hours", "12")
    assert differs(rendered) == "B differs from A in: Leader hours per week 8 → 12"
    click(rendered, "Reset to the preset")
    assert differs(rendered) == ""
    box = rendered.find(v.TextField, class_="teamsim-box teamsim-box-attention_hours").widget
    assert box.v_model == "8"


def test_the_copy_button_sets_b_to_as_levers():
    rendered = rendered_page()
    type_lever(rendered, "systems_share", "0.33")  # B
    rendered.find(v.BtnToggle, class_="teamsim-editing").widget.v_model = 0  # show A
    type_lever(rendered, "attention_hours", "12")
    assert "Leader hours per week 12 → 8" in differs(rendered)
    click(rendered, "Copy A to B")
    assert differs(rendered) == ""
    rendered.find(v.BtnToggle, class_="teamsim-editing").widget.v_model = 1  # show B
    box = rendered.find(v.TextField, class_="teamsim-box teamsim-box-attention_hours").widget
    assert box.v_model == "12"


def test_the_sentence_offers_every_quarter_the_withdrawal_and_the_whole_run():
    select = rendered_page().find(v.Select, class_="teamsim-quarter").widget
    assert select.v_model == 0
    assert [item["value"] for item in select.items] == [*range(12), "withdrawal",
                                                         "cumulative"]
    assert select.items[0]["text"] == "the last quarter (12)"
    assert select.items[-2]["text"] == "the withdrawal (mean of quarters 5 to 8)"


def test_a_preset_without_a_withdrawal_offers_none_to_speak_of():
    rendered = rendered_page()
    rendered.find(v.Select, class_="teamsim-preset").widget.v_model = "baseline"
    select = rendered.find(v.Select, class_="teamsim-quarter").widget
    assert "withdrawal" not in [item["value"] for item in select.items]


def editing_choices(rendered: Any) -> list[str]:
    """The configurations the page offers to edit."""
    toggle = rendered.find(v.BtnToggle, class_="teamsim-editing").widget
    return [button.children[0] for button in toggle.children]


def test_a_third_and_fourth_configuration_start_as_a_copy_of_a():
    rendered = rendered_page()
    rendered.find(v.BtnToggle, class_="teamsim-editing").widget.v_model = 0  # show A
    type_lever(rendered, "attention_hours", "12")
    rendered.find(v.BtnToggle, class_="teamsim-count").widget.v_model = 2  # four
    assert editing_choices(rendered) == [f"Configuration {label}" for label in "ABCD"]
    rendered.find(v.BtnToggle, class_="teamsim-editing").widget.v_model = 3  # show D
    box = rendered.find(v.TextField, class_="teamsim-box teamsim-box-attention_hours").widget
    assert box.v_model == "12"
    type_lever(rendered, "systems_share", "0.2")
    assert "D differs from A in: Hours building systems 0 → 0.2" in differs(rendered)
    rendered.find(v.BtnToggle, class_="teamsim-count").widget.v_model = 0  # back to two
    assert editing_choices(rendered) == ["Configuration A", "Configuration B"]
    assert "D differs" not in differs(rendered)


def team_week(rendered: Any) -> int:
    """The week the team view's run has reached."""
    return int(html_with(rendered, "data-testid", "team-week")[0].attributes["data-week"])


def test_the_team_view_plays_the_configuration_being_edited_through_unrelated_changes():
    rendered = rendered_page()
    type_lever(rendered, "systems_share", "0.33")  # B, the configuration on screen
    click(rendered, "Step")
    click(rendered, "Step")
    assert team_week(rendered) == 2
    rendered.find(v.BtnToggle, class_="teamsim-count").widget.v_model = 1  # a third
    rendered.find(v.Select, class_="teamsim-quarter").widget.v_model = "cumulative"
    rendered.find(v.Switch, class_="teamsim-presenter-switch").widget.v_model = True
    assert team_week(rendered) == 2  # the run goes on
    rendered.find(v.Switch, class_="teamsim-presenter-switch").widget.v_model = False
    rendered.find(v.BtnToggle, class_="teamsim-editing").widget.v_model = 0  # edit A
    assert team_week(rendered) == 0  # A's own run, from its start


def test_the_page_says_when_the_diagnostic_levers_cannot_act_under_the_strategy():
    rendered = rendered_page()
    assert not html_with(rendered, "class", "teamsim-not-read")  # coach reads her team
    rendered.find(v.Select, class_="teamsim-strategy").widget.v_model = "firefighter"
    notes = html_with(rendered, "class", "teamsim-not-read")
    assert [note.unsafe_innerHTML for note in notes] == [NOT_READ]


# --- the team view ------------------------------------------------------------------------


def played(scenario: str, weeks: int, **levers: object) -> TeamModel:
    """A team view's model (replication 0) after some weeks."""
    config = apply_levers(load_scenario(scenario), levers)
    model = TeamModel(config, seed=config.seed, replication=0)
    for _ in range(weeks):
        model.step()
    return model


def drawn_lines(svg: str) -> dict[tuple[int, int], float]:
    """The ties drawing's lines: (slot, slot) and the strength each stands for."""
    return {(int(i), int(j)): float(tie) for i, j, tie in re.findall(
        r"<line data-from='(\d+)' data-to='(\d+)' data-tie='([\d.]+)'", svg)}


def test_the_ties_drawing_has_one_line_per_tie_above_the_threshold():
    model = played("siloed_subgroups", 30)
    ties, active = model.state.ties, model.state.active
    lines = drawn_lines(network_svg(model, "motivation"))
    members = range(model.config.team.size)
    strong = {(i, j) for i in members for j in members
              if i < j and active[i] and active[j] and ties[i, j] > TIE_THRESHOLD}
    assert set(lines) == strong
    assert strong and len(strong) < len(members) * (len(members) - 1) // 2
    for (i, j), tie in lines.items():
        assert tie == pytest.approx(ties[i, j], abs=1e-4)


def test_a_stronger_tie_is_drawn_wider_and_darker():
    ties = np.array([[0, 0.9, 0.3], [0.9, 0, 0.05], [0.3, 0.05, 0]])
    svg = ties_svg(ties, ["#00ff00"] * 3, ["a", "b", "c"])
    width = dict(re.findall(r"data-from='0' data-to='(\d)'.*?stroke-width='([\d.]+)'", svg))
    opacity = dict(re.findall(r"data-from='0' data-to='(\d)'.*?stroke-opacity='([\d.]+)'", svg))
    assert set(drawn_lines(svg)) == {(0, 1), (0, 2)}
    assert float(width["1"]) > float(width["2"])
    assert float(opacity["1"]) > float(opacity["2"])


def test_silos_are_drawn_with_fewer_lines_between_them_than_within():
    for weeks in (0, 13, 52):
        model = played("attention_withdrawn", weeks, structure="subgroups")
        lines = drawn_lines(network_svg(model, "motivation"))
        half = model.config.team.size // 2
        within = sum((i < half) == (j < half) for i, j in lines)
        between = len(lines) - within
        assert within > 0
        assert between < within, (weeks, within, between)


def test_a_hub_and_spoke_team_is_drawn_as_a_star_around_the_first_slot():
    lines = drawn_lines(network_svg(played("attention_withdrawn", 13,
                                           structure="hub_and_spoke"), "motivation"))
    assert lines
    assert all(0 in pair for pair in lines)


def test_a_vacant_slot_is_a_hollow_node_with_no_lines():
    model = played("high_turnover", 0)
    while all(member is not None for member in model.members):
        model.step()
    vacant = next(slot for slot, member in enumerate(model.members) if member is None)
    svg = network_svg(model, "motivation")
    assert re.search(rf"<circle data-slot='{vacant}'[^>]*fill='#fff'[^>]*data-vacant='1'", svg)
    assert all(vacant not in pair for pair in drawn_lines(svg))
    assert svg.count("<circle") == model.config.team.size


@pytest.mark.parametrize("state", ["exhaustion", "departure_shock", "conscientiousness",
                                   "trust", "accountability"])
def test_colouring_by_a_state_uses_that_states_value(state):
    model = played("high_turnover", 60)
    view = view_html(model, state)
    shade = COLOUR_BY[state]
    for member in model.team:
        value = getattr(member, state)
        want = to_hex(COLOURS(value if shade.high_is_good else 1 - value))
        card = re.search(rf"data-slot='{member.slot}' [^>]*data-{state.replace('_', '-')}="
                         rf"'([\d.]+)'.*?data-colour='(#\w+)'", team_html(model, state))
        assert card is not None
        assert float(card[1]) == pytest.approx(value, abs=1e-4)
        assert card[2] == want
        assert re.search(rf"<circle data-slot='{member.slot}' [^>]*fill='{want}'", view)


def test_colour_by_offers_the_new_member_states_each_from_0_to_1():
    assert {"capability", "motivation", "trust", "accountability", "exhaustion",
            "departure_shock", "conscientiousness"} <= set(COLOUR_BY)
    for member in played("high_turnover", 60).team:
        assert all(0 <= getattr(member, state) <= 1 for state in COLOUR_BY)


def test_high_exhaustion_and_departure_shock_are_coloured_red_not_green():
    calm = SimpleNamespace(exhaustion=0.0, departure_shock=0.0, motivation=1.0)
    strained = SimpleNamespace(exhaustion=1.0, departure_shock=1.0, motivation=0.0)
    for state in ("exhaustion", "departure_shock"):
        assert member_colour(calm, state) == to_hex(COLOURS(1.0))
        assert member_colour(strained, state) == to_hex(COLOURS(0.0))
    assert member_colour(strained, "motivation") == to_hex(COLOURS(0.0))


def test_the_climate_strip_shows_the_teams_current_values():
    model = played("conflict_under_pressure", 5)
    seen = []
    for _ in range(2):
        strip = climate_html(model)
        figures = {name: float(value) for name, value in re.findall(
            r"data-climate='(\w+)' data-value='([\d.]+)'", strip)}
        assert list(figures) == list(CLIMATE)
        for name, value in figures.items():
            assert value == pytest.approx(getattr(model, name), abs=1e-4)
            assert f"{outcome_title(name)} <b>{getattr(model, name):.2f}</b>" in strip
        seen.append(figures)
        for _ in range(13):
            model.step()
    assert seen[0] != seen[1]
