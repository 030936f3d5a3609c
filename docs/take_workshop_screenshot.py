"""Take the README's picture of the workshop page: the real page, in headless Chromium.

The `attention_withdrawn` preset, with B building systems for the first year (a third of
the leader's hours until quarter 4), and the team view played for a few weeks.

Run:  .venv/bin/python docs/take_workshop_screenshot.py   (needs Debian's chromium)
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
from workshop_browser import (  # noqa: E402 (the helpers live with the browser tests)
    changed,
    chart_source,
    page_on_workshop,
    show_levers,
    type_into,
)

PICTURE = HERE / "workshop.png"
WEEKS = 20


def main() -> None:
    with page_on_workshop("take_workshop_screenshot", width=1600, height=1380) as page:
        show_levers(page, "B")
        for lever, value in (("systems_share", "0.33"), ("systems_until_quarter", "4")):
            before = chart_source(page)
            type_into(page, lever, value)
            changed(page, before)
        for _ in range(WEEKS):
            week = int(page.locator("[data-testid=team-week]").get_attribute("data-week"))
            page.get_by_role("button", name="Step").click()
            page.wait_for_selector(f"[data-testid=team-week][data-week='{week + 1}']")
        page.locator("h2").scroll_into_view_if_needed()
        page.screenshot(path=str(PICTURE))
    print(f"wrote {PICTURE}")


if __name__ == "__main__":
    main()
