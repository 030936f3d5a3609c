"""Take the README's pictures of the workshop: the real pages, in headless Chromium, all on
one freshly started local server.

- ``docs/workshop.png`` (1600 wide, as high as the results column): the what-if page, the
  ``attention_withdrawn`` preset with B building systems for the first year (a third of the
  leader's hours until quarter 4), and the team view played for a few weeks.
- ``docs/workshop_presenter.png`` (1280x720, the projector): the same comparison in
  presenter mode, the chart the full width of the screen, its legend in view.
- ``docs/workshop_room.png`` (1600x1000): the trainer's screen of a participatory room
  (``/trainer``) after three participants have each played four quarters with their own
  allocation: the trajectories and the leaderboard.
- ``docs/workshop_participant.png`` (1280x720): one participant's page after her last
  quarter.

Run:  .venv/bin/python docs/take_workshop_screenshot.py   (needs Debian's chromium)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from workshop_browser import (  # noqa: E402 (the helpers live with the browser tests)
    PAGE_TIMEOUT_MS,
    changed,
    chart_source,
    open_page,
    page_on_workshop,
    settled,
    show_levers,
    type_into,
)

WHATIF = HERE / "workshop.png"
PRESENTER = HERE / "workshop_presenter.png"
ROOM = HERE / "workshop_room.png"
PARTICIPANT = HERE / "workshop_participant.png"
WEEKS = 20
"""Weeks the team view is stepped."""
QUARTERS = 4
PLANS: dict[str, tuple[dict[str, float], tuple[int, ...]]] = {
    "Ann": ({"coach": 3, "clarify": 2, "recognise": 1}, ()),
    "Bo": ({"micromanage": 5, "monitor": 2}, ()),
    "Cy": ({"build_systems": 3, "set_goals": 1, "coach": 2}, (1, 2)),
}
"""Each participant's allocation (hours a week per intervention; the members the work with
members goes to, none: everyone alike), the same every quarter."""


def set_b(page: Any) -> None:
    """B builds systems for the first year: a third of the leader's hours until quarter 4."""
    show_levers(page, "B")
    for lever, value in (("systems_share", "0.33"), ("systems_until_quarter", "4")):
        before = chart_source(page)
        type_into(page, lever, value)
        changed(page, before)


def what_if(page: Any) -> None:
    """The what-if page with B building systems, the team view stepped; the window made as
    high as the results column, so that the team view shows whole."""
    set_b(page)
    for _ in range(WEEKS):
        week = int(page.locator("[data-testid=team-week]").get_attribute("data-week"))
        page.get_by_role("button", name="Step").click()
        page.wait_for_selector(f"[data-testid=team-week][data-week='{week + 1}']")
    results = page.locator(".teamsim-results")
    top, high = results.evaluate("r => [r.getBoundingClientRect().top, r.scrollHeight]")
    page.set_viewport_size({"width": 1600, "height": int(top + high) + 8})
    page.locator(".teamsim-lever-column .teamsim-box-systems_until_quarter").evaluate(
        "box => box.scrollIntoView({block: 'end'})")  # B's levers, down to what B changes
    page.mouse.move(0, 0)  # no pointer over the chart (Plotly's buttons would show)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(WHATIF))


def presenter(browser: Any, address: str) -> None:
    """The same comparison in presenter mode, on the projector's 1280x720: B set, then
    presenter mode switched on (the levers wait in its drawer)."""
    page = open_page(browser, address, 1280, 720)
    set_b(page)
    page.locator(".teamsim-presenter-switch label").click()
    page.wait_for_selector(".teamsim-presenter")
    settled(page)
    page.wait_for_function(
        "() => document.querySelector('.teamsim-chart .main-svg').getBoundingClientRect()"
        ".width >= 0.9 * 1280")
    page.mouse.move(0, 0)
    page.wait_for_timeout(1500)  # the chart's refit settles
    page.screenshot(path=str(PRESENTER))
    page.context.close()


def new_page(browser: Any, url: str, width: int, height: int) -> Any:
    """A page in its own browser context (its own session), on ``url``."""
    page = browser.new_context(viewport={"width": width, "height": height}).new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.goto(url)
    return page


def join(browser: Any, link: str, name: str) -> Any:
    """A participant's page, joined to the room as ``name``."""
    page = new_page(browser, link, 1280, 720)
    page.locator(".teamsim-name input").fill(name)
    page.locator(".teamsim-join").click()
    page.wait_for_selector("[data-testid=game-header][data-played='0']")
    return page


def play_quarter(page: Any, quarter: int, hours: dict[str, float],
                 focus: tuple[int, ...]) -> None:
    """Share out the hours and play the quarter (the panel keeps the last quarter's
    members ticked, so they are ticked in the first)."""
    for name, value in hours.items():
        page.locator(f".teamsim-hours-{name} input").fill(str(value))
    if quarter == 1:
        for slot in focus:
            page.locator(f".teamsim-focus-{slot} label").click()
    page.locator(".teamsim-play").click()
    page.wait_for_selector(f"[data-testid=game-header][data-played='{quarter}']")


def room(browser: Any, address: str) -> None:
    """Open a room on the trainer's screen, have three participants play it through, and
    take the trainer's screen and one participant's page."""
    trainer = new_page(browser, f"{address}trainer?preset=baseline", 1600, 1000)
    box = trainer.locator(".teamsim-room-quarters input")
    box.fill(str(QUARTERS))
    box.press("Enter")
    trainer.locator(".teamsim-open-room").click()
    trainer.wait_for_selector("[data-testid=room-code]")
    link = trainer.locator("[data-testid=join-link]").inner_text()
    players = {name: join(browser, link, name) for name in PLANS}
    for quarter in range(1, QUARTERS + 1):
        for name, page in players.items():
            play_quarter(page, quarter, *PLANS[name])
    ann = players["Ann"]
    ann.wait_for_selector("[data-testid=finished]")
    ann.wait_for_selector(".js-plotly-plot .main-svg")
    ann.evaluate(  # the page's top, its window's edge between two rows of the team's table
        """() => { const cut = [...document.querySelectorAll('.teamsim-members tr')]
                     .map(row => row.getBoundingClientRect().bottom + scrollY)
                     .find(bottom => bottom > innerHeight);
                   scrollTo({top: cut ? cut - innerHeight : 0, behavior: 'instant'}); }""")
    ann.mouse.move(0, 0)
    ann.wait_for_timeout(1000)
    ann.screenshot(path=str(PARTICIPANT))
    trainer.wait_for_selector("[data-testid=headcount][data-count='3']")
    trainer.wait_for_function(  # the screen reads the room every 2 seconds
        """played => [...document.querySelectorAll('[data-testid=leaderboard] tr')]
           .filter(row => row.innerText.includes(played)).length == 3""",
        arg=f"{QUARTERS} of {QUARTERS}")
    trainer.wait_for_selector(".js-plotly-plot .main-svg")
    trainer.mouse.move(0, 0)
    trainer.wait_for_timeout(1000)
    trainer.screenshot(path=str(ROOM))


def main() -> None:
    with page_on_workshop("take_workshop_screenshot", width=1600, height=1000) as page:
        address = re.match(r"http://[^/]+/", page.url).group(0)
        what_if(page)
        presenter(page.context.browser, address)
        room(page.context.browser, address)
    for picture in (WHATIF, PRESENTER, ROOM, PARTICIPANT):
        print(f"wrote {picture}")


if __name__ == "__main__":
    main()
