"""The workshop page in a real browser: headless Debian Chromium driven by Playwright
against `teamsim workshop` in its own process.

Expected values are computed here, in the test process, with the same engine the page uses
(:mod:`simulation.workshop.whatif`): the page must show exactly those numbers.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import matplotlib.image
import pandas as pd
import pytest
from workshop_browser import (
    CHART,
    SENTENCE,
    SHOWN_LEVERS,
    Workshop,
    changed,
    chart_source,
    chart_text_sizes,
    chromium,
    lever_box,
    lever_thumb,
    open_page,
    settled,
    show_levers,
    start_workshop,
    type_into,
)

from simulation.engines.mesa_model import TeamModel
from simulation.experiments.plugins import load_plugins
from simulation.workshop.levers import apply_levers
from simulation.workshop.whatif import compare, presets

expect = pytest.importorskip("playwright.sync_api").expect

SAME = "A and B are the same configuration"


@pytest.fixture(scope="module")
def workshop() -> Iterator[Workshop]:
    server = start_workshop()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser(workshop: Workshop) -> Iterator[Any]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any, workshop: Workshop) -> Iterator[Any]:
    opened = open_page(browser, workshop.address)
    yield opened
    opened.context.close()


def shown_mean(page: Any, label: str, measure: str) -> float:
    cell = page.locator(f"td[data-config={label}][data-measure={measure}]")
    return float(cell.get_attribute("data-mean"))


def expected(preset: str, b_levers: dict[str, Any], replications: int = 30) -> Any:
    config = presets()[preset].config
    return compare(config, apply_levers(config, b_levers), replications=replications,
                   seed=config.seed)


def choose_option(page: Any, name: str, exact: bool = False) -> None:
    """Click an option of the list just opened. A list renders its first twenty options
    and more as it scrolls, so scroll it until the option is there."""
    option = page.get_by_role("option", name=name, exact=exact)
    menu = page.locator(".menuable__content__active")
    for _ in range(20):
        if option.count():
            break
        menu.evaluate("list => { list.scrollTop = list.scrollHeight; }")
        page.wait_for_timeout(200)
    option.click()


def test_a_preset_shows_its_story_and_its_runs(page):
    preset = presets()["skills_gap_misdiagnosed"]
    page.locator(".teamsim-preset").click()
    choose_option(page, preset.title)
    page.wait_for_function(
        "story => document.querySelector('[data-testid=story]').innerText.includes(story)",
        arg=preset.story[:60])
    settled(page)
    page.wait_for_function(
        """want => Math.abs(parseFloat(document.querySelector(
             'td[data-config=A][data-measure=team_output]').dataset.mean) - want) < 1e-4""",
        arg=float(expected("skills_gap_misdiagnosed", {}).summary.query(
            "label == 'A' and quarter == 12")["team_output"].iloc[0]))
    assert page.locator(SENTENCE).inner_text().startswith(SAME)
    assert lever_box(page, "diagnostic_accuracy").input_value() == \
        f"{preset.config.leader.diagnostic_accuracy:g}"


def test_moving_a_slider_updates_the_chart_and_the_sentence_to_the_right_values(
        page, record_property):
    settled(page)
    before = chart_source(page)
    show_levers(page, "B")
    thumb = lever_thumb(page, "systems_share")
    thumb.focus()
    started = time.perf_counter()
    thumb.press("ArrowRight")  # one step: 0 -> 0.05
    sentence = changed(page, before)
    latency = time.perf_counter() - started
    record_property("slider_to_chart_seconds", round(latency, 3))
    print(f"slider change to updated chart: {latency:.2f} s")

    want = expected("attention_withdrawn", {"systems_share": 0.05})
    assert sentence == want.sentence
    assert page.locator(".teamsim-differs").inner_text() == \
        "B differs from A in: Hours building systems 0 → 0.05"
    for measure in ("team_output", "trust_mean"):
        row = want.summary.query("label == 'B' and quarter == 12")
        assert shown_mean(page, "B", measure) == pytest.approx(float(row[measure].iloc[0]),
                                                               abs=1e-4)
    expect(lever_box(page, "systems_share")).to_have_value("0.05")


def test_a_typed_value_out_of_range_is_refused_and_the_page_keeps_working(page):
    sentence_before = settled(page)
    before = chart_source(page)
    show_levers(page, "B")
    type_into(page, "attention_hours", "90")
    refusal = page.locator(".teamsim-refusal")
    refusal.wait_for()
    assert "Leader hours per week" in refusal.inner_text()
    assert "90" in refusal.inner_text() and "stays at 8" in refusal.inner_text()
    expect(lever_box(page, "attention_hours")).to_have_value("8")
    type_into(page, "team_size", "eight")
    page.wait_for_function("() => document.querySelector('.teamsim-refusal')"
                           ".innerText.includes('must be a number')")
    assert page.locator(SENTENCE).inner_text() == sentence_before
    assert chart_source(page) == before

    type_into(page, "attention_hours", "12")  # the server still answers
    sentence = changed(page, before)
    assert sentence == expected("attention_withdrawn", {"attention_hours": 12.0}).sentence
    assert page.locator(".teamsim-refusal").count() == 0


def test_two_participants_moving_levers_at_once_do_not_see_each_others_changes(
        browser, workshop):
    first, second = (open_page(browser, workshop.address) for _ in range(2))
    try:
        for page in (first, second):
            show_levers(page, "B")
        before = [chart_source(page) for page in (first, second)]
        type_into(first, "crisis_rate", "3")
        type_into(second, "turnover_rate", "0.4")
        first_sentence = changed(first, before[0])
        second_sentence = changed(second, before[1])
        assert first_sentence == expected("attention_withdrawn", {"crisis_rate": 3.0}).sentence
        assert second_sentence == expected("attention_withdrawn",
                                           {"turnover_rate": 0.4}).sentence
        expect(lever_box(first, "turnover_rate")).to_have_value("0.12")
        expect(lever_box(second, "crisis_rate")).to_have_value("0.5")
    finally:
        first.context.close()
        second.context.close()


def test_export_downloads_the_chart_as_png_and_the_numbers_as_csv(page):
    show_levers(page, "B")
    before = chart_source(page)
    type_into(page, "systems_share", "0.33")
    changed(page, before)
    with page.expect_download() as png_download:
        page.get_by_role("button", name="Chart (PNG)").click()
    png = png_download.value
    want = expected("attention_withdrawn", {"systems_share": 0.33})
    assert png.suggested_filename == want.file_name("png")
    assert png.suggested_filename.startswith("teamsim_whatif_attention_withdrawn_")
    data = Path(png.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    image = matplotlib.image.imread(io.BytesIO(data), format="png")
    assert image.shape[1] >= 1200 and image.shape[0] >= 300

    with page.expect_download() as csv_download:
        page.get_by_role("button", name="Numbers (CSV)").click()
    assert csv_download.value.suggested_filename == want.file_name("csv")
    table = pd.read_csv(csv_download.value.path())
    numbers = want.table()
    assert list(table.columns[:len(numbers.columns)]) == list(numbers.columns)
    assert len(table) == len(numbers) == 3 * 5 * 12
    pd.testing.assert_frame_equal(table[numbers.columns], numbers, check_exact=False,
                                  rtol=1e-5)
    assert set(table.preset) == {"attention_withdrawn"} and set(table.B_systems_share) == {0.33}


def test_the_team_view_steps_and_plays_the_mesa_agents(page):
    week = page.locator("[data-testid=team-week]")
    assert week.get_attribute("data-week") == "0"
    page.get_by_role("button", name="Step").click()
    page.wait_for_selector("[data-testid=team-week][data-week='1']")
    config = presets()["attention_withdrawn"].config
    model = TeamModel(config, seed=config.seed, replication=0)
    model.step()
    for member in model.team:
        card = page.locator(f".teamsim-member[data-slot='{member.slot}']")
        assert float(card.get_attribute("data-motivation")) == pytest.approx(
            member.motivation, abs=1e-4)
        assert float(card.get_attribute("data-capability")) == pytest.approx(
            member.capability, abs=1e-4)

    page.get_by_role("button", name="Play").click()
    page.wait_for_function("() => parseInt(document.querySelector("
                           "'[data-testid=team-week]').dataset.week) >= 4")
    page.get_by_role("button", name="Pause").click()
    time.sleep(0.5)
    paused_at = week.get_attribute("data-week")
    time.sleep(1.0)
    assert week.get_attribute("data-week") == paused_at


def test_ctrl_c_stops_the_workshop_cleanly_with_a_browser_connected_and_playing(browser):
    server = start_workshop()
    page = open_page(browser, server.address)
    try:
        page.get_by_role("button", name="Play").click()
        page.wait_for_function("() => parseInt(document.querySelector("
                               "'[data-testid=team-week]').dataset.week) >= 2")
        started = time.monotonic()
        code, out, err = server.stop(timeout=20)
        assert code == 0, err
        assert time.monotonic() - started < 10
        assert "Traceback" not in err
        assert "stopped" in out
    finally:
        page.context.close()


PLUGIN = """
from simulation.model import interventions as iv
from simulation.model import strategies

def clarify_then_train(observation, hours):
    weights = strategies.empty_weights(observation)
    unclear = observation.clarity < 0.6
    weights[..., iv.CLARIFY] = unclear * (1 - observation.clarity)
    weights[..., iv.TRAIN] = ~unclear * (1 - observation.capability)
    return strategies.spread(weights * observation.active[..., None], hours)

strategies.register("clarify_then_train", clarify_then_train, "clarity first, then skills")
"""


def test_a_students_strategy_loaded_as_a_plugin_can_be_chosen_on_the_page(browser, tmp_path):
    plugin = tmp_path / "my_strategies.py"
    plugin.write_text(PLUGIN, encoding="utf-8")
    server = start_workshop("--plugin", str(plugin))
    page = open_page(browser, server.address)
    try:
        show_levers(page, "B")
        before = chart_source(page)
        page.locator(f"{SHOWN_LEVERS} .teamsim-strategy").click()
        choose_option(page, "clarify_then_train")
        sentence = changed(page, before)
        load_plugins([str(plugin)])
        assert sentence == expected("attention_withdrawn",
                                    {"strategy": "clarify_then_train"}).sentence
        assert "clarity first, then skills" in page.locator(SHOWN_LEVERS).inner_text()
    finally:
        page.context.close()
        server.stop()


def choose_structure(page: Any, text: str) -> None:
    """Choose a network structure for the configuration shown."""
    page.locator(f"{SHOWN_LEVERS} .teamsim-structure").click()
    choose_option(page, text, exact=True)


def test_a_structure_chosen_for_b_runs_and_its_ties_are_drawn(page):
    show_levers(page, "B")
    before = chart_source(page)
    choose_structure(page, "hub and spoke")
    sentence = changed(page, before)
    assert sentence == expected("attention_withdrawn", {"structure": "hub_and_spoke"}).sentence
    assert page.locator(".teamsim-differs").inner_text() == \
        "B differs from A in: Network structure complete → hub_and_spoke"

    # the team view plays B, the configuration being edited
    page.wait_for_function("() => document.querySelectorAll('.teamsim-ties line').length "
                           "=== 7")  # the hub's seven ties; the spokes' are too weak to draw
    ends = page.eval_on_selector_all(".teamsim-ties line", "lines => lines.map("
                                     "l => [l.dataset.from, l.dataset.to])")
    assert all("0" in pair for pair in ends)
    climate = page.locator("[data-testid=team-climate] [data-climate=cohesion]")
    assert float(climate.get_attribute("data-value")) == pytest.approx(
        presets()["attention_withdrawn"].config.team.cohesion, abs=1e-4)


def test_a_structure_the_team_is_too_small_for_is_refused_and_the_list_shows_the_kept_one(
        page):
    show_levers(page, "B")
    before = chart_source(page)
    type_into(page, "team_size", "1")
    changed(page, before)
    choose_structure(page, "subgroups (2)")
    refusal = page.locator(".teamsim-refusal")
    refusal.wait_for()
    assert refusal.inner_text() == ("B: refused. Network structure would split 1 member into "
                                    "2 subgroups (subgroups need a team of at least 2); it "
                                    "stays at complete.")
    expect(page.locator(f"{SHOWN_LEVERS} .teamsim-structure")).to_contain_text("complete")
    expect(page.locator(f"{SHOWN_LEVERS} .teamsim-structure")).not_to_contain_text("subgroups")


# --- projector-ready (issue 15) ------------------------------------------------------------


@pytest.fixture
def small_screen(browser: Any, workshop: Workshop) -> Iterator[Any]:
    """A participant's page on a projector's 1280x720."""
    opened = open_page(browser, workshop.address, 1280, 720)
    yield opened
    opened.context.close()


def in_view(page: Any, selector: str) -> bool:
    """Whether an element is entirely inside the window as it is scrolled."""
    return page.evaluate(
        """selector => { const r = document.querySelector(selector).getBoundingClientRect();
                         return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }""",
        selector)


FULL_WIDTH = ("() => document.querySelector('.teamsim-chart .main-svg')"
              ".getBoundingClientRect().width >= 0.9 * 1280")


def test_presenter_mode_at_1280x720_draws_chart_text_of_at_least_16_px(small_screen):
    page = small_screen
    show_levers(page, "B")
    before = chart_source(page)
    type_into(page, "systems_share", "0.33")  # a chart already drawn, then presenter mode
    changed(page, before)
    before = chart_source(page)
    page.locator(".teamsim-presenter-switch label").click()
    page.wait_for_selector(".teamsim-presenter")
    settled(page)
    page.wait_for_function(
        "() => document.querySelectorAll('.teamsim-chart .main-svg text').length > 20")
    page.wait_for_function(FULL_WIDTH)  # the chart takes the full width
    sizes = chart_text_sizes(page)
    assert len(sizes) > 20  # ticks, axis and panel titles, legend
    assert min(sizes) >= 16, sorted(sizes)[:5]
    expect(page.locator(SHOWN_LEVERS)).to_be_hidden()  # the levers wait in the drawer
    page.get_by_role("button", name="Levers").click()
    page.wait_for_selector(f".teamsim-drawer {SHOWN_LEVERS}")
    assert in_view(page, SENTENCE)  # the drawer opens beside the results
    type_into(page, "attention_hours", "12")
    changed(page, before)
    assert min(chart_text_sizes(page)) >= 16
    page.locator(".teamsim-drawer .teamsim-drawer-close").click()  # closed from inside it
    expect(page.locator(SHOWN_LEVERS)).to_be_hidden()
    page.locator(".teamsim-presenter-switch label").click()  # back: the chart fits again
    page.wait_for_selector(".teamsim-page:not(.teamsim-presenter)")
    page.wait_for_function("() => { const r = document.querySelector('.teamsim-chart "
                           ".main-svg').getBoundingClientRect(); return r.width < 0.8 * 1280 "
                           "&& r.right <= innerWidth; }")


def test_the_results_stay_on_screen_while_the_levers_scroll(small_screen):
    page = small_screen
    show_levers(page, "B")
    column = page.locator(".teamsim-lever-column")
    column.evaluate("column => { column.scrollTop = column.scrollHeight; }")
    page.wait_for_timeout(200)
    assert column.evaluate("column => column.scrollTop") > 0  # the levers scrolled
    assert in_view(page, SENTENCE)
    assert in_view(page, CHART)
    lowest = lever_box(page, "pressure")
    lowest.scroll_into_view_if_needed()
    type_into(page, "pressure", "3")
    page.locator(".teamsim-refusal").wait_for()
    assert in_view(page, ".teamsim-refusal")  # the refusal of a lower box is seen
    assert in_view(page, SENTENCE)


def test_four_configurations_run_side_by_side_with_a_sentence_each(page):
    page.locator(".teamsim-count button", has_text="4").click()
    page.wait_for_selector(f"{SENTENCE} [data-config=D]")
    show_levers(page, "D")
    before = chart_source(page)
    type_into(page, "attention_hours", "2")
    changed(page, before)
    want = compare(*(apply_levers(presets()["attention_withdrawn"].config, levers)
                     for levers in ({}, {}, {}, {"attention_hours": 2.0})),
                   replications=30, seed=presets()["attention_withdrawn"].config.seed)
    assert page.locator(f"{SENTENCE} [data-config=D]").inner_text() == want.sentences["D"]
    assert shown_mean(page, "D", "team_output") == pytest.approx(float(want.summary.query(
        "label == 'D' and quarter == 12")["team_output"].iloc[0]), abs=1e-4)
